// Winograd (Toom-Cook) minimal filtering F(m, r) for stride-1, dilation-1 Conv1D, and plain
// TypeScript oracles of assembly/kernels/winograd.ts.
//
// With alpha = m + r - 1 points (alpha - 1 finite points p_j and infinity), E_n is the [alpha, n]
// evaluation matrix of polynomials with n coefficients (row j: 1, p_j, .., p_j^(n-1); the infinity
// row picks the leading coefficient) and V = E_alpha. A linear convolution s = g * h of an r-tap g
// and an m-tap h is s = V^-1 [(E_r g) . (E_m h)]; its transpose in (h, s) is the correlation of
// m outputs from alpha inputs d (Lavin & Gray 2016, "Fast Algorithms for Convolutional Neural
// Networks", section 4; Blahut, "Fast Algorithms for Signal Processing", ch. 5):
//   y = AT [(G g) . (BT d)]   with   AT = E_m^T [m, alpha], G = E_r [alpha, r], BT = V^-T [alpha, alpha]
// The three passes of a layer are this one bilinear form read three ways (per tile, summed over
// tiles and channels):
//   forward          y_tile  = AT  [ (G w) . (BT x_tile) ]
//   backward-input   dx_tile = B   [ (G w) . (A dy_tile) ]     (transpose in x: tiles overlap by r-1)
//   backward-kernel  dw      = GT  [ sum_tiles (A dy_tile) . (BT x_tile) ]
// with A = AT^T, B = BT^T, GT = G^T. Tile g = (b, i) covers outputs t = i*m .. i*m+m-1 of sample b
// and padded inputs i*m .. i*m+alpha-1; rows past T (or Lp) are read as zeros and never written.
//   xp [B, Lp, C]   w [K, C, F] (K = r)   y, dy [B, T, F]   Lp = T + K - 1
//   U [alpha, C, F] = G w   V [alpha, tiles, C]   Mm [alpha, tiles, F]
import type { Floats } from './types.ts';

/** The transform matrices of F(m, r), row-major, float64. */
export interface WinogradMatrices {
  m: number;
  r: number;
  alpha: number;
  points: number[];
  /** [m, alpha] */ AT: Float64Array;
  /** [alpha, r] */ G: Float64Array;
  /** [alpha, alpha] */ BT: Float64Array;
}

/** The alpha - 1 finite points used for alpha = m + r - 1 (infinity is the last point): 0, then
 *  +-1, +-1/2, +-2, +-1/4, +-4 as needed; small magnitudes and reciprocal pairs keep the
 *  transforms' entries near 1 (Lavin & Gray 2016; Barabasz et al. 2020, "Error analysis and
 *  improving the accuracy of Winograd convolution"). */
export function winogradPoints(alpha: number): number[] {
  const order = [0, 1, -1, 0.5, -0.5, 2, -2, 0.25, -0.25, 4, -4];
  if (alpha - 1 > order.length) throw new Error(`winogradPoints: alpha ${alpha} needs more than ${order.length} finite points`);
  return order.slice(0, alpha - 1);
}

/** E_n: [alpha, n]; rows are the finite points, then infinity. */
function evaluation(points: number[], n: number): Float64Array {
  const alpha = points.length + 1;
  const e = new Float64Array(alpha * n);
  points.forEach((p, j) => {
    for (let k = 0; k < n; k++) e[j * n + k] = p ** k;
  });
  e[(alpha - 1) * n + n - 1] = 1;
  return e;
}

/** Inverse of an [n, n] matrix by Gauss-Jordan elimination with partial pivoting. */
function inverse(a: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(a);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let i = col + 1; i < n; i++) if (Math.abs(m[i * n + col]) > Math.abs(m[piv * n + col])) piv = i;
    for (let k = 0; k < n; k++) {
      [m[col * n + k], m[piv * n + k]] = [m[piv * n + k], m[col * n + k]];
      [inv[col * n + k], inv[piv * n + k]] = [inv[piv * n + k], inv[col * n + k]];
    }
    const d = m[col * n + col];
    for (let k = 0; k < n; k++) {
      m[col * n + k] /= d;
      inv[col * n + k] /= d;
    }
    for (let i = 0; i < n; i++) {
      if (i === col) continue;
      const f = m[i * n + col];
      if (f === 0) continue;
      for (let k = 0; k < n; k++) {
        m[i * n + k] -= f * m[col * n + k];
        inv[i * n + k] -= f * inv[col * n + k];
      }
    }
  }
  return inv;
}

/** [rows, cols] -> [cols, rows]. */
export function transposed(a: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(a.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
  return t;
}

/** AT, G, BT of F(m, r) over `points` (default winogradPoints(m + r - 1)). */
export function winogradMatrices(m: number, r: number, points = winogradPoints(m + r - 1)): WinogradMatrices {
  const alpha = m + r - 1;
  if (points.length !== alpha - 1) throw new Error(`winogradMatrices: F(${m}, ${r}) needs ${alpha - 1} finite points, got ${points.length}`);
  const AT = transposed(evaluation(points, m), alpha, m);
  const G = evaluation(points, r);
  const BT = transposed(inverse(evaluation(points, alpha), alpha), alpha, alpha);
  return { m, r, alpha, points, AT, G, BT };
}

/** The float32 block the kernels read (assembly/kernels/winograd.ts):
 *  AT [m, alpha] | G [alpha, r] | BT [alpha, alpha] | A [alpha, m] | B [alpha, alpha] | GT [r, alpha]. */
export function winogradBlock({ m, r, alpha, AT, G, BT }: WinogradMatrices): Float32Array {
  const parts = [AT, G, BT, transposed(AT, m, alpha), transposed(BT, alpha, alpha), transposed(G, alpha, r)];
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Offsets (in floats) of the six matrices in winogradBlock. */
export function winogradBlockOffsets(m: number, r: number): { AT: number; G: number; BT: number; A: number; B: number; GT: number; floats: number } {
  const a = m + r - 1;
  const AT = 0, G = m * a, BT = G + a * r, A = BT + a * a, B = A + a * m, GT = B + a * a;
  return { AT, G, BT, A, B, GT, floats: GT + r * a };
}

/** dst[o, n] (= | +=) sum_i mat[o, i] * src[i, n]   mat [nOut, nIn]   src [nIn, N]   dst [nOut, N]. */
export function winogradMix(mat: Floats, nOut: number, nIn: number, src: Floats, dst: Floats, N: number, accumulate: boolean): void {
  for (let o = 0; o < nOut; o++) {
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let i = 0; i < nIn; i++) s += mat[o * nIn + i] * src[i * N + n];
      dst[o * N + n] = accumulate ? dst[o * N + n] + s : s;
    }
  }
}

/** Tiles g in [g0, g1) (tile g = (b, i) = (floor(g / nT), g % nT)):
 *  dst[xi, g - g0, c] = sum_{j < n, i*m + j < Ls} mat[xi, j] * src[b, i*m + j, c]
 *  src [B, Ls, Cs]   mat [alpha, n]   dst [alpha, g1 - g0, Cs]. */
export function winogradTilesIn(src: Floats, Ls: number, Cs: number, mat: Floats, alpha: number, n: number, m: number, nT: number, g0: number, g1: number, dst: Floats): void {
  const rows = g1 - g0;
  for (let g = g0; g < g1; g++) {
    const b = Math.floor(g / nT);
    const t0 = (g % nT) * m;
    for (let xi = 0; xi < alpha; xi++) {
      for (let c = 0; c < Cs; c++) {
        let s = 0;
        for (let j = 0; j < n && t0 + j < Ls; j++) s += mat[xi * n + j] * src[(b * Ls + t0 + j) * Cs + c];
        dst[(xi * rows + g - g0) * Cs + c] = s;
      }
    }
  }
}

/** Tiles g in [g0, g1), in order:
 *  dst[b, i*m + k, c] (= bias[c] + | +=) sum_xi mat[k, xi] * src[xi, g - g0, c]   for k < n, i*m + k < Ld
 *  src [alpha, g1 - g0, Cd]   mat [n, alpha]   dst [B, Ld, Cd]   bias [Cd] or null. */
export function winogradTilesOut(src: Floats, mat: Floats, alpha: number, n: number, m: number, nT: number, g0: number, g1: number, dst: Floats, Ld: number, Cd: number, bias: Floats | null, accumulate: boolean): void {
  const rows = g1 - g0;
  for (let g = g0; g < g1; g++) {
    const b = Math.floor(g / nT);
    const t0 = (g % nT) * m;
    for (let k = 0; k < n && t0 + k < Ld; k++) {
      for (let c = 0; c < Cd; c++) {
        let s = 0;
        for (let xi = 0; xi < alpha; xi++) s += mat[k * alpha + xi] * src[(xi * rows + g - g0) * Cd + c];
        const at = (b * Ld + t0 + k) * Cd + c;
        dst[at] = accumulate ? dst[at] + s : (bias ? bias[c] : 0) + s;
      }
    }
  }
}

/** Per-point products over all tiles of a batch, in the reference's own precision (float64 when
 *  the inputs are): the three passes below composed from the pieces above, as the kernels are. */
function perPoint(alpha: number, rows: number, inner: number, cols: number, a: Float64Array, b: Float64Array, transA: boolean): Float64Array {
  // out[xi] = opA(a[xi]) @ b[xi]: [rows, inner] @ [inner, cols]; with transA a[xi] is [inner, rows]
  const out = new Float64Array(alpha * rows * cols);
  for (let xi = 0; xi < alpha; xi++) {
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        let s = 0;
        for (let k = 0; k < inner; k++) {
          const av = transA ? a[(xi * inner + k) * rows + i] : a[(xi * rows + i) * inner + k];
          s += av * b[(xi * inner + k) * cols + j];
        }
        out[(xi * rows + i) * cols + j] = s;
      }
    }
  }
  return out;
}

/** y = bias + xcorr(xp, w) by F(m, K) tiles (overwrites y).   xp [B, Lp, C]   w [K, C, F]   y [B, T, F] */
export function winogradForward(mx: WinogradMatrices, xp: Floats, w: Floats, bias: Floats | null, y: Floats, B: number, Lp: number, C: number, T: number, F: number): void {
  const { m, r, alpha, AT, G, BT } = mx;
  const nT = Math.ceil(T / m);
  const tiles = B * nT;
  const U = new Float64Array(alpha * C * F);
  winogradMix(G, alpha, r, w, U, C * F, false);
  const V = new Float64Array(alpha * tiles * C);
  winogradTilesIn(xp, Lp, C, BT, alpha, alpha, m, nT, 0, tiles, V);
  winogradTilesOut(perPoint(alpha, tiles, C, F, V, U, false), AT, alpha, m, m, nT, 0, tiles, y, T, F, bias, false);
}

/** dxp[b, t + u, c] += sum_f dy[b, t, f] * w[u, c, f] by F(m, K) tiles.   dy [B, T, F]   dxp [B, Lp, C] */
export function winogradBackwardInput(mx: WinogradMatrices, dy: Floats, w: Floats, dxp: Floats, B: number, Lp: number, C: number, T: number, F: number): void {
  const { m, r, alpha, AT, G, BT } = mx;
  const nT = Math.ceil(T / m);
  const tiles = B * nT;
  const U = new Float64Array(alpha * C * F);
  winogradMix(G, alpha, r, w, U, C * F, false);
  const UT = new Float64Array(U.length); // [alpha, F, C]
  for (let xi = 0; xi < alpha; xi++) UT.set(transposed(U.subarray(xi * C * F, (xi + 1) * C * F), C, F), xi * C * F);
  const Y = new Float64Array(alpha * tiles * F);
  winogradTilesIn(dy, T, F, transposed(AT, m, alpha), alpha, m, m, nT, 0, tiles, Y);
  winogradTilesOut(perPoint(alpha, tiles, F, C, Y, UT, false), transposed(BT, alpha, alpha), alpha, alpha, m, nT, 0, tiles, dxp, Lp, C, null, true);
}

/** dw[u, c, f] += sum_{b, t} xp[b, t + u, c] * dy[b, t, f] by F(m, K) tiles.   dw [K, C, F] */
export function winogradBackwardKernel(mx: WinogradMatrices, xp: Floats, dy: Floats, dw: Floats, B: number, Lp: number, C: number, T: number, F: number): void {
  const { m, r, alpha, AT, G, BT } = mx;
  const nT = Math.ceil(T / m);
  const tiles = B * nT;
  const V = new Float64Array(alpha * tiles * C);
  winogradTilesIn(xp, Lp, C, BT, alpha, alpha, m, nT, 0, tiles, V);
  const Y = new Float64Array(alpha * tiles * F);
  winogradTilesIn(dy, T, F, transposed(AT, m, alpha), alpha, m, m, nT, 0, tiles, Y);
  winogradMix(transposed(G, alpha, r), r, alpha, perPoint(alpha, C, tiles, F, V, Y, true), dw, C * F, true);
}
