// Zeroing a buffer (the gradient block before every backward; the kernels accumulate into it).
// A kernel of its own so that src/threads/splits.ts can split it over the threads by ranges.

/** x[0..N) = 0.   x [N] */
export function zero_f32(x: usize, N: i32): void {
  memory.fill(x, 0, <usize>N << 2);
}
