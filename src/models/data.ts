// The inputs and targets of fit/evaluate/predict as TF.js takes them, split per model input or
// output: one value for a single-input (single-output) model, a list in model order, or an
// object keyed by input (output) layer name. Each part then goes through toInputs/toTargets.
//   xs[i] [n, ...inputShape_i]      ys[o] [n, ...outputShape_o] (or [n] class indices)

import { ConfigError, showValue, suggest } from '../layers/args.ts';
import type { Loss } from '../losses/index.ts';
import { Tensor } from '../tensor.ts';
import { InputLayer } from '../layers/input.ts';
import { asTensor, toInputs, toTargets, type TensorLike } from './inputs.ts';

export type Targets = TensorLike | Int32Array | Uint8Array;
/** One input's data, a list in model order, or {inputName: data}. */
export type ModelInputs = TensorLike | TensorLike[] | Record<string, TensorLike>;
/** One output's targets, a list in model order, or {outputName: targets}. */
export type ModelTargets = Targets | Targets[] | Record<string, Targets>;

/** n samples, copied into the model one batch at a time. */
export interface Dataset {
  xs: Float32Array[];
  ys: Float32Array[];
  n: number;
  /** Input length of every sample (variable-length models), else undefined. */
  length?: number;
  /** Floats per sample of each input / target. */
  xPer: number[];
  yPer: number[];
  /** Floats between samples of each input when longer than xPer (rows cropped by fit's augment.randomCrop). */
  xStride?: number[];
  /** Floats into each source row where a centre crop starts (validation of a cropping fit). */
  xOffset?: number;
  /** Loss weight of each sample [n] (fit's classWeight / sampleWeight). */
  w?: Float32Array;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
/** One array of data rather than a list of per-input arrays. */
const isData = (v: unknown) => v instanceof Tensor || ArrayBuffer.isView(v) || (Array.isArray(v) && v.every((e) => typeof e === 'number' || Array.isArray(e)));

/** Splits `v` into one part per name (kind: "input" or "output"). */
export function perName(v: unknown, names: string[], kind: 'input' | 'output', what: string): unknown[] {
  const list = names.map((n) => `"${n}"`).join(', ');
  if (isPlainObject(v)) {
    for (const k of Object.keys(v)) if (!names.includes(k)) throw new ConfigError(`${what}: the model has no ${kind} named "${k}"${suggest(k, names)}; its ${kind}s are ${list}`);
    return names.map((n) => {
      if (!Object.hasOwn(v, n)) throw new ConfigError(`${what}: no data for ${kind} "${n}"; give one entry per ${kind} (${list})`);
      return v[n];
    });
  }
  if (names.length === 1) return [Array.isArray(v) && v.length === 1 && !isData(v) ? v[0] : v];
  if (!Array.isArray(v)) {
    throw new ConfigError(`${what}: the model has ${names.length} ${kind}s (${list}); pass a list with one entry each, or {name: data}; got ${v instanceof Tensor ? `one tensor [${v.shape}]` : showValue(v)}`);
  }
  if (v.length !== names.length) throw new ConfigError(`${what}: the model has ${names.length} ${kind}s (${list}), got a list of ${v.length}`);
  return v;
}

/** What inputParts needs of a model. */
interface InputsOf {
  readonly inputNames: string[];
  readonly graph: { inputs: { node: { layer: unknown } }[] };
  inputShapesAt(length?: number): number[][];
}

/** Checked inputs of every model input; all parts must hold the same number of samples, and the
 *  inputs declared [null, C] one length, which is returned (undefined for a fixed-length model). */
export function inputParts(x: ModelInputs, model: InputsOf, what: string): { xs: Float32Array[]; n: number; length?: number } {
  const names = model.inputNames;
  const many = names.length > 1;
  const where = (i: number) => (many ? `${what}["${names[i]}"]` : what);
  const parts = perName(x, names, 'input', what).map((p, i) => asTensor(p as TensorLike, where(i)));
  let length: number | undefined;
  model.graph.inputs.forEach((t, i) => {
    if (!(t.node.layer instanceof InputLayer && t.node.layer.variableLength)) return;
    const s = parts[i].shape;
    const C = t.node.layer.outputShape[1];
    const L = s.length === 3 || (s.length === 2 && C === 1) ? s[1] : NaN;
    if (!(L >= 1)) throw new ConfigError(`${where(i)}: expected shape [n, L, ${C}] (n samples of any length L), got [${s.join(', ')}]`);
    if (length !== undefined && L !== length) throw new ConfigError(`${where(i)}: length ${L}, but ${names[0]} has length ${length}; the inputs of one call share one length`);
    length = L;
  });
  const shapes = model.inputShapesAt(length);
  const got = parts.map((p, i) => toInputs(p, shapes[i], where(i)));
  const n = got[0].n;
  got.forEach((g, i) => {
    if (g.n !== n) throw new ConfigError(`${what}: input "${names[i]}" has ${g.n} samples, input "${names[0]}" has ${n}; every input needs one entry per sample`);
  });
  return { xs: got.map((g) => g.data), n, length };
}

/** Checked targets of every output, for the output's loss. */
export function targetParts(y: ModelTargets, n: number, losses: Loss[], shapes: number[][], names: string[], what: string): Float32Array[] {
  const parts = perName(y, names, 'output', what);
  const many = names.length > 1;
  return parts.map((p, o) => toTargets(p as Targets, n, losses[o], shapes[o], many ? `${what}["${names[o]}"]` : what));
}

/** Samples [from, to) of a dataset (views, no copy). */
export function slice(d: Dataset, from: number, to: number): Dataset {
  return { ...d, xs: d.xs.map((x, i) => x.subarray(from * (d.xStride?.[i] ?? d.xPer[i]), to * (d.xStride?.[i] ?? d.xPer[i]))), ys: d.ys.map((y, o) => y.subarray(from * d.yPer[o], to * d.yPer[o])), n: to - from, ...(d.w ? { w: d.w.subarray(from, to) } : {}) };
}
