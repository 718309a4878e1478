// The cost model behind Conv1D's algorithm 'auto': relative time of a direct convolution and of
// Winograd F(m, K) per pass, in units of one GEMM multiply-add at full speed. Both run the one
// gemm of assembly/kernels/gemm.ts, whose speed falls with a short reduction depth (direct: K*C,
// Winograd: C, or the tiles of a chunk for its kernel gradient); Winograd adds its transforms,
// vectorised over channels at about TRANSFORM_COST GEMM multiply-adds each.
// Calibrated by `node --import tsx bench/winograd-calibrate.ts --rounds 5` (2026-12-08 00:15 UTC,
// load average 20 on 2 cores, so timed by the process's CPU time): training steps of 8 layer
// shapes from C = 1 to C = 256, 20 tile choices, fitted with an rms error of x1.20 (the table is in
// docs/guides/winograd.md). The speeds themselves come from `npm run bench:kernels`.

/** Reduction depth at which the gemm runs at half its deep-reduction speed. */
export const GEMM_HALF_DEPTH = 1;
/** One transform multiply-add, in GEMM multiply-adds (memory bound: loads and stores per fma). */
export const TRANSFORM_COST = 4.25;
/** Winograd is chosen when its estimate is below this share of the direct estimate: in the
 *  calibration every shape the model put below 1 measured below its estimate. */
export const WINOGRAD_MARGIN = 0.9;

const gemm = (macs: number, depth: number) => (macs * (depth + GEMM_HALF_DEPTH)) / depth;

/** Direct convolution, the passes of a step (forward alone at inference).   B, T, C, F, K as in the kernels. */
export function directCost(B: number, T: number, C: number, F: number, K: number, training: boolean): number {
  const macs = B * T * K * C * F;
  return gemm(macs, K * C) * (training ? 3 : 1);
}

/** Winograd F(m, K), chunks of `chunk` tiles: GEMMs over alpha points plus the transforms. */
export function winogradCost(B: number, T: number, C: number, F: number, K: number, m: number, chunk: number, training: boolean): number {
  const a = m + K - 1;
  const tiles = B * Math.ceil(T / m);
  const macs = a * tiles * C * F;
  const kernelTransform = a * K * C * F;
  const forward = gemm(macs, C) + TRANSFORM_COST * (tiles * a * a * C + tiles * m * a * F + kernelTransform);
  if (!training) return forward;
  const input = gemm(macs, F) + TRANSFORM_COST * (tiles * a * m * F + tiles * a * a * C + a * C * F);
  const kernel = gemm(macs, Math.min(chunk, tiles)) + TRANSFORM_COST * (tiles * a * a * C + tiles * a * m * F + kernelTransform);
  return forward + input + kernel;
}
