// Data movement of the shape layers (ZeroPadding1D, Cropping1D, UpSampling1D, RepeatVector,
// Permute): a strided copy over three nested counts (A, R, N), each with its own stride in x and
// in y (in floats). y[a*yA + r*yR + n*yN] (= or +=) x[a*xA + r*xR + n*xN].
// With acc the copy accumulates (backward: dx += the matching part of dy; a 0 stride in y sums
// several rows of x into one, as the gradient of a repetition needs). The inner count runs as
// SIMD (memory.copy or f32x4 adds) when both inner strides are 1.

export function strided_copy(x: usize, y: usize, A: i32, R: i32, N: i32, xA: i32, xR: i32, xN: i32, yA: i32, yR: i32, yN: i32, acc: i32): void {
  const contiguous = xN == 1 && yN == 1;
  const N4 = N & ~3;
  for (let a = 0; a < A; a++) {
    for (let r = 0; r < R; r++) {
      const src = x + ((<usize>a * <usize>xA + <usize>r * <usize>xR) << 2);
      const dst = y + ((<usize>a * <usize>yA + <usize>r * <usize>yR) << 2);
      if (contiguous && !acc) {
        memory.copy(dst, src, <usize>N << 2);
      } else if (contiguous) {
        let n = 0;
        for (; n < N4; n += 4) {
          const p = <usize>n << 2;
          v128.store(dst + p, f32x4.add(v128.load(dst + p), v128.load(src + p)));
        }
        for (; n < N; n++) {
          const p = <usize>n << 2;
          store<f32>(dst + p, load<f32>(dst + p) + load<f32>(src + p));
        }
      } else {
        for (let n = 0; n < N; n++) {
          const s = src + ((<usize>n * <usize>xN) << 2);
          const d = dst + ((<usize>n * <usize>yN) << 2);
          store<f32>(d, (acc ? load<f32>(d) : 0) + load<f32>(s));
        }
      }
    }
  }
}

/** y[a*yA + n] = 0 for n < N: the zero rows of a padding. */
export function strided_zero(y: usize, A: i32, N: i32, yA: i32): void {
  for (let a = 0; a < A; a++) memory.fill(y + ((<usize>a * <usize>yA) << 2), 0, <usize>N << 2);
}
