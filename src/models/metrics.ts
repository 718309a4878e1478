// Metrics computed on the host from a batch of outputs (small: batch x classes), accumulated as
// sums so an epoch's value is the mean over samples, as Keras reports it.
//   yPred [R, C]   yTrue [R, C] (or [R] class indices for a sparse loss)

import { ConfigError, showValue, suggest } from '../layers/args.ts';
import type { Loss } from '../losses/index.ts';
import { labelCounts, meanDefined, rocAuc, scores, type LabelCounts } from './multilabel.ts';

export interface Metric {
  /** Key in logs and history (validation adds "val_"). */
  name: string;
  /** Sum of the metric over the rows of a batch, and the number of rows it counts. */
  batch(yPred: Float32Array, yTrue: Float32Array, R: number, C: number): [sum: number, count: number];
  /** A metric that is not a mean over rows (RMSE, F1, ROC AUC): its epoch state. */
  state?(): MetricState;
}

/** A metric's running value over an epoch (or an evaluate call). */
export interface MetricState {
  add(yPred: Float32Array, yTrue: Float32Array, R: number, C: number): void;
  result(): number;
}

/** The epoch state of any metric: the mean of its batch sums, or its own state. */
export function metricState(m: Metric): MetricState {
  if (m.state) return m.state();
  let sum = 0;
  let count = 0;
  return {
    add(p, t, R, C) {
      const [s, c] = m.batch(p, t, R, C);
      sum += s;
      count += c;
    },
    result: () => sum / count,
  };
}

const noBatch = (): [number, number] => {
  throw new Error('this metric has no per-batch sum; use metricState()');
};

/** Root of the mean squared error over all elements of the epoch (Keras RootMeanSquaredError). */
const rmse = (name: string): Metric => ({
  name,
  batch: noBatch,
  state() {
    let sq = 0;
    let n = 0;
    return {
      add(p, t, R, C) {
        for (let i = 0; i < R * C; i++) sq += (p[i] - t[i]) ** 2;
        n += R * C;
      },
      result: () => Math.sqrt(sq / n),
    };
  },
});

/** Per label (column): thresholded counts; the metric is their macro average over the labels. */
const thresholded = (name: string, threshold: number, pick: 'precision' | 'recall' | 'f1'): Metric => ({
  name,
  batch: noBatch,
  state() {
    let counts: LabelCounts[] = [];
    return {
      add(p, t, R, C) {
        if (counts.length === 0) counts = Array.from({ length: C }, () => ({ tp: 0, fp: 0, fn: 0, tn: 0 }));
        for (let c = 0; c < C; c++) {
          const k = labelCounts(t, p, R, C, c, threshold);
          counts[c].tp += k.tp;
          counts[c].fp += k.fp;
          counts[c].fn += k.fn;
          counts[c].tn += k.tn;
        }
      },
      result: () => counts.reduce((s, k) => s + scores(k)[pick], 0) / counts.length,
    };
  },
});

/** Exact ROC AUC per label over the epoch's rows, macro-averaged over the labels where both
 *  classes occur. Keeps every score of the epoch (R*C floats); result() sorts them. */
const auc = (name: string): Metric => ({
  name,
  batch: noBatch,
  state() {
    let p = new Float32Array(1024);
    let t = new Float32Array(1024);
    let n = 0;
    let C = 0;
    let cached = NaN;
    let cachedAt = -1;
    return {
      add(yp, yt, R, c) {
        C = c;
        if (n + R * C > p.length) {
          const cap = Math.max(2 * p.length, n + R * C);
          const [np, nt] = [new Float32Array(cap), new Float32Array(cap)];
          np.set(p.subarray(0, n));
          nt.set(t.subarray(0, n));
          [p, t] = [np, nt];
        }
        p.set(yp.subarray(0, R * C), n);
        t.set(yt.subarray(0, R * C), n);
        n += R * C;
      },
      result() {
        if (cachedAt === n) return cached;
        const R = n / C;
        const per: number[] = [];
        for (let c = 0; c < C; c++) {
          const col = (a: Float32Array) => Float32Array.from({ length: R }, (_, r) => a[r * C + c]);
          per.push(rocAuc(col(t), col(p)));
        }
        cachedAt = n;
        return (cached = meanDefined(per));
      },
    };
  },
});

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

const mape = (name: string): Metric => ({
  name,
  batch(p, t, R, C) {
    let s = 0;
    for (let i = 0; i < R * C; i++) s += Math.abs(t[i] - p[i]) / Math.max(Math.abs(t[i]), 1e-7);
    return [(100 * s) / C, R];
  },
});

const KNOWN = [
  'accuracy', 'acc', 'categoricalAccuracy', 'sparseCategoricalAccuracy', 'binaryAccuracy', 'meanSquaredError', 'mse', 'meanAbsoluteError', 'mae',
  'rootMeanSquaredError', 'rmse', 'meanAbsolutePercentageError', 'mape', 'precision', 'recall', 'f1', 'auc',
];

/** Threshold of a sigmoid output's decisions: 0.5 on probabilities, 0 on logits. */
const decision = (loss: Loss) => (loss.fromLogits ? 0 : 0.5);

/** A metric by name; 'accuracy' picks the variant that fits the loss, as Keras does. `threshold`
 *  replaces the default decision of the thresholded metrics (evaluate's option). */
export function getMetric(name: unknown, loss: Loss, threshold?: number): Metric {
  const decide = threshold ?? decision(loss);
  if (typeof name !== 'string') throw new ConfigError(`compile: metrics must be names such as "accuracy", got ${showValue(name)}`);
  switch (name) {
    case 'accuracy':
    case 'acc':
      if (loss.name === 'binaryCrossentropy') return binaryAccuracy(name, decide);
      if (loss.name === 'categoricalCrossentropy' || loss.name === 'sparseCategoricalCrossentropy' || loss.name === 'categoricalHinge' || loss.name === 'kullbackLeiblerDivergence') {
        return categoricalAccuracy(name, loss.sparse);
      }
      throw new ConfigError(`compile: metric "accuracy" needs a classification loss (categorical/sparse/binary cross-entropy), the loss is ${loss.name}; use "mae" or "mse" for regression`);
    case 'categoricalAccuracy':
      return categoricalAccuracy(name, false);
    case 'sparseCategoricalAccuracy':
      return categoricalAccuracy(name, true);
    case 'binaryAccuracy':
      return binaryAccuracy(name, decide);
    case 'precision':
    case 'recall':
    case 'f1':
    case 'auc':
      if (loss.sparse) throw new ConfigError(`compile: metric "${name}" treats every output column as a binary label and needs targets [n, C]; the loss ${loss.name} takes class indices`);
      return name === 'auc' ? auc(name) : thresholded(name, decide, name);
    case 'rootMeanSquaredError':
    case 'rmse':
      return rmse(name);
    case 'meanAbsolutePercentageError':
    case 'mape':
      return mape(name);
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
