// Whole-buffer kernels: zeroing (the gradient block before every backward; the kernels accumulate
// into it) and adding up partial results (the per-group kernel gradients of conv1d.ts). Kernels
// of their own so that src/threads/splits.ts can split them over the threads by element ranges.

/** x[0..N) = 0.   x [N] */
export function zero_f32(x: usize, N: i32): void {
  memory.fill(x, 0, <usize>N << 2);
}

/** dst[i] += sum_g partials[g*ld + i], the G partials added in g order, for i < N.
 *  partials [G, ld] (N <= ld: a range of a partial's elements), dst [N] */
export function accumulate_partials_f32(partials: usize, G: i32, N: i32, ld: i32, dst: usize): void {
  const stride = (<usize>ld) << 2;
  const N4 = N & ~3;
  let i = 0;
  for (; i < N4; i += 4) {
    const o = (<usize>i) << 2;
    let acc = v128.load(partials + o);
    for (let g = 1; g < G; g++) acc = f32x4.add(acc, v128.load(partials + <usize>g * stride + o));
    v128.store(dst + o, f32x4.add(v128.load(dst + o), acc));
  }
  for (; i < N; i++) {
    const o = (<usize>i) << 2;
    let acc = load<f32>(partials + o);
    for (let g = 1; g < G; g++) acc += load<f32>(partials + <usize>g * stride + o);
    store<f32>(dst + o, load<f32>(dst + o) + acc);
  }
}
