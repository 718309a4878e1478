// The general ReLU of Keras (keras.activations.relu(x, negative_slope, max_value, threshold)),
// behind the ReLU, ThresholdedReLU and LeakyReLU layers:
//   y = (x > t ? clamp(x, lo, hi) : 0) - s * max(t - x, 0)          x, y, dy, dx [N]
// t threshold, s negative slope; lo, hi = 0, max_value with a max_value, else -inf, +inf
// (Keras clips only when max_value is given). Derivative (kinks at t, lo, hi take the right-open side):
//   dx += dy * ((x > t && lo < x && x < hi) ? 1 : 0) + dy * (x < t ? s : 0)

export function relu_general_forward(x: usize, y: usize, N: i32, t: f32, lo: f32, hi: f32, s: f32): void {
  const N4 = N & ~3;
  const zero = f32x4.splat(0);
  const vt = f32x4.splat(t);
  const vlo = f32x4.splat(lo);
  const vhi = f32x4.splat(hi);
  const vs = f32x4.splat(s);
  let i = 0;
  for (; i < N4; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    const pos = v128.and(f32x4.min(f32x4.max(v, vlo), vhi), f32x4.gt(v, vt));
    const neg = f32x4.mul(vs, f32x4.max(f32x4.sub(vt, v), zero));
    v128.store(y + (<usize>i << 2), f32x4.sub(pos, neg));
  }
  for (; i < N; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    const pos: f32 = v > t ? min(max(v, lo), hi) : 0;
    store<f32>(y + (<usize>i << 2), pos - s * max(t - v, <f32>0));
  }
}

export function relu_general_backward(x: usize, dy: usize, dx: usize, N: i32, t: f32, lo: f32, hi: f32, s: f32): void {
  const N4 = N & ~3;
  const vt = f32x4.splat(t);
  const vlo = f32x4.splat(lo);
  const vhi = f32x4.splat(hi);
  const vs = f32x4.splat(s);
  let i = 0;
  for (; i < N4; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(x + o);
    const g = v128.load(dy + o);
    const pass = v128.and(f32x4.gt(v, vt), v128.and(f32x4.gt(v, vlo), f32x4.lt(v, vhi)));
    const below = f32x4.lt(v, vt);
    const d = f32x4.add(v128.and(g, pass), v128.and(f32x4.mul(vs, g), below));
    v128.store(dx + o, f32x4.add(v128.load(dx + o), d));
  }
  for (; i < N; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    const g = load<f32>(dy + o);
    let d: f32 = 0;
    if (v > t && v > lo && v < hi) d = g;
    else if (v < t) d = s * g;
    store<f32>(dx + o, load<f32>(dx + o) + d);
  }
}
