// metrics.*: the metrics as plain functions of (yTrue, yPred), for use outside compile/evaluate
// (TF.js tf.metrics.* names). Each returns one number over all elements.
//   yTrue, yPred: Tensors or arrays of equal size, any shape [R, C].

import { ConfigError, checkKeys, finiteNumber } from '../layers/args.ts';
import { Tensor } from '../tensor.ts';
import { multiLabelReport, rocAuc, type ThresholdOptions } from './multilabel.ts';

type Values = Tensor | ArrayLike<number> | number[][];

function flat(v: Values, owner: string, field: string): ArrayLike<number> {
  if (v instanceof Tensor) return v.data;
  if (Array.isArray(v) && v.every(Array.isArray)) return (v as number[][]).flat();
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return v as ArrayLike<number>;
  throw new ConfigError(`${owner}: ${field} must be a Tensor or an array of numbers`);
}

function pair(owner: string, yTrue: Values, yPred: Values): [ArrayLike<number>, ArrayLike<number>] {
  const t = flat(yTrue, owner, 'yTrue');
  const p = flat(yPred, owner, 'yPred');
  if (t.length !== p.length) throw new ConfigError(`${owner}: yTrue has ${t.length} values, yPred ${p.length}; they must match`);
  if (t.length === 0) throw new ConfigError(`${owner}: no values`);
  return [t, p];
}

const meanOf = (owner: string, f: (t: number, p: number) => number) => (yTrue: Values, yPred: Values) => {
  const [t, p] = pair(owner, yTrue, yPred);
  let s = 0;
  for (let i = 0; i < t.length; i++) s += f(t[i], p[i]);
  return s / t.length;
};

const meanSquaredError = meanOf('meanSquaredError', (t, p) => (t - p) ** 2);
const meanAbsoluteError = meanOf('meanAbsoluteError', (t, p) => Math.abs(t - p));
/** 100 * mean(|t - p| / max(|t|, 1e-7)), as Keras. */
const meanAbsolutePercentageError = meanOf('meanAbsolutePercentageError', (t, p) => (100 * Math.abs(t - p)) / Math.max(Math.abs(t), 1e-7));
const rootMeanSquaredError = (yTrue: Values, yPred: Values) => Math.sqrt(meanSquaredError(yTrue, yPred));

/** Fraction of elements where (yPred > threshold) equals (yTrue > 0.5); threshold default 0.5. */
function binaryAccuracy(yTrue: Values, yPred: Values, options: ThresholdOptions = {}): number {
  checkKeys('binaryAccuracy', options, ['threshold']);
  const threshold = finiteNumber('binaryAccuracy', 'threshold', options.threshold, 0.5);
  return meanOf('binaryAccuracy', (t, p) => Number(p > threshold === t > 0.5))(yTrue, yPred);
}

/** Exact ROC AUC of one label: truth in {0, 1}, scores of any scale; NaN if one class is absent. */
function auc(yTrue: Values, yPred: Values): number {
  const [t, p] = pair('rocAuc', yTrue, yPred);
  return rocAuc(t, p);
}

/** Metric functions: metrics.mae(yTrue, yPred), metrics.multiLabelReport(yTrue, yProb, {threshold}), ... */
export const metrics = {
  binaryAccuracy,
  meanSquaredError,
  mse: meanSquaredError,
  meanAbsoluteError,
  mae: meanAbsoluteError,
  rootMeanSquaredError,
  rmse: rootMeanSquaredError,
  meanAbsolutePercentageError,
  mape: meanAbsolutePercentageError,
  rocAuc: auc,
  multiLabelReport,
};
