// Smooth random curves and resampling for the warping augmenters (Um et al. 2017, "Data
// augmentation of wearable sensor data", ICMI; the cubic-spline warps of Iwana & Uchida 2021).

/** A natural cubic spline through (xs[k], ys[k]) (xs increasing) evaluated at t = 0..L-1 into out[0..L). */
export function spline(xs: readonly number[], ys: readonly number[], L: number, out: Float64Array): void {
  const K = xs.length;
  // second derivatives m (m_0 = m_{K-1} = 0) from the tridiagonal system (Thomas algorithm)
  const m = new Float64Array(K);
  const c = new Float64Array(K);
  const d = new Float64Array(K);
  for (let k = 1; k < K - 1; k++) {
    const h0 = xs[k] - xs[k - 1];
    const h1 = xs[k + 1] - xs[k];
    const a = h0 / 6;
    const b = (h0 + h1) / 3;
    const cc = h1 / 6;
    const r = (ys[k + 1] - ys[k]) / h1 - (ys[k] - ys[k - 1]) / h0;
    const den = b - a * c[k - 1];
    c[k] = cc / den;
    d[k] = (r - a * d[k - 1]) / den;
  }
  for (let k = K - 2; k >= 1; k--) m[k] = d[k] - c[k] * m[k + 1];
  let k = 0;
  for (let t = 0; t < L; t++) {
    while (k < K - 2 && t > xs[k + 1]) k++;
    const h = xs[k + 1] - xs[k];
    const a = (xs[k + 1] - t) / h;
    const b = (t - xs[k]) / h;
    out[t] = a * ys[k] + b * ys[k + 1] + (((a * a * a - a) * m[k] + (b * b * b - b) * m[k + 1]) * h * h) / 6;
  }
}

/** `knots` interior knots plus both ends, evenly spaced over 0..L-1. */
export function knotPositions(knots: number, L: number): number[] {
  return Array.from({ length: knots + 2 }, (_, k) => ((L - 1) * k) / (knots + 1));
}

/** out[t] = src at position pos[t] (linear interpolation; positions outside [0, L-1] read `fill`,
 *  or clamp to the ends when fill is null). src, out: one row [L, C]; channel c at t C + c. */
export function resample(src: Float32Array, out: Float32Array, outOffset: number, L: number, C: number, pos: (t: number) => number, outL: number, fill: number | null): void {
  for (let t = 0; t < outL; t++) {
    let p = pos(t);
    const o = outOffset + t * C;
    if (fill !== null && (p < 0 || p > L - 1)) {
      for (let c = 0; c < C; c++) out[o + c] = fill;
      continue;
    }
    p = Math.min(Math.max(p, 0), L - 1);
    const i = Math.min(Math.floor(p), L - 2 < 0 ? 0 : L - 2);
    const f = p - i;
    const j = Math.min(i + 1, L - 1);
    for (let c = 0; c < C; c++) out[o + c] = (1 - f) * src[i * C + c] + f * src[j * C + c];
  }
}
