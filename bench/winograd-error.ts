// Rounding error of the Winograd kernels per tile size F(m, K), against float64 direct convolution,
// beside the direct kernels' own error: on the golden Conv1D cases Winograd can run (stride 1,
// dilation 1) and on random layers of the workloads' widths (He-uniform kernels, inputs and
// output gradients uniform in [-1, 1]). "tol" is the largest share of the golden tolerance
// |a - b| <= 1e-4 + 1e-3 |b| (shared/golden/README.md) used by any element; "rel" is the largest
// |a - b| / max |b| of the tensor.
//   node --import tsx bench/winograd-error.ts
import { readFileSync, existsSync } from 'node:fs';
import { runtime } from '../src/runtime/runtime.ts';
import { Random } from '../src/runtime/random.ts';
import { conv1dForward, conv1dBackwardInput, conv1dBackwardKernel } from '../src/reference/conv1d.ts';
import { winogradMatrices, winogradBlock, transposed } from '../src/reference/winograd.ts';

const rt = runtime();
const k = rt.direct;
const rng = new Random(5);
export const WINOGRAD_TILE_CANDIDATES: [number, number][] = [[2, 3], [4, 3], [6, 3], [2, 5], [4, 5], [6, 5], [2, 7], [4, 7], [3, 8]];

interface Errors { tol: number; rel: number }
function errors(got: ArrayLike<number>, want: Float64Array): Errors {
  let tol = 0, worst = 0, scale = 0;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i] - want[i]);
    tol = Math.max(tol, d / (1e-4 + 1e-3 * Math.abs(want[i])));
    worst = Math.max(worst, d);
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return { tol, rel: worst / (scale || 1) };
}
const worse = (a: Errors, b: Errors): Errors => ({ tol: Math.max(a.tol, b.tol), rel: Math.max(a.rel, b.rel) });

/** Errors of [forward, backward-input, backward-kernel] by F(m, K) (m = 0: the direct kernels). */
function run(m: number, B: number, T: number, C: number, F: number, K: number, xp: Float32Array, w: Float32Array, bias: Float32Array, dy: Float32Array): Errors[] {
  const Lp = T + K - 1;
  const f64 = (a: Float32Array) => Float64Array.from(a);
  const y0 = new Float64Array(B * T * F), dx0 = new Float64Array(B * Lp * C), dw0 = new Float64Array(K * C * F);
  conv1dForward(f64(xp), f64(w), f64(bias), y0, B, Lp, C, T, F, K, 1, 1);
  conv1dBackwardInput(f64(dy), transposed(f64(w), K * C, F), dx0, B, Lp, C, T, F, K, 1, 1);
  conv1dBackwardKernel(f64(xp), f64(dy), dw0, B, Lp, C, T, F, K, 1, 1);
  const ptrs: number[] = [];
  const put = (a: ArrayLike<number>) => (ptrs.push(rt.upload(a)), ptrs[ptrs.length - 1]);
  const zeros = (n: number) => put(new Float32Array(Math.max(n, 1)));
  const pxp = put(xp), pw = put(w), pb = put(bias), pdy = put(dy);
  const py = zeros(B * T * F), pdx = zeros(B * Lp * C), pdw = zeros(K * C * F);
  if (m === 0) {
    k.conv1d_forward(pxp, pw, pb, py, B, Lp, C, T, F, K, 1, 1);
    const pwt = zeros(K * C * F);
    k.transpose_f32(K * C, F, pw, pwt);
    k.conv1d_backward_input(pdy, pwt, pdx, B, Lp, C, T, F, K, 1, 1);
    k.conv1d_backward_kernel(pxp, pdy, pdw, B, Lp, C, T, F, K, 1, 1);
  } else {
    const a = m + K - 1, chunk = 64;
    const pm = put(winogradBlock(winogradMatrices(m, K)));
    const pU = zeros(a * C * F), V = zeros(a * chunk * Math.max(C, F)), M = zeros(a * chunk * Math.max(C, F));
    k.winograd_kernel_transform(pm, pw, pU, C, F, m, K);
    k.winograd_forward(pm, pxp, pU, pb, py, V, M, B, Lp, C, T, F, m, K, chunk);
    k.winograd_backward_input(pm, pdy, pU, zeros(a * C * F), pdx, V, M, B, Lp, C, T, F, m, K, chunk);
    k.winograd_backward_kernel(pm, pxp, pdy, pdw, V, M, zeros(a * C * F), B, Lp, C, T, F, m, K, chunk);
  }
  const out = [errors(rt.download(py, B * T * F), y0), errors(rt.download(pdx, B * Lp * C), dx0), errors(rt.download(pdw, K * C * F), dw0)];
  for (const p of ptrs) rt.release(p);
  return out;
}

interface Layer { name: string; B: number; T: number; C: number; F: number; K: number; xp: Float32Array; w: Float32Array; bias: Float32Array; dy: Float32Array }

function goldenLayers(): Layer[] {
  const path = new URL('../../shared/golden/conv1d.json', import.meta.url);
  const file = existsSync(path) ? path : '/work/shared/golden/conv1d.json';
  const cases = JSON.parse(readFileSync(file, 'utf8')).cases as any[];
  return cases
    .filter((c) => c.config.strides === 1 && c.config.dilationRate === 1 && c.config.padding === 'valid' && c.config.kernelSize > 1)
    .map((c) => {
      const [B, L, C] = c.input.shape;
      const K = c.config.kernelSize, F = c.config.filters;
      return { name: `golden ${c.name}`, B, T: L - K + 1, C, F, K, xp: Float32Array.from(c.input.data), w: Float32Array.from(c.params.kernel.data), bias: Float32Array.from(c.params.bias?.data ?? new Array(F).fill(0)), dy: Float32Array.from(c.gradOutput.data) };
    });
}

function randomLayer(B: number, T: number, C: number, F: number, K: number): Layer {
  const lim = Math.sqrt(6 / (K * C));
  return { name: `random B${B} T${T} C${C} F${F} K${K}`, B, T, C, F, K, xp: rng.uniformArray(B * (T + K - 1) * C), w: rng.uniformArray(K * C * F, -lim, lim), bias: rng.uniformArray(F), dy: rng.uniformArray(B * T * F) };
}

const fmt = (e: Errors) => `${e.tol.toFixed(3).padStart(7)} ${e.rel.toExponential(1).padStart(8)}`;
console.log('worst over the layers of each kernel size: share of the golden tolerance used (1 = at the limit), and max |err| / max |ref|');
console.log(`${'algorithm'.padEnd(12)} ${'K'.padStart(2)} ${'forward'.padStart(16)} ${'backward-input'.padStart(16)} ${'backward-kernel'.padStart(16)}`);
const golden = goldenLayers();
for (const K of [3, 5, 7, 8]) {
  const layers = [...golden.filter((l) => l.K === K), ...[16, 128, 256].map((C) => randomLayer(2, 96, C, 128, K))];
  for (const m of [0, ...WINOGRAD_TILE_CANDIDATES.filter(([, r]) => r === K).map(([mm]) => mm)]) {
    const e = layers.map((l) => run(m, l.B, l.T, l.C, l.F, l.K, l.xp, l.w, l.bias, l.dy)).reduce((a, b) => a.map((x, i) => worse(x, b[i])));
    console.log(`${(m ? `F(${m}, ${K})` : 'direct').padEnd(12)} ${String(K).padStart(2)} ${e.map(fmt).join(' ')}`);
  }
}
