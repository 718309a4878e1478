// The f32x4 multiply-add peak of this engine and CPU, for bench/kernels.ts: 12 independent
// accumulator chains (enough to hide the add latency), no memory traffic. Same fma as the GEMM
// (relaxed_madd in the relaxed-SIMD build). 96 FLOP per iteration; returns a value that depends on
// every chain so the loop cannot be removed.

@inline function fma(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

export function f32x4_peak(n: i32, x: f32): f32 {
  const a = f32x4.splat(x);
  const b = f32x4.splat(0.999);
  let c0 = a, c1 = b, c2 = a, c3 = b, c4 = a, c5 = b, c6 = a, c7 = b, c8 = a, c9 = b, c10 = a, c11 = b;
  for (let i = 0; i < n; i++) {
    c0 = fma(c0, a, b);
    c1 = fma(c1, a, b);
    c2 = fma(c2, a, b);
    c3 = fma(c3, a, b);
    c4 = fma(c4, a, b);
    c5 = fma(c5, a, b);
    c6 = fma(c6, a, b);
    c7 = fma(c7, a, b);
    c8 = fma(c8, a, b);
    c9 = fma(c9, a, b);
    c10 = fma(c10, a, b);
    c11 = fma(c11, a, b);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(c0, c1), f32x4.add(c2, c3)), f32x4.add(f32x4.add(f32x4.add(c4, c5), f32x4.add(c6, c7)), f32x4.add(f32x4.add(c8, c9), f32x4.add(c10, c11))));
  return f32x4.extract_lane(s, 0);
}
