// A cnn1d model -> an ONNX ModelProto at opset 13 (the lowest with per-axis Softmax and axes as
// inputs, which every layer below needs at most). Values run channels first inside the graph, as
// ONNX convolutions want: a cnn1d [L, C] value is ONNX [N, C, L], a [C] value ONNX [N, C]. The
// graph input is [N, L, C] (transposed once) unless {layout: 'ncw'}; sequence outputs likewise.
// The batch is dynamic, and the length when the model was built with input({shape: [null, C]}).
// One small writer per layer class; a layer without one is refused by name.

import { Activation } from '../../layers/activation.ts';
import { ELU, ReLU, Softmax } from '../../layers/advanced-activations.ts';
import type { ActivationFn } from '../../layers/activation-fn.ts';
import { BatchNormalization } from '../../layers/batchnorm.ts';
import { Conv1D, windowGeometry } from '../../layers/conv1d.ts';
import { Conv1DTranspose } from '../../layers/conv1d-transpose.ts';
import { Dense } from '../../layers/dense.ts';
import { DepthwiseConv1D } from '../../layers/depthwise-conv1d.ts';
import { Flatten } from '../../layers/flatten.ts';
import { InputLayer } from '../../layers/input.ts';
import type { Layer } from '../../layers/layer.ts';
import { LayerNormalization } from '../../layers/layernorm.ts';
import { Concatenate, ElementwiseMerge } from '../../layers/merge.ts';
import { AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D, MaxPooling1D } from '../../layers/pooling.ts';
import { PReLU } from '../../layers/prelu.ts';
import { RReLU } from '../../layers/rrelu.ts';
import { SeparableConv1D } from '../../layers/separable-conv1d.ts';
import { Cropping1D, Permute, RepeatVector, Reshape, UpSampling1D, ZeroPadding1D } from '../../layers/shape.ts';
import { Embedding } from '../../layers/embedding.ts';
import { TimeDistributed } from '../../layers/time-distributed.ts';
import { ConfigError } from '../../layers/args.ts';
import type { LayersModel } from '../../models/model.ts';
import type { Node } from '../../engine/symbolic.ts';
import { AttrType, DataType, encodeModel, type OnnxAttribute, type OnnxNode, type OnnxTensor } from './proto.ts';
import type { OnnxExportOptions } from './index.ts';

export const EXPORT_OPSET = 13;
const IDENTITY = new Set(['Dropout', 'SpatialDropout1D', 'GaussianNoise', 'GaussianDropout']);
const INT64_MAX = 2 ** 53; // Slice "to the end"

const ints = (name: string, v: number[]): OnnxAttribute => ({ name, type: AttrType.INTS, ints: v });
const int = (name: string, v: number): OnnxAttribute => ({ name, type: AttrType.INT, i: v });
const float = (name: string, v: number): OnnxAttribute => ({ name, type: AttrType.FLOAT, f: v });
const str = (name: string, v: string): OnnxAttribute => ({ name, type: AttrType.STRING, s: v });

/** The graph under construction: nodes, initializers, unique names. */
class GraphWriter {
  nodes: OnnxNode[] = [];
  initializers: OnnxTensor[] = [];
  private used = new Set<string>();

  name(base: string): string {
    let n = base;
    for (let i = 1; this.used.has(n); i++) n = `${base}_${i}`;
    this.used.add(n);
    return n;
  }

  op(opType: string, inputs: string[], attributes: OnnxAttribute[] = [], base = opType): string {
    const out = this.name(base);
    this.nodes.push({ name: out, opType, domain: '', inputs, outputs: [out], attributes });
    return out;
  }

  floats(base: string, dims: number[], data: ArrayLike<number>): string {
    const name = this.name(base);
    this.initializers.push({ name, dims, dataType: DataType.FLOAT, data: Float32Array.from(data) });
    return name;
  }

  int64s(base: string, data: number[]): string {
    const name = this.name(base);
    this.initializers.push({ name, dims: [data.length], dataType: DataType.INT64, data });
    return name;
  }
}

/** out[j] = w[idx(j)] over the output dims (a transpose of weights into ONNX's layout). */
function relayout(w: Float32Array, dims: number[], at: (ix: number[]) => number): Float32Array {
  const n = dims.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  const ix = dims.map(() => 0);
  for (let j = 0; j < n; j++) {
    out[j] = w[at(ix)];
    for (let d = dims.length - 1; d >= 0; d--) {
      if (++ix[d] < dims[d]) break;
      ix[d] = 0;
    }
  }
  return out;
}

interface Ctx {
  g: GraphWriter;
  /** The model's input length is free. */
  variable: boolean;
  weight: (l: Layer, name: string) => Float32Array | null;
}

/** y = f(x) for a cnn1d activation on an ONNX value whose channel axis is 1. */
function activation(c: Ctx, fn: ActivationFn, x: string, base: string): string {
  const { g } = c;
  switch (fn.name) {
    case 'linear': return x;
    case 'relu': return g.op('Relu', [x], [], base);
    case 'relu6': return g.op('Clip', [x, g.floats(`${base}_min`, [], [0]), g.floats(`${base}_max`, [], [6])], [], base);
    case 'leakyRelu': return g.op('LeakyRelu', [x], [float('alpha', fn.alpha)], base);
    case 'elu': return g.op('Elu', [x], [float('alpha', fn.alpha)], base);
    case 'selu': return g.op('Selu', [x], [], base);
    case 'sigmoid': return g.op('Sigmoid', [x], [], base);
    case 'tanh': return g.op('Tanh', [x], [], base);
    case 'softplus': return g.op('Softplus', [x], [], base);
    case 'softsign': return g.op('Softsign', [x], [], base);
    case 'hardSigmoid': return g.op('HardSigmoid', [x], [float('alpha', 0.2), float('beta', 0.5)], base);
    case 'softmax': return g.op('Softmax', [x], [int('axis', 1)], base);
    case 'swish': {
      const bx = fn.alpha === 1 ? x : g.op('Mul', [x, g.floats(`${base}_beta`, [], [fn.alpha])]);
      return g.op('Mul', [x, g.op('Sigmoid', [bx])], [], base);
    }
    case 'mish': return g.op('Mul', [x, g.op('Tanh', [g.op('Softplus', [x])])], [], base);
    case 'gelu': {
      // 0.5 x (1 + erf(x / sqrt 2)), the exact form (Gelu is an op from opset 20 only)
      const e = g.op('Erf', [g.op('Div', [x, g.floats(`${base}_sqrt2`, [], [Math.SQRT2])])]);
      const half = g.op('Mul', [x, g.floats(`${base}_half`, [], [0.5])]);
      return g.op('Mul', [half, g.op('Add', [e, g.floats(`${base}_one`, [], [1])])], [], base);
    }
  }
  throw new ConfigError(`toOnnx: activation "${fn.name}" has no ONNX writer`);
}

/** Conv attributes of a cnn1d window over L steps (null: any length). 'same' pads floor(total/2)
 *  on the left: fixed pads when they do not depend on L (stride 1, or a fixed L), else SAME_UPPER
 *  (which onnxruntime refuses with dilations); 'causal' is left pads of the span - 1. */
function windowAttrs(owner: string, K: number, S: number, D: number, padding: string, L: number | null): OnnxAttribute[] {
  const a = [ints('kernel_shape', [K]), ints('strides', [S]), ints('dilations', [D])];
  const span = (K - 1) * D + 1;
  if (padding === 'same' && S > 1 && L === null) {
    if (D > 1) throw new ConfigError(`toOnnx: ${owner}: "same" padding with strides ${S} and dilation ${D} over a variable length has no ONNX padding onnxruntime runs; build the model for a fixed length`);
    a.push(str('auto_pad', 'SAME_UPPER'));
  } else if (padding === 'same') {
    const pl = S === 1 ? Math.floor((span - 1) / 2) : windowGeometry(L!, span, S, 'same').padLeft;
    const T = S === 1 ? 0 : windowGeometry(L!, span, S, 'same').T;
    a.push(ints('pads', [pl, S === 1 ? span - 1 - pl : Math.max((T - 1) * S + span - L! - pl, 0)]));
  } else a.push(ints('pads', [padding === 'causal' ? span - 1 : 0, 0]));
  return a;
}

/** The ONNX nodes of one cnn1d layer application: inputs' ONNX names -> its output's. */
function writeLayer(c: Ctx, node: Node, xs: string[]): string {
  const { g } = c;
  const l = node.layer;
  const base = l.name;
  const inRank = node.inputs[0]?.shape.length ?? 0;
  const lengthIn = c.variable || inRank !== 2 ? null : node.inputs[0].shape[0];
  const need = (name: string) => c.weight(l, name) ?? (() => { throw new ConfigError(`toOnnx: ${l.label} has no weight "${name}"`); })();
  if (IDENTITY.has(l.className)) return xs[0];
  if (l instanceof Conv1D) {
    const [K, Cg, F] = [l.kernelSize, node.inputs[0].shape[1] / l.groups, l.filters];
    const k = need('kernel'); // [K, C/G, F] -> W[F, C/G, K]
    const W = g.floats(`${base}_W`, [F, Cg, K], relayout(k, [F, Cg, K], ([f, ci, kk]) => (kk * Cg + ci) * F + f));
    const ins = [xs[0], W, ...(l.useBias ? [g.floats(`${base}_B`, [F], need('bias'))] : [])];
    const y = g.op('Conv', ins, [...windowAttrs(l.label, K, l.strides, l.dilationRate, l.padding, lengthIn), int('group', l.groups)], l.activation.isLinear ? base : `${base}_conv`);
    return activation(c, l.activation, y, base);
  }
  if (l instanceof DepthwiseConv1D || l instanceof SeparableConv1D) {
    const w = l.window;
    const C = node.inputs[0].shape[1];
    const M = w.depthMultiplier;
    const dk = need('depthwise_kernel'); // [K, C, M] -> W[C M, 1, K], output channel c M + m
    const W = g.floats(`${base}_dw`, [C * M, 1, w.kernelSize], relayout(dk, [C * M, 1, w.kernelSize], ([o, , kk]) => kk * C * M + o));
    const sep = l instanceof SeparableConv1D;
    const bias = w.useBias ? g.floats(`${base}_B`, [sep ? l.filters : C * M], need('bias')) : null;
    let y = g.op('Conv', [xs[0], W, ...(!sep && bias ? [bias] : [])], [...windowAttrs(l.label, w.kernelSize, w.strides, w.dilationRate, w.padding, lengthIn), int('group', C)], `${base}_depthwise`);
    if (sep) {
      const F = l.filters;
      const pk = need('pointwise_kernel'); // [1, C M, F] -> W[F, C M, 1]
      const P = g.floats(`${base}_pw`, [F, C * M, 1], relayout(pk, [F, C * M, 1], ([f, ci]) => ci * F + f));
      y = g.op('Conv', [y, P, ...(bias ? [bias] : [])], [ints('kernel_shape', [1])], `${base}_pointwise`);
    }
    return activation(c, w.activation, y, base);
  }
  if (l instanceof Conv1DTranspose) {
    const [K, F, S, D] = [l.kernelSize, l.filters, l.strides, l.dilationRate];
    const C = node.inputs[0].shape[1];
    const span = (K - 1) * D + 1;
    if (l.outputPadding === null && span < S) throw new ConfigError(`toOnnx: ${l.label}: a window span ${span} shorter than strides ${S} without outputPadding has no fixed ONNX padding`);
    const attrs = [ints('kernel_shape', [K]), ints('strides', [S]), ints('dilations', [D])];
    if (l.padding === 'same') {
      const pl = l.outputPadding === null ? Math.floor((span - S) / 2) : Math.floor(span / 2);
      const pr = l.outputPadding === null ? span - S - pl : Math.floor(span / 2);
      attrs.push(ints('pads', [pl, pr]));
    } else attrs.push(ints('pads', [0, 0]));
    if (l.outputPadding) attrs.push(ints('output_padding', [l.outputPadding]));
    const k = need('kernel'); // [K, F, C] -> W[C, F, K]
    const W = g.floats(`${base}_W`, [C, F, K], relayout(k, [C, F, K], ([ci, f, kk]) => (kk * F + f) * C + ci));
    const y = g.op('ConvTranspose', [xs[0], W, ...(l.useBias ? [g.floats(`${base}_B`, [F], need('bias'))] : [])], attrs, `${base}_convt`);
    return activation(c, l.activation, y, base);
  }
  if (l instanceof Dense || l instanceof TimeDistributed) {
    const d = l instanceof TimeDistributed ? l.layer : l;
    const kernel = c.weight(d, 'kernel')!;
    const bias = d.useBias ? c.weight(d, 'bias') : null;
    const K = kernel.length / d.units;
    const F = d.units;
    let y: string;
    if (inRank === 1) y = g.op('Gemm', [xs[0], g.floats(`${base}_W`, [K, F], kernel), ...(bias ? [g.floats(`${base}_B`, [F], bias)] : [])], [], `${base}_gemm`);
    else {
      // per step of [N, K, L]: a 1-tap Conv with W[F, K, 1]
      const W = g.floats(`${base}_W`, [F, K, 1], relayout(kernel, [F, K, 1], ([f, k]) => k * F + f));
      y = g.op('Conv', [xs[0], W, ...(bias ? [g.floats(`${base}_B`, [F], bias)] : [])], [ints('kernel_shape', [1])], `${base}_conv`);
    }
    return activation(c, d.activation, y, base);
  }
  if (l instanceof Activation || l instanceof ELU || l instanceof Softmax) return activation(c, l.fn, xs[0], base);
  if (l instanceof ReLU) {
    // Keras' general ReLU (ReLU, LeakyReLU, ThresholdedReLU classes; src/reference/relu_general.ts):
    //   y = (x > t ? clamp(x, 0, max) : 0) - s * max(t - x, 0)
    const { threshold: t, negativeSlope: s, maxValue } = l;
    if (t === 0 && maxValue === null) return s === 0 ? g.op('Relu', [xs[0]], [], base) : g.op('LeakyRelu', [xs[0]], [float('alpha', s)], base);
    const T = g.floats(`${base}_t`, [], [t]);
    const kept = maxValue === null ? xs[0] : g.op('Clip', [xs[0], g.floats(`${base}_min`, [], [0]), g.floats(`${base}_max`, [], [maxValue])], [], `${base}_clip`);
    const above = g.op('Where', [g.op('Greater', [xs[0], T], [], `${base}_above`), kept, g.floats(`${base}_zero`, [], [0])], [], s === 0 ? base : `${base}_pos`);
    if (s === 0) return above;
    const below = g.op('Mul', [g.op('Relu', [g.op('Sub', [T, xs[0]], [], `${base}_tx`)], [], `${base}_neg`), g.floats(`${base}_s`, [], [s])], [], `${base}_slope`);
    return g.op('Sub', [above, below], [], base);
  }
  if (l instanceof RReLU) return g.op('LeakyRelu', [xs[0]], [float('alpha', (l.lower + l.upper) / 2)], base);
  if (l instanceof BatchNormalization) {
    const C = node.inputs[0].shape[inRank - 1];
    const ones = new Float32Array(C).fill(1);
    const gamma = l.scale ? need('gamma') : ones;
    const beta = l.center ? need('beta') : new Float32Array(C);
    const ins = [xs[0], g.floats(`${base}_gamma`, [C], gamma), g.floats(`${base}_beta`, [C], beta), g.floats(`${base}_mean`, [C], need('moving_mean')), g.floats(`${base}_var`, [C], need('moving_variance'))];
    return g.op('BatchNormalization', ins, [float('epsilon', l.epsilon), float('momentum', l.momentum)], base);
  }
  if (l instanceof LayerNormalization) {
    // over the channels (ONNX axis 1): (x - mean) / sqrt(var + eps) * gamma + beta
    const C = node.inputs[0].shape[inRank - 1];
    const shape = inRank === 2 ? [C, 1] : [C];
    const mean = g.op('ReduceMean', [xs[0]], [ints('axes', [1]), int('keepdims', 1)]);
    const d = g.op('Sub', [xs[0], mean]);
    const v = g.op('ReduceMean', [g.op('Mul', [d, d])], [ints('axes', [1]), int('keepdims', 1)]);
    let y = g.op('Div', [d, g.op('Sqrt', [g.op('Add', [v, g.floats(`${base}_eps`, [], [l.epsilon])])])]);
    if (l.scale) y = g.op('Mul', [y, g.floats(`${base}_gamma`, shape, need('gamma'))]);
    if (l.center) y = g.op('Add', [y, g.floats(`${base}_beta`, shape, need('beta'))]);
    return g.op('Identity', [y], [], base);
  }
  if (l instanceof PReLU) {
    const alpha = need('alpha');
    const shape = l.inputShape.slice(l.sharedAxes.length);
    if (inRank === 2 && shape.length === 2) {
      const [L, C] = shape;
      return g.op('PRelu', [xs[0], g.floats(`${base}_slope`, [C, L], relayout(alpha, [C, L], ([ci, li]) => li * C + ci))], [], base);
    }
    return g.op('PRelu', [xs[0], g.floats(`${base}_slope`, inRank === 2 ? [alpha.length, 1] : [alpha.length], alpha)], [], base);
  }
  if (l instanceof MaxPooling1D || l instanceof AveragePooling1D) {
    const attrs = [ints('kernel_shape', [l.poolSize]), ints('strides', [l.strides])];
    attrs.push(l.padding === 'same' ? str('auto_pad', 'SAME_UPPER') : ints('pads', [0, 0]));
    return g.op(l instanceof MaxPooling1D ? 'MaxPool' : 'AveragePool', [xs[0]], attrs, base);
  }
  if (l instanceof GlobalAveragePooling1D || l instanceof GlobalMaxPooling1D) {
    return g.op(l instanceof GlobalMaxPooling1D ? 'ReduceMax' : 'ReduceMean', [xs[0]], [ints('axes', [2]), int('keepdims', 0)], base);
  }
  if (l instanceof Flatten) {
    if (inRank === 1) return xs[0];
    const src = l.dataFormat === 'channelsFirst' ? xs[0] : g.op('Transpose', [xs[0]], [ints('perm', [0, 2, 1])]);
    return g.op('Flatten', [src], [int('axis', 1)], base);
  }
  if (l instanceof ElementwiseMerge) {
    const rank = Math.max(...node.inputs.map((t) => t.shape.length));
    // a [C] operand of [L, C] ones: ONNX [N, C] -> [N, C, 1]
    const ins = xs.map((x, i) => (node.inputs[i].shape.length < rank ? g.op('Unsqueeze', [x, g.int64s(`${base}_axes`, [2])]) : x));
    const opType = { add: 'Sum', average: 'Sum', subtract: 'Sub', multiply: 'Mul', maximum: 'Max', minimum: 'Min' }[l.op];
    const y = ins.length === 2 && opType === 'Sum' ? g.op('Add', ins, [], l.op === 'average' ? `${base}_sum` : base) : g.op(opType, ins, [], l.op === 'average' ? `${base}_sum` : base);
    return l.op === 'average' ? g.op('Mul', [y, g.floats(`${base}_scale`, [], [1 / ins.length])], [], base) : y;
  }
  if (l instanceof Concatenate) {
    const rank = node.inputs[0].shape.length;
    const axis = l.axis < 0 ? l.axis + rank : l.axis - 1; // cnn1d axes without the batch
    return g.op('Concat', xs, [int('axis', axis === rank - 1 ? 1 : 2)], base);
  }
  if (l instanceof ZeroPadding1D) {
    return g.op('Pad', [xs[0], g.int64s(`${base}_pads`, [0, 0, l.padding[0], 0, 0, l.padding[1]])], [str('mode', 'constant')], base);
  }
  if (l instanceof Cropping1D) {
    const [a, b] = l.cropping;
    return g.op('Slice', [xs[0], g.int64s(`${base}_starts`, [a]), g.int64s(`${base}_ends`, [b ? -b : INT64_MAX]), g.int64s(`${base}_axes`, [2])], [], base);
  }
  if (l instanceof UpSampling1D) {
    // [N, C, L] -> [N, C, L, 1] -> [N, C, L, s] (broadcast) -> [N, C, L s]: each step s times
    const u = g.op('Unsqueeze', [xs[0], g.int64s(`${base}_axes`, [3])]);
    const e = g.op('Expand', [u, g.int64s(`${base}_reps`, [1, 1, 1, l.size])]);
    return g.op('Reshape', [e, g.int64s(`${base}_shape`, [0, 0, -1])], [], base);
  }
  if (l instanceof RepeatVector) {
    // [N, C] -> [N, C, 1] -> [N, C, n]
    const u = g.op('Unsqueeze', [xs[0], g.int64s(`${base}_axes`, [2])]);
    return g.op('Expand', [u, g.int64s(`${base}_reps`, [1, 1, l.n])], [], base);
  }
  if (l instanceof Permute) return l.dims[0] === 1 ? g.op('Identity', [xs[0]], [], base) : g.op('Transpose', [xs[0]], [ints('perm', [0, 2, 1])], base);
  if (l instanceof Reshape) {
    // row-major over cnn1d's own axes: through [N, L, C] when a side is a sequence
    const src = inRank === 2 ? g.op('Transpose', [xs[0]], [ints('perm', [0, 2, 1])]) : xs[0];
    const out = node.output.shape;
    const y = g.op('Reshape', [src, g.int64s(`${base}_shape`, [0, ...out])], [], out.length === 2 ? `${base}_nlc` : base);
    return out.length === 2 ? g.op('Transpose', [y], [ints('perm', [0, 2, 1])], base) : y;
  }
  if (l instanceof Embedding) {
    // ids [N, L] (floats, as cnn1d takes them) -> int64 -> rows of the table [N, L, D] -> [N, D, L]
    const E = g.floats(`${base}_embeddings`, [l.inputDim, l.outputDim], need('embeddings'));
    const rows = g.op('Gather', [E, g.op('Cast', [xs[0]], [int('to', DataType.INT64)])], [int('axis', 0)]);
    return g.op('Transpose', [rows], [ints('perm', [0, 2, 1])], base);
  }
  throw new ConfigError(`toOnnx: ${l.label} (${l.className}) has no ONNX writer`);
}

/** The ONNX bytes of a built cnn1d model (weights as they are now). */
export function modelToOnnx(model: LayersModel, options: OnnxExportOptions = {}): Uint8Array {
  const layout = options.layout ?? 'nwc';
  if (layout !== 'nwc' && layout !== 'ncw') throw new ConfigError(`toOnnx: layout must be "nwc" ([n, L, C], default) or "ncw" ([n, C, L]), got ${JSON.stringify(layout)}`);
  const graph = model.graph;
  const weights = model.weights;
  const data = model.getWeights();
  const byWeight = new Map(weights.map((w, i) => [w, data[i].data]));
  const g = new GraphWriter();
  const c: Ctx = {
    g,
    variable: model.variableLength,
    weight: (l, name) => {
      const w = l.weights.find((x) => x.spec.name === name);
      return w ? byWeight.get(w)! : null;
    },
  };
  const names = new Map<Node, string>();
  const variable = model.variableLength;
  const inputs = graph.inputs.map((t, i) => {
    const shape = t.shape;
    const name = g.name(t.node.layer.name || `input_${i}`);
    if (shape.length === 2) {
      const [L, C] = shape;
      const len = variable ? 'length' : L;
      const dims = layout === 'ncw' ? ['batch', C, len] : ['batch', len, C];
      names.set(t.node, layout === 'ncw' ? name : g.op('Transpose', [name], [ints('perm', [0, 2, 1])], `${name}_ncw`));
      return { name, elemType: DataType.FLOAT, dims };
    }
    if (shape.length !== 1) throw new ConfigError(`toOnnx: input "${name}" of shape [${shape}] is not supported ([L, C] or [C])`);
    names.set(t.node, name);
    return { name, elemType: DataType.FLOAT, dims: ['batch', shape[0]] };
  });
  for (const node of graph.nodes) {
    if (node.layer instanceof InputLayer) continue;
    names.set(node, writeLayer(c, node, node.inputs.map((x) => names.get(x.node)!)));
  }
  const outputs = graph.outputs.map((t, i) => {
    let name = names.get(t.node)!;
    const base = g.name(`output_${i}`);
    if (t.shape.length === 2) name = layout === 'ncw' ? g.op('Identity', [name], [], base) : g.op('Transpose', [name], [ints('perm', [0, 2, 1])], base);
    else name = g.op('Identity', [name], [], base);
    const dims = t.shape.length === 2 ? (layout === 'ncw' ? ['batch', t.shape[1], variable ? null : t.shape[0]] : ['batch', variable ? null : t.shape[0], t.shape[1]]) : ['batch', ...t.shape];
    return { name, elemType: DataType.FLOAT, dims };
  });
  return encodeModel({
    irVersion: 8,
    opsets: [{ domain: '', version: EXPORT_OPSET }],
    producerName: 'cnn1d',
    graph: { name: model.name, nodes: g.nodes, initializers: g.initializers, inputs, outputs },
  });
}
