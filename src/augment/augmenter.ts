// What an augmenter is: a seeded in-place transform of one training batch, run by fit after the
// batch is copied into the model's input buffer (no second dataset), never on validation data,
// evaluate or predict.
//   x [n, L, C]  (row-major, channels last: step t of channel c of sample i at (i L + t) C + c)
//   ys[o] [n, yPer[o]]  the dense targets of output o (only mixup writes them)

import { ConfigError, checkKeys, showValue } from '../layers/args.ts';
import type { Random } from '../runtime/random.ts';

export interface AugmentBatch {
  /** [n, length, channels] inputs, transformed in place. */
  readonly x: Float32Array;
  readonly n: number;
  readonly length: number;
  readonly channels: number;
  /** Per output: [n, yPer[o]] targets (class indices for a sparse loss, which mixup refuses). */
  readonly ys: Float32Array[];
  readonly yPer: number[];
  /** A reusable JS array of at least `floats` floats (resampling needs a copy of a row). */
  scratch(floats: number): Float32Array;
}

export interface Augmenter {
  /** The factory name, e.g. "jitter" (errors say `augment.jitter`). */
  readonly name: string;
  /** It writes the targets too (mixup): fit refuses it for class-index targets. */
  readonly mixesTargets?: boolean;
  /** Throws a ConfigError if the augmenter cannot produce rows of `length` x `channels`. */
  check(length: number, channels: number): void;
  apply(b: AugmentBatch, rng: Random): void;
  getConfig(): Record<string, unknown>;
}

export const owner = (name: string) => `augment.${name}`;

/** Checked options: only `allowed` keys. */
export function options<T extends object>(name: string, o: T | undefined, allowed: readonly string[]): Partial<T> {
  checkKeys(owner(name), o ?? {}, allowed);
  return (o ?? {}) as Partial<T>;
}

/** A finite number >= min (and <= max), naming augmenter, option and value. */
export function num(name: string, field: string, v: unknown, fallback: number, min = -Infinity, max = Infinity, what = ''): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    const range = what || (min > -Infinity && max < Infinity ? `in [${min}, ${max}]` : min > -Infinity ? `>= ${min}` : `<= ${max}`);
    throw new ConfigError(`${owner(name)}: ${field} must be a finite number ${range}, got ${showValue(v)}`);
  }
  return v;
}

/** A [lo, hi] range with lo <= hi (both finite). */
export function range(name: string, field: string, v: unknown, fallback: [number, number], min = -Infinity): [number, number] {
  if (v === undefined) return fallback;
  if (!Array.isArray(v) || v.length !== 2 || !v.every((e) => typeof e === 'number' && Number.isFinite(e) && e >= min)) {
    throw new ConfigError(`${owner(name)}: ${field} must be [low, high], two finite numbers${min > -Infinity ? ` >= ${min}` : ''}, got ${showValue(v)}`);
  }
  if (v[0] > v[1]) throw new ConfigError(`${owner(name)}: ${field} is inverted: [${v[0]}, ${v[1]}] has low > high; give [${v[1]}, ${v[0]}]`);
  return [v[0], v[1]];
}

/** Gamma(shape a, scale 1) by Marsaglia & Tsang (2000); a < 1 through Gamma(a + 1) U^(1/a). */
export function gamma(rng: Random, a: number): number {
  if (a < 1) return gamma(rng, a + 1) * Math.pow(1 - rng.next(), 1 / a);
  const d = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Beta(a, b) as G_a / (G_a + G_b). */
export function beta(rng: Random, a: number, b: number): number {
  const x = gamma(rng, a);
  const y = gamma(rng, b);
  return x + y > 0 ? x / (x + y) : 0.5;
}
