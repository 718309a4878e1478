// Calibrates the cost model of src/layers/conv-cost.ts: times direct and Winograd F(m, K) training
// passes (forward + backward-input + backward-kernel) of layer shapes from narrow to wide by the
// process's CPU time, in interleaved rounds keeping each one's fastest (a loaded machine only
// ever slows a call down),
// then fits GEMM_HALF_DEPTH and TRANSFORM_COST to the measured Winograd / direct ratios (least
// squares in log ratio over a grid) and prints the table of measured and modelled ratios.
//   node --import tsx bench/winograd-calibrate.ts [--rounds 7]
import { runtime } from '../src/runtime/runtime.ts';
import { Random } from '../src/runtime/random.ts';
import { winogradMatrices, winogradBlock } from '../src/reference/winograd.ts';
import { WINOGRAD_TILES, WINOGRAD_CHUNK } from '../src/layers/conv-winograd.ts';

const rt = runtime();
const k = rt.direct;
const rng = new Random(3);
const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1] ?? 7) || 7;

// [name, B, T, C, F, K]
const SHAPES: [string, number, number, number, number, number][] = [
  ['keras-seed conv', 32, 98, 1, 32, 3],
  ['narrow', 16, 100, 8, 16, 3],
  ['samplecnn-8k mid', 8, 888, 32, 64, 3],
  ['k5 C32 F32', 16, 140, 32, 32, 5],
  ['fcn-500 layer 2', 8, 500, 64, 64, 3],
  ['fcn-ecg layer 2', 16, 140, 128, 256, 5],
  ['fcn-ecg layer 3', 16, 140, 256, 128, 3],
  ['k7 C64 F64', 16, 140, 64, 64, 7],
];

interface Row { name: string; B: number; T: number; C: number; F: number; K: number; m: number; ratio: number; ms: number; directMs: number }
const rows: Row[] = [];

/** Fastest CPU milliseconds per call of fn over `rounds` samples of at least 20 ms of CPU time each
 *  (the wall clock would also count the time other processes hold the core). */
function cpuMs(fn: () => void): number {
  const c0 = process.cpuUsage().user;
  let calls = 0, used = 0;
  do {
    fn();
    calls++;
    used = process.cpuUsage().user - c0;
  } while (used < 20_000);
  return used / 1000 / calls;
}
// the f32x4 multiply-add peak (assembly/kernels/peak.ts: 96 FLOP per iteration), same clock
const PEAK_N = 1e5;
let peakMs = Infinity;
for (let r = 0; r < rounds; r++) peakMs = Math.min(peakMs, cpuMs(() => void k.f32x4_peak(PEAK_N, 0.5)));
const peak = (96 * PEAK_N) / peakMs / 1e6;

for (const [name, B, T, C, F, K] of SHAPES) {
  const Lp = T + K - 1;
  const ptrs: number[] = [];
  const put = (n: number) => (ptrs.push(rt.upload(rng.uniformArray(n))), ptrs[ptrs.length - 1]);
  const xp = put(B * Lp * C), w = put(K * C * F), wt = put(K * C * F), bias = put(F), dy = put(B * T * F), y = put(B * T * F), dxp = put(B * Lp * C), dw = put(K * C * F);
  const runs: [number, () => void][] = [[0, () => {
    k.conv1d_forward(xp, w, bias, y, B, Lp, C, T, F, K, 1, 1);
    k.transpose_f32(K * C, F, w, wt);
    k.conv1d_backward_input(dy, wt, dxp, B, Lp, C, T, F, K, 1, 1);
    k.conv1d_backward_kernel(xp, dy, dw, B, Lp, C, T, F, K, 1, 1);
  }]];
  for (const m of WINOGRAD_TILES[K]) {
    const a = m + K - 1, rowsMax = Math.min(WINOGRAD_CHUNK, B * Math.ceil(T / m));
    const pm = rt.upload(winogradBlock(winogradMatrices(m, K)));
    ptrs.push(pm);
    const U = put(a * C * F), UT = put(a * C * F), Mk = put(a * C * F), V = put(a * rowsMax * C), M = put(a * rowsMax * F);
    runs.push([m, () => {
      k.winograd_kernel_transform(pm, w, U, C, F, m, K);
      k.winograd_forward(pm, xp, U, bias, y, V, M, B, Lp, C, T, F, m, K, WINOGRAD_CHUNK);
      k.winograd_backward_input(pm, dy, U, UT, dxp, M, V, B, Lp, C, T, F, m, K, WINOGRAD_CHUNK);
      k.winograd_backward_kernel(pm, xp, dy, dw, V, M, Mk, B, Lp, C, T, F, m, K, WINOGRAD_CHUNK);
    }]);
  }
  const best = runs.map(() => Infinity);
  for (let r = 0; r < rounds; r++) {
    runs.forEach(([, fn], i) => (best[i] = Math.min(best[i], cpuMs(fn))));
  }
  runs.forEach(([m], i) => {
    if (m) rows.push({ name, B, T, C, F, K, m, ratio: best[i] / best[0], ms: best[i], directMs: best[0] });
  });
  process.stderr.write(`${name}: direct ${best[0].toFixed(2)} ms, ${runs.slice(1).map(([m], i) => `F(${m},${K}) ${best[i + 1].toFixed(2)} ms`).join(', ')}\n`);
  for (const p of ptrs) rt.release(p);
}

// the model of conv-cost.ts with its two constants as parameters
function modelRatio(r: Row, half: number, tc: number): number {
  const gemm = (macs: number, depth: number) => (macs * (depth + half)) / depth;
  const { B, T, C, F, K, m } = r;
  const a = m + K - 1, tiles = B * Math.ceil(T / m), macs = a * tiles * C * F, kt = a * K * C * F;
  const direct = 3 * gemm(B * T * K * C * F, K * C);
  const wino = gemm(macs, C) + tc * (tiles * a * a * C + tiles * m * a * F + kt)
    + gemm(macs, F) + tc * (tiles * a * m * F + tiles * a * a * C + a * C * F)
    + gemm(macs, Math.min(WINOGRAD_CHUNK, tiles)) + tc * (tiles * a * a * C + tiles * a * m * F + kt);
  return wino / direct;
}
const gflops = (r: Row, ms: number) => ((6 * r.B * r.T * r.K * r.C * r.F) / ms / 1e6).toFixed(1);
let fit = { half: 0, tc: 0, err: Infinity };
for (let half = 1; half <= 96; half++) {
  for (let tc = 0.25; tc <= 12; tc += 0.25) {
    const err = rows.reduce((s, r) => s + Math.log(modelRatio(r, half, tc) / r.ratio) ** 2, 0);
    if (err < fit.err) fit = { half, tc, err };
  }
}
console.log('Winograd / direct time of a training step of one layer (forward + both gradients), measured and modelled');
console.log('effective GFLOP/s: the direct convolution\'s FLOPs of the three passes (6 B T K C F) over the time');
console.log(`${'layer'.padEnd(18)} ${'B'.padStart(3)} ${'T'.padStart(4)} ${'C'.padStart(4)} ${'F'.padStart(4)} ${'tile'.padStart(7)} ${'measured'.padStart(9)} ${'model'.padStart(6)} ${'direct GFLOP/s'.padStart(15)} ${'effective GFLOP/s'.padStart(18)}`);
for (const r of rows) {
  console.log(`${r.name.padEnd(18)} ${String(r.B).padStart(3)} ${String(r.T).padStart(4)} ${String(r.C).padStart(4)} ${String(r.F).padStart(4)} ${`F(${r.m},${r.K})`.padStart(7)} ${r.ratio.toFixed(2).padStart(9)} ${modelRatio(r, fit.half, fit.tc).toFixed(2).padStart(6)} ${gflops(r, r.directMs).padStart(15)} ${gflops(r, r.ms).padStart(18)}`);
}
const rms = Math.exp(Math.sqrt(fit.err / rows.length));
console.log(`fit: GEMM_HALF_DEPTH = ${fit.half}, TRANSFORM_COST = ${fit.tc} (rms model error x${rms.toFixed(2)}); ${rounds} rounds, fastest kept; f32x4 multiply-add peak ${peak.toFixed(1)} GFLOP/s (same clock)`);
