// Bias broadcast and its gradient, shared by conv1d and dense.

/** y[r, f] = bias[f] (or 0 when bias == 0)   y [R, F], bias [F]. */
export function bias_fill(y: usize, bias: usize, R: i32, F: i32): void {
  unreachable();
}

/** db[f] += sum_r dy[r, f]   dy [R, F], db [F]. */
export function bias_backward(dy: usize, db: usize, R: i32, F: i32): void {
  unreachable();
}
