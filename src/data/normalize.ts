// Per-series z-normalisation, the standard preprocessing of the UCR archive (Dau et al. 2019).

import { Tensor } from '../tensor.ts';
import { ConfigError } from '../layers/args.ts';

/**
 * Each series to mean 0, standard deviation 1 (population std), channel by channel.
 * x is [n, L, C] (each (sample, channel) over L), [n, L] (each row) or [L] (one series).
 * A constant series (std <= 1e-6 * max(1, |mean|), float32 rounding level) becomes all zeros.
 * Returns a new Tensor of the same shape.
 */
export function zNormalize(x: Tensor): Tensor {
  if (!(x instanceof Tensor)) throw new ConfigError('zNormalize: expected a Tensor');
  if (x.rank < 1 || x.rank > 3) throw new ConfigError(`zNormalize: expected a tensor of shape [n, L, C], [n, L] or [L], got [${x.shape}]`);
  const [n, L, C] = x.rank === 3 ? x.shape : x.rank === 2 ? [x.shape[0], x.shape[1], 1] : [1, x.shape[0], 1];
  const src = x.data;
  const out = new Float32Array(src.length);
  for (let s = 0; s < n; s++) {
    for (let c = 0; c < C; c++) {
      const base = s * L * C + c; // element t at base + t * C
      let sum = 0;
      for (let t = 0; t < L; t++) sum += src[base + t * C];
      const mean = sum / L;
      let sq = 0;
      for (let t = 0; t < L; t++) sq += (src[base + t * C] - mean) ** 2;
      const std = Math.sqrt(sq / L);
      if (!(std > 1e-6 * Math.max(1, Math.abs(mean)))) continue; // constant (or empty): zeros
      for (let t = 0; t < L; t++) out[base + t * C] = (src[base + t * C] - mean) / std;
    }
  }
  return new Tensor(out, x.shape);
}
