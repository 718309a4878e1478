// Batch normalization over rows (batch x length) per channel.   x, y, dy, dx [R, C]
//   gamma, beta, mean, rstd, movMean, movVar, dgamma, dbeta [C]
// Each kernel walks 4-channel tiles (channels C & ~3 .. C-1 one at a time) down all R rows.
// Per-channel sums are accumulated in f64 (two f64x2 lanes per tile), so a mean over 32*8000 rows
// is as accurate as its f32 inputs; R can be large, the statistics must not drift.

@inline function lo64(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}
@inline function hi64(v: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.shuffle(v, v, 2, 3, 2, 3));
}
/** Two f64x2 back to one f32x4. */
@inline function to32(lo: v128, hi: v128): v128 {
  return f32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}
@inline function ld(p: usize, c: i32): f32 {
  return load<f32>(p + (<usize>c << 2));
}
@inline function st(p: usize, c: i32, v: f32): void {
  store<f32>(p + (<usize>c << 2), v);
}

/** Batch statistics (biased variance), y = gamma*(x-mean)*rstd + beta, rstd = 1/sqrt(var+eps);
 *  saves mean and rstd for the backward; movX = momentum*movX + (1-momentum)*batchX. */
export function batchnorm_forward_train(x: usize, gamma: usize, beta: usize, y: usize, mean: usize, rstd: usize, movMean: usize, movVar: usize, R: i32, C: i32, momentum: f32, eps: f32): void {
  batchnorm_forward_train_ld(x, gamma, beta, y, mean, rstd, movMean, movVar, R, C, momentum, eps, C);
}

/** batchnorm_forward_train over C channels of rows `ldx` floats apart (a channel range of a wider
 *  tensor: the per-thread part of src/threads/splits.ts). */
export function batchnorm_forward_train_ld(x: usize, gamma: usize, beta: usize, y: usize, mean: usize, rstd: usize, movMean: usize, movVar: usize, R: i32, C: i32, momentum: f32, eps: f32, ldx: i32): void {
  const rowBytes = <usize>ldx << 2;
  const C4 = C & ~3;
  const invR: f64 = 1 / <f64>R;
  const mo: f64 = momentum;
  const vmo = f64x2.splat(mo);
  const vmo1 = f64x2.splat(1 - mo);
  const vinvR = f64x2.splat(invR);
  const veps = f64x2.splat(<f64>eps);
  const one = f64x2.splat(1);
  let c = 0;
  for (; c < C4; c += 4) {
    const o = <usize>c << 2;
    let sl = f64x2.splat(0);
    let sh = f64x2.splat(0);
    for (let r = 0, p = x + o; r < R; r++, p += rowBytes) {
      const v = v128.load(p);
      sl = f64x2.add(sl, lo64(v));
      sh = f64x2.add(sh, hi64(v));
    }
    const ml = f64x2.mul(sl, vinvR);
    const mh = f64x2.mul(sh, vinvR);
    let ql = f64x2.splat(0);
    let qh = f64x2.splat(0);
    for (let r = 0, p = x + o; r < R; r++, p += rowBytes) {
      const v = v128.load(p);
      const dl = f64x2.sub(lo64(v), ml);
      const dh = f64x2.sub(hi64(v), mh);
      ql = f64x2.add(ql, f64x2.mul(dl, dl));
      qh = f64x2.add(qh, f64x2.mul(dh, dh));
    }
    const vl = f64x2.mul(ql, vinvR);
    const vh = f64x2.mul(qh, vinvR);
    const m32 = to32(ml, mh);
    const rs32 = to32(f64x2.div(one, f64x2.sqrt(f64x2.add(vl, veps))), f64x2.div(one, f64x2.sqrt(f64x2.add(vh, veps))));
    v128.store(mean + o, m32);
    v128.store(rstd + o, rs32);
    const mm = v128.load(movMean + o);
    const mv = v128.load(movVar + o);
    v128.store(movMean + o, to32(f64x2.add(f64x2.mul(vmo, lo64(mm)), f64x2.mul(vmo1, ml)), f64x2.add(f64x2.mul(vmo, hi64(mm)), f64x2.mul(vmo1, mh))));
    v128.store(movVar + o, to32(f64x2.add(f64x2.mul(vmo, lo64(mv)), f64x2.mul(vmo1, vl)), f64x2.add(f64x2.mul(vmo, hi64(mv)), f64x2.mul(vmo1, vh))));
    const k = f32x4.mul(v128.load(gamma + o), rs32);
    const bt = v128.load(beta + o);
    for (let r = 0, p = o; r < R; r++, p += rowBytes) {
      v128.store(y + p, f32x4.add(f32x4.mul(f32x4.sub(v128.load(x + p), m32), k), bt));
    }
  }
  for (; c < C; c++) {
    const o = <usize>c << 2;
    let s: f64 = 0;
    for (let r = 0, p = x + o; r < R; r++, p += rowBytes) s += <f64>load<f32>(p);
    const m = s * invR;
    let q: f64 = 0;
    for (let r = 0, p = x + o; r < R; r++, p += rowBytes) {
      const d = <f64>load<f32>(p) - m;
      q += d * d;
    }
    const va = q * invR;
    const m32 = <f32>m;
    const rs32 = <f32>(1 / Math.sqrt(va + <f64>eps));
    st(mean, c, m32);
    st(rstd, c, rs32);
    st(movMean, c, <f32>(mo * <f64>ld(movMean, c) + (1 - mo) * m));
    st(movVar, c, <f32>(mo * <f64>ld(movVar, c) + (1 - mo) * va));
    const k = ld(gamma, c) * rs32;
    const bt = ld(beta, c);
    for (let r = 0, p = o; r < R; r++, p += rowBytes) store<f32>(y + p, (load<f32>(x + p) - m32) * k + bt);
  }
}

/** y = gamma*(x-movMean)/sqrt(movVar+eps) + beta. */
export function batchnorm_forward_infer(x: usize, gamma: usize, beta: usize, movMean: usize, movVar: usize, y: usize, R: i32, C: i32, eps: f32): void {
  const rowBytes = <usize>C << 2;
  const C4 = C & ~3;
  const veps = f32x4.splat(eps);
  let c = 0;
  for (; c < C4; c += 4) {
    const o = <usize>c << 2;
    const k = f32x4.div(v128.load(gamma + o), f32x4.sqrt(f32x4.add(v128.load(movVar + o), veps)));
    const m = v128.load(movMean + o);
    const bt = v128.load(beta + o);
    for (let r = 0, p = o; r < R; r++, p += rowBytes) {
      v128.store(y + p, f32x4.add(f32x4.mul(f32x4.sub(v128.load(x + p), m), k), bt));
    }
  }
  for (; c < C; c++) {
    const o = <usize>c << 2;
    const k = ld(gamma, c) / Mathf.sqrt(ld(movVar, c) + eps);
    const m = ld(movMean, c);
    const bt = ld(beta, c);
    for (let r = 0, p = o; r < R; r++, p += rowBytes) store<f32>(y + p, (load<f32>(x + p) - m) * k + bt);
  }
}

/** xhat = (x-mean)*rstd;  dbeta += sum dy;  dgamma += sum dy*xhat;
 *  dx += gamma*rstd/R * (R*dy - sum(dy) - xhat*sum(dy*xhat)). scratch [2*C] floats. */
export function batchnorm_backward(x: usize, gamma: usize, mean: usize, rstd: usize, dy: usize, dx: usize, dgamma: usize, dbeta: usize, scratch: usize, R: i32, C: i32): void {
  batchnorm_backward_ld(x, gamma, mean, rstd, dy, dx, dgamma, dbeta, scratch, R, C, C);
}

/** batchnorm_backward over C channels of rows `ldx` floats apart. */
export function batchnorm_backward_ld(x: usize, gamma: usize, mean: usize, rstd: usize, dy: usize, dx: usize, dgamma: usize, dbeta: usize, scratch: usize, R: i32, C: i32, ldx: i32): void {
  // scratch is not needed: the two sums of a tile live in registers between its two passes.
  const rowBytes = <usize>ldx << 2;
  const C4 = C & ~3;
  const invR: f64 = 1 / <f64>R;
  const vinvR = f64x2.splat(invR);
  let c = 0;
  for (; c < C4; c += 4) {
    const o = <usize>c << 2;
    const m = v128.load(mean + o);
    const rs = v128.load(rstd + o);
    let al = f64x2.splat(0);
    let ah = f64x2.splat(0);
    let bl = f64x2.splat(0);
    let bh = f64x2.splat(0);
    for (let r = 0, p = o; r < R; r++, p += rowBytes) {
      const d = v128.load(dy + p);
      const dxh = f32x4.mul(d, f32x4.mul(f32x4.sub(v128.load(x + p), m), rs));
      al = f64x2.add(al, lo64(d));
      ah = f64x2.add(ah, hi64(d));
      bl = f64x2.add(bl, lo64(dxh));
      bh = f64x2.add(bh, hi64(dxh));
    }
    const sdy = to32(al, ah);
    const sdx = to32(bl, bh);
    v128.store(dbeta + o, f32x4.add(v128.load(dbeta + o), sdy));
    v128.store(dgamma + o, f32x4.add(v128.load(dgamma + o), sdx));
    const mdy = to32(f64x2.mul(al, vinvR), f64x2.mul(ah, vinvR));
    const mdx = to32(f64x2.mul(bl, vinvR), f64x2.mul(bh, vinvR));
    const k = f32x4.mul(v128.load(gamma + o), rs);
    for (let r = 0, p = o; r < R; r++, p += rowBytes) {
      const xh = f32x4.mul(f32x4.sub(v128.load(x + p), m), rs);
      const g = f32x4.sub(f32x4.sub(v128.load(dy + p), mdy), f32x4.mul(xh, mdx));
      v128.store(dx + p, f32x4.add(v128.load(dx + p), f32x4.mul(k, g)));
    }
  }
  for (; c < C; c++) {
    const o = <usize>c << 2;
    const m = ld(mean, c);
    const rs = ld(rstd, c);
    let a: f64 = 0;
    let b: f64 = 0;
    for (let r = 0, p = o; r < R; r++, p += rowBytes) {
      const d = load<f32>(dy + p);
      a += <f64>d;
      b += <f64>(d * ((load<f32>(x + p) - m) * rs));
    }
    st(dbeta, c, ld(dbeta, c) + <f32>a);
    st(dgamma, c, ld(dgamma, c) + <f32>b);
    const mdy = <f32>(a * invR);
    const mdx = <f32>(b * invR);
    const k = ld(gamma, c) * rs;
    for (let r = 0, p = o; r < R; r++, p += rowBytes) {
      const xh = (load<f32>(x + p) - m) * rs;
      store<f32>(dx + p, load<f32>(dx + p) + k * (load<f32>(dy + p) - mdy - xh * mdx));
    }
  }
}
