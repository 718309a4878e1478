// The benchmark workloads (docs/guides/speed.md) plus fcn-ecg (the FCN of examples/ecg200-fcn.ts), as one
// declarative layer list that every system builds from, and their FLOPs, counted once here.
//   channels-last samples [L, C]; weights in cnn1d's getWeights() order:
//   conv kernel [K, C, F], bias [F]; bn gamma, beta, moving_mean, moving_variance [C]; dense kernel [I, U], bias [U]
import { Random } from '../src/runtime/random.ts';

export type Act = 'linear' | 'relu' | 'sigmoid' | 'softmax';
export type LayerSpec =
  | { kind: 'conv'; filters: number; kernel: number; stride: number; padding: 'valid' | 'same'; activation: Act }
  | { kind: 'bn' } // momentum 0.99, epsilon 1e-3 (Keras defaults)
  | { kind: 'act'; activation: Act }
  | { kind: 'maxpool' | 'avgpool'; pool: number } // stride = pool, valid
  | { kind: 'flatten' }
  | { kind: 'gap' }
  | { kind: 'dense'; units: number; activation: Act };

export interface Workload {
  id: string;
  input: [number, number]; // [L, C]
  layers: LayerSpec[];
  /** sce: softmax + sparse categorical cross-entropy (labels), mse: mean squared error. */
  loss: 'sce' | 'mse';
  /** Training batch (inference is timed at INFER_BATCH, latency at batch 1). */
  batch: number;
}

export const INFER_BATCH = 32;
export const BN_MOMENTUM = 0.99;
export const BN_EPSILON = 1e-3;
export const ADAM = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

const conv = (filters: number, kernel: number, padding: 'valid' | 'same', activation: Act = 'linear', stride = 1): LayerSpec => ({ kind: 'conv', filters, kernel, stride, padding, activation });
const bn: LayerSpec = { kind: 'bn' };
const relu: LayerSpec = { kind: 'act', activation: 'relu' };
const maxpool = (pool: number): LayerSpec => ({ kind: 'maxpool', pool });
const avgpool = (pool: number): LayerSpec => ({ kind: 'avgpool', pool });
const dense = (units: number, activation: Act): LayerSpec => ({ kind: 'dense', units, activation });
const gap: LayerSpec = { kind: 'gap' };
const flatten: LayerSpec = { kind: 'flatten' };

export const WORKLOADS: Workload[] = [
  { id: 'keras-seed', input: [100, 1], loss: 'sce', batch: 32, layers: [conv(32, 3, 'valid', 'relu'), maxpool(2), flatten, dense(128, 'relu'), dense(10, 'softmax')] },
  { id: 'fcn-500', input: [500, 1], loss: 'sce', batch: 32, layers: [...[64, 64, 64].flatMap((f) => [conv(f, 3, 'same'), bn, relu]), gap, dense(2, 'softmax')] },
  {
    id: 'samplecnn-8k',
    input: [8000, 1],
    loss: 'sce',
    batch: 32,
    layers: [conv(32, 3, 'valid', 'linear', 3), bn, relu, ...[32, 32, 64, 64, 128, 128].flatMap((c) => [conv(c, 3, 'same'), bn, relu, maxpool(3)]), gap, dense(10, 'softmax')],
  },
  { id: 'tutorial-18', input: [18, 1], loss: 'mse', batch: 32, layers: [conv(4, 3, 'valid', 'sigmoid'), avgpool(2), conv(6, 3, 'valid', 'sigmoid'), avgpool(2), flatten, dense(2, 'sigmoid')] },
  { id: 'fcn-ecg', input: [140, 1], loss: 'sce', batch: 16, layers: [...([[128, 8], [256, 5], [128, 3]] as const).flatMap(([f, k]) => [conv(f, k, 'same'), bn, relu]), gap, dense(5, 'softmax')] },
];

/** Small networks for the smoke test: every layer kind, both losses, a strided and an even kernel. */
export const TINY: Workload[] = [
  { id: 'tiny-sce', input: [16, 2], loss: 'sce', batch: 4, layers: [conv(4, 4, 'same'), bn, relu, maxpool(2), conv(3, 2, 'valid', 'sigmoid', 2), avgpool(2), flatten, dense(3, 'softmax')] },
  { id: 'tiny-mse', input: [9, 1], loss: 'mse', batch: 3, layers: [conv(5, 3, 'valid', 'relu'), gap, dense(2, 'sigmoid')] },
];

export function findWorkload(id: string): Workload {
  const w = [...WORKLOADS, ...TINY].find((x) => x.id === id);
  if (!w) throw new Error(`bench: unknown workload ${JSON.stringify(id)}; expected one of ${[...WORKLOADS, ...TINY].map((x) => x.id).join(', ')}`);
  return w;
}

/** Output length of a conv or pool (Keras: valid floor((L - K) / S) + 1, same ceil(L / S)). */
export function outLength(L: number, kernel: number, stride: number, padding: 'valid' | 'same'): number {
  return padding === 'same' ? Math.ceil(L / stride) : Math.floor((L - kernel) / stride) + 1;
}

/** Per-layer sample shapes: [L, C] before flatten/gap, [N] after. shapes[i] is layer i's input. */
export function shapes(w: Workload): number[][] {
  const out: number[][] = [w.input];
  for (const l of w.layers) {
    const s = out[out.length - 1];
    if (l.kind === 'conv') out.push([outLength(s[0], l.kernel, l.stride, l.padding), l.filters]);
    else if (l.kind === 'maxpool' || l.kind === 'avgpool') out.push([Math.floor(s[0] / l.pool), s[1]]);
    else if (l.kind === 'flatten') out.push([s[0] * s[1]]);
    else if (l.kind === 'gap') out.push([s[1]]);
    else if (l.kind === 'dense') out.push([l.units]);
    else out.push(s);
  }
  return out;
}

/** Outputs per sample. */
export function outputSize(w: Workload): number {
  return shapes(w).at(-1)![0];
}

/** Forward FLOPs per sample = 2 x the multiply-adds of the conv and dense layers (bias, batch norm,
 *  activations and pooling are not counted). Training is counted as 3 x forward (forward, the
 *  input gradient and the weight gradient each do the same multiply-adds). */
export function flops(w: Workload): { forward: number; train: number } {
  const sh = shapes(w);
  let macs = 0;
  w.layers.forEach((l, i) => {
    if (l.kind === 'conv') macs += sh[i + 1][0] * l.filters * l.kernel * sh[i][1];
    if (l.kind === 'dense') macs += sh[i][0] * l.units;
  });
  return { forward: 2 * macs, train: 6 * macs };
}

/** The weight shapes of the network, in getWeights() order, and which are trainable. */
export function weightShapes(w: Workload): { shape: number[]; trainable: boolean }[] {
  const sh = shapes(w);
  const out: { shape: number[]; trainable: boolean }[] = [];
  w.layers.forEach((l, i) => {
    const C = sh[i][sh[i].length - 1];
    if (l.kind === 'conv') out.push({ shape: [l.kernel, C, l.filters], trainable: true }, { shape: [l.filters], trainable: true });
    if (l.kind === 'dense') out.push({ shape: [sh[i][0], l.units], trainable: true }, { shape: [l.units], trainable: true });
    if (l.kind === 'bn') for (const trainable of [true, true, false, false]) out.push({ shape: [C], trainable });
  });
  return out;
}

/** The batches every system sees: a training batch with its targets, an inference batch and one sample. */
export interface Batches {
  xTrain: Float32Array; // [batch, L, C]
  yTrain: Float32Array; // sce: [batch] labels; mse: [batch, outputs] in (0, 1)
  xInfer: Float32Array; // [INFER_BATCH, L, C]
  xOne: Float32Array; // [1, L, C]
}

export function batches(w: Workload, seed = 7): Batches {
  const rng = new Random(seed);
  const per = w.input[0] * w.input[1];
  const outs = outputSize(w);
  const yTrain = w.loss === 'sce' ? Float32Array.from({ length: w.batch }, () => rng.int(outs)) : rng.uniformArray(w.batch * outs, 0.1, 0.9);
  return { xTrain: rng.uniformArray(w.batch * per), yTrain, xInfer: rng.uniformArray(INFER_BATCH * per), xOne: rng.uniformArray(per) };
}
