// Winograd F(m, r) Conv1D for stride 1, dilation 1 (K = r), channels last: transforms on tiles plus
// alpha = m + r - 1 channel GEMMs per pass (the one gemm of gemm.ts). Math and the three passes in
// src/reference/winograd.ts; the transform matrices come from there in one block:
//   mats = AT [m, alpha] | G [alpha, r] | BT [alpha, alpha] | A [alpha, m] | B [alpha, alpha] | GT [r, alpha]
// Tile g = (b, i) = (g / nT, g % nT), nT = ceil(T / m): outputs i*m .. i*m+m-1, padded inputs
// i*m .. i*m+alpha-1 (rows past T or Lp read as zero, never written). A pass runs over the tiles
// in chunks of at most `chunk` tiles, each through scratch of [alpha, chunk, *]:
//   xp [B, Lp, C]   w [K, C, F]   y, dy [B, T, F]   Lp = T + K - 1
//   U [alpha, C, F] = G w   UT [alpha, F, C]   V [alpha, chunk, C]   Mm [alpha, chunk, F]   Mk [alpha, C, F]

import { gemm_f32, gemm_bias_f32, transpose_f32 } from './gemm';

@inline function fma(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/** dst[o, n] (= | +=) sum_i mat[o, i] * src[i, n]   mat [nOut, nIn]   src [nIn, N]   dst [nOut, N].
 *  The kernel transform U = G w (N = C*F) and the kernel gradient dw += GT Mk. */
export function winograd_mix(mat: usize, nOut: i32, nIn: i32, src: usize, dst: usize, N: i32, accumulate: i32): void {
  const N4 = N & ~3;
  const rowBytes = (<usize>N) << 2;
  for (let o = 0; o < nOut; o++) {
    const coef = mat + ((<usize>o * nIn) << 2);
    const out = dst + <usize>o * rowBytes;
    let n = 0;
    for (; n < N4; n += 4) {
      const at = (<usize>n) << 2;
      let s = f32x4.splat(0);
      for (let i = 0; i < nIn; i++) s = fma(s, v128.load32_splat(coef + ((<usize>i) << 2)), v128.load(src + <usize>i * rowBytes + at));
      v128.store(out + at, accumulate ? f32x4.add(v128.load(out + at), s) : s);
    }
    for (; n < N; n++) {
      const at = (<usize>n) << 2;
      let s: f32 = 0;
      for (let i = 0; i < nIn; i++) s += load<f32>(coef + ((<usize>i) << 2)) * load<f32>(src + <usize>i * rowBytes + at);
      store<f32>(out + at, accumulate ? load<f32>(out + at) + s : s);
    }
  }
}

/** dst[xi, g - g0, c] = sum_{j < n, i*m + j < Ls} mat[xi, j] * src[b, i*m + j, c]   for tiles g in [g0, g1).
 *  src [B, Ls, Cs]   mat [alpha, n]   dst [alpha, g1 - g0, Cs]. BT x (n = alpha) and A dy (n = m). */
export function winograd_tiles_in(src: usize, Ls: i32, Cs: i32, mat: usize, alpha: i32, n: i32, m: i32, nT: i32, g0: i32, g1: i32, dst: usize): void {
  const C4 = Cs & ~3;
  const rowBytes = (<usize>Cs) << 2;
  const pointBytes = <usize>(g1 - g0) * rowBytes; // one xi of dst
  for (let g = g0; g < g1; g++) {
    const b = g / nT;
    const t0 = (g % nT) * m;
    const nv = min(n, Ls - t0); // rows of this tile inside src
    const rows = src + (<usize>b * Ls + t0) * rowBytes;
    const out = dst + <usize>(g - g0) * rowBytes;
    for (let xi = 0; xi < alpha; xi++) {
      const coef = mat + ((<usize>xi * n) << 2);
      const o = out + <usize>xi * pointBytes;
      let c = 0;
      for (; c < C4; c += 4) {
        const at = (<usize>c) << 2;
        let s = f32x4.splat(0);
        for (let j = 0; j < nv; j++) s = fma(s, v128.load32_splat(coef + ((<usize>j) << 2)), v128.load(rows + <usize>j * rowBytes + at));
        v128.store(o + at, s);
      }
      for (; c < Cs; c++) {
        const at = (<usize>c) << 2;
        let s: f32 = 0;
        for (let j = 0; j < nv; j++) s += load<f32>(coef + ((<usize>j) << 2)) * load<f32>(rows + <usize>j * rowBytes + at);
        store<f32>(o + at, s);
      }
    }
  }
}

/** dst[b, i*m + k, c] (= bias[c] + | +=) sum_xi mat[k, xi] * src[xi, g - g0, c]   for k < n,
 *  i*m + k < Ld, tiles g in [g0, g1) in order (with n > m tiles overlap: each row is load-add-stored).
 *  src [alpha, g1 - g0, Cd]   mat [n, alpha]   dst [B, Ld, Cd]   bias [Cd] or 0. AT M (n = m) and B W (n = alpha). */
export function winograd_tiles_out(src: usize, mat: usize, alpha: i32, n: i32, m: i32, nT: i32, g0: i32, g1: i32, dst: usize, Ld: i32, Cd: i32, bias: usize, accumulate: i32): void {
  const C4 = Cd & ~3;
  const rowBytes = (<usize>Cd) << 2;
  const pointBytes = <usize>(g1 - g0) * rowBytes;
  for (let g = g0; g < g1; g++) {
    const b = g / nT;
    const t0 = (g % nT) * m;
    const nv = min(n, Ld - t0);
    const rows = dst + (<usize>b * Ld + t0) * rowBytes;
    const inp = src + <usize>(g - g0) * rowBytes;
    for (let k = 0; k < nv; k++) {
      const coef = mat + ((<usize>k * alpha) << 2);
      const o = rows + <usize>k * rowBytes;
      let c = 0;
      for (; c < C4; c += 4) {
        const at = (<usize>c) << 2;
        let s = accumulate ? v128.load(o + at) : bias ? v128.load(bias + at) : f32x4.splat(0);
        for (let xi = 0; xi < alpha; xi++) s = fma(s, v128.load32_splat(coef + ((<usize>xi) << 2)), v128.load(inp + <usize>xi * pointBytes + at));
        v128.store(o + at, s);
      }
      for (; c < Cd; c++) {
        const at = (<usize>c) << 2;
        let s: f32 = accumulate ? load<f32>(o + at) : bias ? load<f32>(bias + at) : 0;
        for (let xi = 0; xi < alpha; xi++) s += load<f32>(coef + ((<usize>xi) << 2)) * load<f32>(inp + <usize>xi * pointBytes + at);
        store<f32>(o + at, s);
      }
    }
  }
}

// Offsets in bytes of the matrices in the block (src/reference/winograd.ts winogradBlockOffsets).
@inline function offG(m: i32, a: i32): usize { return (<usize>m * a) << 2; }
@inline function offBT(m: i32, r: i32, a: i32): usize { return offG(m, a) + ((<usize>a * r) << 2); }
@inline function offA(m: i32, r: i32, a: i32): usize { return offBT(m, r, a) + ((<usize>a * a) << 2); }
@inline function offB(m: i32, r: i32, a: i32): usize { return offA(m, r, a) + ((<usize>a * m) << 2); }
@inline function offGT(m: i32, r: i32, a: i32): usize { return offB(m, r, a) + ((<usize>a * a) << 2); }

/** U = G w: [alpha, C, F] from w [K, C, F] (K = r). */
export function winograd_kernel_transform(mats: usize, w: usize, U: usize, C: i32, F: i32, m: i32, r: i32): void {
  winograd_mix(mats + offG(m, m + r - 1), m + r - 1, r, w, U, C * F, 0);
}

/** y = bias + xcorr(xp, w) with U = G w (overwrites y; bias 0 means none), over tiles in chunks. */
export function winograd_forward(mats: usize, xp: usize, U: usize, bias: usize, y: usize, V: usize, Mm: usize, B: i32, Lp: i32, C: i32, T: i32, F: i32, m: i32, r: i32, chunk: i32): void {
  const a = m + r - 1;
  const nT = (T + m - 1) / m;
  const tiles = B * nT;
  for (let g0 = 0; g0 < tiles; g0 += chunk) {
    const g1 = min(tiles, g0 + chunk);
    const rows = g1 - g0;
    winograd_tiles_in(xp, Lp, C, mats + offBT(m, r, a), a, a, m, nT, g0, g1, V);
    for (let xi = 0; xi < a; xi++) {
      // [rows, C] @ [C, F] at point xi
      gemm_bias_f32(rows, F, C, V + ((<usize>xi * rows * C) << 2), C, 1, U + ((<usize>xi * C * F) << 2), F, Mm + ((<usize>xi * rows * F) << 2), F, 0);
    }
    winograd_tiles_out(Mm, mats, a, m, m, nT, g0, g1, y, T, F, bias, 0);
  }
}

/** dxp[b, t + u, c] += sum_f dy[b, t, f] * w[u, c, f] with U = G w; UT, Y [alpha, chunk, F] and
 *  W [alpha, chunk, C] are scratch. Tiles scatter-add in order into rows that overlap by K - 1. */
export function winograd_backward_input(mats: usize, dy: usize, U: usize, UT: usize, dxp: usize, Y: usize, W: usize, B: i32, Lp: i32, C: i32, T: i32, F: i32, m: i32, r: i32, chunk: i32): void {
  const a = m + r - 1;
  const nT = (T + m - 1) / m;
  const tiles = B * nT;
  const CF = (<usize>C * F) << 2;
  for (let xi = 0; xi < a; xi++) transpose_f32(C, F, U + <usize>xi * CF, UT + <usize>xi * CF);
  for (let g0 = 0; g0 < tiles; g0 += chunk) {
    const g1 = min(tiles, g0 + chunk);
    const rows = g1 - g0;
    winograd_tiles_in(dy, T, F, mats + offA(m, r, a), a, m, m, nT, g0, g1, Y);
    for (let xi = 0; xi < a; xi++) {
      // [rows, F] @ [F, C] at point xi
      gemm_bias_f32(rows, C, F, Y + ((<usize>xi * rows * F) << 2), F, 1, UT + <usize>xi * CF, C, W + ((<usize>xi * rows * C) << 2), C, 0);
    }
    winograd_tiles_out(W, mats + offB(m, r, a), a, a, m, nT, g0, g1, dxp, Lp, C, 0, 1);
  }
}

/** dw[u, c, f] += sum_{b, t} xp[b, t + u, c] * dy[b, t, f]: per point xi, Mk[xi] = sum over tiles of
 *  (BT x)[xi]^T (A dy)[xi] ([C, tiles] @ [tiles, F], chunks in order), then dw += GT Mk. */
export function winograd_backward_kernel(mats: usize, xp: usize, dy: usize, dw: usize, V: usize, Y: usize, Mk: usize, B: i32, Lp: i32, C: i32, T: i32, F: i32, m: i32, r: i32, chunk: i32): void {
  const a = m + r - 1;
  const nT = (T + m - 1) / m;
  const tiles = B * nT;
  const CF = (<usize>C * F) << 2;
  memory.fill(Mk, 0, <usize>a * CF);
  for (let g0 = 0; g0 < tiles; g0 += chunk) {
    const g1 = min(tiles, g0 + chunk);
    const rows = g1 - g0;
    winograd_tiles_in(xp, Lp, C, mats + offBT(m, r, a), a, a, m, nT, g0, g1, V);
    winograd_tiles_in(dy, T, F, mats + offA(m, r, a), a, m, m, nT, g0, g1, Y);
    for (let xi = 0; xi < a; xi++) {
      gemm_f32(C, F, rows, V + ((<usize>xi * rows * C) << 2), 1, C, Y + ((<usize>xi * rows * F) << 2), F, Mk + <usize>xi * CF, F);
    }
  }
  winograd_mix(mats + offGT(m, r, a), r, a, Mk, dw, C * F, 1);
}
