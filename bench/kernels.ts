// Conv1D and dense kernels at the sizes of bench/workloads.ts (batch 32): SIMD WASM vs the plain-TS
// references, measured in the same run. Each row is checked against the reference first.
// The f32x4 multiply-add peak of this machine (assembly/kernels/peak.ts) is measured in the same run
// and each row states its share of it (issue 8: large convolutions at >= 80%). Stride-1 layers add
// rows of Winograd F(m, K) for each kept tile size (issue 21), whose GFLOP/s are effective: the
// direct convolution's FLOPs over the Winograd time, so above the peak means fewer multiplications.
//   node --import tsx bench/kernels.ts [filter] [--relaxed]   (filter: only rows whose name contains it;
//   --relaxed: the relaxed-SIMD build, see bench/relaxed.ts)
import { relaxedArgs } from './relaxed.ts';
import { wasmBuild } from '../src/generated/kernels.ts';
import { runtime } from '../src/runtime/runtime.ts';
import { time } from './timing.ts';
import { Random } from '../src/runtime/random.ts';
import * as ref from '../src/reference/conv1d.ts';
import * as dref from '../src/reference/dense.ts';
import { transposeF32 } from '../src/reference/gemm.ts';
import { winogradMatrices, winogradBlock } from '../src/reference/winograd.ts';
import { WINOGRAD_TILES, WINOGRAD_CHUNK } from '../src/layers/conv-winograd.ts';

const rt = runtime();
const k = rt.direct; // one thread: the kernels themselves (rt.kernels would split them over the cores)
const rng = new Random(1);


/** Throws when the WASM result differs from the reference beyond float32 tolerance. */
function check(name: string, got: Float32Array, want: Float32Array, depth: number): void {
  const atol = 1e-5 * Math.sqrt(depth);
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= atol + 1e-4 * Math.abs(want[i]))) {
      throw new Error(`${name}: element ${i} is ${got[i]}, reference ${want[i]}`);
    }
  }
}

interface Row {
  name: string;
  flops: number;
  simd: number; // seconds per call
  ref: number; // NaN: not timed (the Winograd rows: the direct row's reference is the same)
}
const rows: Row[] = [];

// The f32x4 peak: 96 FLOP per iteration of 12 independent multiply-add chains, no memory traffic.
// Sampled beside every row and the best kept, so a busy moment cannot lower it (the % of peak
// of a row is then, if anything, understated).
const PEAK_N = 1e5;
let peak = 0;
function samplePeak(): void {
  peak = Math.max(peak, (96 * PEAK_N) / time(() => void k.f32x4_peak(PEAK_N, 0.5), 5, 20) / 1e9);
}

/** Checks `wasm` (writing `out`, n floats) against `reference`, then times both. */
const filter = relaxedArgs(process.argv.slice(2))[0] ?? '';

function measure(name: string, flops: number, depth: number, out: number, n: number, wasm: () => void, reference: () => Float32Array, timeReference = true): void {
  if (!name.includes(filter)) return;
  rt.f32(out, n).fill(0);
  wasm();
  const got = rt.download(out, n);
  const want = reference();
  check(name, got, want, depth);
  samplePeak();
  rows.push({ name, flops, simd: time(wasm, 9, 50), ref: timeReference ? time(() => void reference(), 3, 0) : NaN });
  process.stderr.write('.');
}

function put(a: Float32Array): number {
  return rt.upload(a);
}

function conv(name: string, B: number, L: number, C: number, F: number, K: number, S: number, padding: 'valid' | 'same'): void {
  const span = K; // D = 1
  const T = padding === 'valid' ? Math.floor((L - span) / S) + 1 : Math.ceil(L / S);
  const Lp = padding === 'valid' ? L : L + Math.max((T - 1) * S + span - L, 0);
  const flops = 2 * B * T * F * K * C;
  const xp = rng.uniformArray(B * Lp * C);
  const w = rng.uniformArray(K * C * F);
  const wt = new Float32Array(F * K * C);
  transposeF32(K * C, F, w, wt);
  const bias = rng.uniformArray(F);
  const dy = rng.uniformArray(B * T * F);
  const [pxp, pw, pwt, pb, pdy] = [xp, w, wt, bias, dy].map(put);
  const py = rt.allocF32(B * T * F);
  const pdxp = rt.allocF32(B * Lp * C);
  const pdw = rt.allocF32(K * C * F);
  const y = new Float32Array(B * T * F);
  measure(`${name} forward`, flops, K * C, py, y.length, () => k.conv1d_forward(pxp, pw, pb, py, B, Lp, C, T, F, K, S, 1), () => {
    ref.conv1dForward(xp, w, bias, y, B, Lp, C, T, F, K, S, 1);
    return y;
  });
  const dxp = new Float32Array(B * Lp * C);
  measure(`${name} backward-input`, flops, F * K, pdxp, dxp.length, () => k.conv1d_backward_input(pdy, pwt, pdxp, B, Lp, C, T, F, K, S, 1), () => {
    dxp.fill(0);
    ref.conv1dBackwardInput(dy, wt, dxp, B, Lp, C, T, F, K, S, 1);
    return dxp;
  });
  const dw = new Float32Array(K * C * F);
  measure(`${name} backward-kernel`, flops, B * T, pdw, dw.length, () => k.conv1d_backward_kernel(pxp, pdy, pdw, B, Lp, C, T, F, K, S, 1), () => {
    dw.fill(0);
    ref.conv1dBackwardKernel(xp, dy, dw, B, Lp, C, T, F, K, S, 1);
    return dw;
  });
  // Winograd F(m, K) of the same layer (stride 1), checked against the same references; its
  // GFLOP/s are effective: the direct convolution's FLOPs over the Winograd time
  for (const m of S === 1 ? (WINOGRAD_TILES[K] ?? []) : []) {
    const a = m + K - 1;
    const wname = `${name} F(${m},${K})`;
    const pm = put(winogradBlock(winogradMatrices(m, K)));
    const rowsMax = Math.min(WINOGRAD_CHUNK, B * Math.ceil(T / m));
    const [pU, pUT, pMk] = [0, 1, 2].map(() => rt.allocF32(a * C * F));
    const pV = rt.allocF32(a * rowsMax * Math.max(C, F)), pM = rt.allocF32(a * rowsMax * Math.max(C, F));
    measure(`${wname} forward`, flops, K * C, py, y.length, () => {
      k.winograd_kernel_transform(pm, pw, pU, C, F, m, K);
      k.winograd_forward(pm, pxp, pU, pb, py, pV, pM, B, Lp, C, T, F, m, K, WINOGRAD_CHUNK);
    }, () => {
      ref.conv1dForward(xp, w, bias, y, B, Lp, C, T, F, K, S, 1);
      return y;
    }, false);
    measure(`${wname} backward-input`, flops, F * K, pdxp, dxp.length, () => k.winograd_backward_input(pm, pdy, pU, pUT, pdxp, pM, pV, B, Lp, C, T, F, m, K, WINOGRAD_CHUNK), () => {
      dxp.fill(0);
      ref.conv1dBackwardInput(dy, wt, dxp, B, Lp, C, T, F, K, S, 1);
      return dxp;
    }, false);
    measure(`${wname} backward-kernel`, flops, B * T, pdw, dw.length, () => k.winograd_backward_kernel(pm, pxp, pdy, pdw, pV, pM, pMk, B, Lp, C, T, F, m, K, WINOGRAD_CHUNK), () => {
      dw.fill(0);
      ref.conv1dBackwardKernel(xp, dy, dw, B, Lp, C, T, F, K, S, 1);
      return dw;
    }, false);
    for (const p of [pm, pU, pUT, pMk, pV, pM]) rt.release(p);
  }
  for (const p of [pxp, pw, pwt, pb, pdy, py, pdxp, pdw]) rt.release(p);
}

function dense(name: string, B: number, I: number, U: number): void {
  const flops = 2 * B * I * U;
  const x = rng.uniformArray(B * I);
  const w = rng.uniformArray(I * U);
  const wt = new Float32Array(U * I);
  transposeF32(I, U, w, wt);
  const bias = rng.uniformArray(U);
  const dy = rng.uniformArray(B * U);
  const [px, pw, pwt, pb, pdy] = [x, w, wt, bias, dy].map(put);
  const py = rt.allocF32(B * U);
  const pdx = rt.allocF32(B * I);
  const pdw = rt.allocF32(I * U);
  const y = new Float32Array(B * U);
  measure(`${name} forward`, flops, I, py, y.length, () => k.dense_forward(px, pw, pb, py, B, I, U), () => {
    dref.denseForward(x, w, bias, y, B, I, U);
    return y;
  });
  const dx = new Float32Array(B * I);
  measure(`${name} backward-input`, flops, U, pdx, dx.length, () => k.dense_backward_input(pdy, pwt, pdx, B, I, U), () => {
    dx.fill(0);
    dref.denseBackwardInput(dy, wt, dx, B, I, U);
    return dx;
  });
  const dw = new Float32Array(I * U);
  measure(`${name} backward-kernel`, flops, B, pdw, dw.length, () => k.dense_backward_kernel(px, pdy, pdw, B, I, U), () => {
    dw.fill(0);
    dref.denseBackwardKernel(x, dy, dw, B, I, U);
    return dw;
  });
  for (const p of [px, pw, pwt, pb, pdy, py, pdx, pdw]) rt.release(p);
}

conv('keras-seed conv   B32 L100 C1 F32 K3 valid', 32, 100, 1, 32, 3, 1, 'valid');
conv('fcn-500 layer 2   B32 L500 C64 F64 K3 same', 32, 500, 64, 64, 3, 1, 'same');
conv('samplecnn-8k L1   B32 L8000 C1 F32 K3 S3', 32, 8000, 1, 32, 3, 3, 'valid');
conv('samplecnn-8k mid  B32 L888 C32 F64 K3 same', 32, 888, 32, 64, 3, 1, 'same');
conv('fcn-ecg layer 2   B16 L140 C128 F256 K5 same', 16, 140, 128, 256, 5, 1, 'same');
conv('fcn-ecg layer 3   B16 L140 C256 F128 K3 same', 16, 140, 256, 128, 3, 1, 'same');
dense('keras-seed dense  B32 I1568 U128', 32, 1568, 128);
process.stderr.write('\n');

const gf = (r: Row, s: number) => (r.flops / s / 1e9).toFixed(2);
const table = [['kernel', 'MFLOP', 'simd ms', 'simd GFLOP/s', '% peak', 'ref ms', 'ref GFLOP/s', 'ratio']];
for (const r of rows) {
  const pct = ((100 * r.flops) / r.simd / 1e9 / peak).toFixed(0);
  const timed = !Number.isNaN(r.ref);
  table.push([r.name, (r.flops / 1e6).toFixed(1), (r.simd * 1e3).toFixed(3), gf(r, r.simd), pct, timed ? (r.ref * 1e3).toFixed(2) : '-', timed ? gf(r, r.ref) : '-', timed ? (r.ref / r.simd).toFixed(1) + 'x' : '-']);
}
const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
for (const row of table) console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
console.log(`f32x4 multiply-add peak ${peak.toFixed(1)} GFLOP/s (${wasmBuild} build); all ${rows.length} results checked against the reference; node ${process.version}`);
