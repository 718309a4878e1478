// Turning user inputs and targets into the flat float32 batches the model copies into memory,
// with the checks that keep bad data out of the kernels: shapes, NaN/Infinity, label ranges.

import { checkKeys, ConfigError, showValue } from '../layers/args.ts';
import type { Loss } from '../losses/index.ts';
import { Tensor, tensor, type NestedArray } from '../tensor.ts';

export type TensorLike = Tensor | NestedArray[] | Float32Array | number[];

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

export function asTensor(v: TensorLike, what: string): Tensor {
  if (v instanceof Tensor) return v;
  if (v instanceof Float32Array || (Array.isArray(v) && v.every((e) => typeof e === 'number'))) {
    return tensor(v as ArrayLike<number>, [v.length]);
  }
  if (Array.isArray(v)) return tensor(v as NestedArray);
  throw new ConfigError(`${what}: expected a Tensor (cnn1d.tensor(data, shape)) or nested arrays, got ${showValue(v)}`);
}

/** Throws naming the first NaN/Infinity (sample and position). */
export function checkFinite(data: ArrayLike<number>, perSample: number, what: string): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v - v !== 0) {
      throw new ConfigError(`${what}: value ${v} at sample ${Math.floor(i / perSample)}, position ${i % perSample}; inputs must be finite (replace or interpolate missing values first)`);
    }
  }
}

/** model.stream(options): known option names (with "did you mean", as predict's), maxChunk an
 *  integer in 1..2^20 (default 256). */
export function streamOptions(owner: string, options: { maxChunk?: number } | undefined): { maxChunk: number } {
  checkKeys(owner, options, ['maxChunk']);
  const maxChunk = options?.maxChunk ?? 256;
  if (!Number.isSafeInteger(maxChunk) || maxChunk < 1 || maxChunk > 1 << 20) throw new ConfigError(`${owner}: maxChunk must be an integer in 1..${1 << 20}, got ${showValue(maxChunk)}`);
  return { maxChunk };
}

/** A stream.push chunk: a Float32Array of n samples x C channels, finite like predict's inputs. */
export function checkChunk(owner: string, chunk: unknown, C: number): asserts chunk is Float32Array {
  if (!(chunk instanceof Float32Array) || chunk.length % C !== 0) {
    throw new ConfigError(`${owner}: expected a Float32Array of n samples x ${C} channels (a multiple of ${C} values), got ${chunk instanceof Float32Array ? `${chunk.length} values` : showValue(chunk)}`);
  }
  checkFinite(chunk, C, owner);
}

/** Outputs [steps, F] of stream.push on finite inputs: a NaN/±Infinity means float32 overflowed
 *  inside the model (predict names the layer; a session only sees its outputs). */
export function checkStreamOutputs(owner: string, out: Float32Array, F: number, firstStep: number): void {
  for (let i = 0; i < out.length; i++) {
    const v = out[i];
    if (v - v !== 0) {
      throw new ConfigError(
        `${owner}: output step ${firstStep + Math.floor(i / F)} (channel ${i % F}) became ${v} although the inputs are finite: float32 overflowed (|x| > 3.4e38) inside the model; ` +
          'scale the inputs (model.predict on the same samples names the layer); the session has consumed the chunk, reset() starts over',
      );
    }
  }
}

/** Throws naming the first label that is not an integer in 0..classes-1 (the sparse loss kernels
 *  index by label, so this check is what keeps them inside the model's memory). */
export function checkLabels(labels: ArrayLike<number>, classes: number, what: string): void {
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    if (!Number.isInteger(c) || c < 0 || c >= classes) {
      throw new ConfigError(`${what}: label ${c} of sample ${i} is out of range: the model has ${classes} output classes, so labels must be integers 0..${classes - 1}`);
    }
  }
}

/** A plain or typed array of numbers (what the engine entry points take as flat batches). */
export const isNumbers = (v: unknown): v is ArrayLike<number> => Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));

/** "12 values" for an array, the value itself otherwise (for messages). */
export const describe = (v: unknown): string => (isNumbers(v) ? `${v.length} values` : showValue(v));

/** Flat targets of `batch` samples, `per` values each, for trainOnBatch/computeLossAndGrads:
 *  class indices in 0..classes-1 for a sparse loss, finite values otherwise. */
export function checkFlatTargets(y: unknown, batch: number, per: number, loss: Loss, outputShape: number[], what: string): void {
  const n = Number.isSafeInteger(batch) && batch > 0 ? batch * per : NaN;
  if (!isNumbers(y) || y.length !== n) throw new ConfigError(`${what}: loss ${loss.name} expects ${n} target values for ${showValue(batch)} samples of output [${outputShape}], got ${describe(y)}`);
  if (loss.sparse) checkLabels(y, outputShape[outputShape.length - 1], what);
  else checkFinite(y, per, what);
}

/** Inputs [n, ...inputShape]; [n, L] is accepted for inputShape [L, 1]. */
export function toInputs(x: TensorLike, inputShape: number[], what: string): { data: Float32Array; n: number } {
  const t = asTensor(x, what);
  const per = size(inputShape);
  const exact = t.shape.length === inputShape.length + 1 && t.shape.slice(1).every((d, i) => d === inputShape[i]);
  const noChannel = inputShape.length === 2 && inputShape[1] === 1 && t.shape.length === 2 && t.shape[1] === inputShape[0];
  if (!exact && !noChannel) {
    throw new ConfigError(`${what}: expected shape [n, ${inputShape.join(', ')}] (n samples of the model's inputShape [${inputShape}]), got [${t.shape.join(', ')}]`);
  }
  checkFinite(t.data, per, what);
  return { data: t.data, n: t.shape[0] };
}

/** Targets for a loss: class indices [n] for the sparse loss; otherwise [n, ...outputShape]
 *  values, where integer labels [n] are one-hot encoded for categorical cross-entropy. */
export function toTargets(y: TensorLike | Int32Array | Uint8Array, n: number, loss: Loss, outputShape: number[], what: string): Float32Array {
  const t = y instanceof Int32Array || y instanceof Uint8Array ? new Tensor(Float32Array.from(y), [y.length]) : asTensor(y as TensorLike, what);
  if (t.shape[0] !== n) throw new ConfigError(`${what}: ${t.shape[0]} targets for ${n} input samples`);
  const classes = outputShape[outputShape.length - 1];
  const isLabels = t.shape.length === 1 || (t.shape.length === 2 && t.shape[1] === 1 && classes > 1);
  if (loss.sparse || (isLabels && loss.name === 'categoricalCrossentropy' && outputShape.length === 1)) {
    if (!isLabels) throw new ConfigError(`${what}: ${loss.name} with class indices expects targets of shape [n] (integers 0..${classes - 1}), got [${t.shape}]; use categoricalCrossentropy for one-hot targets`);
    checkLabels(t.data.subarray(0, n), classes, what);
    if (loss.sparse) return t.data;
    const onehot = new Float32Array(n * classes);
    for (let i = 0; i < n; i++) onehot[i * classes + t.data[i]] = 1;
    return onehot;
  }
  const per = size(outputShape);
  const ok = t.shape.length === outputShape.length + 1 && t.shape.slice(1).every((d, i) => d === outputShape[i]);
  if (!ok) throw new ConfigError(`${what}: expected targets of shape [n, ${outputShape.join(', ')}] for loss ${loss.name}, got [${t.shape.join(', ')}]`);
  checkFinite(t.data, per, what);
  return t.data;
}
