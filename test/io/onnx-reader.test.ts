// The ONNX reader on hostile files by construction: truncations, wrong wire types, groups,
// over-long varints, huge dims, lengths past the end, cycles, a value made twice, initializers
// that do not match their dims, external-data references; unsupported ops, attributes, opsets and
// domains named with their node; the wire format's varints round trip. (Random mutations of real
// files: test/fuzz/onnx-reader.test.ts.)
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { ModelFormatError, loadModel, tensor } from '../../src/index.ts';
import { AttrType, DataType, decodeModel, encodeModel, type OnnxModel, type OnnxNode, type OnnxTensor } from '../../src/io/onnx/proto.ts';
import { Reader, Writer } from '../../src/io/onnx/wire.ts';
import { fromOnnxBytes } from '../../src/io/onnx/import.ts';

const f32 = (name: string, dims: number[], data: number[]): OnnxTensor => ({ name, dims, dataType: DataType.FLOAT, data: Float32Array.from(data) });
const conv = (name: string, x: string, w: string, y: string): OnnxNode => ({ name, opType: 'Conv', domain: '', inputs: [x, w], outputs: [y], attributes: [{ name: 'kernel_shape', type: AttrType.INTS, ints: [1] }] });

function tiny(nodes: OnnxNode[], initializers: OnnxTensor[] = [f32('w', [2, 2, 1], [1, 0, 0, 1])], opset = 13): OnnxModel {
  return {
    irVersion: 8,
    opsets: [{ domain: '', version: opset }],
    producerName: 'test',
    graph: { name: 'g', nodes, initializers, inputs: [{ name: 'x', elemType: DataType.FLOAT, dims: ['n', 2, 'L'] }], outputs: [{ name: 'y', elemType: DataType.FLOAT, dims: null }] },
  };
}

// the reader itself: loadModel(bytes) picks a reader by content, and most of these hostile byte
// strings do not start as a ModelProto does (loadModel then names the formats it reads)
const rejects = (bytes: Uint8Array, re: RegExp) => assert.rejects(async () => fromOnnxBytes(bytes), (e: unknown) => e instanceof ModelFormatError && re.test(e.message));

test('a tiny hand-written graph loads and predicts (the base of the hostile cases)', async () => {
  const m = await loadModel(encodeModel(tiny([conv('c', 'x', 'w', 'y')])));
  assert.deepEqual(Array.from(m.predict(tensor([1, 2, 3, 4], [1, 2, 2])).data), [1, 2, 3, 4]);
  m.dispose();
});

test('hostile ONNX files give ModelFormatErrors that say what is wrong', async () => {
  const good = encodeModel(tiny([conv('c', 'x', 'w', 'y')]));
  await rejects(good.subarray(0, good.length - 3), /truncated|runs past the end/);
  await rejects(new Uint8Array([0x1b, 0x00]), /wire type 3 .*groups are refused/);
  await rejects(new Uint8Array([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), /varint longer than 10 bytes/);
  await rejects(new Uint8Array([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]), /out of range/);
  await rejects(new Uint8Array([0x3a, 0x7f, 0x01]), /length 127 runs past the end/);
  await rejects(new Uint8Array([0x12, 0x02, 0x41, 0x42]), /no graph/);
  await rejects(new Uint8Array([0x0d, 1, 2, 3, 4]), /wire type 5, expected 0|no graph/);
  await rejects(new Uint8Array([0x02]), /field number 0/);
  // wrong wire type of a known field: ir_version as a string
  await rejects(new Uint8Array([0x0a, 0x01, 0x41]), /model ir_version: wire type 2, expected 0/);
  // huge dims, and dims that do not match the data
  await rejects(encodeModel(tiny([conv('c', 'x', 'w', 'y')], [f32('w', [2 ** 20, 2 ** 20, 4], [1])])), /more than 2\^31 elements/);
  await rejects(encodeModel(tiny([conv('c', 'x', 'w', 'y')], [f32('w', [2, 2, 3], [1, 0, 0, 1])])), /raw_data has 16 bytes, its dims and type need 48/);
  await rejects(encodeModel(tiny([conv('c', 'x', 'w', 'y')], [{ name: 'w', dims: [-1], dataType: DataType.FLOAT, data: new Float32Array(0) }])), /dimension -1 is not a size/);
  // a cycle: c reads d's output, d reads c's
  await rejects(encodeModel(tiny([conv('c', 'z', 'w', 'y'), conv('d', 'y', 'w', 'z')])), /reads "z", which no earlier node, input or initializer makes \(a cycle, or nodes out of order\)/);
  await rejects(encodeModel(tiny([conv('c', 'x', 'w', 'y'), conv('d', 'y', 'w', 'y')])), /output "y" is also made by an earlier node/);
  // external data: a TensorProto with external_data {key: location, value: ../../etc/passwd}
  const entry = new Writer().string(1, 'location').string(2, '../../etc/passwd');
  const tensorBytes = new Writer().packedVarints(1, [2, 2, 1]).varint(2, DataType.FLOAT).string(8, 'w').message(13, entry).varint(14, 1).finish();
  const graphBytes = new Writer().message(5, { finish: () => tensorBytes } as Writer).finish();
  const modelBytes = new Writer().varint(1, 8).message(7, { finish: () => graphBytes } as Writer).finish();
  await rejects(modelBytes, /"w" keeps its data in an external file: \.\.\/\.\.\/etc\/passwd; cnn1d reads self-contained \.onnx files only/);
});

test('unsupported ops, attributes, opsets and domains are named with their node', async () => {
  const node = (opType: string, attributes: OnnxNode['attributes'] = [], inputs = ['x']): OnnxNode => ({ name: 'n1', opType, domain: '', inputs, outputs: ['y'], attributes });
  await rejects(encodeModel(tiny([node('LSTM')])), /onnx node "n1" \(LSTM\): op LSTM is not supported; cnn1d maps Conv, /);
  await rejects(encodeModel(tiny([{ ...conv('c', 'x', 'w', 'y'), attributes: [{ name: 'auto_pad', type: AttrType.STRING, s: 'SAME_LOWER' }] }])), /onnx node "c" \(Conv\): attribute auto_pad = "SAME_LOWER" is not supported/);
  await rejects(encodeModel(tiny([node('HardSigmoid', [{ name: 'alpha', type: AttrType.FLOAT, f: 1 / 6 }])])), /\(HardSigmoid\): attribute alpha = 0\.1666.* is not supported \(cnn1d hardSigmoid is clip\(0\.2 x \+ 0\.5, 0, 1\)/);
  await rejects(encodeModel(tiny([node('Softmax', [{ name: 'axis', type: AttrType.INT, i: 2 }])])), /\(Softmax\): attribute axis = 2 is not supported: cnn1d's softmax runs over the channels/);
  await rejects(encodeModel(tiny([node('Div', [], ['x', 'x'])])), /\(Div\): dividing two activations has no cnn1d layer/);
  await rejects(encodeModel(tiny([conv('c', 'x', 'w', 'y')], undefined, 10)), /opset 10 is not supported; cnn1d reads opsets 11 to 18/);
  await rejects(encodeModel({ ...tiny([{ ...conv('c', 'x', 'w', 'y'), domain: 'com.microsoft' }]), opsets: [{ domain: '', version: 13 }, { domain: 'com.microsoft', version: 1 }] }), /operator domain "com.microsoft" is not supported/);
  await rejects(encodeModel(tiny([conv('c', 'x', 'x', 'y')])), /\(Conv\): weight \(input 1, "x"\) is computed from the model's input; cnn1d needs it constant/);
});

test('wire: varints and floats round trip through Writer and Reader, negatives as 10 bytes', () => {
  const values = [0, 1, 127, 128, 300, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 5, 2 ** 53 - 1, -1, -2, -300, -(2 ** 31), -(2 ** 53) + 1];
  const w = new Writer();
  values.forEach((v, i) => w.varint(i + 1, v));
  w.float(99, 1.5).packedVarints(100, [3, -4]);
  const bytes = w.finish();
  const r = new Reader(bytes);
  const got: number[] = [];
  const packed: number[] = [];
  let f = 0;
  r.fields('t', (field, wire) => {
    if (field === 99) f = r.float32('f');
    else if (field === 100) r.varints(wire, 'p', packed);
    else got.push(r.varint('v'));
  });
  assert.deepEqual(got, values);
  assert.equal(f, 1.5);
  assert.deepEqual(packed, [3, -4]);
  // -1 takes ten bytes
  assert.equal(new Writer().varint(1, -1).finish().length, 11);
  const m = decodeModel(encodeModel(tiny([conv('c', 'x', 'w', 'y')])));
  assert.deepEqual(m.graph.inputs[0].dims, ['n', 2, 'L']);
  assert.deepEqual(Array.from(m.graph.initializers[0].data), [1, 0, 0, 1]);
});
