// Dense (fully connected): y = x @ w + bias.   x [B, I]   w [I, U]   wt [U, I]   bias [U]   y [B, U]

/** y = x @ w + bias (overwrites y; bias == 0 means no bias). */
export function dense_forward(x: usize, w: usize, bias: usize, y: usize, B: i32, I: i32, U: i32): void {
  unreachable();
}

/** dx += dy @ w^T, given wt = w transposed [U, I]. */
export function dense_backward_input(dy: usize, wt: usize, dx: usize, B: i32, I: i32, U: i32): void {
  unreachable();
}

/** dw += x^T @ dy. */
export function dense_backward_kernel(x: usize, dy: usize, dw: usize, B: i32, I: i32, U: i32): void {
  unreachable();
}
