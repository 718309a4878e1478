// Class indices to one-hot rows, as tf.oneHot / keras.utils.to_categorical.

import { Tensor } from '../tensor.ts';
import { ConfigError, showValue } from '../layers/args.ts';

/**
 * One-hot encoding: y [n] of integers in [0, numClasses) to a [n, numClasses] Tensor.
 * numClasses defaults to max(y) + 1.
 */
export function toCategorical(y: ArrayLike<number>, numClasses?: number): Tensor {
  if (y === null || typeof y !== 'object' || typeof y.length !== 'number') throw new ConfigError(`toCategorical: y must be an array of class indices, got ${showValue(y)}`);
  const n = y.length;
  for (let i = 0; i < n; i++) {
    if (!Number.isInteger(y[i]) || y[i] < 0) throw new ConfigError(`toCategorical: label at index ${i} must be a non-negative integer, got ${showValue(y[i])}`);
  }
  let k: number;
  if (numClasses === undefined) {
    if (n === 0) throw new ConfigError('toCategorical: cannot infer numClasses from an empty y; pass numClasses');
    k = 1;
    for (let i = 0; i < n; i++) k = Math.max(k, y[i] + 1);
  } else {
    if (!Number.isInteger(numClasses) || numClasses < 1) throw new ConfigError(`toCategorical: numClasses must be a positive integer, got ${showValue(numClasses)}`);
    k = numClasses;
    for (let i = 0; i < n; i++) {
      if (y[i] >= k) throw new ConfigError(`toCategorical: label at index ${i} is ${y[i]}, out of range for numClasses = ${k} (allowed 0..${k - 1})`);
    }
  }
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) out[i * k + y[i]] = 1;
  return new Tensor(out, [n, k]);
}
