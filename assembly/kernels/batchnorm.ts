// Batch normalization over rows (batch x length) per channel.   x, y, dy, dx [R, C]
//   gamma, beta, mean, rstd, movMean, movVar, dgamma, dbeta [C]
// Two passes over the data per direction: per-channel sums, then one elementwise pass.
// The sums follow a reduction tree fixed by R alone, never by the thread count: the rows are cut
// into chunks of CHUNK rows, each chunk's sums go to its own f64 partials (batchnorm_sums, which
// src/threads/splits.ts splits by chunks), and the partials are added in chunk order
// (batchnorm_train_stats, batchnorm_backward_stats). So every thread count gives the same bits.
// Inside a chunk, blocks of RB rows: each 4-channel group goes down the block's rows in f32 (two
// rows at a time: four independent add chains), then adds its block partial to the chunk's f64
// partials. A block's lines stay in L1 while its groups are summed, so every line is read from
// memory once, and the f64 partials keep a mean over 32*8000 rows as accurate as its f32 inputs.
// The variance is summed shifted by row 0 (var = E[(x-x0)^2] - E[x-x0]^2), which avoids a third
// pass without the cancellation of E[x^2] - E[x]^2 when |mean| >> std.
// The elementwise passes (batchnorm_normalize, batchnorm_backward_apply) go row by row, reading
// per-channel tables (L1) beside the data; they split over threads by rows.
//
// Scratch of a training layer (batchnorm_scratch_floats(R, C) floats, 8-byte aligned):
//   [f64 partials [chunks(R)][2][C] | f32 tables k, e, g [C] each]

const RB = 32; // rows per block: 32 rows of C <= 128 channels fit L1 (16 KiB)
const CHUNK = 256; // rows per chunk of partial sums (a multiple of RB)

@inline function lo64(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}
@inline function hi64(v: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.shuffle(v, v, 2, 3, 2, 3));
}
@inline function ld(p: usize, c: i32): f32 {
  return load<f32>(p + (<usize>c << 2));
}
@inline function st(p: usize, c: i32, v: f32): void {
  store<f32>(p + (<usize>c << 2), v);
}
@inline function ld64(p: usize, c: i32): f64 {
  return load<f64>(p + (<usize>c << 3));
}
/** f64 totals t[c..c+4) += the 4 lanes of v. */
@inline function addTo64(t: usize, c: i32, v: v128): void {
  const p = t + (<usize>c << 3);
  v128.store(p, f64x2.add(v128.load(p), lo64(v)));
  v128.store(p, f64x2.add(v128.load(p, 16), hi64(v)), 16);
}
/** The 4 floats of y at byte offset p, zeroed where mask (if any) is not > 0. */
@inline function masked(y: usize, mask: usize, p: usize): v128 {
  const v = v128.load(y + p);
  return mask ? v128.and(v, f32x4.gt(v128.load(mask + p), f32x4.splat(0))) : v;
}
@inline function masked1(y: usize, mask: usize, p: usize): f32 {
  return mask && !(load<f32>(mask + p) > 0) ? 0 : load<f32>(y + p);
}
@inline function chunksOf(R: i32): i32 {
  return (R + CHUNK - 1) / CHUNK;
}
/** Bytes of one chunk's partials: s and q, C f64 each. */
@inline function chunkBytes(C: i32): usize {
  return <usize>C << 4;
}
/** The f32 tables after the partials in a scratch. */
@inline function tablesAt(scratch: usize, R: i32, C: i32): usize {
  return scratch + <usize>chunksOf(R) * chunkBytes(C);
}

/** Floats of scratch a training batch norm over R rows of C channels needs (see the header). */
export function batchnorm_scratch_floats(R: i32, C: i32): i32 {
  return 4 * C * chunksOf(R) + 3 * C;
}

/** Per channel, over rows [r0, r1), into f64 totals s, q [C] (zeroed here):
 *    shifted: s += sum_r (u - v0), q += sum_r (u - v0)^2   with u = x[r, c], v0 = x[0, c]  (y == 0)
 *    product: s += sum_r y[r, c],  q += sum_r y[r, c] * (x[r, c] - m[c])                    (y != 0)
 *  The first gives the batch statistics, the second the backward's sum(dy) and sum(dy*(x-m)).
 *  mask != 0 (product only): y[r, c] counts where mask[r, c] > 0, else 0 (a fused ReLU's gradient). */
function channelSums(x: usize, y: usize, m: usize, s: usize, q: usize, rFirst: i32, rEnd: i32, C: i32, mask: usize): void {
  memory.fill(s, 0, <usize>C << 3);
  memory.fill(q, 0, <usize>C << 3);
  const rowBytes = <usize>C << 2;
  const C4 = C & ~3;
  const shifted = y == 0;
  const sh = shifted ? x : m; // the value subtracted from x: row 0, or the mean
  for (let r0 = rFirst; r0 < rEnd; r0 += RB) {
    const r1 = min(rEnd, r0 + RB);
    const base = <usize>r0 * rowBytes;
    let c = 0;
    for (; c < C4; c += 4) {
      const o = <usize>c << 2;
      const shv = v128.load(sh + o);
      let a0 = f32x4.splat(0), a1 = a0, b0 = a0, b1 = a0;
      let p = base + o;
      let r = r0;
      for (; r + 1 < r1; r += 2, p += 2 * rowBytes) {
        const d0 = f32x4.sub(v128.load(x + p), shv);
        const d1 = f32x4.sub(v128.load(x + p + rowBytes), shv);
        const e0 = shifted ? d0 : masked(y, mask, p);
        const e1 = shifted ? d1 : masked(y, mask, p + rowBytes);
        a0 = f32x4.add(a0, e0);
        a1 = f32x4.add(a1, e1);
        b0 = f32x4.add(b0, f32x4.mul(e0, d0));
        b1 = f32x4.add(b1, f32x4.mul(e1, d1));
      }
      if (r < r1) {
        const d0 = f32x4.sub(v128.load(x + p), shv);
        const e0 = shifted ? d0 : masked(y, mask, p);
        a0 = f32x4.add(a0, e0);
        b0 = f32x4.add(b0, f32x4.mul(e0, d0));
      }
      addTo64(s, c, f32x4.add(a0, a1));
      addTo64(q, c, f32x4.add(b0, b1));
    }
    for (; c < C; c++) {
      const o = <usize>c << 2;
      const shc = load<f32>(sh + o);
      let a: f32 = 0;
      let b: f32 = 0;
      for (let r = r0, p = base + o; r < r1; r++, p += rowBytes) {
        const d = load<f32>(x + p) - shc;
        const e = shifted ? d : masked1(y, mask, p);
        a += e;
        b += e * d;
      }
      store<f64>(s + (<usize>c << 3), ld64(s, c) + <f64>a);
      store<f64>(q + (<usize>c << 3), ld64(q, c) + <f64>b);
    }
  }
}

/** The partial sums of chunks [c0, c1) (of CHUNK rows; the last may be shorter) into
 *  partials[chunk] = [s [C] | q [C]] f64, as channelSums: y == 0 the shifted statistics of x,
 *  else the backward's sums of y and y*(x - m) (with mask != 0, of y where mask > 0: the gradient
 *  through a fused ReLU whose output is mask). */
export function batchnorm_sums(x: usize, y: usize, m: usize, partials: usize, R: i32, C: i32, c0: i32, c1: i32, mask: usize): void {
  for (let i = c0; i < c1; i++) {
    const s = partials + <usize>i * chunkBytes(C);
    channelSums(x, y, m, s, s + (<usize>C << 3), i * CHUNK, min(R, (i + 1) * CHUNK), C, mask);
  }
}

/** Chunk partials added in chunk order: t[c] = sum_i partials[i][half][c]. */
@inline function total(partials: usize, n: i32, C: i32, half: i32, c: i32): f64 {
  let t: f64 = 0;
  const at = partials + (<usize>half * <usize>C << 3) + (<usize>c << 3);
  for (let i = 0; i < n; i++) t += load<f64>(at + <usize>i * chunkBytes(C));
  return t;
}

/** From the shifted partials of x: mean, rstd = 1/sqrt(var+eps) (biased variance), the moving
 *  statistics movX = momentum*movX + (1-momentum)*batchX, and the table k = gamma*rstd. */
export function batchnorm_train_stats(x: usize, gamma: usize, partials: usize, mean: usize, rstd: usize, k: usize, movMean: usize, movVar: usize, R: i32, C: i32, momentum: f32, eps: f32): void {
  const n = chunksOf(R);
  const invR: f64 = 1 / <f64>R;
  const mo: f64 = momentum;
  for (let c = 0; c < C; c++) {
    const d = total(partials, n, C, 0, c) * invR; // mean - x0
    const va = max(total(partials, n, C, 1, c) * invR - d * d, 0);
    const m = <f64>ld(x, c) + d;
    const rs = <f32>(1 / Math.sqrt(va + <f64>eps));
    st(mean, c, <f32>m);
    st(rstd, c, rs);
    st(movMean, c, <f32>(mo * <f64>ld(movMean, c) + (1 - mo) * m));
    st(movVar, c, <f32>(mo * <f64>ld(movVar, c) + (1 - mo) * va));
    st(k, c, ld(gamma, c) * rs);
  }
}

/** y[r, c] = (x[r, c] - m[c]) * k[c] + b[c], row by row; relu != 0: max(that, 0) (a ReLU fused
 *  after the batch norm).   x, y [R, C]; m, k, b [C] */
export function batchnorm_normalize(x: usize, m: usize, k: usize, b: usize, y: usize, R: i32, C: i32, relu: i32): void {
  if (relu) normalizeRows(x, m, k, b, y, R, C, true);
  else normalizeRows(x, m, k, b, y, R, C, false);
}

@inline function normalizeRows(x: usize, m: usize, k: usize, b: usize, y: usize, R: i32, C: i32, relu: bool): void {
  const C4 = C & ~3;
  const rowBytes = <usize>C << 2;
  const zero = f32x4.splat(0);
  for (let r = 0; r < R; r++) {
    let c = 0;
    for (; c < C4; c += 4) {
      const o = <usize>c << 2;
      const v = f32x4.add(f32x4.mul(f32x4.sub(v128.load(x + o), v128.load(m + o)), v128.load(k + o)), v128.load(b + o));
      v128.store(y + o, relu ? f32x4.max(v, zero) : v);
    }
    for (; c < C; c++) {
      const v = (ld(x, c) - ld(m, c)) * ld(k, c) + ld(b, c);
      st(y, c, relu ? max<f32>(v, 0) : v);
    }
    x += rowBytes;
    y += rowBytes;
  }
}

/** Batch statistics (biased variance), y = gamma*(x-mean)*rstd + beta, rstd = 1/sqrt(var+eps);
 *  saves mean and rstd for the backward; movX = momentum*movX + (1-momentum)*batchX.
 *  scratch: batchnorm_scratch_floats(R, C) floats, 8-byte aligned. The three steps in one call,
 *  as the layer runs them (with its steps split over threads). */
export function batchnorm_forward_train(x: usize, gamma: usize, beta: usize, y: usize, mean: usize, rstd: usize, movMean: usize, movVar: usize, scratch: usize, R: i32, C: i32, momentum: f32, eps: f32): void {
  batchnorm_sums(x, 0, 0, scratch, R, C, 0, chunksOf(R), 0);
  const k = tablesAt(scratch, R, C);
  batchnorm_train_stats(x, gamma, scratch, mean, rstd, k, movMean, movVar, R, C, momentum, eps);
  batchnorm_normalize(x, mean, k, beta, y, R, C, 0);
}

/** y = gamma*(x-movMean)/sqrt(movVar+eps) + beta. Blocks of RB rows per 4-channel group, the
 *  group's scale computed once per block (no scratch at inference). */
export function batchnorm_forward_infer(x: usize, gamma: usize, beta: usize, movMean: usize, movVar: usize, y: usize, R: i32, C: i32, eps: f32): void {
  const rowBytes = <usize>C << 2;
  const C4 = C & ~3;
  const veps = f32x4.splat(eps);
  for (let r0 = 0; r0 < R; r0 += RB) {
    const r1 = min(R, r0 + RB);
    const base = <usize>r0 * rowBytes;
    let c = 0;
    for (; c < C4; c += 4) {
      const o = <usize>c << 2;
      const k = f32x4.div(v128.load(gamma + o), f32x4.sqrt(f32x4.add(v128.load(movVar + o), veps)));
      const m = v128.load(movMean + o);
      const bt = v128.load(beta + o);
      for (let r = r0, p = base + o; r < r1; r++, p += rowBytes) {
        v128.store(y + p, f32x4.add(f32x4.mul(f32x4.sub(v128.load(x + p), m), k), bt));
      }
    }
    for (; c < C; c++) {
      const o = <usize>c << 2;
      const k = ld(gamma, c) / Mathf.sqrt(ld(movVar, c) + eps);
      const m = ld(movMean, c);
      const bt = ld(beta, c);
      for (let r = r0, p = base + o; r < r1; r++, p += rowBytes) store<f32>(y + p, (load<f32>(x + p) - m) * k + bt);
    }
  }
}

/** xhat = (x-mean)*rstd;  dbeta += sum dy;  dgamma += sum dy*xhat;
 *  dx += gamma*rstd/R * (R*dy - sum(dy) - xhat*sum(dy*xhat)).
 *  scratch: batchnorm_scratch_floats(R, C) floats, 8-byte aligned. The three steps in one call,
 *  as the layer runs them. */
export function batchnorm_backward(x: usize, gamma: usize, mean: usize, rstd: usize, dy: usize, dx: usize, dgamma: usize, dbeta: usize, scratch: usize, R: i32, C: i32): void {
  batchnorm_sums(x, dy, mean, scratch, R, C, 0, chunksOf(R), 0);
  const t = tablesAt(scratch, R, C);
  batchnorm_backward_stats(gamma, rstd, scratch, dgamma, dbeta, t, R, C);
  batchnorm_backward_apply(x, mean, dy, dx, t, R, C, 0);
}

/** From the partials of (dy, dy*(x-m)): dbeta += sum dy, dgamma += sum dy*xhat, and the tables
 *  of the dx pass, t = [k | e | g] [C] each: k = gamma*rstd, e = k*rstd*mean(dy*xhat), g = k*mean(dy). */
export function batchnorm_backward_stats(gamma: usize, rstd: usize, partials: usize, dgamma: usize, dbeta: usize, t: usize, R: i32, C: i32): void {
  const n = chunksOf(R);
  const e = t + (<usize>C << 2);
  const g = e + (<usize>C << 2);
  const invR: f64 = 1 / <f64>R;
  for (let c = 0; c < C; c++) {
    const rs = ld(rstd, c);
    const sdy = total(partials, n, C, 0, c);
    const sdx = total(partials, n, C, 1, c) * <f64>rs; // sum dy*xhat
    st(dbeta, c, ld(dbeta, c) + <f32>sdy);
    st(dgamma, c, ld(dgamma, c) + <f32>sdx);
    const kc = ld(gamma, c) * rs;
    st(t, c, kc);
    st(e, c, kc * rs * <f32>(sdx * invR));
    st(g, c, kc * <f32>(sdy * invR));
  }
}

/** dx[r, c] += k[c]*dy[r, c] - ((x[r, c] - mean[c])*e[c] + g[c]), row by row; t = [k | e | g].
 *  mask != 0: dy[r, c] counts only where mask[r, c] > 0 (the gradient through a fused ReLU). */
export function batchnorm_backward_apply(x: usize, mean: usize, dy: usize, dx: usize, t: usize, R: i32, C: i32, mask: usize): void {
  const k = t;
  const e = t + (<usize>C << 2);
  const g = e + (<usize>C << 2);
  const C4 = C & ~3;
  const rowBytes = <usize>C << 2;
  for (let r = 0, p: usize = 0; r < R; r++, p += rowBytes) {
    let c = 0;
    for (; c < C4; c += 4) {
      const o = <usize>c << 2;
      const v = f32x4.sub(f32x4.mul(v128.load(k + o), masked(dy, mask, p + o)), f32x4.add(f32x4.mul(f32x4.sub(v128.load(x + p + o), v128.load(mean + o)), v128.load(e + o)), v128.load(g + o)));
      v128.store(dx + p + o, f32x4.add(v128.load(dx + p + o), v));
    }
    for (; c < C; c++) {
      const o = p + (<usize>c << 2);
      store<f32>(dx + o, load<f32>(dx + o) + (ld(k, c) * masked1(dy, mask, o) - ((load<f32>(x + o) - ld(mean, c)) * ld(e, c) + ld(g, c))));
    }
  }
}

/** Inference folding of a batch norm into the preceding convolution or dense layer:
 *  s = gamma/sqrt(movVar+eps);  wOut[r, f] = w[r, f]*s[f];  bOut[f] = (bias[f] - movMean[f])*s[f] + beta[f]
 *  (bias == 0: none).   w, wOut [R, F]   bias, gamma, beta, movMean, movVar, bOut [F] */
export function batchnorm_fold(w: usize, bias: usize, gamma: usize, beta: usize, movMean: usize, movVar: usize, wOut: usize, bOut: usize, R: i32, F: i32, eps: f32): void {
  for (let f = 0; f < F; f++) {
    const s = ld(gamma, f) / Mathf.sqrt(ld(movVar, f) + eps);
    st(bOut, f, ((bias ? ld(bias, f) : 0) - ld(movMean, f)) * s + ld(beta, f));
  }
  const F4 = F & ~3;
  const rowBytes = <usize>F << 2;
  for (let r = 0; r < R; r++, w += rowBytes, wOut += rowBytes) {
    let f = 0;
    for (; f < F4; f += 4) {
      const o = <usize>f << 2;
      v128.store(wOut + o, f32x4.mul(v128.load(w + o), f32x4.div(v128.load(gamma + o), f32x4.sqrt(f32x4.add(v128.load(movVar + o), f32x4.splat(eps))))));
    }
    for (; f < F; f++) st(wOut, f, ld(w, f) * (ld(gamma, f) / Mathf.sqrt(ld(movVar, f) + eps)));
  }
}
