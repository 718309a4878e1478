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
  // Rows outer so dy streams once in order; db (F floats) stays in L1. Two rows per db update.
  // Not split over threads: a column range per thread read every row's lines at half the speed.
  const rowBytes = (<usize>F) << 2;
  const F4 = F & ~3;
  let r = 0;
  for (; r + 1 < R; r += 2) {
    const p = dy + <usize>r * rowBytes;
    let f = 0;
    for (; f < F4; f += 4) {
      const o = <usize>f << 2;
      v128.store(db + o, f32x4.add(v128.load(db + o), f32x4.add(v128.load(p + o), v128.load(p + rowBytes + o))));
    }
    for (; f < F; f++) {
      const o = <usize>f << 2;
      store<f32>(db + o, load<f32>(db + o) + (load<f32>(p + o) + load<f32>(p + rowBytes + o)));
    }
  }
  if (r < R) {
    const p = dy + <usize>r * rowBytes;
    let f = 0;
    for (; f < F4; f += 4) {
      const o = <usize>f << 2;
      v128.store(db + o, f32x4.add(v128.load(db + o), v128.load(p + o)));
    }
    for (; f < F; f++) {
      const o = <usize>f << 2;
      store<f32>(db + o, load<f32>(db + o) + load<f32>(p + o));
    }
  }
}
