// Time-series augmenters (Um et al. 2017; Le Guennec et al. 2016; survey: Iwana & Uchida 2021,
// "An empirical survey of data augmentation for time series classification", whose defaults
// these follow). Each draws its randomness per sample (and channel where stated) from fit's seed.
//   x [n, L, C], one row = one sample [L, C]; all of them are the identity at zero strength.

import { ConfigError, oneOf, showValue } from '../layers/args.ts';
import type { Random } from '../runtime/random.ts';
import { knotPositions, resample, spline } from './curves.ts';
import { num, options, owner, type AugmentBatch, type Augmenter } from './augmenter.ts';

function augmenter(name: string, config: Record<string, unknown>, apply: (b: AugmentBatch, rng: Random) => void, check: (L: number, C: number) => void = () => {}): Augmenter {
  return { name, check, apply, getConfig: () => ({ ...config }) };
}

function needLength(name: string, min: number, L: number, why: string): void {
  if (L < min) throw new ConfigError(`${owner(name)}: needs series of length >= ${min} (${why}), got length ${L}`);
}

function intOption(name: string, field: string, v: unknown, fallback: number | undefined, min: number): number {
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ConfigError(`${owner(name)}: ${field} must be an integer >= ${min}, got ${showValue(v)}`);
  return v;
}

export interface SigmaArgs {
  /** Standard deviation (default: jitter 0.03, scaling 0.1, warps 0.2). */
  sigma?: number;
}
export interface WarpArgs extends SigmaArgs {
  /** Interior knots of the cubic spline (default 4). */
  knots?: number;
}

/** x + e, e ~ N(0, sigma^2) independently per element. */
export function jitter(args?: SigmaArgs): Augmenter {
  const o = options('jitter', args, ['sigma']);
  const sigma = num('jitter', 'sigma', o.sigma, 0.03, 0);
  return augmenter('jitter', { sigma }, ({ x, n, length, channels }, rng) => {
    if (sigma === 0) return;
    for (let i = 0; i < n * length * channels; i++) x[i] += sigma * rng.normal();
  });
}

/** x[i, :, c] * s_ic, s_ic ~ N(1, sigma^2) per sample and channel. */
export function scaling(args?: SigmaArgs): Augmenter {
  const o = options('scaling', args, ['sigma']);
  const sigma = num('scaling', 'sigma', o.sigma, 0.1, 0);
  return augmenter('scaling', { sigma }, ({ x, n, length: L, channels: C }, rng) => {
    if (sigma === 0) return;
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < C; c++) {
        const s = 1 + sigma * rng.normal();
        for (let t = 0; t < L; t++) x[(i * L + t) * C + c] *= s;
      }
    }
  });
}

/** x[i, t, c] * w_ic(t): w a natural cubic spline through knots + 2 evenly spaced values ~ N(1, sigma^2),
 *  drawn per sample and channel (Um et al. 2017, magnitude warping). */
export function magnitudeWarp(args?: WarpArgs): Augmenter {
  const o = options('magnitudeWarp', args, ['sigma', 'knots']);
  const sigma = num('magnitudeWarp', 'sigma', o.sigma, 0.2, 0);
  const knots = intOption('magnitudeWarp', 'knots', o.knots, 4, 1);
  return augmenter(
    'magnitudeWarp',
    { sigma, knots },
    ({ x, n, length: L, channels: C }, rng) => {
      if (sigma === 0) return;
      const xs = knotPositions(knots, L);
      const w = new Float64Array(L);
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < C; c++) {
          spline(xs, xs.map(() => 1 + sigma * rng.normal()), L, w);
          for (let t = 0; t < L; t++) x[(i * L + t) * C + c] *= w[t];
        }
      }
    },
    (L) => needLength('magnitudeWarp', 2, L, 'a curve over the steps'),
  );
}

/** Smooth random time distortion shared by the channels of a sample: a speed curve v(t) (natural
 *  cubic spline through knots + 2 values ~ N(1, sigma^2), floored at 0.01 so time only moves
 *  forward) is integrated (trapezoid) into positions p(t), scaled so p(L-1) = L-1, and the
 *  sample is read at p(t) by linear interpolation: out[t] = x(p(t)). */
export function timeWarp(args?: WarpArgs): Augmenter {
  const o = options('timeWarp', args, ['sigma', 'knots']);
  const sigma = num('timeWarp', 'sigma', o.sigma, 0.2, 0);
  const knots = intOption('timeWarp', 'knots', o.knots, 4, 1);
  return augmenter(
    'timeWarp',
    { sigma, knots },
    (b, rng) => {
      if (sigma === 0) return;
      const { x, n, length: L, channels: C } = b;
      const xs = knotPositions(knots, L);
      const v = new Float64Array(L);
      const p = new Float64Array(L);
      const row = b.scratch(L * C);
      for (let i = 0; i < n; i++) {
        spline(xs, xs.map(() => 1 + sigma * rng.normal()), L, v);
        for (let t = 0; t < L; t++) v[t] = Math.max(v[t], 0.01);
        for (let t = 1; t < L; t++) p[t] = p[t - 1] + 0.5 * (v[t - 1] + v[t]);
        const scale = (L - 1) / p[L - 1];
        row.set(x.subarray(i * L * C, (i + 1) * L * C));
        resample(row, x, i * L * C, L, C, (t) => p[t] * scale, L, null);
      }
    },
    (L) => needLength('timeWarp', 2, L, 'a warp between two steps at least'),
  );
}

export interface TimeShiftArgs {
  /** Largest shift in steps; each sample is shifted by an integer uniform in [-maxShift, maxShift]. */
  maxShift: number;
  /** 'circular' (default): steps leaving one end enter at the other; 'zeros': they are dropped and zeros fill in. */
  mode?: 'circular' | 'zeros';
}

/** out[t] = x[t - k], k uniform in [-maxShift, maxShift] per sample; circular (indices mod L) or zero-filled. */
export function timeShift(args: TimeShiftArgs): Augmenter {
  const o = options('timeShift', args, ['maxShift', 'mode']);
  const maxShift = intOption('timeShift', 'maxShift', o.maxShift, undefined, 0);
  const mode = oneOf(owner('timeShift'), 'mode', o.mode, ['circular', 'zeros'] as const, 'circular');
  return augmenter(
    'timeShift',
    { maxShift, mode },
    (b, rng) => {
      const { x, n, length: L, channels: C } = b;
      const row = b.scratch(L * C);
      for (let i = 0; i < n; i++) {
        const k = rng.int(2 * maxShift + 1) - maxShift;
        if (k === 0) continue;
        const base = i * L * C;
        row.set(x.subarray(base, base + L * C));
        for (let t = 0; t < L; t++) {
          let s = t - k;
          if (mode === 'circular') s = ((s % L) + L) % L;
          const inside = s >= 0 && s < L;
          for (let c = 0; c < C; c++) x[base + t * C + c] = inside ? row[s * C + c] : 0;
        }
      }
    },
    (L) => {
      if (maxShift >= L) throw new ConfigError(`${owner('timeShift')}: maxShift ${maxShift} must be < the series length ${L} (a shift of the whole length ${mode === 'zeros' ? 'leaves only zeros' : 'is no shift'})`);
    },
  );
}

export interface WindowSliceArgs {
  /** Fraction of the length kept (default 0.9, Le Guennec et al. 2016), in (0, 1]. */
  ratio?: number;
}

/** A random window of w = ceil(ratio L) steps (start uniform in 0..L-w) stretched back to L steps
 *  by linear interpolation: out[t] = x(s + t (w - 1) / (L - 1)). */
export function windowSlice(args?: WindowSliceArgs): Augmenter {
  const o = options('windowSlice', args, ['ratio']);
  const ratio = num('windowSlice', 'ratio', o.ratio, 0.9, 0, 1, 'in (0, 1]');
  if (ratio === 0) throw new ConfigError(`${owner('windowSlice')}: ratio must be a finite number in (0, 1], got 0`);
  return augmenter(
    'windowSlice',
    { ratio },
    (b, rng) => {
      const { x, n, length: L, channels: C } = b;
      const w = Math.ceil(ratio * L);
      if (w >= L) return;
      const row = b.scratch(L * C);
      for (let i = 0; i < n; i++) {
        const s = rng.int(L - w + 1);
        row.set(x.subarray(i * L * C, (i + 1) * L * C));
        resample(row, x, i * L * C, L, C, (t) => s + (t * (w - 1)) / (L - 1), L, null);
      }
    },
    (L) => {
      if (Math.ceil(ratio * L) < 2 && ratio < 1) throw new ConfigError(`${owner('windowSlice')}: ratio ${ratio} of length ${L} keeps ${Math.ceil(ratio * L)} step; a slice needs >= 2 steps (ratio >= ${2 / L})`);
    },
  );
}
