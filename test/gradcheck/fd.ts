// Central finite differences and their comparison with an analytic gradient.
import assert from 'node:assert/strict';

export interface FdOptions {
  eps: number;
  atol: number;
  rtol: number;
  /** Coordinates to skip deliberately (a kink within eps of the point); their count is reported. */
  skip?: (i: number) => boolean;
  /** Check at most this many coordinates (evenly spread) to bound the cost. */
  maxChecks?: number;
}

/** Compares analytic[i] with (f(v+eps) - f(v-eps)) / 2eps for coordinates i of `v` (mutated and
 *  restored). Returns how many coordinates were skipped as kinks. */
export function checkGradient(label: string, v: Float32Array | Float64Array, analytic: ArrayLike<number>, f: () => number, o: FdOptions): number {
  assert.equal(analytic.length, v.length, `${label}: gradient length ${analytic.length} != ${v.length}`);
  const stride = o.maxChecks && v.length > o.maxChecks ? Math.ceil(v.length / o.maxChecks) : 1;
  let skipped = 0;
  for (let i = 0; i < v.length; i += stride) {
    if (o.skip?.(i)) {
      skipped++;
      continue;
    }
    const keep = v[i];
    v[i] = keep + o.eps;
    const up = f();
    v[i] = keep - o.eps;
    const down = f();
    v[i] = keep;
    const numeric = (up - down) / (2 * o.eps);
    const a = analytic[i];
    if (!(Math.abs(a - numeric) <= o.atol + o.rtol * Math.abs(numeric))) {
      assert.fail(`${label}: d/d[${i}] analytic ${a} vs numeric ${numeric} (|diff| ${Math.abs(a - numeric)})`);
    }
  }
  return skipped;
}

/** sum_i r_i * y_i in double precision: the scalar whose gradient w.r.t. y is r. */
export function project(y: ArrayLike<number>, r: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i] * r[i];
  return s;
}

/** Uniform values in [lo, hi) at least `gap` away from each of the `kinks`. */
export function awayFrom(n: number, rand: () => number, lo: number, hi: number, kinks: number[], gap: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v: number;
    do v = lo + (hi - lo) * rand();
    while (kinks.some((k) => Math.abs(v - k) < gap));
    out[i] = v;
  }
  return out;
}
