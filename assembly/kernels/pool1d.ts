// 1D pooling, channels last.   x, dx [B, L, C]   y, dy, idx [B, T, C]
// Window t covers input positions [t*S - padLeft, t*S - padLeft + P) clipped to [0, L): padding is
// ignored by max and not counted by average (Keras 'same' semantics). T and padLeft come from TS.
// SIMD runs over 4 channels at a time; channels C & ~3 .. C-1 are the scalar tail.

/** y[0, C), idx[0, C) = max / argmax over rows [lo, hi) of xb (row stride C floats).
 *  Strict '>' keeps the first maximum on ties. */
@inline
function maxRows(xb: usize, y: usize, idx: usize, C: i32, lo: i32, hi: i32): void {
  const rowBytes = <usize>C << 2;
  const C4 = C & ~3;
  let c = 0;
  for (; c < C4; c += 4) {
    let p = xb + <usize>lo * rowBytes + (<usize>c << 2);
    let best = v128.load(p);
    let arg = i32x4.splat(lo);
    for (let l = lo + 1; l < hi; l++) {
      p += rowBytes;
      const v = v128.load(p);
      const win = f32x4.gt(v, best);
      best = v128.bitselect(v, best, win);
      arg = v128.bitselect(i32x4.splat(l), arg, win);
    }
    v128.store(y + (<usize>c << 2), best);
    v128.store(idx + (<usize>c << 2), arg);
  }
  for (; c < C; c++) {
    let p = xb + <usize>lo * rowBytes + (<usize>c << 2);
    let best = load<f32>(p);
    let arg = lo;
    for (let l = lo + 1; l < hi; l++) {
      p += rowBytes;
      const v = load<f32>(p);
      if (v > best) {
        best = v;
        arg = l;
      }
    }
    store<f32>(y + (<usize>c << 2), best);
    store<i32>(idx + (<usize>c << 2), arg);
  }
}

/** y[0, C) = scale * sum of rows [lo, hi) of xb (row stride C floats). */
@inline
function meanRows(xb: usize, y: usize, C: i32, lo: i32, hi: i32, scale: f32): void {
  const rowBytes = <usize>C << 2;
  const C4 = C & ~3;
  const vs = f32x4.splat(scale);
  let c = 0;
  for (; c < C4; c += 4) {
    let p = xb + <usize>lo * rowBytes + (<usize>c << 2);
    let acc = f32x4.splat(0);
    for (let l = lo; l < hi; l++) {
      acc = f32x4.add(acc, v128.load(p));
      p += rowBytes;
    }
    v128.store(y + (<usize>c << 2), f32x4.mul(acc, vs));
  }
  for (; c < C; c++) {
    let p = xb + <usize>lo * rowBytes + (<usize>c << 2);
    let acc: f32 = 0;
    for (let l = lo; l < hi; l++) {
      acc += load<f32>(p);
      p += rowBytes;
    }
    store<f32>(y + (<usize>c << 2), acc * scale);
  }
}

/** dx[l, :] += scale * dy[:] for rows l in [lo, hi) of dxb (row stride C floats). */
@inline
function spreadRows(dy: usize, dxb: usize, C: i32, lo: i32, hi: i32, scale: f32): void {
  const rowBytes = <usize>C << 2;
  const C4 = C & ~3;
  const vs = f32x4.splat(scale);
  for (let l = lo; l < hi; l++) {
    const row = dxb + <usize>l * rowBytes;
    let c = 0;
    for (; c < C4; c += 4) {
      const o = <usize>c << 2;
      v128.store(row + o, f32x4.add(v128.load(row + o), f32x4.mul(v128.load(dy + o), vs)));
    }
    for (; c < C; c++) {
      const o = <usize>c << 2;
      store<f32>(row + o, load<f32>(row + o) + load<f32>(dy + o) * scale);
    }
  }
}

/** dx[b, idx[b, r, c], c] += dy[b, r, c] for R rows per batch element. */
@inline
function scatterRows(dy: usize, idx: usize, dx: usize, B: i32, L: i32, C: i32, R: i32): void {
  for (let b = 0; b < B; b++) {
    const dxb = dx + (<usize>b * <usize>L * <usize>C << 2);
    const off = <usize>b * <usize>R * <usize>C;
    for (let i = 0; i < R * C; i++) {
      const k = (off + <usize>i) << 2;
      const c = i % C;
      const p = dxb + ((<usize>load<i32>(idx + k) * <usize>C + <usize>c) << 2);
      store<f32>(p, load<f32>(p) + load<f32>(dy + k));
    }
  }
}

/** y = max over the window; idx[b, t, c] = input position l of the winner (first on ties, i32). */
export function maxpool1d_forward(x: usize, y: usize, idx: usize, B: i32, L: i32, C: i32, T: i32, P: i32, S: i32, padLeft: i32): void {
  for (let b = 0; b < B; b++) {
    const xb = x + (<usize>b * <usize>L * <usize>C << 2);
    for (let t = 0; t < T; t++) {
      const start = t * S - padLeft;
      const lo = max(start, 0);
      const hi = min(start + P, L);
      const o = ((<usize>b * <usize>T + <usize>t) * <usize>C) << 2;
      maxRows(xb, y + o, idx + o, C, lo, hi);
    }
  }
}

/** dx[b, idx[b, t, c], c] += dy[b, t, c]. */
export function maxpool1d_backward(dy: usize, idx: usize, dx: usize, B: i32, L: i32, C: i32, T: i32): void {
  scatterRows(dy, idx, dx, B, L, C, T);
}

/** y = mean over the real (unpadded) elements of the window. */
export function avgpool1d_forward(x: usize, y: usize, B: i32, L: i32, C: i32, T: i32, P: i32, S: i32, padLeft: i32): void {
  for (let b = 0; b < B; b++) {
    const xb = x + (<usize>b * <usize>L * <usize>C << 2);
    for (let t = 0; t < T; t++) {
      const start = t * S - padLeft;
      const lo = max(start, 0);
      const hi = min(start + P, L);
      const o = ((<usize>b * <usize>T + <usize>t) * <usize>C) << 2;
      meanRows(xb, y + o, C, lo, hi, <f32>1 / <f32>(hi - lo));
    }
  }
}

/** dx[b, l, c] += dy[b, t, c] / count(t) for every window t containing l. */
export function avgpool1d_backward(dy: usize, dx: usize, B: i32, L: i32, C: i32, T: i32, P: i32, S: i32, padLeft: i32): void {
  for (let b = 0; b < B; b++) {
    const dxb = dx + (<usize>b * <usize>L * <usize>C << 2);
    for (let t = 0; t < T; t++) {
      const start = t * S - padLeft;
      const lo = max(start, 0);
      const hi = min(start + P, L);
      const o = ((<usize>b * <usize>T + <usize>t) * <usize>C) << 2;
      spreadRows(dy + o, dxb, C, lo, hi, <f32>1 / <f32>(hi - lo));
    }
  }
}

/** y[b, c] = max_l x[b, l, c]; idx[b, c] = winning l (first on ties).   y, idx [B, C] */
export function global_maxpool1d_forward(x: usize, y: usize, idx: usize, B: i32, L: i32, C: i32): void {
  for (let b = 0; b < B; b++) {
    const o = (<usize>b * <usize>C) << 2;
    maxRows(x + (<usize>b * <usize>L * <usize>C << 2), y + o, idx + o, C, 0, L);
  }
}

/** dx[b, idx[b, c], c] += dy[b, c]. */
export function global_maxpool1d_backward(dy: usize, idx: usize, dx: usize, B: i32, L: i32, C: i32): void {
  scatterRows(dy, idx, dx, B, L, C, 1);
}

/** y[b, c] = mean_l x[b, l, c]. */
export function global_avgpool1d_forward(x: usize, y: usize, B: i32, L: i32, C: i32): void {
  for (let b = 0; b < B; b++) {
    meanRows(x + (<usize>b * <usize>L * <usize>C << 2), y + (<usize>b * <usize>C << 2), C, 0, L, <f32>1 / <f32>L);
  }
}

/** dx[b, l, c] += dy[b, c] / L. */
export function global_avgpool1d_backward(dy: usize, dx: usize, B: i32, L: i32, C: i32): void {
  for (let b = 0; b < B; b++) {
    spreadRows(dy + (<usize>b * <usize>C << 2), dx + (<usize>b * <usize>L * <usize>C << 2), C, 0, L, <f32>1 / <f32>L);
  }
}
