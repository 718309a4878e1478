// Bias broadcast and its gradient, shared by conv1d and dense. SIMD over F, scalar tail.

/** y[r, f] = bias[f] (or 0 when bias == 0)   y [R, F], bias [F]. */
export function bias_fill(y: usize, bias: usize, R: i32, F: i32): void {
  const rowBytes = (<usize>F) << 2;
  if (bias == 0) {
    memory.fill(y, 0, <usize>R * rowBytes);
    return;
  }
  const F4 = F & ~3;
  for (let r = 0; r < R; r++) {
    let f = 0;
    for (; f < F4; f += 4) v128.store(y + (<usize>f << 2), v128.load(bias + (<usize>f << 2)));
    for (; f < F; f++) store<f32>(y + (<usize>f << 2), load<f32>(bias + (<usize>f << 2)));
    y += rowBytes;
  }
}

/** db[f] += sum_r dy[r, f]   dy [R, F], db [F]. */
export function bias_backward(dy: usize, db: usize, R: i32, F: i32): void {
  const rowBytes = (<usize>F) << 2;
  const F4 = F & ~3;
  let f = 0;
  // Two accumulators per 4 columns break the add dependency chain over r.
  for (; f < F4; f += 4) {
    let p = dy + (<usize>f << 2);
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0);
    let r = 0;
    for (; r + 1 < R; r += 2) {
      s0 = f32x4.add(s0, v128.load(p));
      s1 = f32x4.add(s1, v128.load(p + rowBytes));
      p += 2 * rowBytes;
    }
    if (r < R) s0 = f32x4.add(s0, v128.load(p));
    const q = db + (<usize>f << 2);
    v128.store(q, f32x4.add(v128.load(q), f32x4.add(s0, s1)));
  }
  for (; f < F; f++) {
    let p = dy + (<usize>f << 2);
    let s: f32 = 0;
    for (let r = 0; r < R; r++) {
      s += load<f32>(p);
      p += rowBytes;
    }
    const q = db + (<usize>f << 2);
    store<f32>(q, load<f32>(q) + s);
  }
}
