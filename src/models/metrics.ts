// Metrics computed on the host from a batch of outputs (small: batch x classes), accumulated as
// sums so an epoch's value is the mean over samples, as Keras reports it.
//   yPred [R, C]   yTrue [R, C] (or [R] class indices for a sparse loss)

import { ConfigError, showValue, suggest } from '../layers/args.ts';
import type { Loss } from '../losses/index.ts';

export interface Metric {
  /** Key in logs and history (validation adds "val_"). */
  name: string;
  /** Sum of the metric over the rows of a batch, and the number of rows it counts. */
  batch(yPred: Float32Array, yTrue: Float32Array, R: number, C: number): [sum: number, count: number];
}

function argmax(a: Float32Array, off: number, C: number): number {
  let best = 0;
  for (let j = 1; j < C; j++) if (a[off + j] > a[off + best]) best = j;
  return best;
}

const categoricalAccuracy = (name: string, sparse: boolean): Metric => ({
  name,
  batch(p, t, R, C) {
    let hits = 0;
    for (let r = 0; r < R; r++) {
      const truth = sparse ? t[r] : argmax(t, r * C, C);
      if (argmax(p, r * C, C) === truth) hits++;
    }
    return [hits, R];
  },
});

const binaryAccuracy = (name: string, threshold: number): Metric => ({
  name,
  batch(p, t, R, C) {
    let hits = 0;
    for (let i = 0; i < R * C; i++) if (p[i] > threshold === t[i] > 0.5) hits++;
    return [hits, R * C];
  },
});

const elementwise = (name: string, f: (d: number) => number): Metric => ({
  name,
  batch(p, t, R, C) {
    let s = 0;
    for (let i = 0; i < R * C; i++) s += f(p[i] - t[i]);
    return [s / C, R];
  },
});

const KNOWN = ['accuracy', 'acc', 'categoricalAccuracy', 'sparseCategoricalAccuracy', 'binaryAccuracy', 'meanSquaredError', 'mse', 'meanAbsoluteError', 'mae'];

/** A metric by name; 'accuracy' picks the variant that fits the loss, as Keras does. */
export function getMetric(name: unknown, loss: Loss): Metric {
  if (typeof name !== 'string') throw new ConfigError(`compile: metrics must be names such as "accuracy", got ${showValue(name)}`);
  switch (name) {
    case 'accuracy':
    case 'acc':
      if (loss.name === 'binaryCrossentropy') return binaryAccuracy(name, loss.fromLogits ? 0 : 0.5);
      if (loss.name === 'categoricalCrossentropy' || loss.name === 'sparseCategoricalCrossentropy' || loss.name === 'categoricalHinge' || loss.name === 'kullbackLeiblerDivergence') {
        return categoricalAccuracy(name, loss.sparse);
      }
      throw new ConfigError(`compile: metric "accuracy" needs a classification loss (categorical/sparse/binary cross-entropy), the loss is ${loss.name}; use "mae" or "mse" for regression`);
    case 'categoricalAccuracy':
      return categoricalAccuracy(name, false);
    case 'sparseCategoricalAccuracy':
      return categoricalAccuracy(name, true);
    case 'binaryAccuracy':
      return binaryAccuracy(name, 0.5);
    case 'meanSquaredError':
    case 'mse':
      return elementwise(name, (d) => d * d);
    case 'meanAbsoluteError':
    case 'mae':
      return elementwise(name, Math.abs);
    default:
      throw new ConfigError(`compile: unknown metric ${showValue(name)}${suggest(name, KNOWN)}; known metrics are ${KNOWN.join(', ')}`);
  }
}
