// Audio augmenters on raw waveforms x [n, L, C]: random gain, additive white noise at a random
// SNR, and speed perturbation by resampling (Ko et al. 2015, "Audio augmentation for speech
// recognition", Interspeech: factors 0.9, 1.0, 1.1). Randomness is drawn per sample.

import { ConfigError, oneOf, showValue } from '../layers/args.ts';
import { resample } from './curves.ts';
import { options, owner, range, type Augmenter } from './augmenter.ts';

export interface RandomGainArgs {
  /** Gain range in dB (default [-6, 6]); each sample is multiplied by 10^(g / 20), g uniform in it. */
  gainDb?: [number, number];
}

/** x * 10^(g/20), g ~ U[gainDb] per sample. */
export function randomGain(args?: RandomGainArgs): Augmenter {
  const o = options('randomGain', args, ['gainDb']);
  const [lo, hi] = range('randomGain', 'gainDb', o.gainDb, [-6, 6]);
  return {
    name: 'randomGain',
    check: () => {},
    getConfig: () => ({ gainDb: [lo, hi] }),
    apply({ x, n, length, channels }, rng) {
      const per = length * channels;
      for (let i = 0; i < n; i++) {
        const g = Math.pow(10, rng.uniform(lo, hi) / 20);
        for (let j = i * per; j < (i + 1) * per; j++) x[j] *= g;
      }
    },
  };
}

export interface AddNoiseArgs {
  /** Signal-to-noise ratio range in dB (default [10, 30]); drawn uniformly per sample. */
  snrDb?: [number, number];
}

/** x + e, e ~ N(0, P / 10^(snr/10)) with P = mean(x^2) of the sample (all its steps and channels)
 *  and snr ~ U[snrDb] per sample: white Gaussian noise at that SNR. A silent sample stays silent. */
export function addNoise(args?: AddNoiseArgs): Augmenter {
  const o = options('addNoise', args, ['snrDb']);
  const [lo, hi] = range('addNoise', 'snrDb', o.snrDb, [10, 30]);
  return {
    name: 'addNoise',
    check: () => {},
    getConfig: () => ({ snrDb: [lo, hi] }),
    apply({ x, n, length, channels }, rng) {
      const per = length * channels;
      for (let i = 0; i < n; i++) {
        let power = 0;
        for (let j = i * per; j < (i + 1) * per; j++) power += x[j] * x[j];
        power /= per;
        const std = Math.sqrt(power / Math.pow(10, rng.uniform(lo, hi) / 10));
        if (!(std > 0)) continue;
        for (let j = i * per; j < (i + 1) * per; j++) x[j] += std * rng.normal();
      }
    },
  };
}

export interface SpeedPerturbArgs {
  /** Speed factors to pick from uniformly (default [0.9, 1, 1.1], Ko et al. 2015). */
  factors?: number[];
  /** Or a continuous range [low, high] of factors, drawn uniformly (instead of factors). */
  range?: [number, number];
  /** Which point stays fixed: 'center' (default; the window is cropped/padded on both sides, for
   *  centred recordings) or 'start' (cropped/padded at the end). */
  align?: 'center' | 'start';
}

/** Played f times faster: out[t] = x(a + f (t - a)) by linear interpolation (a = 0 or (L-1)/2),
 *  zeros where that falls outside the sample: f > 1 shortens the sound (padded), f < 1 lengthens
 *  it (cropped). Pitch moves with speed, as resampling does; no anti-alias filter. */
export function speedPerturb(args?: SpeedPerturbArgs): Augmenter {
  const o = options('speedPerturb', args, ['factors', 'range', 'align']);
  const name = owner('speedPerturb');
  if (o.factors !== undefined && o.range !== undefined) throw new ConfigError(`${name}: give factors or range, not both`);
  const factors = o.factors ?? [0.9, 1, 1.1];
  if (!Array.isArray(factors) || factors.length === 0 || !factors.every((f) => typeof f === 'number' && Number.isFinite(f) && f > 0)) {
    throw new ConfigError(`${name}: factors must be a non-empty list of speed factors > 0 (e.g. [0.9, 1, 1.1]), got ${showValue(o.factors)}`);
  }
  const span = o.range === undefined ? null : range('speedPerturb', 'range', o.range, [1, 1], 0);
  if (span && span[0] <= 0) throw new ConfigError(`${name}: range must hold speed factors > 0, got [${span}]`);
  const align = oneOf(name, 'align', o.align, ['center', 'start'] as const, 'center');
  return {
    name: 'speedPerturb',
    check: () => {},
    getConfig: () => ({ ...(span ? { range: [...span] } : { factors: [...factors] }), align }),
    apply(b, rng) {
      const { x, n, length: L, channels: C } = b;
      const row = b.scratch(L * C);
      const a = align === 'center' ? (L - 1) / 2 : 0;
      for (let i = 0; i < n; i++) {
        const f = span ? rng.uniform(span[0], span[1]) : factors[rng.int(factors.length)];
        if (f === 1) continue;
        row.set(x.subarray(i * L * C, (i + 1) * L * C));
        resample(row, x, i * L * C, L, C, (t) => a + f * (t - a), L, 0);
      }
    },
  };
}
