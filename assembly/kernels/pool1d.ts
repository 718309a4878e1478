// 1D pooling, channels last.   x, dx [B, L, C]   y, dy, idx [B, T, C]
// Window t covers input positions [t*S - padLeft, t*S - padLeft + P) clipped to [0, L): padding is
// ignored by max and not counted by average (Keras 'same' semantics). T and padLeft come from TS.

/** y = max over the window; idx[b, t, c] = input position l of the winner (first on ties, i32). */
export function maxpool1d_forward(x: usize, y: usize, idx: usize, B: i32, L: i32, C: i32, T: i32, P: i32, S: i32, padLeft: i32): void {
  unreachable();
}

/** dx[b, idx[b, t, c], c] += dy[b, t, c]. */
export function maxpool1d_backward(dy: usize, idx: usize, dx: usize, B: i32, L: i32, C: i32, T: i32): void {
  unreachable();
}

/** y = mean over the real (unpadded) elements of the window. */
export function avgpool1d_forward(x: usize, y: usize, B: i32, L: i32, C: i32, T: i32, P: i32, S: i32, padLeft: i32): void {
  unreachable();
}

/** dx[b, l, c] += dy[b, t, c] / count(t) for every window t containing l. */
export function avgpool1d_backward(dy: usize, dx: usize, B: i32, L: i32, C: i32, T: i32, P: i32, S: i32, padLeft: i32): void {
  unreachable();
}

/** y[b, c] = max_l x[b, l, c]; idx[b, c] = winning l (first on ties).   y, idx [B, C] */
export function global_maxpool1d_forward(x: usize, y: usize, idx: usize, B: i32, L: i32, C: i32): void {
  unreachable();
}

/** dx[b, idx[b, c], c] += dy[b, c]. */
export function global_maxpool1d_backward(dy: usize, idx: usize, dx: usize, B: i32, L: i32, C: i32): void {
  unreachable();
}

/** y[b, c] = mean_l x[b, l, c]. */
export function global_avgpool1d_forward(x: usize, y: usize, B: i32, L: i32, C: i32): void {
  unreachable();
}

/** dx[b, l, c] += dy[b, c] / L. */
export function global_avgpool1d_backward(dy: usize, dx: usize, B: i32, L: i32, C: i32): void {
  unreachable();
}
