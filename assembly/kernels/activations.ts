// Elementwise activations (by kind code, see ActivationKind in src/runtime/codes.ts), softmax over
// the last axis, and PReLU with a per-channel slope.   x, y, dy, dx [N]

/** y = f(x). alpha: leakyRelu slope, elu alpha, swish beta; ignored by the others. */
export function activation_forward(kind: i32, x: usize, y: usize, N: i32, alpha: f32): void {
  unreachable();
}

/** dx += f'(x) * dy. Uses x, or y where that is cheaper (sigmoid, tanh); both are given. */
export function activation_backward(kind: i32, x: usize, y: usize, dy: usize, dx: usize, N: i32, alpha: f32): void {
  unreachable();
}

/** y[r, :] = softmax(x[r, :])   x, y [R, C]; max-subtracted. */
export function softmax_forward(x: usize, y: usize, R: i32, C: i32): void {
  unreachable();
}

/** dx[r, i] += y[r, i] * (dy[r, i] - sum_j dy[r, j] * y[r, j]). */
export function softmax_backward(y: usize, dy: usize, dx: usize, R: i32, C: i32): void {
  unreachable();
}

/** y = x > 0 ? x : alpha[c] * x   x, y [R, C], alpha [C]. */
export function prelu_forward(x: usize, alpha: usize, y: usize, R: i32, C: i32): void {
  unreachable();
}

/** dx += (x > 0 ? 1 : alpha[c]) * dy;  dalpha[c] += sum_r (x <= 0 ? x : 0) * dy. */
export function prelu_backward(x: usize, alpha: usize, dy: usize, dx: usize, dalpha: usize, R: i32, C: i32): void {
  unreachable();
}
