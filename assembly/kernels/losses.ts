// Losses (by kind code, see LossKind in src/runtime/codes.ts): value and gradient of the batch mean.
//   yPred, grad [B, C]   yTrue [B, C], or [B] class indices (as f32) for the sparse kinds.
// Reduction over the last axis by mean (MSE, MAE, huber, logCosh, BCE, hinge, ...) or sum
// (categorical cross-entropy), then mean over the batch (golden vector conventions, docs/guides/testing.md).
// Formulas follow Keras (keras/losses); probabilities are clipped to [EPS, 1 - EPS] with a zero
// gradient outside that range, as tf.clip_by_value. Loss values are summed in f64. Losses are
// O(B*C), negligible next to the layers, so this file is scalar.

// Mirrors LossKind in src/runtime/codes.ts.
const MSE = 0;
const MAE = 1;
const HUBER = 2;
const LOG_COSH = 3;
const CCE = 4;
const CCE_LOGITS = 5;
const BCE = 6;
const BCE_LOGITS = 7;
const HINGE = 8;
const EXPONENTIAL = 9;
const SPARSE_CCE = 10;
const SPARSE_CCE_LOGITS = 11;
const SQUARED_HINGE = 12;
const CATEGORICAL_HINGE = 13;
const KLD = 14;
const POISSON = 15;
const MAPE = 16;
const MSLE = 17;

/** Keras backend epsilon(). Clipping happens in f64 so that 1 - EPS is not rounded to 1 - 2^-23. */
const EPS: f32 = 1e-7;
const EPS64: f64 = 1e-7;
const LN2: f64 = 0.6931471805599453;

@inline function at(p: usize, i: i32): f32 {
  return load<f32>(p + (<usize>i << 2));
}
@inline function put(p: usize, i: i32, v: f32): void {
  store<f32>(p + (<usize>i << 2), v);
}
@inline function sign(v: f32): f32 {
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}
@inline function sigmoid(x: f32): f32 {
  if (x >= 0) return 1 / (1 + Mathf.exp(-x));
  const e = Mathf.exp(x);
  return e / (1 + e);
}
@inline function inClip(p: f32): bool {
  return <f64>p >= EPS64 && <f64>p <= 1 - EPS64;
}
@inline function clip(p: f32): f64 {
  return min(max(<f64>p, EPS64), 1 - EPS64);
}

/** Row r of the logits z: writes softmax into grad row r, returns log(sum exp(z - max)) + max. */
function logSumExpRow(z: usize, out: usize, C: i32): f32 {
  let m = at(z, 0);
  for (let j = 1; j < C; j++) m = max(m, at(z, j));
  let s: f32 = 0;
  for (let j = 0; j < C; j++) {
    const e = Mathf.exp(at(z, j) - m);
    put(out, j, e);
    s += e;
  }
  const inv: f32 = 1 / s;
  for (let j = 0; j < C; j++) put(out, j, at(out, j) * inv);
  return m + Mathf.log(s);
}

/** Elementwise kinds: returns the per-element loss l(p, y) and writes dl/dp * scale to g. */
@inline
function elementwise(kind: i32, p: f32, y: f32, g: usize, scale: f32, param: f32): f64 {
  switch (kind) {
    case MSE: {
      const d = p - y;
      store<f32>(g, 2 * d * scale);
      return <f64>d * d;
    }
    case MAE: {
      const d = p - y;
      store<f32>(g, sign(d) * scale);
      return Mathf.abs(d);
    }
    case HUBER: {
      const d = p - y;
      const a = Mathf.abs(d);
      if (a <= param) {
        store<f32>(g, d * scale);
        return 0.5 * <f64>d * d;
      }
      store<f32>(g, param * sign(d) * scale);
      return <f64>param * a - 0.5 * <f64>param * param;
    }
    case LOG_COSH: {
      // log(cosh(d)) = |d| + log1p(exp(-2|d|)) - log 2, stable for large |d| (Keras: x + softplus(-2x) - log 2).
      const d = p - y;
      const a = Mathf.abs(d);
      store<f32>(g, Mathf.tanh(d) * scale);
      return <f64>a + <f64>Mathf.log1p(Mathf.exp(-2 * a)) - LN2;
    }
    case BCE: {
      const q = clip(p);
      store<f32>(g, inClip(p) ? <f32>(-<f64>y / q + <f64>(1 - y) / (1 - q)) * scale : 0);
      return -(<f64>y * Math.log(q) + <f64>(1 - y) * Math.log(1 - q));
    }
    case BCE_LOGITS: {
      // max(z, 0) - z*y + log(1 + exp(-|z|))  (tf.nn.sigmoid_cross_entropy_with_logits)
      store<f32>(g, (sigmoid(p) - y) * scale);
      return <f64>max(p, 0) - <f64>p * y + <f64>Mathf.log1p(Mathf.exp(-Mathf.abs(p)));
    }
    case HINGE: {
      const m: f32 = 1 - y * p;
      store<f32>(g, m > 0 ? -y * scale : 0);
      return max(m, 0);
    }
    case SQUARED_HINGE: {
      const m: f32 = max(<f32>1 - y * p, 0);
      store<f32>(g, -2 * m * y * scale);
      return <f64>m * m;
    }
    case KLD: {
      // y * log(y / p) with y, p clipped to [EPS, 1].
      const yc = min(max(y, EPS), 1);
      const pc = min(max(p, EPS), 1);
      store<f32>(g, p >= EPS && p <= 1 ? -yc / pc * scale : 0);
      return <f64>yc * Math.log(<f64>yc / <f64>pc);
    }
    case POISSON: {
      store<f32>(g, (1 - y / (p + EPS)) * scale);
      return <f64>p - <f64>y * Math.log(<f64>(p + EPS));
    }
    case MAPE: {
      const den = max(Mathf.abs(y), EPS);
      store<f32>(g, 100 * sign(p - y) / den * scale);
      return 100 * <f64>Mathf.abs(y - p) / den;
    }
    case MSLE: {
      const pc = max(p, EPS);
      const d = <f32>(Math.log1p(<f64>pc) - Math.log1p(<f64>max(y, EPS)));
      store<f32>(g, p >= EPS ? 2 * d / (pc + 1) * scale : 0);
      return <f64>d * d;
    }
  }
  unreachable();
  return 0;
}

/** Returns the batch-mean loss; grad = d(loss)/d(yPred) (overwrites). param: huber delta,
 *  exponential beta; ignored by the others. weights (0: none) [B]: per-row weights w_b, giving
 *  sum_b w_b l_b / B and gradient rows scaled by w_b (Keras's sample_weight with its default
 *  reduction, sum over the batch size). */
export function loss_forward_backward(kind: i32, yPred: usize, yTrue: usize, grad: usize, B: i32, C: i32, param: f32, weights: usize): f32 {
  const batchInv: f32 = 1 / <f32>B;
  let total: f64 = 0;
  for (let b = 0; b < B; b++) {
    const w: f32 = weights != 0 ? load<f32>(weights + (<usize>b << 2)) : 1;
    const invB: f32 = weights != 0 ? batchInv * w : batchInv;
    const before = total;
    const p = yPred + (<usize>b * <usize>C << 2);
    const y = yTrue + (<usize>b * <usize>C << 2);
    const g = grad + (<usize>b * <usize>C << 2);
    switch (kind) {
      case CCE: {
        // -sum_j y_j log(clip(p_j))
        for (let j = 0; j < C; j++) {
          const q = clip(at(p, j));
          put(g, j, inClip(at(p, j)) ? <f32>(-<f64>at(y, j) / q) * invB : 0);
          total -= <f64>at(y, j) * Math.log(q);
        }
        break;
      }
      case SPARSE_CCE: {
        const k = <i32>load<f32>(yTrue + (<usize>b << 2));
        for (let j = 0; j < C; j++) put(g, j, 0);
        const q = clip(at(p, k));
        if (inClip(at(p, k))) put(g, k, <f32>(-<f64>invB / q));
        total -= Math.log(q);
        break;
      }
      case CCE_LOGITS: {
        // sum_j y_j (lse - z_j); gradient (softmax * sum(y) - y) / B.
        const lse = logSumExpRow(p, g, C);
        let sy: f32 = 0;
        for (let j = 0; j < C; j++) sy += at(y, j);
        for (let j = 0; j < C; j++) {
          total += <f64>at(y, j) * <f64>(lse - at(p, j));
          put(g, j, (at(g, j) * sy - at(y, j)) * invB);
        }
        break;
      }
      case SPARSE_CCE_LOGITS: {
        const k = <i32>load<f32>(yTrue + (<usize>b << 2));
        const lse = logSumExpRow(p, g, C);
        total += <f64>(lse - at(p, k));
        for (let j = 0; j < C; j++) put(g, j, at(g, j) * invB);
        put(g, k, at(g, k) - invB);
        break;
      }
      case EXPONENTIAL: {
        // exp(-beta * sum_j y_j p_j)   (golden vector conventions, docs/guides/testing.md)
        let s: f64 = 0;
        for (let j = 0; j < C; j++) s += <f64>at(y, j) * <f64>at(p, j);
        const e = Math.exp(-<f64>param * s);
        total += e;
        for (let j = 0; j < C; j++) put(g, j, <f32>(-<f64>param * <f64>at(y, j) * e) * invB);
        break;
      }
      case CATEGORICAL_HINGE: {
        // max(0, 1 + max_j (1 - y_j) p_j - sum_j y_j p_j); the first argmax takes the gradient.
        let pos: f32 = 0;
        let neg: f32 = -Infinity;
        let arg = 0;
        for (let j = 0; j < C; j++) {
          pos += at(y, j) * at(p, j);
          const n = (<f32>1 - at(y, j)) * at(p, j);
          if (n > neg) {
            neg = n;
            arg = j;
          }
        }
        const l: f32 = neg - pos + 1;
        for (let j = 0; j < C; j++) put(g, j, l > 0 ? -at(y, j) * invB : 0);
        if (l > 0) {
          total += l;
          put(g, arg, at(g, arg) + (1 - at(y, arg)) * invB);
        }
        break;
      }
      case KLD: {
        // Keras sums KLD over the last axis.
        for (let j = 0; j < C; j++) total += elementwise(kind, at(p, j), at(y, j), g + (<usize>j << 2), invB, param);
        break;
      }
      default: {
        const scale: f32 = invB / <f32>C;
        let row: f64 = 0;
        for (let j = 0; j < C; j++) row += elementwise(kind, at(p, j), at(y, j), g + (<usize>j << 2), scale, param);
        total += row / <f64>C;
      }
    }
    if (weights != 0) total = before + <f64>w * (total - before);
  }
  return <f32>(total / <f64>B);
}

/** Fused softmax + categorical cross-entropy gradient w.r.t. the logits: dz = (p * sum(y) - y) / B
 *  (P - y over B for one-hot y), row b times w_b with weights (0: none) [B]. sparse != 0: yTrue
 *  holds class indices [B]. Overwrites dz [B, C]. */
export function softmax_crossentropy_backward(p: usize, yTrue: usize, dz: usize, B: i32, C: i32, sparse: i32, weights: usize): void {
  const batchInv: f32 = 1 / <f32>B;
  const C4 = C & ~3;
  for (let b = 0; b < B; b++) {
    const invB: f32 = weights != 0 ? batchInv * load<f32>(weights + (<usize>b << 2)) : batchInv;
    const vb = f32x4.splat(invB);
    const pr = p + (<usize>b * <usize>C << 2);
    const dr = dz + (<usize>b * <usize>C << 2);
    if (sparse != 0) {
      let j = 0;
      for (; j < C4; j += 4) v128.store(dr + (<usize>j << 2), f32x4.mul(v128.load(pr + (<usize>j << 2)), vb));
      for (; j < C; j++) put(dr, j, at(pr, j) * invB);
      const k = <i32>load<f32>(yTrue + (<usize>b << 2));
      put(dr, k, at(dr, k) - invB);
    } else {
      const yr = yTrue + (<usize>b * <usize>C << 2);
      let sy: f32 = 0;
      for (let j = 0; j < C; j++) sy += at(yr, j);
      const vs = f32x4.splat(sy);
      let j = 0;
      for (; j < C4; j += 4) {
        const o = <usize>j << 2;
        v128.store(dr + o, f32x4.mul(f32x4.sub(f32x4.mul(v128.load(pr + o), vs), v128.load(yr + o)), vb));
      }
      for (; j < C; j++) put(dr, j, (at(pr, j) * sy - at(yr, j)) * invB);
    }
  }
}
