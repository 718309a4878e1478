// How each parallel kernel is split over threads: one entry per kernel export, mapping its
// arguments and a thread count to parts (lists of kernel calls on sub-ranges, by pointer offsets
// and sizes) and an estimate of the work. A kernel without an entry runs on the calling thread.
//
// Splits are by OUTPUT only (rows or columns of C, batch samples, element ranges), never by a
// reduction: every output element is computed by the same instructions in the same order as on
// one thread, so results are bit-identical for every thread count. For the GEMM family that
// also needs the register tiles to fall as on one thread: row boundaries at multiples of
// ROW_ALIGN (gemm.ts MR) and column boundaries at multiples of COL_ALIGN (its 8-column tile), the
// N % 4 tail columns (vectorised over rows, with another summation order) staying in the last
// part. Elementwise kernels split at multiples of ELEM_ALIGN so that their SIMD bodies and scalar
// tails cover the same elements as on one thread.
//
// Adding a kernel: one entry `name: (a, n) => plan(work, () => parts)`, with `a` its arguments in the
// order of its export. test/runtime/threads.test.ts checks the results against one thread.

import type { Call, Part } from './pool.ts';

export const ROW_ALIGN = 4;
export const COL_ALIGN = 8;
export const ELEM_ALIGN = 16;

/** Estimated single-thread nanoseconds of a call, and its parts, made only when the call is
 *  large enough to split (a small call pays for the estimate alone: tiny models make many). */
export interface Plan {
  ns: number;
  parts: () => Part[];
}
export type Split = (a: number[], threads: number) => Plan | null;

/** At most `parts` chunks [start, end) of [0, n), boundaries at multiples of `align`. */
export function chunks(n: number, parts: number, align: number): [number, number][] {
  const units = Math.ceil(n / align);
  const k = Math.min(parts, units);
  const out: [number, number][] = [];
  for (let i = 0; i < k; i++) {
    const s = Math.floor((units * i) / k) * align;
    const e = i === k - 1 ? n : Math.floor((units * (i + 1)) / k) * align;
    out.push([s, e]);
  }
  return out;
}

// single-thread throughputs for the estimates: GEMM flops per ns, elementwise ns per float touched
const GFLOPS = 50;
const NS_PER_FLOAT = 0.3;

const plan = (ns: number, parts: () => Part[]): Plan => ({ ns, parts });
const call = (fn: string, args: number[], reps = 1, incs?: number[]): Call => ({ fn, args, reps, incs });

/** Output rows or columns of an M x N result, whichever splits into more balanced parts. */
function grid(M: number, N: number, n: number): { rows: [number, number][] } | { cols: [number, number][] } {
  const rows = chunks(M, n, ROW_ALIGN);
  const cols = chunks(N, n, COL_ALIGN);
  const worst = (cs: [number, number][], total: number) => Math.max(...cs.map(([s, e]) => e - s)) / total;
  return worst(rows, M) <= worst(cols, N) ? { rows } : { cols };
}

/** Whether a batch of B samples divides well over n threads. */
function byBatch(B: number, n: number): boolean {
  return B >= n && (B % n === 0 || B >= 4 * n);
}

/** A split of an elementwise kernel over `N` floats: `at(s, e)` the call of elements [s, e). */
function elementwise(N: number, n: number, floatsPerElement: number, at: (s: number, len: number) => Call): Plan | null {
  return plan(N * floatsPerElement * NS_PER_FLOAT, () => chunks(N, n, ELEM_ALIGN).map(([s, e]) => [at(s, e - s)]));
}

/** A batch split of a kernel whose arguments at `ptrs` advance by `strides[i]` floats per sample
 *  and whose batch size is argument `bArg`. */
function perSample(a: number[], n: number, fn: string, bArg: number, ptrs: number[], strides: number[], floats: number): Plan | null {
  if (!byBatch(a[bArg], n)) return null;
  return plan(floats * NS_PER_FLOAT, () => chunks(a[bArg], n, 1).map(([s, e]) => {
    const args = a.slice();
    ptrs.forEach((p, i) => (args[p] += 4 * s * strides[i]));
    args[bArg] = e - s;
    return [call(fn, args)];
  }));
}

const f4 = 4; // bytes per float

/** gemm_f32 / gemm_bias_f32: rows or columns of C; not split when rows of C overlap (ldc < N). */
function gemmSplit(fn: 'gemm_f32' | 'gemm_bias_f32'): Split {
  return (a, n) => {
    const [M, N, K, A, rsa, csa, B, ldb, C, ldc] = a;
    if (ldc < N) return null;
    const bias = fn === 'gemm_bias_f32' ? a[10] : -1;
    return plan((2 * M * N * K) / GFLOPS, () => {
      const g = grid(M, N, n);
      return 'rows' in g
        ? g.rows.map(([s, e]) => [call(fn, [e - s, N, K, A + f4 * s * rsa, rsa, csa, B, ldb, C + f4 * s * ldc, ldc, ...(bias >= 0 ? [bias] : [])])])
        : g.cols.map(([s, e]) => [call(fn, [M, e - s, K, A, rsa, csa, B + f4 * s, ldb, C + f4 * s, ldc, ...(bias >= 0 ? [bias && bias + f4 * s] : [])])]);
    });
  };
}

export const SPLITS: Record<string, Split> = {
  gemm_f32: gemmSplit('gemm_f32'),
  gemm_bias_f32: gemmSplit('gemm_bias_f32'),

  // y [B, T, F]: samples, or for a small batch rows t of every sample (latency, batch 1)
  conv1d_forward: (a, n) => {
    const [xp, w, bias, y, B, Lp, C, T, F, K, S, D] = a;
    const ns = (2 * B * T * F * K * C) / GFLOPS;
    if (byBatch(B, n)) return plan(ns, () => chunks(B, n, 1).map(([s, e]) => [call('conv1d_forward', [xp + f4 * s * Lp * C, w, bias, y + f4 * s * T * F, e - s, Lp, C, T, F, K, S, D])]));
    const incs = [f4 * Lp * C, 0, 0, f4 * T * F, 0, 0, 0, 0, 0, 0, 0, 0]; // xp and y advance per sample
    return plan(ns, () => chunks(T, n, ROW_ALIGN).map(([s, e]) => [call('conv1d_forward', [xp + f4 * s * S * C, w, bias, y + f4 * s * F, 1, Lp, C, e - s, F, K, S, D], B, incs)]));
  },
  // dxp [B, Lp, C]: samples only (rows of one sample overlap when K > S: col2im)
  conv1d_backward_input: (a, n) => {
    const [dy, wt, dxp, B, Lp, C, T, F, K, S, D] = a;
    if (!byBatch(B, n)) return null;
    return plan((2 * B * T * F * K * C) / GFLOPS, () => chunks(B, n, 1).map(([s, e]) => [call('conv1d_backward_input', [dy + f4 * s * T * F, wt, dxp + f4 * s * Lp * C, e - s, Lp, C, T, F, K, S, D])]));
  },
  // dw [K*C, F] += sum over samples of im2col_b^T @ dy_b: rows or columns of dw, each part
  // looping over the samples in order (the same accumulation order as one thread)
  conv1d_backward_kernel: (a, n) => {
    const [xp, dy, dw, B, Lp, C, T, F, K, S, D] = a;
    return plan((2 * B * T * F * K * C) / GFLOPS, () => {
      const incs = [0, 0, 0, f4 * Lp * C, 0, 0, f4 * T * F, 0, 0, 0]; // a and b of gemm_f32 advance per sample
      const taps = D === 1 ? [{ rows: K * C, x: xp, w: dw }] : Array.from({ length: K }, (_, u) => ({ rows: C, x: xp + f4 * u * D * C, w: dw + f4 * u * C * F }));
      const g = grid(taps[0].rows, F, n);
      return 'rows' in g
        ? g.rows.map(([s, e]) => taps.map((t) => call('gemm_f32', [e - s, F, T, t.x + f4 * s, 1, S * C, dy, F, t.w + f4 * s * F, F], B, incs)))
        : g.cols.map(([s, e]) => taps.map((t) => call('gemm_f32', [t.rows, e - s, T, t.x, 1, S * C, dy + f4 * s, F, t.w + f4 * s, F], B, incs)));
    });
  },
  // partials [G, K*C, F]: whole sample groups (the reduction tree is fixed by B: conv1d.ts)
  conv1d_backward_kernel_groups: (a, n) => {
    const [xp, dy, partials, B, Lp, C, T, F, K, S, D, g0, g1] = a; // the layer passes all groups
    return plan((2 * B * T * F * K * C) / GFLOPS, () => chunks(g1 - g0, n, 1).map(([s, e]) => [call('conv1d_backward_kernel_groups', [xp, dy, partials, B, Lp, C, T, F, K, S, D, g0 + s, g0 + e])]));
  },
  accumulate_partials_f32: ([partials, G, N, ld, dst], n) =>
    plan(N * (G + 2) * NS_PER_FLOAT, () => chunks(N, n, ELEM_ALIGN).map(([s, e]) => [call('accumulate_partials_f32', [partials + f4 * s, G, e - s, ld, dst + f4 * s])])),
  // y [B, U]
  dense_forward: (a, n) => {
    const [x, w, bias, y, B, I, U] = a;
    return plan((2 * B * I * U) / GFLOPS, () => {
      const g = grid(B, U, n);
      return 'rows' in g
        ? g.rows.map(([s, e]) => [call('dense_forward', [x + f4 * s * I, w, bias, y + f4 * s * U, e - s, I, U])])
        : g.cols.map(([s, e]) => [call('gemm_bias_f32', [B, e - s, I, x, I, 1, w + f4 * s, U, y + f4 * s, U, bias && bias + f4 * s])]);
    });
  },
  // dx [B, I] += dy @ wt
  dense_backward_input: (a, n) => {
    const [dy, wt, dx, B, I, U] = a;
    return plan((2 * B * I * U) / GFLOPS, () => {
      const g = grid(B, I, n);
      return 'rows' in g
        ? g.rows.map(([s, e]) => [call('dense_backward_input', [dy + f4 * s * U, wt, dx + f4 * s * I, e - s, I, U])])
        : g.cols.map(([s, e]) => [call('gemm_f32', [B, e - s, U, dy, U, 1, wt + f4 * s, I, dx + f4 * s, I])]);
    });
  },
  // dw [I, U] += x^T @ dy
  dense_backward_kernel: (a, n) => {
    const [x, dy, dw, B, I, U] = a;
    return plan((2 * B * I * U) / GFLOPS, () => {
      const g = grid(I, U, n);
      return 'rows' in g
        ? g.rows.map(([s, e]) => [call('gemm_f32', [e - s, U, B, x + f4 * s, 1, I, dy, U, dw + f4 * s * U, U])])
        : g.cols.map(([s, e]) => [call('gemm_f32', [I, e - s, B, x, 1, I, dy + f4 * s, U, dw + f4 * s, U])]);
    });
  },

  activation_forward: ([kind, x, y, N, alpha], n) => elementwise(N, n, 2, (s, len) => call('activation_forward', [kind, x + f4 * s, y + f4 * s, len, alpha])),
  activation_backward: ([kind, x, y, dy, dx, N, alpha], n) =>
    elementwise(N, n, 4, (s, len) => call('activation_backward', [kind, x + f4 * s, y + f4 * s, dy + f4 * s, dx + f4 * s, len, alpha])),
  zero_f32: ([x, N], n) => elementwise(N, n, 1, (s, len) => call('zero_f32', [x + f4 * s, len])),
  scale_f32: ([x, y, N, s0], n) => elementwise(N, n, 2, (s, len) => call('scale_f32', [x + f4 * s, y + f4 * s, len, s0])),
  // batch norm [R, C]: the partial sums by chunks of rows (the reduction tree is fixed by R:
  // assembly/kernels/batchnorm.ts), the elementwise passes by rows
  batchnorm_sums: (a, n) => {
    const [x, y, m, partials, R, C, c0, c1, mask] = a;
    return plan((y ? 2 : 1) * R * C * NS_PER_FLOAT, () => chunks(c1 - c0, n, 1).map(([s, e]) => [call('batchnorm_sums', [x, y, m, partials, R, C, c0 + s, c0 + e, mask])]));
  },
  batchnorm_normalize: ([x, m, k, b, y, R, C, relu], n) =>
    plan(2 * R * C * NS_PER_FLOAT, () => chunks(R, n, 1).map(([s, e]) => [call('batchnorm_normalize', [x + f4 * s * C, m, k, b, y + f4 * s * C, e - s, C, relu])])),
  batchnorm_backward_apply: ([x, mean, dy, dx, t, R, C, mask], n) =>
    plan(4 * R * C * NS_PER_FLOAT, () => chunks(R, n, 1).map(([s, e]) => [call('batchnorm_backward_apply', [x + f4 * s * C, mean, dy + f4 * s * C, dx + f4 * s * C, t, e - s, C, mask && mask + f4 * s * C])])),
  // rows of [R, C]
  batchnorm_forward_infer: ([x, g, b, mm, mv, y, R, C, eps], n) =>
    plan(2 * R * C * NS_PER_FLOAT, () => chunks(R, n, 1).map(([s, e]) => [call('batchnorm_forward_infer', [x + f4 * s * C, g, b, mm, mv, y + f4 * s * C, e - s, C, eps])])),

  conv1d_pad: (a, n) => perSample(a, n, 'conv1d_pad', 2, [0, 1], [a[3] * a[4], a[5] * a[4]], 2 * a[2] * a[5] * a[4]),
  conv1d_unpad_add: (a, n) => perSample(a, n, 'conv1d_unpad_add', 2, [0, 1], [a[5] * a[4], a[3] * a[4]], 3 * a[2] * a[3] * a[4]),
  // [x, y, idx, B, L, C, T, P, S, padLeft]; idx holds positions within a sample
  maxpool1d_forward: (a, n) => perSample(a, n, 'maxpool1d_forward', 3, [0, 1, 2], [a[4] * a[5], a[6] * a[5], a[6] * a[5]], a[3] * a[4] * a[5]),
  maxpool1d_backward: (a, n) => perSample(a, n, 'maxpool1d_backward', 3, [0, 1, 2], [a[6] * a[5], a[6] * a[5], a[4] * a[5]], 2 * a[3] * a[4] * a[5]),
  avgpool1d_forward: (a, n) => perSample(a, n, 'avgpool1d_forward', 2, [0, 1], [a[3] * a[4], a[5] * a[4]], a[2] * a[3] * a[4]),
  avgpool1d_backward: (a, n) => perSample(a, n, 'avgpool1d_backward', 2, [0, 1], [a[5] * a[4], a[3] * a[4]], 2 * a[2] * a[3] * a[4]),
  global_avgpool1d_forward: (a, n) => perSample(a, n, 'global_avgpool1d_forward', 2, [0, 1], [a[3] * a[4], a[4]], a[2] * a[3] * a[4]),
  global_avgpool1d_backward: (a, n) => perSample(a, n, 'global_avgpool1d_backward', 2, [0, 1], [a[4], a[3] * a[4]], 2 * a[2] * a[3] * a[4]),

  // optimizers: every state array advances with the parameters
  sgd_update: (a, n) => elementwise(a[3], n, 3, (s, len) => call('sgd_update', shift(a, [0, 1, 2], 3, s, len))),
  adam_update: (a, n) => elementwise(a[4], n, 5, (s, len) => call('adam_update', shift(a, [0, 1, 2, 3], 4, s, len))),
  rmsprop_update: (a, n) => elementwise(a[5], n, 6, (s, len) => call('rmsprop_update', shift(a, [0, 1, 2, 3, 4], 5, s, len))),
  adagrad_update: (a, n) => elementwise(a[3], n, 4, (s, len) => call('adagrad_update', shift(a, [0, 1, 2], 3, s, len))),
  adamax_update: (a, n) => elementwise(a[4], n, 5, (s, len) => call('adamax_update', shift(a, [0, 1, 2, 3], 4, s, len))),
  nadam_update: (a, n) => elementwise(a[4], n, 5, (s, len) => call('nadam_update', shift(a, [0, 1, 2, 3], 4, s, len))),
};

/** The arguments with the pointers at `ptrs` advanced by `s` floats (0 stays 0: an unused buffer)
 *  and the count at `nArg` set to `len`. */
function shift(a: number[], ptrs: number[], nArg: number, s: number, len: number): number[] {
  const args = a.slice();
  for (const p of ptrs) if (args[p]) args[p] += f4 * s;
  args[nArg] = len;
  return args;
}
