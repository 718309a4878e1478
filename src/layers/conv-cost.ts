// The cost model behind Conv1D's algorithm 'auto': relative time of a direct convolution and of
// Winograd F(m, K) per pass, in units of one GEMM multiply-add at full speed. Both run the one
// gemm of assembly/kernels/gemm.ts, whose speed falls with a short reduction depth (direct: K*C,
// Winograd: C, or the tiles of a chunk for its kernel gradient); Winograd adds its transforms,
// vectorised over channels at about TRANSFORM_COST GEMM multiply-adds each.
// Calibrated with `npm run bench:kernels` (bench/kernels.ts: direct and F(m, K) rows of each
// layer, same run); the figures it was fitted to are in docs/guides/winograd.md.

/** Reduction depth at which the gemm runs at half its deep-reduction speed. */
export const GEMM_HALF_DEPTH = 24;
/** One transform multiply-add, in GEMM multiply-adds (memory bound: loads and stores per fma). */
export const TRANSFORM_COST = 3;
/** Winograd is chosen when its estimate is below this share of the direct estimate (the model's
 *  error, measured, stays within it). */
export const WINOGRAD_MARGIN = 0.8;

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
