// General matrix multiply-accumulate with arbitrary A strides, the one hot loop behind dense and
// (via implicit im2col) conv1d.
//
// Register tiling: MR rows x 8 columns (2*MR f32x4 accumulators), one A element broadcast per row
// and k, two B vectors per k. Column tails: an MR x 4 tile, then an MR x 1 scalar tile. Row tails
// (mr < MR rows left) reuse the same tiles with the missing A rows aliased to the last valid row
// and only mr rows of C written, so short M (e.g. M = K*C = 3 in conv backward-kernel) still keeps
// 2*MR independent accumulator chains. C is touched only after the k loop, one load-add-store per
// vector, in row order: correct when rows of C overlap (ldc < N, the col2im scatter-add).
// The last N%4 columns are vectorised over rows when A allows it (tileRows), else scalar.

const MR = 4;

// Final update of C from an accumulator: `set` overwrites (forward passes: C = bias + A@B, the
// bias having been loaded into the accumulators), otherwise load-add-store (C += A@B).
@inline function put(set: bool, p: usize, v: v128): void {
  v128.store(p, set ? v : f32x4.add(v128.load(p), v));
}

@inline function put1(set: bool, p: usize, v: f32): void {
  store<f32>(p, set ? v : load<f32>(p) + v);
}

// Rows 0..3 of one column of C from the 4 lanes of v.
@inline function putCol(set: bool, p: usize, ldc: usize, v: v128): void {
  put1(set, p, f32x4.extract_lane(v, 0));
  put1(set, p + ldc, f32x4.extract_lane(v, 1));
  put1(set, p + 2 * ldc, f32x4.extract_lane(v, 2));
  put1(set, p + 3 * ldc, f32x4.extract_lane(v, 3));
}

// acc + a*b. The relaxed-SIMD build (asc --enable relaxed-simd) uses relaxed_madd, which the engine
// may fuse (one rounding instead of two): results then differ from the SIMD build by float rounding.
@inline function fma(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

@inline function biasVec(bias: usize): v128 {
  return bias ? v128.load(bias) : f32x4.splat(0);
}

// C[mr, 8] (+)= A[mr, K] @ B[K, 8]; byte strides. a1..a3 are the A row pointers (aliased to the
// last valid row when mr < MR); bias points at the 8 bias values of these columns, or is 0.
@inline function tile8(mr: i32, K: i32, a0: usize, a1: usize, a2: usize, a3: usize, csa: usize, b: usize, ldb: usize, c: usize, ldc: usize, bias: usize, set: bool): void {
  const i0 = biasVec(bias);
  const i1 = biasVec(bias ? bias + 16 : 0);
  let c00 = i0, c01 = i1, c10 = i0, c11 = i1, c20 = i0, c21 = i1, c30 = i0, c31 = i1;
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
  put(set, c, c00);
  put(set, c + 16, c01);
  if (mr < 2) return;
  put(set, c + ldc, c10);
  put(set, c + ldc + 16, c11);
  if (mr < 3) return;
  put(set, c + 2 * ldc, c20);
  put(set, c + 2 * ldc + 16, c21);
  if (mr < 4) return;
  put(set, c + 3 * ldc, c30);
  put(set, c + 3 * ldc + 16, c31);
}

// C[mr, 4] (+)= A[mr, K] @ B[K, 4].
function tile4(mr: i32, K: i32, a0: usize, a1: usize, a2: usize, a3: usize, csa: usize, b: usize, ldb: usize, c: usize, ldc: usize, bias: usize, set: bool): void {
  const i0 = biasVec(bias);
  let c0 = i0, c1 = i0, c2 = i0, c3 = i0;
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
  put(set, c, c0);
  if (mr > 1) put(set, c + ldc, c1);
  if (mr > 2) put(set, c + 2 * ldc, c2);
  if (mr > 3) put(set, c + 3 * ldc, c3);
}

// C[mr, 1] (+)= A[mr, K] @ B[K, 1], scalar: the fallback for the last N%4 columns.
function tile1(mr: i32, K: i32, a0: usize, a1: usize, a2: usize, a3: usize, csa: usize, b: usize, ldb: usize, c: usize, ldc: usize, bias: usize, set: bool): void {
  const i0: f32 = bias ? load<f32>(bias) : 0;
  let s0 = i0, s1 = i0, s2 = i0, s3 = i0;
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
  put1(set, c, s0);
  if (mr > 1) put1(set, c + ldc, s1);
  if (mr > 2) put1(set, c + 2 * ldc, s2);
  if (mr > 3) put1(set, c + 3 * ldc, s3);
}

// C[4, nc] (+)= A[4, K] @ B[K, nc] for the nc < 4 last columns, vectorised over the 4 rows instead
// (narrow N is common: conv backward-input with C = 1 has N = K*C = 3). Needs a column of 4 rows of
// A as a vector: one load when rsa = 1 float, else (csa = 1 float) a 4x4 block transposed in
// registers. Accumulators are split by k parity to halve the add dependency chains.
function tileRows(K: i32, a: usize, rsa: usize, csa: usize, b0: usize, nc: i32, ldb: usize, c: usize, ldc: usize, bias: usize, set: bool): void {
  const b1 = nc > 1 ? b0 + 4 : b0;
  const b2 = nc > 2 ? b0 + 8 : b1;
  let s0 = bias ? f32x4.splat(load<f32>(bias)) : f32x4.splat(0);
  let s1 = bias && nc > 1 ? f32x4.splat(load<f32>(bias, 4)) : f32x4.splat(0);
  let s2 = bias && nc > 2 ? f32x4.splat(load<f32>(bias, 8)) : f32x4.splat(0);
  let t0 = f32x4.splat(0), t1 = f32x4.splat(0), t2 = f32x4.splat(0);
  let k = 0;
  if (rsa == 4) {
    for (let o: usize = 0; k < K; k++, o += ldb) {
      const av = v128.load(a);
      s0 = fma(s0, av, v128.load32_splat(b0 + o));
      s1 = fma(s1, av, v128.load32_splat(b1 + o));
      s2 = fma(s2, av, v128.load32_splat(b2 + o));
      a += csa;
    }
  } else {
    const K4 = K & ~3;
    for (; k < K4; k += 4) {
      const r0 = v128.load(a);
      const r1 = v128.load(a + rsa);
      const r2 = v128.load(a + 2 * rsa);
      const r3 = v128.load(a + 3 * rsa);
      const u0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
      const u1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
      const u2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
      const u3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
      let av = i32x4.shuffle(u0, u2, 0, 1, 4, 5); // A[0..3, k]
      let o = <usize>k * ldb;
      s0 = fma(s0, av, v128.load32_splat(b0 + o));
      s1 = fma(s1, av, v128.load32_splat(b1 + o));
      s2 = fma(s2, av, v128.load32_splat(b2 + o));
      av = i32x4.shuffle(u0, u2, 2, 3, 6, 7); // A[0..3, k+1]
      o += ldb;
      t0 = fma(t0, av, v128.load32_splat(b0 + o));
      t1 = fma(t1, av, v128.load32_splat(b1 + o));
      t2 = fma(t2, av, v128.load32_splat(b2 + o));
      av = i32x4.shuffle(u1, u3, 0, 1, 4, 5); // A[0..3, k+2]
      o += ldb;
      s0 = fma(s0, av, v128.load32_splat(b0 + o));
      s1 = fma(s1, av, v128.load32_splat(b1 + o));
      s2 = fma(s2, av, v128.load32_splat(b2 + o));
      av = i32x4.shuffle(u1, u3, 2, 3, 6, 7); // A[0..3, k+3]
      o += ldb;
      t0 = fma(t0, av, v128.load32_splat(b0 + o));
      t1 = fma(t1, av, v128.load32_splat(b1 + o));
      t2 = fma(t2, av, v128.load32_splat(b2 + o));
      a += 16;
    }
    for (; k < K; k++) {
      let av = f32x4.splat(load<f32>(a));
      av = f32x4.replace_lane(av, 1, load<f32>(a + rsa));
      av = f32x4.replace_lane(av, 2, load<f32>(a + 2 * rsa));
      av = f32x4.replace_lane(av, 3, load<f32>(a + 3 * rsa));
      const o = <usize>k * ldb;
      s0 = fma(s0, av, v128.load32_splat(b0 + o));
      s1 = fma(s1, av, v128.load32_splat(b1 + o));
      s2 = fma(s2, av, v128.load32_splat(b2 + o));
      a += 4;
    }
  }
  putCol(set, c, ldc, f32x4.add(s0, t0));
  if (nc > 1) putCol(set, c + 4, ldc, f32x4.add(s1, t1));
  if (nc > 2) putCol(set, c + 8, ldc, f32x4.add(s2, t2));
}

// C += A @ B, or with set: C = bias + A @ B (bias 0: none; rows of C must then not overlap).
function gemmCore(M: i32, N: i32, K: i32, a: usize, rsa: i32, csa: i32, b: usize, ldb: i32, c: usize, ldc: i32, bias: usize, set: bool): void {
  if (M <= 0 || N <= 0) return;
  const rs = (<usize>rsa) << 2;
  const cs = (<usize>csa) << 2;
  const lb = (<usize>ldb) << 2;
  const lc = (<usize>ldc) << 2;
  const N8 = N & ~7;
  const N4 = N & ~3;
  const rowsVec = rsa == 1 || csa == 1;
  for (let i = 0; i < M; i += MR) {
    const mr = min(MR, M - i);
    const a0 = a + <usize>i * rs;
    const a1 = mr > 1 ? a0 + rs : a0;
    const a2 = mr > 2 ? a0 + 2 * rs : a1;
    const a3 = mr > 3 ? a0 + 3 * rs : a2;
    const ci = c + <usize>i * lc;
    let j = 0;
    for (; j < N8; j += 8) {
      const o = <usize>j << 2;
      tile8(mr, K, a0, a1, a2, a3, cs, b + o, lb, ci + o, lc, bias ? bias + o : 0, set);
    }
    if (j < N4) {
      const o = <usize>j << 2;
      tile4(mr, K, a0, a1, a2, a3, cs, b + o, lb, ci + o, lc, bias ? bias + o : 0, set);
      j += 4;
    }
    if (j < N && mr == MR && rowsVec) {
      const o = <usize>j << 2;
      tileRows(K, a0, rs, cs, b + o, N - j, lb, ci + o, lc, bias ? bias + o : 0, set);
      continue;
    }
    for (; j < N; j++) {
      const o = <usize>j << 2;
      tile1(mr, K, a0, a1, a2, a3, cs, b + o, lb, ci + o, lc, bias ? bias + o : 0, set);
    }
  }
}

/** C[i*ldc + j] += sum_k A[i*rsa + k*csa] * B[k*ldb + j]   for i < M, j < N, k < K.
 *  Strides are in floats. rsa/csa let one kernel serve A (rsa=lda, csa=1) and A^T (rsa=1, csa=lda).
 *  Rows of C may overlap in memory (ldc < N): every element is updated by its own load-add-store. */
export function gemm_f32(M: i32, N: i32, K: i32, a: usize, rsa: i32, csa: i32, b: usize, ldb: i32, c: usize, ldc: i32): void {
  gemmCore(M, N, K, a, rsa, csa, b, ldb, c, ldc, 0, false);
}

/** C[i*ldc + j] = bias[j] + sum_k A[i*rsa + k*csa] * B[k*ldb + j]   (overwrites C; bias == 0 means
 *  no bias; rows of C must not overlap). The forward passes: saves the separate bias fill and the
 *  load of C that gemm_f32 would need. */
export function gemm_bias_f32(M: i32, N: i32, K: i32, a: usize, rsa: i32, csa: i32, b: usize, ldb: i32, c: usize, ldc: i32, bias: usize): void {
  gemmCore(M, N, K, a, rsa, csa, b, ldb, c, ldc, bias, true);
}

/** dst[j*R + i] = src[i*Cols + j]: src [R, Cols] -> dst [Cols, R]. */
export function transpose_f32(R: i32, Cols: i32, src: usize, dst: usize): void {
  // 4x4 blocks transposed in registers (4 row loads, 8 shuffles, 4 column stores); for a fixed
  // block row the 4 written rows of dst advance together, so their lines stay in L1 across blocks.
  const R4 = R & ~3;
  const C4 = Cols & ~3;
  const rs = (<usize>Cols) << 2;
  const rd = (<usize>R) << 2;
  for (let i = 0; i < R4; i += 4) {
    const s0 = src + <usize>i * rs;
    const d0 = dst + ((<usize>i) << 2);
    for (let j = 0; j < C4; j += 4) {
      const o = (<usize>j) << 2;
      const r0 = v128.load(s0 + o);
      const r1 = v128.load(s0 + rs + o);
      const r2 = v128.load(s0 + 2 * rs + o);
      const r3 = v128.load(s0 + 3 * rs + o);
      const u0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
      const u1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
      const u2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
      const u3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
      const d = d0 + <usize>j * rd;
      v128.store(d, i32x4.shuffle(u0, u2, 0, 1, 4, 5));
      v128.store(d + rd, i32x4.shuffle(u0, u2, 2, 3, 6, 7));
      v128.store(d + 2 * rd, i32x4.shuffle(u1, u3, 0, 1, 4, 5));
      v128.store(d + 3 * rd, i32x4.shuffle(u1, u3, 2, 3, 6, 7));
    }
    for (let j = C4; j < Cols; j++) {
      for (let ii = i; ii < i + 4; ii++) store<f32>(dst + ((<usize>j * R + ii) << 2), load<f32>(src + ((<usize>ii * Cols + j) << 2)));
    }
  }
  for (let i = R4; i < R; i++) {
    for (let j = 0; j < Cols; j++) store<f32>(dst + ((<usize>j * R + i) << 2), load<f32>(src + ((<usize>i * Cols + j) << 2)));
  }
}
