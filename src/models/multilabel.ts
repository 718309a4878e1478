// Multi-label and ranking metrics on plain arrays: every column of yProb is an independent
// binary label (a sigmoid output), thresholded for precision/recall/F1, ranked for ROC AUC.
//   yTrue [R, C] in {0, 1} (> 0.5 counts as positive)   yProb [R, C] scores (probabilities or logits)
// ROC AUC is exact (Mann-Whitney U): AUC = (sum of the positives' ranks - P(P+1)/2) / (P N), ties
// getting the mean of their ranks, which equals the trapezoid area under the ROC curve.

import { ConfigError, checkKeys, finiteNumber, showValue } from '../layers/args.ts';
import { Tensor } from '../tensor.ts';

export interface ThresholdOptions {
  /** A score above the threshold predicts the label (default 0.5; 0 for logits). */
  threshold?: number;
}

/** Counts of one label at a threshold. */
export interface LabelCounts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export interface LabelReport extends LabelCounts {
  /** tp / (tp + fp), 0 when nothing is predicted positive. */
  precision: number;
  /** tp / (tp + fn), 0 when the label never occurs. */
  recall: number;
  /** 2 precision recall / (precision + recall), 0 when both are 0. */
  f1: number;
  /** ROC AUC of the scores; NaN when the label is always or never present. */
  auc: number;
  /** Rows where the label is present. */
  support: number;
}

export interface MultiLabelReport {
  labels: LabelReport[];
  /** Unweighted means over the labels (AUC over the labels where it is defined). */
  macro: { precision: number; recall: number; f1: number; auc: number };
  /** Fraction of the R*C decisions that are right. */
  binaryAccuracy: number;
  /** Fraction of the rows whose every label is right. */
  exactMatch: number;
  threshold: number;
}

type Scores = ArrayLike<number>;

/** ROC AUC of scores against binary truth; NaN if only one class occurs. O(n log n). */
export function rocAuc(truth: ArrayLike<number>, scores: Scores): number {
  const n = scores.length;
  if (truth.length !== n) throw new ConfigError(`rocAuc: ${truth.length} truth values for ${n} scores`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSum = 0;
  let pos = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const rank = (i + j) / 2 + 1; // mean of the 1-based ranks i+1..j+1
    for (let k = i; k <= j; k++) {
      if (truth[order[k]] > 0.5) {
        rankSum += rank;
        pos++;
      }
    }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

export function labelCounts(yTrue: Scores, yProb: Scores, R: number, C: number, c: number, threshold: number): LabelCounts {
  const k: LabelCounts = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (let r = 0; r < R; r++) {
    const t = yTrue[r * C + c] > 0.5;
    const p = yProb[r * C + c] > threshold;
    if (t && p) k.tp++;
    else if (p) k.fp++;
    else if (t) k.fn++;
    else k.tn++;
  }
  return k;
}

export function scores(k: LabelCounts): { precision: number; recall: number; f1: number } {
  const precision = k.tp + k.fp > 0 ? k.tp / (k.tp + k.fp) : 0;
  const recall = k.tp + k.fn > 0 ? k.tp / (k.tp + k.fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

/** Mean of the finite values; NaN if there are none. */
export function meanDefined(v: number[]): number {
  const ok = v.filter(Number.isFinite);
  return ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : NaN;
}

function matrix(v: unknown, owner: string, field: string): { data: Scores; R: number; C: number } {
  if (v instanceof Tensor) {
    if (v.shape.length === 1) return { data: v.data, R: v.shape[0], C: 1 };
    const C = v.shape[v.shape.length - 1];
    return { data: v.data, R: v.data.length / C, C };
  }
  if (Array.isArray(v) && v.every((row) => Array.isArray(row) && row.every((e) => typeof e === 'number'))) {
    const C = v.length ? (v[0] as number[]).length : 0;
    if (v.some((row) => (row as number[]).length !== C)) throw new ConfigError(`${owner}: ${field} rows have different lengths; expected [R, C]`);
    return { data: (v as number[][]).flat(), R: v.length, C };
  }
  throw new ConfigError(`${owner}: ${field} must be a Tensor [R, C] or nested arrays [R][C], got ${showValue(v)}`);
}

/**
 * Per-label precision, recall, F1 and ROC AUC with their macro averages, the element-wise binary
 * accuracy and the exact-match ratio of a multi-label prediction.
 * @param yTrue [R, C] 0/1 targets
 * @param yProb [R, C] scores, e.g. model.predict(x) of a sigmoid head
 */
export function multiLabelReport(yTrue: Tensor | number[][], yProb: Tensor | number[][], options: ThresholdOptions = {}): MultiLabelReport {
  const owner = 'multiLabelReport';
  checkKeys(owner, options, ['threshold']);
  const threshold = finiteNumber(owner, 'threshold', options.threshold, 0.5);
  const t = matrix(yTrue, owner, 'yTrue');
  const p = matrix(yProb, owner, 'yProb');
  if (t.R !== p.R || t.C !== p.C) throw new ConfigError(`${owner}: yTrue is [${t.R}, ${t.C}] but yProb is [${p.R}, ${p.C}]; they must match`);
  const { R, C } = t;
  if (R === 0) throw new ConfigError(`${owner}: no rows`);
  const labels: LabelReport[] = [];
  for (let c = 0; c < C; c++) {
    const k = labelCounts(t.data, p.data, R, C, c, threshold);
    const truth = Array.from({ length: R }, (_, r) => t.data[r * C + c]);
    const sc = Array.from({ length: R }, (_, r) => p.data[r * C + c]);
    labels.push({ ...k, ...scores(k), auc: rocAuc(truth, sc), support: k.tp + k.fn });
  }
  let exact = 0;
  for (let r = 0; r < R; r++) {
    let ok = true;
    for (let c = 0; c < C && ok; c++) ok = t.data[r * C + c] > 0.5 === p.data[r * C + c] > threshold;
    if (ok) exact++;
  }
  const mean = (f: (l: LabelReport) => number) => labels.reduce((s, l) => s + f(l), 0) / C;
  return {
    labels,
    macro: { precision: mean((l) => l.precision), recall: mean((l) => l.recall), f1: mean((l) => l.f1), auc: meanDefined(labels.map((l) => l.auc)) },
    binaryAccuracy: labels.reduce((s, l) => s + l.tp + l.tn, 0) / (R * C),
    exactMatch: exact / R,
    threshold,
  };
}
