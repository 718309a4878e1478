// ONNX ModelProto bytes -> an ordinary cnn1d functional model: the graph's float inputs become
// input({shape}) (a [N, C, L] input as [L, C], [null, C] when L is symbolic), each node runs its
// converter (ops.ts) in file order (ONNX graphs are topologically sorted, so a node reading a value
// no earlier node made is a cycle or a corrupt file), constants fold on the way, and the weights
// are set once the model is built. Outputs come back channels last: [N, C, L] as [N, L, C].

import { input } from '../../layers/input.ts';
import type { Layer } from '../../layers/layer.ts';
import { model as functionalModel, type LayersModel } from '../../models/model.ts';
import { Reshape } from '../../layers/shape.ts';
import { ConfigError } from '../../layers/args.ts';
import { DEFAULT_LOAD_LIMITS, type LoadOptions } from '../load.ts';
import { ModelFormatError } from '../errors.ts';
import { constOf, type Const } from './consts.ts';
import { CONVERTERS, type Builder } from './ops.ts';
import { fusePatterns } from './patterns.ts';
import { DataType, decodeModel, type OnnxModel } from './proto.ts';
import { act, NodeView, type Value } from './values.ts';

/** Opsets of the default domain cnn1d reads (torch 1.13 writes 7..17). */
export const OPSETS = [11, 18] as const;

const fail = (m: string): never => {
  throw new ModelFormatError(`onnx: ${m}`);
};

function opsetOf(m: OnnxModel): number {
  let opset = 0;
  for (const o of m.opsets) {
    if (o.domain === '' || o.domain === 'ai.onnx') opset = o.version;
    else if (m.graph.nodes.some((n) => n.domain === o.domain)) fail(`operator domain "${o.domain}" is not supported (only the default ONNX domain)`);
  }
  if (opset < OPSETS[0] || opset > OPSETS[1]) fail(`opset ${opset || '(none)'} is not supported; cnn1d reads opsets ${OPSETS[0]} to ${OPSETS[1]} (torch.onnx.export(..., opset_version=13..17))`);
  return opset;
}

const cleanName = (s: string) => s.replace(/[^A-Za-z0-9_.\-]+/g, '_').replace(/^[_.]+|_+$/g, '') || 'node';

/** Builds the cnn1d model of a decoded ONNX model (layers built, weights set). */
export function onnxToModel(m: OnnxModel, options: LoadOptions = {}): LayersModel {
  const limits = { ...DEFAULT_LOAD_LIMITS, ...options };
  const opset = opsetOf(m);
  const g = m.graph;
  if (g.nodes.length > 20 * limits.maxLayers) fail(`the graph has ${g.nodes.length} nodes, more than ${20 * limits.maxLayers} (20 x maxLayers ${limits.maxLayers})`);
  const values = new Map<string, Value>();
  let params = 0;
  for (const t of g.initializers) {
    params += t.data.length;
    if (params > limits.maxParams) fail(`the initializers hold more than ${limits.maxParams} values (raise the limit with {maxParams})`);
    values.set(t.name, constOf(t.dims, t.data, t.dataType !== DataType.FLOAT && t.dataType !== DataType.DOUBLE));
  }
  const graphInputs = g.inputs.filter((i) => !values.has(i.name));
  if (graphInputs.length === 0) fail('the graph has no input besides its initializers');
  let variable = false;
  const inputs = graphInputs.map((vi) => {
    const at = `graph input "${vi.name}"`;
    if (vi.elemType !== DataType.FLOAT) fail(`${at}: element type ${vi.elemType} is not supported (float inputs)`);
    const d = vi.dims;
    if (!d || (d.length !== 3 && d.length !== 2)) fail(`${at}: shape [${d ?? 'unknown'}] is not supported; cnn1d reads [batch, channels, length] or [batch, features]`);
    const C = d![1];
    if (typeof C !== 'number' || C < 1) fail(`${at}: the channel dimension must be a fixed number, got ${JSON.stringify(C)}`);
    const L = d!.length === 3 ? d![2] : null;
    if (d!.length === 3 && (typeof L !== 'number' || L < 1)) variable = true;
    const shape = d!.length === 3 ? [typeof L === 'number' && L > 0 ? L : null, C as number] : [C as number];
    const t = input({ shape, name: cleanName(vi.name) });
    values.set(vi.name, act(t, d!.length === 3 ? 'ncw' : 'nc'));
    return t;
  });
  if (variable && inputs.length > 1) fail('several inputs with a variable length are not supported');

  const consts = new Map<string, Const>();
  for (const [k, v] of values) if (v.kind === 'const') consts.set(k, v);
  for (const n of g.nodes) {
    const a = n.attributes[0];
    if (n.opType === 'Constant' && a?.t) consts.set(n.outputs[0], constOf(a.t.dims, a.t.data, a.t.dataType !== DataType.FLOAT));
  }
  const nodes = fusePatterns(g.nodes, consts, new Set(g.outputs.map((o) => o.name)));

  const weights = new Map<Layer, Record<string, Float32Array>>();
  const taken = new Set(inputs.map((t) => t.node.layer.name));
  let layerCount = 0;
  const b: Builder = {
    variable,
    layer(view, l, ins, w) {
      if (++layerCount > limits.maxLayers) fail(`the model needs more than ${limits.maxLayers} layers (raise the limit with {maxLayers})`);
      let name = cleanName(view.node.name || view.node.outputs[0]);
      for (let i = 1; taken.has(name); i++) name = `${cleanName(view.node.name || view.node.outputs[0])}_${i}`;
      taken.add(name);
      l.name = name;
      if (w) weights.set(l, w);
      try {
        return l.apply(ins.length === 1 ? ins[0] : ins) as ReturnType<Builder['layer']>;
      } catch (e) {
        if (e instanceof ConfigError) view.fail(e.message);
        throw e;
      }
    },
  };
  for (const n of nodes) {
    const view = new NodeView(n, n.inputs.map((name) => (name === '' ? undefined : values.get(name) ?? fail(`node "${n.name}" (${n.opType}) reads "${name}", which no earlier node, input or initializer makes (a cycle, or nodes out of order)`))), opset);
    if (n.domain && n.domain !== 'ai.onnx' && !n.opType.startsWith('cnn1d.')) view.fail(`domain "${n.domain}" is not supported`);
    const convert = CONVERTERS[n.opType];
    if (!convert) view.fail(`op ${n.opType} is not supported; cnn1d maps ${Object.keys(CONVERTERS).filter((k) => !k.startsWith('cnn1d.')).join(', ')}`);
    const outs = convert(view, b);
    n.outputs.forEach((o, i) => {
      if (o === '') return;
      if (i >= outs.length) view.fail(`output ${i} ("${o}") is not supported (cnn1d makes ${outs.length})`);
      if (values.has(o)) view.fail(`output "${o}" is also made by an earlier node, input or initializer (a graph value has one producer)`);
      values.set(o, outs[i]);
    });
  }
  const outputs = g.outputs.map((o) => {
    const v = values.get(o.name) ?? fail(`graph output "${o.name}" is made by no node`);
    if (v.kind !== 'act') return fail(`graph output "${o.name}" is a constant, not computed from the input`);
    if (v.layout === 'nc1' || v.layout === 'n1c') {
      const r = new Reshape({ targetShape: [1, v.t.shape[0]] });
      r.name = `${cleanName(o.name)}_reshape`;
      return r.apply(v.t) as typeof v.t;
    }
    return v.t;
  });
  const result = functionalModel({ inputs, outputs, name: cleanName(g.name || 'onnx_model'), seed: 0 });
  try {
    result.build();
    result.setWeights(result.weights.map((w) => weights.get(w.layer)?.[w.spec.name] ?? fail(`no value for weight ${w.name}`)));
  } catch (e) {
    result.dispose();
    throw e;
  }
  return result;
}

/** An ONNX file's bytes -> a cnn1d model. */
export function fromOnnxBytes(bytes: Uint8Array, options?: LoadOptions): LayersModel {
  return onnxToModel(decodeModel(bytes), options);
}
