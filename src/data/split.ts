// Seeded shuffles and train/validation splits over sample indices.

import { Random } from '../runtime/random.ts';
import { checkKeys, ConfigError, finiteNumber, showValue } from '../layers/args.ts';

function seedArg(owner: string, seed: unknown): number {
  if (seed === undefined) return 0;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new ConfigError(`${owner}: seed must be an integer, got ${showValue(seed)}`);
  return seed;
}

/** A seeded random permutation of 0..n-1 (Fisher-Yates with the library's Random). */
export function shuffleIndices(n: number, seed = 0): Int32Array {
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`shuffleIndices: n must be a non-negative integer, got ${showValue(n)}`);
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  return new Random(seedArg('shuffleIndices', seed)).shuffle(idx);
}

export interface SplitOptions {
  /** Fraction of the samples (of each class) that go to validation, in (0, 1). */
  validationFraction: number;
  /** Seed of the shuffle; the same seed gives the same split. Default 0. */
  seed?: number;
}

/** How many of `count` samples go to validation: rounded, but both sides non-empty when count >= 2. */
function validationCount(count: number, fraction: number): number {
  if (count < 2) return 0;
  return Math.min(count - 1, Math.max(1, Math.round(count * fraction)));
}

/**
 * Splits sample indices into train and validation, both sorted ascending.
 * Given labels y, each class is split on its own (stratified), so both sides keep the class
 * proportions and every class with >= 2 samples appears in both (a single sample goes to train).
 * Given a count n, a plain seeded random split of 0..n-1.
 */
export function stratifiedSplit(nOrY: number | ArrayLike<number>, options: SplitOptions): { train: Int32Array; validation: Int32Array } {
  checkKeys('stratifiedSplit', options, ['validationFraction', 'seed']);
  if (options?.validationFraction === undefined) throw new ConfigError('stratifiedSplit: validationFraction is required, e.g. {validationFraction: 0.2}');
  const fraction = finiteNumber('stratifiedSplit', 'validationFraction', options.validationFraction, 0, 0, 1);
  if (fraction <= 0 || fraction >= 1) throw new ConfigError(`stratifiedSplit: validationFraction must be in (0, 1), got ${fraction}`);
  const rng = new Random(seedArg('stratifiedSplit', options.seed));
  let groups: number[][];
  if (typeof nOrY === 'number') {
    if (!Number.isInteger(nOrY) || nOrY < 0) throw new ConfigError(`stratifiedSplit: n must be a non-negative integer, got ${showValue(nOrY)}`);
    groups = [Array.from({ length: nOrY }, (_, i) => i)];
  } else {
    const byLabel = new Map<number, number[]>();
    for (let i = 0; i < nOrY.length; i++) {
      const g = byLabel.get(nOrY[i]);
      if (g) g.push(i);
      else byLabel.set(nOrY[i], [i]);
    }
    groups = [...byLabel.keys()].sort((a, b) => a - b).map((k) => byLabel.get(k)!);
  }
  const train: number[] = [];
  const validation: number[] = [];
  for (const g of groups) {
    rng.shuffle(g);
    const v = validationCount(g.length, fraction);
    validation.push(...g.slice(0, v));
    train.push(...g.slice(v));
  }
  const sorted = (a: number[]) => Int32Array.from(a).sort();
  return { train: sorted(train), validation: sorted(validation) };
}
