// General matrix multiply-accumulate with arbitrary A strides, the one hot loop behind dense and
// (via implicit im2col) conv1d.
//
// Register tiling: MR rows x 8 columns (2*MR f32x4 accumulators), one A element broadcast per row
// and k, two B vectors per k. Column tails: an MR x 4 tile, then an MR x 1 scalar tile. Row tails
// (mr < MR rows left) reuse the same tiles with the missing A rows aliased to the last valid row
// and only mr rows of C written, so short M (e.g. M = K*C = 3 in conv backward-kernel) still keeps
// 2*MR independent accumulator chains. C is touched only after the k loop, one load-add-store per
// vector, in row order: correct when rows of C overlap (ldc < N, the col2im scatter-add).

const MR = 4;

@inline function addTo(p: usize, v: v128): void {
  v128.store(p, f32x4.add(v128.load(p), v));
}

@inline function addTo2(p: usize, v0: v128, v1: v128): void {
  v128.store(p, f32x4.add(v128.load(p), v0));
  v128.store(p, f32x4.add(v128.load(p, 16), v1), 16);
}

@inline function fma(acc: v128, a: v128, b: v128): v128 {
  return f32x4.add(acc, f32x4.mul(a, b));
}

// C[mr, 8] += A[mr, K] @ B[K, 8]; byte strides. a1..a3 are the A row pointers (aliased when mr < MR).
function tile8(mr: i32, K: i32, a0: usize, a1: usize, a2: usize, a3: usize, csa: usize, b: usize, ldb: usize, c: usize, ldc: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let k = 0; k < K; k++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let av = v128.load32_splat(a0);
    c00 = fma(c00, av, b0);
    c01 = fma(c01, av, b1);
    av = v128.load32_splat(a1);
    c10 = fma(c10, av, b0);
    c11 = fma(c11, av, b1);
    av = v128.load32_splat(a2);
    c20 = fma(c20, av, b0);
    c21 = fma(c21, av, b1);
    av = v128.load32_splat(a3);
    c30 = fma(c30, av, b0);
    c31 = fma(c31, av, b1);
    a0 += csa;
    a1 += csa;
    a2 += csa;
    a3 += csa;
    b += ldb;
  }
  addTo2(c, c00, c01);
  if (mr > 1) addTo2(c + ldc, c10, c11);
  if (mr > 2) addTo2(c + 2 * ldc, c20, c21);
  if (mr > 3) addTo2(c + 3 * ldc, c30, c31);
}

// C[mr, 4] += A[mr, K] @ B[K, 4].
function tile4(mr: i32, K: i32, a0: usize, a1: usize, a2: usize, a3: usize, csa: usize, b: usize, ldb: usize, c: usize, ldc: usize): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  for (let k = 0; k < K; k++) {
    const bv = v128.load(b);
    c0 = fma(c0, v128.load32_splat(a0), bv);
    c1 = fma(c1, v128.load32_splat(a1), bv);
    c2 = fma(c2, v128.load32_splat(a2), bv);
    c3 = fma(c3, v128.load32_splat(a3), bv);
    a0 += csa;
    a1 += csa;
    a2 += csa;
    a3 += csa;
    b += ldb;
  }
  addTo(c, c0);
  if (mr > 1) addTo(c + ldc, c1);
  if (mr > 2) addTo(c + 2 * ldc, c2);
  if (mr > 3) addTo(c + 3 * ldc, c3);
}

// C[mr, 1] += A[mr, K] @ B[K, 1], scalar.
function tile1(mr: i32, K: i32, a0: usize, a1: usize, a2: usize, a3: usize, csa: usize, b: usize, ldb: usize, c: usize, ldc: usize): void {
  let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
  for (let k = 0; k < K; k++) {
    const bk = load<f32>(b);
    s0 += load<f32>(a0) * bk;
    s1 += load<f32>(a1) * bk;
    s2 += load<f32>(a2) * bk;
    s3 += load<f32>(a3) * bk;
    a0 += csa;
    a1 += csa;
    a2 += csa;
    a3 += csa;
    b += ldb;
  }
  store<f32>(c, load<f32>(c) + s0);
  if (mr > 1) store<f32>(c + ldc, load<f32>(c + ldc) + s1);
  if (mr > 2) store<f32>(c + 2 * ldc, load<f32>(c + 2 * ldc) + s2);
  if (mr > 3) store<f32>(c + 3 * ldc, load<f32>(c + 3 * ldc) + s3);
}

/** C[i*ldc + j] += sum_k A[i*rsa + k*csa] * B[k*ldb + j]   for i < M, j < N, k < K.
 *  Strides are in floats. rsa/csa let one kernel serve A (rsa=lda, csa=1) and A^T (rsa=1, csa=lda).
 *  Rows of C may overlap in memory (ldc < N): every element is updated by its own load-add-store. */
export function gemm_f32(M: i32, N: i32, K: i32, a: usize, rsa: i32, csa: i32, b: usize, ldb: i32, c: usize, ldc: i32): void {
  if (M <= 0 || N <= 0 || K <= 0) return;
  const rs = (<usize>rsa) << 2;
  const cs = (<usize>csa) << 2;
  const lb = (<usize>ldb) << 2;
  const lc = (<usize>ldc) << 2;
  const N8 = N & ~7;
  const N4 = N & ~3;
  for (let i = 0; i < M; i += MR) {
    const mr = min(MR, M - i);
    const a0 = a + <usize>i * rs;
    const a1 = mr > 1 ? a0 + rs : a0;
    const a2 = mr > 2 ? a0 + 2 * rs : a1;
    const a3 = mr > 3 ? a0 + 3 * rs : a2;
    const ci = c + <usize>i * lc;
    let j = 0;
    for (; j < N8; j += 8) tile8(mr, K, a0, a1, a2, a3, cs, b + (<usize>j << 2), lb, ci + (<usize>j << 2), lc);
    if (j < N4) {
      tile4(mr, K, a0, a1, a2, a3, cs, b + (<usize>j << 2), lb, ci + (<usize>j << 2), lc);
      j += 4;
    }
    for (; j < N; j++) tile1(mr, K, a0, a1, a2, a3, cs, b + (<usize>j << 2), lb, ci + (<usize>j << 2), lc);
  }
}

/** dst[j*R + i] = src[i*Cols + j]: src [R, Cols] -> dst [Cols, R]. */
export function transpose_f32(R: i32, Cols: i32, src: usize, dst: usize): void {
  // 8x8 blocks keep both the read rows and the written rows in L1.
  for (let i0 = 0; i0 < R; i0 += 8) {
    const i1 = min(i0 + 8, R);
    for (let j0 = 0; j0 < Cols; j0 += 8) {
      const j1 = min(j0 + 8, Cols);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) {
          store<f32>(dst + ((<usize>j * R + i) << 2), load<f32>(src + ((<usize>i * Cols + j) << 2)));
        }
      }
    }
  }
}
