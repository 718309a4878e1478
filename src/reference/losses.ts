// Reference losses (JS doubles): batch-mean value and its gradient w.r.t. yPred.
//   yPred, grad [B, C]   yTrue [B, C], or [B] class indices for the sparse kinds.
// Keras formulas (keras/losses), conventions of the golden vectors (docs/guides/testing.md): mean over the last axis,
// except categorical cross-entropies and KLD (sum) and the per-row exponential and
// categoricalHinge; then mean over the batch. hinge, squaredHinge, exponential take yTrue in {-1, 1}.
// Probabilities are clipped to [EPS, 1 - EPS]; the gradient is zero outside (tf.clip_by_value).
import { LossKind as K } from '../runtime/codes.ts';
import type { Floats } from './types.ts';

export const EPS = 1e-7;

const clip = (p: number, lo = EPS, hi = 1 - EPS) => Math.min(Math.max(p, lo), hi);
const inside = (p: number, lo = EPS, hi = 1 - EPS) => (p >= lo && p <= hi ? 1 : 0);
const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Per-element loss and derivative for the kinds reduced by mean (or sum, KLD) over the last axis. */
function pointwise(kind: number, p: number, y: number, param: number): [number, number] {
  const d = p - y;
  switch (kind) {
    case K.meanSquaredError: return [d * d, 2 * d];
    case K.meanAbsoluteError: return [Math.abs(d), Math.sign(d)];
    case K.huber:
      return Math.abs(d) <= param ? [0.5 * d * d, d] : [param * Math.abs(d) - 0.5 * param * param, param * Math.sign(d)];
    case K.logCosh: return [Math.log(Math.cosh(d)), Math.tanh(d)];
    case K.binaryCrossentropy: {
      const q = clip(p);
      return [-(y * Math.log(q) + (1 - y) * Math.log(1 - q)), inside(p) * (-y / q + (1 - y) / (1 - q))];
    }
    case K.binaryCrossentropyFromLogits:
      return [Math.max(p, 0) - p * y + Math.log1p(Math.exp(-Math.abs(p))), sigmoid(p) - y];
    case K.hinge: return [Math.max(1 - y * p, 0), 1 - y * p > 0 ? -y : 0];
    case K.squaredHinge: {
      const m = Math.max(1 - y * p, 0);
      return [m * m, -2 * m * y];
    }
    case K.kullbackLeiblerDivergence: {
      const yc = clip(y, EPS, 1);
      const pc = clip(p, EPS, 1);
      return [yc * Math.log(yc / pc), inside(p, EPS, 1) * (-yc / pc)];
    }
    case K.poisson: return [p - y * Math.log(p + EPS), 1 - y / (p + EPS)];
    case K.meanAbsolutePercentageError: {
      const den = Math.max(Math.abs(y), EPS);
      return [(100 * Math.abs(d)) / den, (100 * Math.sign(d)) / den];
    }
    case K.meanSquaredLogarithmicError: {
      const e = Math.log1p(Math.max(p, EPS)) - Math.log1p(Math.max(y, EPS));
      return [e * e, p >= EPS ? (2 * e) / (Math.max(p, EPS) + 1) : 0];
    }
  }
  throw new Error(`lossForwardBackward: unknown kind ${kind}`);
}

/** Softmax of row b of z, into out. */
function softmaxRow(z: Floats, b: number, C: number): number[] {
  const row = Array.from({ length: C }, (_, j) => z[b * C + j]);
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const s = e.reduce((a, v) => a + v, 0);
  return e.map((v) => v / s);
}

/** Returns the batch-mean loss; grad = d(loss)/d(yPred) (overwritten). param: huber delta, exponential beta. */
export function lossForwardBackward(kind: number, yPred: Floats, yTrue: Floats, grad: Floats, B: number, C: number, param: number): number {
  let total = 0;
  for (let b = 0; b < B; b++) {
    const o = b * C;
    switch (kind) {
      case K.categoricalCrossentropy:
        for (let j = 0; j < C; j++) {
          const q = clip(yPred[o + j]);
          total -= yTrue[o + j] * Math.log(q);
          grad[o + j] = (inside(yPred[o + j]) * -yTrue[o + j]) / q / B;
        }
        break;
      case K.sparseCategoricalCrossentropy: {
        const k = yTrue[b];
        for (let j = 0; j < C; j++) {
          const q = clip(yPred[o + j]);
          if (j === k) total -= Math.log(q);
          grad[o + j] = j === k ? -inside(yPred[o + j]) / q / B : 0;
        }
        break;
      }
      case K.categoricalCrossentropyFromLogits:
      case K.sparseCategoricalCrossentropyFromLogits: {
        const sm = softmaxRow(yPred, b, C);
        const y = (j: number) => (kind === K.sparseCategoricalCrossentropyFromLogits ? (j === yTrue[b] ? 1 : 0) : yTrue[o + j]);
        let sy = 0;
        for (let j = 0; j < C; j++) sy += y(j);
        for (let j = 0; j < C; j++) {
          total -= y(j) * Math.log(sm[j]);
          grad[o + j] = (sm[j] * sy - y(j)) / B;
        }
        break;
      }
      case K.exponential: {
        let s = 0;
        for (let j = 0; j < C; j++) s += yTrue[o + j] * yPred[o + j];
        const e = Math.exp(-param * s);
        total += e;
        for (let j = 0; j < C; j++) grad[o + j] = (-param * yTrue[o + j] * e) / B;
        break;
      }
      case K.categoricalHinge: {
        let pos = 0;
        let neg = -Infinity;
        let arg = 0;
        for (let j = 0; j < C; j++) {
          pos += yTrue[o + j] * yPred[o + j];
          const n = (1 - yTrue[o + j]) * yPred[o + j];
          if (n > neg) [neg, arg] = [n, j];
        }
        const l = neg - pos + 1;
        for (let j = 0; j < C; j++) grad[o + j] = l > 0 ? -yTrue[o + j] / B : 0;
        if (l > 0) {
          total += l;
          grad[o + arg] += (1 - yTrue[o + arg]) / B;
        }
        break;
      }
      default: {
        const per = kind === K.kullbackLeiblerDivergence ? 1 : C; // KLD sums over the last axis
        for (let j = 0; j < C; j++) {
          const [l, g] = pointwise(kind, yPred[o + j], yTrue[o + j], param);
          total += l / per;
          grad[o + j] = g / per / B;
        }
      }
    }
  }
  return total / B;
}

/** dz = w_b (p * sum(y) - y) / B, p = softmax(z) (w_b = 1 without weights);  sparse != 0: yTrue holds class indices [B]. */
export function softmaxCrossentropyBackward(p: Floats, yTrue: Floats, dz: Floats, B: number, C: number, sparse: number, weights?: Floats): void {
  for (let b = 0; b < B; b++) {
    const y = (j: number) => (sparse !== 0 ? (j === yTrue[b] ? 1 : 0) : yTrue[b * C + j]);
    const w = weights ? weights[b] : 1;
    let sy = 0;
    for (let j = 0; j < C; j++) sy += y(j);
    for (let j = 0; j < C; j++) dz[b * C + j] = (w * (p[b * C + j] * sy - y(j))) / B;
  }
}

/** Per-row weights [B] (Keras sample_weight, reduction sum over the batch size): sum_b w_b l_b / B,
 *  the gradient of row b times w_b. Defined from the unweighted loss of each row alone. */
export function weightedLossForwardBackward(kind: number, yPred: Floats, yTrue: Floats, grad: Floats, B: number, C: number, param: number, weights: Floats): number {
  const sparse = kind === K.sparseCategoricalCrossentropy || kind === K.sparseCategoricalCrossentropyFromLogits;
  let total = 0;
  for (let b = 0; b < B; b++) {
    const g = new Float64Array(C);
    const y = sparse ? Float64Array.of(yTrue[b]) : Float64Array.from({ length: C }, (_, j) => yTrue[b * C + j]);
    total += weights[b] * lossForwardBackward(kind, Float64Array.from({ length: C }, (_, j) => yPred[b * C + j]), y, g, 1, C, param);
    for (let j = 0; j < C; j++) grad[b * C + j] = (weights[b] * g[j]) / B;
  }
  return total / B;
}
