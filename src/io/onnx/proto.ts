// The ONNX messages cnn1d reads and writes, decoded from / encoded to the protobuf wire format
// (field numbers from onnx/onnx.proto3, IR version 8): ModelProto, OperatorSetIdProto,
// GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto, TypeProto.Tensor,
// TensorShapeProto. Fields cnn1d does not use are skipped unread; subgraph attributes (If, Loop)
// are kept as a flag only. A tensor's data is checked against its dims and type here; data in an
// external file is refused.

import { ModelFormatError } from '../errors.ts';
import { Reader, WIRE, Writer } from './wire.ts';

export const DataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, BOOL: 9, DOUBLE: 11 } as const;
export const AttrType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

/** A tensor's values: float types as float32, integer and bool types as numbers. */
export interface OnnxTensor {
  name: string;
  dims: number[];
  dataType: number;
  data: Float32Array | number[];
}

export interface OnnxAttribute {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: string;
  t?: OnnxTensor;
  floats?: number[];
  ints?: number[];
}

export interface OnnxNode {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: OnnxAttribute[];
}

/** A graph input or output: element type and dims (a number, a symbolic name, or null). */
export interface OnnxValueInfo {
  name: string;
  elemType: number;
  dims: (number | string | null)[] | null;
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

export interface OnnxModel {
  irVersion: number;
  opsets: { domain: string; version: number }[];
  producerName: string;
  graph: OnnxGraph;
}

const fail = (m: string): never => {
  throw new ModelFormatError(`onnx: ${m}`);
};

/** Elements of a tensor with these dims, refused beyond 2^31 (and negative dims). */
export function elementCount(dims: number[], what: string): number {
  let n = 1;
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) fail(`${what}: dimension ${d} is not a size (expected an integer >= 0)`);
    n *= d;
    if (n > 2 ** 31) fail(`${what}: dims [${dims.join(', ')}] hold more than 2^31 elements`);
  }
  return n;
}

const BYTES: Record<number, number> = { [DataType.FLOAT]: 4, [DataType.DOUBLE]: 8, [DataType.INT64]: 8, [DataType.INT32]: 4, [DataType.INT8]: 1, [DataType.UINT8]: 1, [DataType.BOOL]: 1 };

function fromRaw(raw: Uint8Array, dataType: number, count: number, what: string): Float32Array | number[] {
  const width = BYTES[dataType];
  if (width === undefined) return fail(`${what}: data type ${dataType} is not supported (cnn1d reads float, double, int64, int32, int8, uint8, bool tensors)`);
  if (raw.length !== count * width) fail(`${what}: raw_data has ${raw.length} bytes, its dims and type need ${count * width} (${count} x ${width})`);
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (dataType === DataType.FLOAT) {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = v.getFloat32(4 * i, true);
    return out;
  }
  if (dataType === DataType.DOUBLE) {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = v.getFloat64(8 * i, true);
    return out;
  }
  const out: number[] = new Array(count);
  for (let i = 0; i < count; i++) {
    if (dataType === DataType.INT64) {
      const x = v.getInt32(8 * i + 4, true) * 2 ** 32 + v.getUint32(8 * i, true);
      out[i] = Number.isSafeInteger(x) ? x : x < 0 ? -(2 ** 53) : 2 ** 53; // INT64_MAX ends in Slice
    } else if (dataType === DataType.INT32) out[i] = v.getInt32(4 * i, true);
    else if (dataType === DataType.INT8) out[i] = v.getInt8(i);
    else out[i] = v.getUint8(i);
  }
  return out;
}

function readTensor(r: Reader, what: string): OnnxTensor {
  const t = { name: '', dims: [] as number[], dataType: 0 };
  const floats: number[] = [];
  const ints: number[] = [];
  let raw: Uint8Array | null = null;
  let external = '';
  r.fields(what, (f, w) => {
    if (f === 1) r.varints(w, `${what} dims`, t.dims);
    else if (f === 2) (r.expect(w, WIRE.varint, `${what} data_type`), (t.dataType = r.varint(`${what} data_type`)));
    else if (f === 4) r.floats(w, `${what} float_data`, floats);
    else if (f === 5 || f === 7) r.varints(w, `${what} int_data`, ints);
    else if (f === 8) (r.expect(w, WIRE.bytes, `${what} name`), (t.name = r.string(`${what} name`)));
    else if (f === 9) (r.expect(w, WIRE.bytes, `${what} raw_data`), (raw = r.bytes(`${what} raw_data`)));
    else if (f === 13) {
      r.expect(w, WIRE.bytes, `${what} external_data`);
      const e = r.message(`${what} external_data`);
      e.fields(`${what} external_data`, (ef, ew) => {
        if (ef !== 2 || ew !== WIRE.bytes) return false;
        external += ` ${e.string(`${what} external_data value`)}`;
      });
      external ||= ' (no location)';
    } else if (f === 14) {
      r.expect(w, WIRE.varint, `${what} data_location`);
      if (r.varint(`${what} data_location`) === 1) external ||= ' (data_location EXTERNAL)';
    } else if (f === 3) fail(`${what}: segmented tensors are not supported`);
    else return false;
  });
  const label = `${what} "${t.name}"`;
  if (external) fail(`${label} keeps its data in an external file:${external}; cnn1d reads self-contained .onnx files only (torch.onnx.export writes one below 2 GB; onnx.save_model(m, path, save_as_external_data=False))`);
  const count = elementCount(t.dims, label);
  let data: Float32Array | number[];
  if (raw) data = fromRaw(raw, t.dataType, count, label);
  else if (t.dataType === DataType.FLOAT || t.dataType === DataType.DOUBLE) {
    if (t.dataType === DataType.DOUBLE) fail(`${label}: double_data is not supported; use raw_data`);
    data = Float32Array.from(floats);
  } else data = ints;
  if (data.length !== count) fail(`${label}: has ${data.length} values, its dims [${t.dims.join(', ')}] need ${count}`);
  if (BYTES[t.dataType] === undefined) fail(`${label}: data type ${t.dataType} is not supported (cnn1d reads float, double, int64, int32, int8, uint8, bool tensors)`);
  return { ...t, data };
}

function readAttribute(r: Reader, what: string): OnnxAttribute {
  const a: OnnxAttribute = { name: '', type: 0 };
  r.fields(what, (f, w) => {
    const at = `${what} "${a.name}"`;
    if (f === 1) (r.expect(w, WIRE.bytes, at), (a.name = r.string(at)));
    else if (f === 20) (r.expect(w, WIRE.varint, at), (a.type = r.varint(at)));
    else if (f === 2) (r.expect(w, WIRE.fixed32, at), (a.f = r.float32(at)));
    else if (f === 3) (r.expect(w, WIRE.varint, at), (a.i = r.varint(at)));
    else if (f === 4) (r.expect(w, WIRE.bytes, at), (a.s = r.string(at)));
    else if (f === 5) (r.expect(w, WIRE.bytes, at), (a.t = readTensor(r.message(at), `${at} tensor`)));
    else if (f === 7) r.floats(w, at, (a.floats ??= []));
    else if (f === 8) r.varints(w, at, (a.ints ??= []));
    else return false;
  });
  return a;
}

function readNode(r: Reader, what: string): OnnxNode {
  const n: OnnxNode = { name: '', opType: '', domain: '', inputs: [], outputs: [], attributes: [] };
  r.fields(what, (f, w) => {
    if (f === 5) return (r.expect(w, WIRE.bytes, what), void n.attributes.push(readAttribute(r.message(what), `${what} attribute`)));
    if (f !== 1 && f !== 2 && f !== 3 && f !== 4 && f !== 7) return false;
    r.expect(w, WIRE.bytes, `${what} field ${f}`);
    const s = r.string(what);
    if (f === 1) n.inputs.push(s);
    else if (f === 2) n.outputs.push(s);
    else if (f === 3) n.name = s;
    else if (f === 4) n.opType = s;
    else n.domain = s;
  });
  return n;
}

function readValueInfo(r: Reader, what: string): OnnxValueInfo {
  const v: OnnxValueInfo = { name: '', elemType: 0, dims: null };
  r.fields(what, (f, w) => {
    if (f === 1) return (r.expect(w, WIRE.bytes, what), void (v.name = r.string(what)));
    if (f !== 2) return false;
    r.expect(w, WIRE.bytes, what);
    const type = r.message(`${what} type`);
    type.fields(`${what} type`, (tf, tw) => {
      if (tf !== 1 || tw !== WIRE.bytes) return false; // only tensor types
      const tensor = type.message(`${what} tensor_type`);
      tensor.fields(`${what} tensor_type`, (ef, ew) => {
        if (ef === 1 && ew === WIRE.varint) return void (v.elemType = tensor.varint(what));
        if (ef !== 2 || ew !== WIRE.bytes) return false;
        const shape = tensor.message(`${what} shape`);
        v.dims = [];
        shape.fields(`${what} shape`, (sf, sw) => {
          if (sf !== 1 || sw !== WIRE.bytes) return false;
          const dim = shape.message(`${what} dim`);
          let d: number | string | null = null;
          dim.fields(`${what} dim`, (df, dw) => {
            if (df === 1 && dw === WIRE.varint) d = dim.varint(`${what} dim_value`);
            else if (df === 2 && dw === WIRE.bytes) d = dim.string(`${what} dim_param`);
            else return false;
          });
          v.dims!.push(d);
        });
      });
    });
  });
  return v;
}

function readGraph(r: Reader): OnnxGraph {
  const g: OnnxGraph = { name: '', nodes: [], initializers: [], inputs: [], outputs: [] };
  r.fields('graph', (f, w) => {
    if (![1, 2, 5, 11, 12, 15].includes(f)) return false;
    r.expect(w, WIRE.bytes, `graph field ${f}`);
    const i = f === 1 ? g.nodes.length : f === 5 ? g.initializers.length : f === 11 ? g.inputs.length : g.outputs.length;
    if (f === 1) g.nodes.push(readNode(r.message('graph node'), `graph node ${i}`));
    else if (f === 2) g.name = r.string('graph name');
    else if (f === 5) g.initializers.push(readTensor(r.message('graph initializer'), `graph initializer ${i}`));
    else if (f === 11) g.inputs.push(readValueInfo(r.message('graph input'), `graph input ${i}`));
    else if (f === 12) g.outputs.push(readValueInfo(r.message('graph output'), `graph output ${i}`));
    else fail('graph: sparse initializers are not supported');
  });
  return g;
}

/** Decodes a ModelProto. Throws ModelFormatError on anything truncated, malformed or unsupported. */
export function decodeModel(bytes: Uint8Array): OnnxModel {
  const r = new Reader(bytes);
  const m: OnnxModel = { irVersion: 0, opsets: [], producerName: '', graph: null as unknown as OnnxGraph };
  r.fields('model', (f, w) => {
    if (f === 1) (r.expect(w, WIRE.varint, 'model ir_version'), (m.irVersion = r.varint('model ir_version')));
    else if (f === 2) (r.expect(w, WIRE.bytes, 'model producer_name'), (m.producerName = r.string('model producer_name')));
    else if (f === 7) (r.expect(w, WIRE.bytes, 'model graph'), (m.graph = readGraph(r.message('model graph'))));
    else if (f === 8) {
      r.expect(w, WIRE.bytes, 'model opset_import');
      const o = r.message('model opset_import');
      const op = { domain: '', version: 0 };
      o.fields('opset_import', (of, ow) => {
        if (of === 1 && ow === WIRE.bytes) op.domain = o.string('opset_import domain');
        else if (of === 2 && ow === WIRE.varint) op.version = o.varint('opset_import version');
        else return false;
      });
      m.opsets.push(op);
    } else return false;
  });
  if (!m.graph) fail('the file has no graph (is it an ONNX model? a ModelProto has field 7, graph)');
  if (m.irVersion < 3) fail(`ir_version ${m.irVersion} is not supported (cnn1d reads IR 3 and later; is this an ONNX model?)`);
  return m;
}

// --- writing ---

function writeTensor(t: OnnxTensor): Writer {
  const w = new Writer().packedVarints(1, t.dims).varint(2, t.dataType).string(8, t.name);
  if (t.dataType === DataType.FLOAT) {
    const raw = new Uint8Array(t.data.length * 4);
    const v = new DataView(raw.buffer);
    t.data.forEach((x, i) => v.setFloat32(4 * i, x, true));
    w.bytes(9, raw);
  } else if (t.dataType === DataType.INT64) w.packedVarints(7, t.data as number[]);
  else w.packedVarints(5, t.data as number[]);
  return w;
}

function writeAttribute(a: OnnxAttribute): Writer {
  const w = new Writer().string(1, a.name).varint(20, a.type);
  if (a.type === AttrType.FLOAT) w.float(2, a.f!);
  else if (a.type === AttrType.INT) w.varint(3, a.i!);
  else if (a.type === AttrType.STRING) w.string(4, a.s!);
  else if (a.type === AttrType.TENSOR) w.message(5, writeTensor(a.t!));
  else if (a.type === AttrType.FLOATS) for (const f of a.floats!) w.float(7, f);
  else if (a.type === AttrType.INTS) w.packedVarints(8, a.ints!);
  return w;
}

function writeValueInfo(v: OnnxValueInfo): Writer {
  const shape = new Writer();
  for (const d of v.dims ?? []) shape.message(1, typeof d === 'number' ? new Writer().varint(1, d) : typeof d === 'string' ? new Writer().string(2, d) : new Writer());
  const tensor = new Writer().varint(1, v.elemType);
  if (v.dims) tensor.message(2, shape);
  return new Writer().string(1, v.name).message(2, new Writer().message(1, tensor));
}

/** Encodes a ModelProto. */
export function encodeModel(m: OnnxModel): Uint8Array {
  const g = new Writer();
  for (const n of m.graph.nodes) {
    const nw = new Writer();
    for (const s of n.inputs) nw.string(1, s);
    for (const s of n.outputs) nw.string(2, s);
    nw.string(3, n.name).string(4, n.opType);
    for (const a of n.attributes) nw.message(5, writeAttribute(a));
    if (n.domain) nw.string(7, n.domain);
    g.message(1, nw);
  }
  g.string(2, m.graph.name);
  for (const t of m.graph.initializers) g.message(5, writeTensor(t));
  for (const v of m.graph.inputs) g.message(11, writeValueInfo(v));
  for (const v of m.graph.outputs) g.message(12, writeValueInfo(v));
  const w = new Writer().varint(1, m.irVersion).string(2, m.producerName);
  w.message(7, g);
  for (const o of m.opsets) w.message(8, new Writer().string(1, o.domain).varint(2, o.version));
  return w.finish();
}
