// Optimizer steps over one contiguous parameter region in one call.   p, g, vel, m, v [N]

/** vel = momentum*vel - lr*g;  p += vel  (nesterov != 0: p += momentum*vel - lr*g). */
export function sgd_update(p: usize, g: usize, vel: usize, N: i32, lr: f32, momentum: f32, nesterov: i32): void {
  unreachable();
}

/** m = b1*m + (1-b1)*g;  v = b2*v + (1-b2)*g^2;  p -= lr * (m/bc1) / (sqrt(v/bc2) + eps),
 *  with the bias corrections bc1 = 1 - b1^t, bc2 = 1 - b2^t computed by the caller. */
export function adam_update(p: usize, g: usize, m: usize, v: usize, N: i32, lr: f32, b1: f32, b2: f32, eps: f32, bc1: f32, bc2: f32): void {
  unreachable();
}
