// One converter per ONNX op (onnx2torch's node_converters shape): each reads its node's inputs and
// attributes and returns its outputs as constants (folded here) or cnn1d layers applied to the
// activations (values.ts layouts). Weights arrive in PyTorch's channels-first layout and are
// transposed once into cnn1d's. An input layout, attribute or constant a converter does not map
// is refused with an error naming the node, the op and the attribute.

import type { SymbolicTensor } from '../../engine/symbolic.ts';
import { Activation, type ActivationArgs } from '../../layers/activation.ts';
import { BatchNormalization } from '../../layers/batchnorm.ts';
import { Conv1D, windowGeometry } from '../../layers/conv1d.ts';
import { Conv1DTranspose } from '../../layers/conv1d-transpose.ts';
import { Dense } from '../../layers/dense.ts';
import { DepthwiseConv1D } from '../../layers/depthwise-conv1d.ts';
import { Flatten } from '../../layers/flatten.ts';
import type { Layer } from '../../layers/layer.ts';
import { Concatenate, ElementwiseMerge } from '../../layers/merge.ts';
import { AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D, MaxPooling1D } from '../../layers/pooling.ts';
import { PReLU } from '../../layers/prelu.ts';
import { Cropping1D, Reshape, ZeroPadding1D } from '../../layers/shape.ts';
import { BATCH, LENGTH, broadcast, concat, constOf, gather, reshape, slice, transpose, type Const } from './consts.ts';
import { DataType } from './proto.ts';
import { act, rankOf, type Act, type Layout, type NodeView, type Value } from './values.ts';

/** Makes the layers of a conversion and keeps their weights (by weight name) until the model is built. */
export interface Builder {
  layer<L extends Layer>(view: NodeView, l: L, inputs: SymbolicTensor[], weights?: Record<string, Float32Array>): SymbolicTensor;
  /** The graph's input length is not fixed. */
  variable: boolean;
}

type Converter = (v: NodeView, b: Builder) => Value[];

/** Any length, position or count attribute beyond this is refused as corrupt. */
const MAX_EXTENT = 1 << 24;
const extent = (v: NodeView, what: string, n: number) => {
  if (!Number.isSafeInteger(n) || Math.abs(n) > MAX_EXTENT) v.fail(`${what} = ${n} is out of range (at most ${MAX_EXTENT})`);
  return n;
};

const axisOf = (v: NodeView, a: number, rank: number) => {
  const ax = a < 0 ? a + rank : a;
  if (ax < 0 || ax >= rank) v.fail(`axis ${a} is out of range for a rank-${rank} value`);
  return ax;
};

/** Length of an activation's sequence axis, LENGTH when the model's input length is free. */
const lengthOf = (x: Act, b: Builder) => (x.layout === 'ncw' || x.layout === 'nwc' ? (b.variable ? LENGTH : x.t.shape[0]) : 1);
const channelsOf = (x: Act) => x.t.shape[x.t.shape.length - 1];

/** ONNX dims of an activation (BATCH / LENGTH stand-ins). */
function onnxDims(x: Act, b: Builder): number[] {
  const C = channelsOf(x);
  const L = lengthOf(x, b);
  return { ncw: [BATCH, C, L], nwc: [BATCH, L, C], nc: [BATCH, C], nc1: [BATCH, C, 1], n1c: [BATCH, 1, C] }[x.layout];
}

/** An activation in the ncw layout (a [C] one as [1, C] through a Reshape). */
function asNcw(v: NodeView, b: Builder, x: Act, what = 'input'): SymbolicTensor {
  if (x.layout === 'ncw') return x.t;
  if (x.layout === 'nc1') return b.layer(v, new Reshape({ targetShape: [1, channelsOf(x)] }), [x.t]);
  return v.fail(`${what} has layout ${x.layout === 'nc' ? '[N, C]' : x.layout === 'nwc' ? '[N, L, C] (transposed)' : '[N, 1, C]'}; this op reads [N, C, L]`);
}

/** Float32 weights from a constant, transposed: out[j] = w[perm index]. */
const floats = (c: Const) => Float32Array.from(c.data);
function permute(c: Const, perm: number[]): Float32Array {
  return floats(transpose(c, perm, 'weights'));
}

const ACT: Record<string, ActivationArgs['activation']> = { Relu: 'relu', Sigmoid: 'sigmoid', Tanh: 'tanh', Softplus: 'softplus', Softsign: 'softsign', Mish: 'mish', Elu: 'elu', LeakyRelu: 'leakyRelu', Selu: 'selu' };

function activation(v: NodeView, b: Builder): Value[] {
  const x = v.act(0);
  const op = v.node.opType;
  const args: ActivationArgs = { activation: ACT[op] };
  if (op === 'LeakyRelu') args.alpha = v.float('alpha', 0.01);
  if (op === 'Elu') args.alpha = v.float('alpha', 1);
  if (op === 'Selu') {
    v.only('alpha', (a) => Math.abs((a as number) - 1.67326324) < 1e-6, 'cnn1d selu has the fixed constants of Klambauer et al.');
    v.only('gamma', (g) => Math.abs((g as number) - 1.05070098) < 1e-6, 'cnn1d selu has the fixed constants of Klambauer et al.');
  }
  return [act(b.layer(v, new Activation(args), [x.t]), x.layout)];
}

function namedActivation(name: ActivationArgs['activation']): Converter {
  return (v, b) => {
    const x = v.act(0);
    return [act(b.layer(v, new Activation({ activation: name }), [x.t]), x.layout)];
  };
}

function gelu(v: NodeView, b: Builder): Value[] {
  v.only('approximate', (a) => a === 'none', 'cnn1d gelu is the exact erf form');
  return namedActivation('gelu')(v, b);
}

function hardSigmoid(v: NodeView, b: Builder): Value[] {
  v.only('alpha', (a) => Math.abs((a as number) - 0.2) < 1e-6, 'cnn1d hardSigmoid is clip(0.2 x + 0.5, 0, 1), the Keras one; torch.nn.Hardsigmoid (alpha 1/6) has no cnn1d activation');
  v.only('beta', (a) => Math.abs((a as number) - 0.5) < 1e-6, 'cnn1d hardSigmoid is clip(0.2 x + 0.5, 0, 1)');
  return namedActivation('hardSigmoid')(v, b);
}

function clip(v: NodeView, b: Builder): Value[] {
  const lo = v.opset < 11 ? v.float('min', -Infinity) : (v.optConst(1, 'min')?.data[0] ?? -Infinity);
  const hi = v.opset < 11 ? v.float('max', Infinity) : (v.optConst(2, 'max')?.data[0] ?? Infinity);
  if (lo === 0 && hi === 6) return namedActivation('relu6')(v, b);
  if (lo === 0 && hi === Infinity) return namedActivation('relu')(v, b);
  return v.fail(`min ${lo}, max ${hi} is not supported: cnn1d maps Clip(0, 6) to relu6 and Clip(0, inf) to relu`);
}

function softmax(v: NodeView, b: Builder): Value[] {
  const x = v.act(0);
  const axis = axisOf(v, v.int('axis', v.opset < 13 ? 1 : -1), rankOf(x.layout));
  const channelAxis = { ncw: 1, nwc: 2, nc: 1, nc1: 1, n1c: 2 }[x.layout];
  if (axis !== channelAxis) v.fail(`attribute axis = ${v.int('axis', -1)} is not supported: cnn1d's softmax runs over the channels (axis ${channelAxis} here)`);
  if (v.opset < 13 && x.layout !== 'nc') v.fail('a Softmax before opset 13 flattens its input to 2-d; only [N, C] inputs are supported');
  return [act(b.layer(v, new Activation({ activation: 'softmax' }), [x.t]), x.layout)];
}

/** Conv padding: 'valid', 'same', 'causal' when the geometry matches for every length, else explicit zero padding. */
function convPadding(v: NodeView, K: number, S: number, D: number): { padding: 'valid' | 'same' | 'causal'; pads: [number, number] } {
  const autoPad = v.str('auto_pad', 'NOTSET');
  const span = (K - 1) * D + 1;
  if (autoPad === 'VALID') return { padding: 'valid', pads: [0, 0] };
  if (autoPad === 'SAME_UPPER') return { padding: 'same', pads: [0, 0] };
  if (autoPad !== 'NOTSET') v.fail(`attribute auto_pad = "${autoPad}" is not supported (NOTSET, VALID, SAME_UPPER)`);
  const p = v.ints('pads') ?? [0, 0];
  if (p.length !== 2) v.fail(`attribute pads = [${p}] must have 2 entries (1-d conv)`);
  const [pl, pr] = [extent(v, 'pads[0]', p[0]), extent(v, 'pads[1]', p[1])];
  if (pl < 0 || pr < 0) v.fail(`attribute pads = [${p}]: negative pads are not supported`);
  if (pl === 0 && pr === 0) return { padding: 'valid', pads: [0, 0] };
  if (pl === span - 1 && pr === 0) return { padding: 'causal', pads: [0, 0] };
  if (S === 1 && pl + pr === span - 1 && pl === Math.floor((span - 1) / 2)) return { padding: 'same', pads: [0, 0] };
  return { padding: 'valid', pads: [pl, pr] };
}

function padded(v: NodeView, b: Builder, x: SymbolicTensor, pads: [number, number]): SymbolicTensor {
  return pads[0] || pads[1] ? b.layer(v, new ZeroPadding1D({ padding: pads }), [x]) : x;
}

function conv(v: NodeView, b: Builder): Value[] {
  const x = asNcw(v, b, v.act(0));
  const W = v.const(1, 'weight');
  const B = v.optConst(2, 'bias');
  if (W.dims.length !== 3) v.fail(`weight of shape [${W.dims}]: only 1-d convolutions ([F, C/G, K]) are supported`);
  const [F, Cg, K] = W.dims;
  const G = v.int('group', 1);
  const S = extent(v, 'strides', v.ints('strides')?.[0] ?? 1);
  const D = extent(v, 'dilations', v.ints('dilations')?.[0] ?? 1);
  if (Cg * G !== x.shape[1]) v.fail(`weight [${W.dims}] with group ${G} reads ${Cg * G} channels, the input has ${x.shape[1]}`);
  const { padding, pads } = convPadding(v, K, S, D);
  const layer = new Conv1D({ filters: F, kernelSize: K, strides: S, dilationRate: D, groups: G, padding, useBias: !!B });
  // ONNX W[f, c, k] -> cnn1d kernel[k, c, f]
  const weights: Record<string, Float32Array> = { kernel: permute(W, [2, 1, 0]) };
  if (B) weights.bias = floats(B);
  return [act(b.layer(v, layer, [padded(v, b, x, pads)], weights), 'ncw')];
}

function convTranspose(v: NodeView, b: Builder): Value[] {
  const x = asNcw(v, b, v.act(0));
  const W = v.const(1, 'weight');
  const B = v.optConst(2, 'bias');
  if (W.dims.length !== 3) v.fail(`weight of shape [${W.dims}]: only 1-d transposed convolutions ([C, F, K]) are supported`);
  v.only('group', (g) => g === 1, 'grouped transposed convolutions have no cnn1d layer');
  v.only('output_shape', () => false, 'give pads and output_padding instead');
  v.only('auto_pad', (a) => a === 'NOTSET' || a === 'VALID', 'NOTSET and VALID are mapped');
  const [, F, K] = W.dims;
  const S = extent(v, 'strides', v.ints('strides')?.[0] ?? 1);
  const D = extent(v, 'dilations', v.ints('dilations')?.[0] ?? 1);
  const op = v.ints('output_padding')?.[0] ?? 0;
  const [pl, pr] = v.ints('pads') ?? [0, 0];
  const layer = new Conv1DTranspose({ filters: F, kernelSize: K, strides: S, dilationRate: D, padding: 'valid', outputPadding: op, useBias: !!B });
  // ONNX W[c, f, k] -> cnn1d kernel[k, f, c]
  const weights: Record<string, Float32Array> = { kernel: permute(W, [2, 1, 0]) };
  if (B) weights.bias = floats(B);
  let y = b.layer(v, layer, [x], weights);
  if (pl || pr) y = b.layer(v, new Cropping1D({ cropping: [extent(v, 'pads[0]', pl), extent(v, 'pads[1]', pr)] }), [y]);
  return [act(y, 'ncw')];
}

function batchNorm(v: NodeView, b: Builder): Value[] {
  const x = v.act(0);
  if (x.layout === 'nwc' || x.layout === 'n1c') v.fail('input is [N, L, C]; BatchNormalization normalises axis 1');
  v.only('training_mode', (t) => t === 0, 'a model exported for inference (model.eval()) is expected');
  const [scale, bias, mean, variance] = [1, 2, 3, 4].map((i) => floats(v.const(i, ['scale', 'B', 'mean', 'var'][i - 1])));
  const layer = new BatchNormalization({ epsilon: v.float('epsilon', 1e-5), momentum: v.float('momentum', 0.9) });
  return [act(b.layer(v, layer, [x.t], { gamma: scale, beta: bias, moving_mean: mean, moving_variance: variance }), x.layout)];
}

/** A Dense on nc / n1c / nwc values (kernel [K, F], bias [F] or none). */
function dense(v: NodeView, b: Builder, x: Act, kernel: Float32Array, K: number, F: number, bias: Float32Array | null): Value[] {
  if (x.layout === 'ncw') v.fail('input is [N, C, L]: a matrix product over the length axis has no cnn1d layer (transpose to [N, L, C] first)');
  if (x.layout === 'nc1') v.fail('input is [N, C, 1]: a matrix product over its last axis (of size 1) has no cnn1d layer');
  if (channelsOf(x) !== K) v.fail(`weight reads ${K} features, the input has ${channelsOf(x)}`);
  const weights: Record<string, Float32Array> = { kernel };
  if (bias) weights.bias = bias;
  // per step of a sequence: a 1-tap Conv1D (kernel [1, K, F]), which any length may flow through
  const layer = x.t.shape.length === 2 ? new Conv1D({ filters: F, kernelSize: 1, useBias: !!bias }) : new Dense({ units: F, useBias: !!bias });
  return [act(b.layer(v, layer, [x.t], weights), x.layout)];
}

function biasOf(v: NodeView, c: Const | undefined, F: number, scale: number): Float32Array | null {
  if (!c) return null;
  const n = c.data.length;
  if (n !== F && n !== 1) v.fail(`bias of shape [${c.dims}] does not broadcast to ${F} outputs per sample`);
  return Float32Array.from({ length: F }, (_, i) => scale * c.data[n === 1 ? 0 : i]);
}

function gemm(v: NodeView, b: Builder): Value[] {
  const x = v.act(0);
  v.only('transA', (t) => t === 0, 'the data must be the left operand as it is');
  const W = v.const(1, 'B');
  if (W.dims.length !== 2) v.fail(`B of shape [${W.dims}] must be 2-d`);
  const alpha = v.float('alpha', 1);
  const transB = v.int('transB', 0) === 1;
  const [K, F] = transB ? [W.dims[1], W.dims[0]] : W.dims;
  const kernel = transB ? permute(W, [1, 0]) : floats(W);
  if (alpha !== 1) kernel.forEach((w, i) => (kernel[i] = alpha * w));
  const src = x.layout === 'nc1' || x.layout === 'n1c' ? act(x.t, 'nc') : x;
  if (src.layout !== 'nc') v.fail('input must be [N, C] (Gemm is 2-d)');
  return dense(v, b, src, kernel, K, F, biasOf(v, v.optConst(2, 'C'), F, v.float('beta', 1)));
}

function matMul(v: NodeView, b: Builder): Value[] {
  const x = v.act(0);
  const W = v.const(1, 'weight');
  if (W.dims.length !== 2) v.fail(`the right operand of shape [${W.dims}] must be a 2-d constant`);
  return dense(v, b, x, floats(W), W.dims[0], W.dims[1], v.node.inputs[2] ? biasOf(v, v.const(2, 'bias'), W.dims[1], 1) : null);
}

/** Pooling padding: the cnn1d padding whose windows match ONNX's for every length tried. */
function pool(v: NodeView, b: Builder): Value[] {
  const x = asNcw(v, b, v.act(0));
  const isMax = v.node.opType === 'MaxPool';
  const K = extent(v, 'kernel_shape', v.ints('kernel_shape')?.[0] ?? v.fail('attribute kernel_shape is missing'));
  const S = extent(v, 'strides', v.ints('strides')?.[0] ?? 1);
  v.only('dilations', (d) => (d as number[]).every((x) => x === 1), 'pooling dilations have no cnn1d layer');
  const autoPad = v.str('auto_pad', 'NOTSET');
  if (autoPad !== 'NOTSET' && autoPad !== 'VALID' && autoPad !== 'SAME_UPPER') v.fail(`attribute auto_pad = "${autoPad}" is not supported (NOTSET, VALID, SAME_UPPER)`);
  const [pl, pr] = autoPad === 'NOTSET' ? (v.ints('pads') ?? [0, 0]).map((p) => extent(v, 'pads', p)) : [0, 0];
  const ceil = v.int('ceil_mode', 0) === 1;
  const includePad = !isMax && v.int('count_include_pad', 0) === 1;
  const make = (padding: 'valid' | 'same') => (isMax ? new MaxPooling1D({ poolSize: K, strides: S, padding }) : new AveragePooling1D({ poolSize: K, strides: S, padding }));
  if (autoPad === 'SAME_UPPER' && !includePad) return [act(b.layer(v, make('same'), [x]), 'ncw')];
  // ONNX windows: T = floor or ceil((L + pl + pr - K) / S) + 1 (a last window starting in the right padding dropped), starting at t S - pl
  const onnx = (L: number) => {
    const r = (L + pl + pr - K) / S;
    let T = (ceil ? Math.ceil(r) : Math.floor(r)) + 1;
    if (ceil && (T - 1) * S >= L + pl) T--;
    return { T, padLeft: pl };
  };
  const lengths = b.variable ? Array.from({ length: 8 * S + 1 }, (_, i) => K + i) : [x.shape[0]];
  const matches = (padding: 'valid' | 'same') => lengths.every((L) => {
    const o = onnx(L);
    const c = windowGeometry(L, K, S, padding);
    return o.T === c.T && o.padLeft === c.padLeft;
  });
  if (matches('valid')) return [act(b.layer(v, make('valid'), [x]), 'ncw')];
  if (matches('same') && !includePad) return [act(b.layer(v, make('same'), [x]), 'ncw')];
  // zeros are -inf to a max over values >= 0 (the ReLU before a ResNet stem's max pool)
  if (!ceil && (includePad || (isMax && nonNegative(x)) || (pl === 0 && pr === 0))) return [act(b.layer(v, make('valid'), [padded(v, b, x, [pl, pr])]), 'ncw')];
  return v.fail(`pads [${pl}, ${pr}] with ceil_mode ${ceil ? 1 : 0}${isMax ? '' : ` and count_include_pad ${includePad ? 1 : 0}`} give windows no cnn1d pooling (valid, same) has`);
}

/** Values >= 0 by construction: the output of a non-negative activation. */
function nonNegative(t: SymbolicTensor): boolean {
  const l = t.node.layer;
  if (l instanceof ZeroPadding1D || l instanceof MaxPooling1D) return nonNegative(t.node.inputs[0]);
  return l instanceof Activation && ['relu', 'relu6', 'sigmoid', 'softplus', 'hardSigmoid'].includes(l.fn.name);
}

function globalPool(v: NodeView, b: Builder, isMax: boolean, keep: boolean, x: Act): Value[] {
  if (x.layout === 'nc1' || x.layout === 'n1c') return [act(x.t, keep ? x.layout : 'nc')];
  if (x.layout !== 'ncw' && x.layout !== 'nwc') v.fail('input must be a sequence [N, C, L]');
  const y = b.layer(v, isMax ? new GlobalMaxPooling1D() : new GlobalAveragePooling1D(), [x.t]);
  return [act(y, keep ? (x.layout === 'ncw' ? 'nc1' : 'n1c') : 'nc')];
}

function reduce(v: NodeView, b: Builder): Value[] {
  const x = v.act(0);
  const axesIn = v.opset >= 18 || (v.opset >= 13 && v.node.opType === 'ReduceSum') ? v.optConst(1, 'axes')?.data : v.ints('axes');
  const rank = rankOf(x.layout);
  const axes = [...(axesIn ?? [])].map((a) => axisOf(v, a, rank));
  const lengthAxis = x.layout === 'ncw' || x.layout === 'nc1' ? 2 : x.layout === 'nwc' || x.layout === 'n1c' ? 1 : -1;
  if (axes.length !== 1 || axes[0] !== lengthAxis) v.fail(`attribute axes = [${axesIn ?? 'all'}] is not supported: cnn1d reduces over the length axis (${lengthAxis}) only`);
  return globalPool(v, b, v.node.opType === 'ReduceMax', v.int('keepdims', 1) === 1, x);
}

function binary(v: NodeView, b: Builder): Value[] {
  const op = v.node.opType;
  const [a, c] = [v.inputs[0], v.inputs[1]];
  if (!a || !c) return v.fail('needs two inputs');
  if (a.kind === 'const' && c.kind === 'const') {
    if ([a, c].some((k) => k.int && Array.from(k.data).some((d) => d === BATCH || d === LENGTH))) v.fail('arithmetic on the batch size or a variable length is not supported (shape computations must be constant)');
    const f = { Add: (x: number, y: number) => x + y, Sub: (x: number, y: number) => x - y, Mul: (x: number, y: number) => x * y, Div: (x: number, y: number) => x / y }[op]!;
    return [broadcast(a, c, f, v.label)];
  }
  if (a.kind === 'act' && c.kind === 'act') {
    if (op === 'Div') v.fail('dividing two activations has no cnn1d layer');
    const compatible = a.layout === c.layout || [a.layout, c.layout].every((l) => l === 'ncw' || l === 'nc1') || [a.layout, c.layout].every((l) => l === 'nwc' || l === 'n1c');
    if (!compatible) v.fail(`inputs of layouts ${a.layout} and ${c.layout} do not broadcast in cnn1d`);
    const layout: Layout = a.layout === 'ncw' || c.layout === 'ncw' ? 'ncw' : a.layout === 'nwc' || c.layout === 'nwc' ? 'nwc' : a.layout;
    const kind = { Add: 'add', Sub: 'subtract', Mul: 'multiply' }[op] as 'add';
    return [act(b.layer(v, new ElementwiseMerge(kind), [a.t, c.t]), layout)];
  }
  // activation with a constant: a per-channel affine y = w x + s (a frozen 1-tap depthwise conv)
  const x = (a.kind === 'act' ? a : c) as Act;
  const k = (a.kind === 'const' ? a : c) as Const;
  const C = channelsOf(x);
  const n = k.data.length;
  const perChannel = n === 1 || (n === C && (x.layout === 'nc' || x.layout === 'nwc' || x.layout === 'n1c' ? k.dims[k.dims.length - 1] === C : k.dims.length >= 2 && k.dims[k.dims.length - 2] === C && k.dims[k.dims.length - 1] === 1));
  if (!perChannel || k.dims.length > rankOf(x.layout)) v.fail(`a constant of shape [${k.dims}] is not a scalar or per-channel operand of this [${onnxDims(x, b).map((d) => (d < 0 ? '?' : d))}] input`);
  const at = (i: number) => k.data[n === 1 ? 0 : i];
  const constFirst = a.kind === 'const';
  if (op === 'Div' && constFirst) v.fail('a constant divided by an activation has no cnn1d layer');
  const w = Float32Array.from({ length: C }, (_, i) => (op === 'Mul' ? at(i) : op === 'Div' ? 1 / at(i) : op === 'Sub' && constFirst ? -1 : 1));
  const s = Float32Array.from({ length: C }, (_, i) => (op === 'Add' ? at(i) : op === 'Sub' ? (constFirst ? at(i) : -at(i)) : 0));
  const seq = x.layout === 'ncw' || x.layout === 'nwc';
  const x2 = seq ? x.t : b.layer(v, new Reshape({ targetShape: [1, C] }), [x.t]);
  let y = b.layer(v, new DepthwiseConv1D({ kernelSize: 1, trainable: false }), [x2], { depthwise_kernel: w, bias: s });
  if (!seq) y = b.layer(v, new Reshape({ targetShape: [C] }), [y]);
  return [act(y, x.layout)];
}

function prelu(v: NodeView, b: Builder): Value[] {
  const x = v.act(0);
  const slope = v.const(1, 'slope');
  const C = channelsOf(x);
  const n = slope.data.length;
  if (n !== 1 && n !== C) v.fail(`slope of shape [${slope.dims}]: one slope, or one per channel (${C}), is supported`);
  const alpha = Float32Array.from({ length: C }, (_, i) => slope.data[n === 1 ? 0 : i]);
  const seq = x.t.shape.length === 2;
  return [act(b.layer(v, new PReLU({ sharedAxes: seq ? [1] : [] }), [x.t], { alpha }), x.layout)];
}

function concatOp(v: NodeView, b: Builder): Value[] {
  const ins = v.inputs as Value[];
  const axis0 = v.int('axis', 0);
  if (ins.every((i) => i?.kind === 'const')) return [concat(ins as Const[], axis0, v.label)];
  const acts = ins.map((_, i) => v.act(i));
  const layout = acts[0].layout;
  if (acts.some((x) => x.layout !== layout)) v.fail(`inputs of different layouts (${acts.map((x) => x.layout)}) are not supported`);
  const axis = axisOf(v, axis0, rankOf(layout));
  const channelAxis = { ncw: 1, nwc: 2, nc: 1, nc1: 1, n1c: 2 }[layout];
  const lengthAxis = layout === 'ncw' ? 2 : layout === 'nwc' ? 1 : -1;
  if (axis !== channelAxis && axis !== lengthAxis) v.fail(`attribute axis = ${axis0} is not supported (channels, or the length of a sequence)`);
  return [act(b.layer(v, new Concatenate({ axis: axis === channelAxis ? -1 : 1 }), acts.map((x) => x.t)), layout)];
}

/** Flatten / Reshape to [N, -1]: PyTorch's x.view(n, -1) of [N, C, L] is channels first. */
function flattenAct(v: NodeView, b: Builder, x: Act): Value[] {
  if (x.layout === 'nc' || x.layout === 'nc1' || x.layout === 'n1c') return [act(x.t, 'nc')];
  const dataFormat = x.layout === 'ncw' && x.t.shape[0] !== 1 ? 'channelsFirst' : 'channelsLast';
  if (b.variable) v.fail('flattening a sequence of variable length: export the model with a fixed length (no dynamic_axes on it)');
  return [act(b.layer(v, new Flatten({ dataFormat }), [x.t]), 'nc')];
}

function flatten(v: NodeView, b: Builder): Value[] {
  const x = v.act(0);
  v.only('axis', (a) => a === 1, 'cnn1d flattens everything but the batch (axis 1)');
  return flattenAct(v, b, x);
}

function reshapeOp(v: NodeView, b: Builder): Value[] {
  const shape = Array.from(v.const(1, 'shape').data);
  const x0 = v.inputs[0];
  if (x0?.kind === 'const') return [reshape(x0, shape, v.label)];
  const x = v.act(0);
  const dims = onnxDims(x, b);
  const t = shape.map((d, i) => (d === 0 ? dims[i] : d));
  if (t[0] !== BATCH && t[0] !== -1) v.fail(`shape [${shape}] changes the batch axis`);
  if (t.length === 2) return flattenAct(v, b, x);
  const C = channelsOf(x);
  if (t.length === 3 && t[1] === C && t[2] === 1 && rankOf(x.layout) === 2) return [act(x.t, 'nc1')];
  if (t.length === 3 && t[1] === 1 && t[2] === C && rankOf(x.layout) === 2) return [act(x.t, 'n1c')];
  if (t.length === 3 && t.every((d, i) => d === dims[i] || (i === 0 && d === -1))) return [x];
  return v.fail(`shape [${shape}] of a [${dims.map((d) => (d < 0 ? '?' : d))}] input is not supported (flatten to [N, -1], [N, C] <-> [N, C, 1], or no change)`);
}

function squeezeOp(v: NodeView, b: Builder, unsqueeze: boolean): Value[] {
  const axesIn = v.opset >= 13 ? v.optConst(1, 'axes')?.data : v.ints('axes');
  const x0 = v.inputs[0];
  if (x0?.kind === 'const') {
    const a = Array.from(axesIn ?? []);
    const rank = x0.dims.length + (unsqueeze ? a.length : 0);
    const ax = a.map((i) => (i < 0 ? i + rank : i));
    if (unsqueeze) {
      const dims: number[] = [];
      for (let i = 0, j = 0; i < rank; i++) dims.push(ax.includes(i) ? 1 : x0.dims[j++]);
      return [constOf(dims, x0.data, x0.int)];
    }
    return [constOf(x0.dims.filter((d, i) => !(axesIn ? ax.includes(i) : d === 1)), x0.data, x0.int)];
  }
  const x = v.act(0);
  const axes = [...(axesIn ?? [])];
  if (axes.length !== 1) v.fail(`axes [${axesIn ?? 'all'}]: one axis is supported`);
  const ax = axisOf(v, axes[0], rankOf(x.layout) + (unsqueeze ? 1 : 0));
  if (unsqueeze && x.layout === 'nc' && (ax === 1 || ax === 2)) return [act(x.t, ax === 2 ? 'nc1' : 'n1c')];
  if (!unsqueeze && ((x.layout === 'nc1' && ax === 2) || (x.layout === 'n1c' && ax === 1))) return [act(x.t, 'nc')];
  if (!unsqueeze && x.t.shape.length === 2 && x.t.shape[0] === 1 && !b.variable && ((x.layout === 'ncw' && ax === 2) || (x.layout === 'nwc' && ax === 1))) {
    return [act(b.layer(v, new Reshape({ targetShape: [channelsOf(x)] }), [x.t]), 'nc')];
  }
  return v.fail(`axis ${axes[0]} of a ${x.layout} value is not supported`);
}

function transposeOp(v: NodeView): Value[] {
  const perm = v.ints('perm');
  const x0 = v.inputs[0];
  if (x0?.kind === 'const') return [transpose(x0, perm ?? x0.dims.map((_, i) => x0.dims.length - 1 - i), v.label)];
  const x = v.act(0);
  const swap: Partial<Record<Layout, Layout>> = { ncw: 'nwc', nwc: 'ncw', nc1: 'n1c', n1c: 'nc1' };
  if (!perm || perm.join() !== '0,2,1' || !swap[x.layout]) v.fail(`attribute perm = [${perm}] is not supported (cnn1d maps [0, 2, 1] of a sequence)`);
  return [act(x.t, swap[x.layout]!)];
}

/** A frozen Dense (a 1-tap Conv1D on sequences) picking channels [from, from + n) (a channel slice or split as a layer). */
function pickChannels(v: NodeView, b: Builder, x: Act, from: number, n: number): Act {
  const C = channelsOf(x);
  const kernel = new Float32Array(C * n);
  for (let j = 0; j < n; j++) kernel[(from + j) * n + j] = 1;
  const layer = x.t.shape.length === 2 ? new Conv1D({ filters: n, kernelSize: 1, useBias: false, trainable: false }) : new Dense({ units: n, useBias: false, trainable: false });
  return act(b.layer(v, layer, [x.t], { kernel }), x.layout);
}

function sliceOp(v: NodeView, b: Builder): Value[] {
  const get = (i: number, attr: string) => (v.opset >= 10 ? v.optConst(i, attr)?.data : v.ints(attr));
  const starts = Array.from(get(1, 'starts') ?? []);
  const ends = Array.from(get(2, 'ends') ?? []);
  const x0 = v.inputs[0];
  const axes = Array.from(get(3, 'axes') ?? starts.map((_, i) => i));
  const steps = Array.from(get(4, 'steps') ?? starts.map(() => 1));
  if (x0?.kind === 'const') return [slice(x0, starts, ends, axes, steps, v.label)];
  const x = v.act(0);
  if (axes.length !== 1 || steps[0] !== 1) v.fail(`one axis with step 1 is supported, got axes [${axes}], steps [${steps}]`);
  const ax = axisOf(v, axes[0], rankOf(x.layout));
  const C = channelsOf(x);
  const channelAxis = { ncw: 1, nwc: 2, nc: 1, nc1: 1, n1c: 2 }[x.layout];
  if (ax === channelAxis) {
    const [s, e] = [starts[0], ends[0]].map((d) => Math.min(Math.max(d < 0 ? d + C : d, 0), C));
    if (e <= s) v.fail(`slice [${starts[0]}, ${ends[0]}) of ${C} channels is empty`);
    return [pickChannels(v, b, x, s, e - s)];
  }
  if (!(x.layout === 'ncw' && ax === 2) && !(x.layout === 'nwc' && ax === 1)) v.fail(`axis ${axes[0]} of a ${x.layout} value is not supported`);
  const L = x.t.shape[0];
  const s = starts[0];
  const e = ends[0];
  if (s < 0 && b.variable) v.fail(`start ${s} counts from the end of a variable length`);
  const left = s < 0 ? Math.max(L + s, 0) : s;
  const right = e >= MAX_EXTENT ? 0 : e < 0 ? -e : b.variable ? v.fail(`end ${e} counts from the start of a variable length`) : Math.max(L - e, 0);
  return [act(b.layer(v, new Cropping1D({ cropping: [extent(v, 'starts', left), extent(v, 'ends', right)] }), [x.t]), x.layout)];
}

function split(v: NodeView, b: Builder): Value[] {
  const x = v.act(0);
  const ax = axisOf(v, v.int('axis', 0), rankOf(x.layout));
  const channelAxis = { ncw: 1, nwc: 2, nc: 1, nc1: 1, n1c: 2 }[x.layout];
  if (ax !== channelAxis) v.fail(`attribute axis = ${v.int('axis', 0)} is not supported (the channel axis, ${channelAxis})`);
  const C = channelsOf(x);
  const outs = v.node.outputs.length;
  const given = v.opset >= 13 ? v.optConst(1, 'split')?.data : v.ints('split');
  const sizes = given ? Array.from(given) : Array.from({ length: outs }, (_, i) => Math.ceil(C / outs) - (i === outs - 1 ? Math.ceil(C / outs) * outs - C : 0));
  if (sizes.length !== outs || sizes.reduce((a, c) => a + c, 0) !== C || sizes.some((n) => n <= 0)) v.fail(`split sizes [${sizes}] do not divide ${C} channels into ${outs} outputs`);
  let from = 0;
  return sizes.map((n) => {
    const y = pickChannels(v, b, x, from, n);
    from += n;
    return y;
  });
}

function pad(v: NodeView, b: Builder): Value[] {
  const x = v.act(0);
  v.only('mode', (m) => m === 'constant', 'cnn1d pads with zeros (mode constant)');
  const pads = Array.from(v.opset >= 11 ? v.const(1, 'pads').data : (v.ints('pads') ?? []));
  const value = v.opset >= 11 ? (v.optConst(2, 'constant_value')?.data[0] ?? 0) : v.float('value', 0);
  if (value !== 0) v.fail(`constant_value ${value} is not supported (zeros)`);
  if (x.layout !== 'ncw' || pads.length !== 6 || pads[0] || pads[1] || pads[3] || pads[4]) v.fail(`pads [${pads}] of a ${x.layout} value: cnn1d pads the length axis of [N, C, L] only`);
  const [l, r] = [pads[2], pads[5]].map((p) => extent(v, 'pads', p));
  if (l < 0 || r < 0) return [act(b.layer(v, new Cropping1D({ cropping: [Math.max(-l, 0), Math.max(-r, 0)] }), [padded(v, b, x.t, [Math.max(l, 0), Math.max(r, 0)])]), 'ncw')];
  return [act(padded(v, b, x.t, [l, r]), 'ncw')];
}

function shapeOp(v: NodeView, b: Builder): Value[] {
  const x = v.inputs[0];
  if (!x) return v.fail('input 0 is missing');
  let dims = x.kind === 'const' ? x.dims : onnxDims(x, b);
  const start = v.int('start', 0);
  const end = v.attr('end')?.i;
  if (start !== 0 || end !== undefined) dims = dims.slice(start, end);
  return [constOf([dims.length], dims, true)];
}

/** Gather on constants only (shape arithmetic); Embedding's Gather of weights is not an import. */
function gatherOp(v: NodeView): Value[] {
  const a = v.const(0, 'data');
  return [gather(a, v.const(1, 'indices'), v.int('axis', 0), v.label)];
}

function constant(v: NodeView): Value[] {
  const a = v.node.attributes[0];
  if (!a) v.fail('has no value attribute');
  if (a.t) return [constOf(a.t.dims, a.t.data, a.t.dataType !== DataType.FLOAT && a.t.dataType !== DataType.DOUBLE)];
  if (a.name === 'value_float' && a.f !== undefined) return [constOf([], [a.f], false)];
  if (a.name === 'value_int' && a.i !== undefined) return [constOf([], [a.i], true)];
  if (a.name === 'value_ints' && a.ints) return [constOf([a.ints.length], a.ints, true)];
  if (a.name === 'value_floats' && a.floats) return [constOf([a.floats.length], Float32Array.from(a.floats), false)];
  return v.fail(`attribute ${a.name} is not supported (value, value_float, value_int, value_ints, value_floats)`);
}

function constantOfShape(v: NodeView): Value[] {
  const shape = Array.from(v.const(0, 'shape').data);
  if (shape.some((d) => d < 0)) v.fail(`shape [${shape}] depends on the batch size or a variable length`);
  const t = v.attr('value')?.t;
  const fill = t ? t.data[0] : 0;
  const int = t ? t.dataType !== DataType.FLOAT : false;
  const n = shape.reduce((a, c) => a * c, 1);
  if (n > 1 << 20) v.fail(`shape [${shape}] is too large for a folded constant`);
  return [constOf(shape, int ? new Array(n).fill(fill) : new Float32Array(n).fill(fill), int)];
}

function cast(v: NodeView): Value[] {
  const x = v.inputs[0];
  if (!x) return v.fail('input 0 is missing');
  const to = v.int('to', DataType.FLOAT);
  const toFloat = to === DataType.FLOAT || to === DataType.DOUBLE;
  if (x.kind === 'act') return toFloat ? [x] : v.fail(`attribute to = ${to}: activations stay float`);
  return [constOf(x.dims, toFloat ? Float32Array.from(x.data) : Array.from(x.data, Math.trunc), !toFloat)];
}

const identity: Converter = (v) => [v.inputs[0] ?? v.fail('input 0 is missing')];

export const CONVERTERS: Record<string, Converter> = {
  Conv: conv,
  ConvTranspose: convTranspose,
  BatchNormalization: batchNorm,
  Gemm: gemm,
  MatMul: matMul,
  'cnn1d.Dense': matMul,
  MaxPool: pool,
  AveragePool: pool,
  GlobalAveragePool: (v, b) => globalPool(v, b, false, true, v.act(0)),
  GlobalMaxPool: (v, b) => globalPool(v, b, true, true, v.act(0)),
  ReduceMean: reduce,
  ReduceMax: reduce,
  Pad: pad,
  Concat: concatOp,
  Add: binary,
  Sub: binary,
  Mul: binary,
  Div: binary,
  Flatten: flatten,
  Reshape: reshapeOp,
  Squeeze: (v, b) => squeezeOp(v, b, false),
  Unsqueeze: (v, b) => squeezeOp(v, b, true),
  Transpose: transposeOp,
  Shape: shapeOp,
  Gather: gatherOp,
  Slice: sliceOp,
  Split: split,
  Dropout: identity,
  Identity: identity,
  Cast: cast,
  Constant: constant,
  ConstantOfShape: constantOfShape,
  Clip: clip,
  Relu: activation,
  LeakyRelu: activation,
  Elu: activation,
  Selu: activation,
  Sigmoid: activation,
  Tanh: activation,
  Softplus: activation,
  Softsign: activation,
  Mish: activation,
  HardSigmoid: hardSigmoid,
  Gelu: gelu,
  'cnn1d.Swish': namedActivation('swish'),
  PRelu: prelu,
  Softmax: softmax,
};
