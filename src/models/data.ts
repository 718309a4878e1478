// The inputs and targets of fit/evaluate/predict as TF.js takes them, split per model input or
// output: one value for a single-input (single-output) model, a list in model order, or an
// object keyed by input (output) layer name. Each part then goes through toInputs/toTargets.
//   xs[i] [n, ...inputShape_i]      ys[o] [n, ...outputShape_o] (or [n] class indices)

import { ConfigError, showValue, suggest } from '../layers/args.ts';
import type { Loss } from '../losses/index.ts';
import { Tensor } from '../tensor.ts';
import { toInputs, toTargets, type TensorLike } from './inputs.ts';

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
  /** Floats per sample of each input / target. */
  xPer: number[];
  yPer: number[];
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

/** Checked inputs of every model input; all parts must hold the same number of samples. */
export function inputParts(x: ModelInputs, shapes: number[][], names: string[], what: string): { xs: Float32Array[]; n: number } {
  const parts = perName(x, names, 'input', what);
  const many = names.length > 1;
  const got = parts.map((p, i) => toInputs(p as TensorLike, shapes[i], many ? `${what}["${names[i]}"]` : what));
  const n = got[0].n;
  got.forEach((g, i) => {
    if (g.n !== n) throw new ConfigError(`${what}: input "${names[i]}" has ${g.n} samples, input "${names[0]}" has ${n}; every input needs one entry per sample`);
  });
  return { xs: got.map((g) => g.data), n };
}

/** Checked targets of every output, for the output's loss. */
export function targetParts(y: ModelTargets, n: number, losses: Loss[], shapes: number[][], names: string[], what: string): Float32Array[] {
  const parts = perName(y, names, 'output', what);
  const many = names.length > 1;
  return parts.map((p, o) => toTargets(p as Targets, n, losses[o], shapes[o], many ? `${what}["${names[o]}"]` : what));
}

/** Samples [from, to) of a dataset (views, no copy). */
export function slice(d: Dataset, from: number, to: number): Dataset {
  return { ...d, xs: d.xs.map((x, i) => x.subarray(from * d.xPer[i], to * d.xPer[i])), ys: d.ys.map((y, o) => y.subarray(from * d.yPer[o], to * d.yPer[o])), n: to - from };
}
