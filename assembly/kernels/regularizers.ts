// Weight penalties and constraints (Keras regularizers and constraints), on one weight in place.
//   w, dw [N]; a constraint sees w as [O, R, I] and takes norms over R (the constrained axes,
//   contiguous), one norm per (o, i).
// penalty  P = l1 * sum |w| + l2 * sum w^2,   dP/dw = l1 * sign(w) + 2 * l2 * w   (sign(0) = 0)
// maxNorm  w *= min(n, maxValue) / (eps + n),  n = sqrt(sum_r w^2)
// unitNorm w /= eps + n
// nonNeg   w = max(w, 0)

/** Returns P in f64; with dw != 0 also dw += dP/dw. */
export function l1l2_penalty(w: usize, dw: usize, N: i32, l1: f32, l2: f32): f64 {
  const vl1 = f32x4.splat(l1);
  const vl2 = f32x4.splat(<f32>2 * l2);
  const zero = f32x4.splat(0);
  let sa: f64 = 0;
  let sq: f64 = 0;
  let i = 0;
  for (; i + 4 <= N; i += 4) {
    const p = <usize>i << 2;
    const v = v128.load(w + p);
    const a = f32x4.abs(v);
    const q = f32x4.mul(v, v);
    sa += <f64>(f32x4.extract_lane(a, 0) + f32x4.extract_lane(a, 1) + f32x4.extract_lane(a, 2) + f32x4.extract_lane(a, 3));
    sq += <f64>(f32x4.extract_lane(q, 0) + f32x4.extract_lane(q, 1) + f32x4.extract_lane(q, 2) + f32x4.extract_lane(q, 3));
    if (dw) {
      // sign: +1 where v > 0, -1 where v < 0, 0 at 0
      const sign = f32x4.sub(v128.and(f32x4.gt(v, zero), f32x4.splat(1)), v128.and(f32x4.lt(v, zero), f32x4.splat(1)));
      v128.store(dw + p, f32x4.add(v128.load(dw + p), f32x4.add(f32x4.mul(vl1, sign), f32x4.mul(vl2, v))));
    }
  }
  for (; i < N; i++) {
    const p = <usize>i << 2;
    const v = load<f32>(w + p);
    sa += <f64>Mathf.abs(v);
    sq += <f64>(v * v);
    if (dw) {
      const sign: f32 = v > 0 ? 1 : v < 0 ? -1 : 0;
      store<f32>(dw + p, load<f32>(dw + p) + l1 * sign + <f32>2 * l2 * v);
    }
  }
  return <f64>l1 * sa + <f64>l2 * sq;
}

/** maxNorm (mode 0) or unitNorm (mode 1) over R of w [O, R, I]. */
export function norm_constraint(w: usize, O: i32, R: i32, I: i32, maxValue: f32, eps: f32, mode: i32): void {
  const I4 = I & ~3;
  for (let o = 0; o < O; o++) {
    const base = w + ((<usize>o * <usize>R * <usize>I) << 2);
    let i = 0;
    for (; i < I4; i += 4) {
      let q = f32x4.splat(0);
      for (let r = 0; r < R; r++) {
        const v = v128.load(base + ((<usize>r * <usize>I + <usize>i) << 2));
        q = f32x4.add(q, f32x4.mul(v, v));
      }
      const n = f32x4.sqrt(q);
      const num = mode == 0 ? f32x4.min(n, f32x4.splat(maxValue)) : f32x4.splat(1);
      const s = f32x4.div(num, f32x4.add(n, f32x4.splat(eps)));
      for (let r = 0; r < R; r++) {
        const p = base + ((<usize>r * <usize>I + <usize>i) << 2);
        v128.store(p, f32x4.mul(v128.load(p), s));
      }
    }
    for (; i < I; i++) {
      let q: f32 = 0;
      for (let r = 0; r < R; r++) {
        const v = load<f32>(base + ((<usize>r * <usize>I + <usize>i) << 2));
        q += v * v;
      }
      const n = Mathf.sqrt(q);
      const s = (mode == 0 ? Mathf.min(n, maxValue) : <f32>1) / (n + eps);
      for (let r = 0; r < R; r++) {
        const p = base + ((<usize>r * <usize>I + <usize>i) << 2);
        store<f32>(p, load<f32>(p) * s);
      }
    }
  }
}

/** w = max(w, 0). */
export function non_neg_constraint(w: usize, N: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= N; i += 4) {
    const p = <usize>i << 2;
    v128.store(w + p, f32x4.pmax(v128.load(w + p), zero));
  }
  for (; i < N; i++) {
    const p = <usize>i << 2;
    const v = load<f32>(w + p);
    store<f32>(w + p, v < 0 ? 0 : v);
  }
}
