// Synthetic datasets generated on the spot (no download), deterministic for a seed.
// Dimension legend: n series, L = length samples; x is [n, L, 1], y is [n].

import { Tensor } from '../tensor.ts';
import { Random } from '../runtime/random.ts';
import { checkKeys, ConfigError, positiveInt, showValue } from '../layers/args.ts';
import { shuffleIndices } from './split.ts';

export interface SyntheticOptions {
  /** Number of series; classes are balanced (counts differ by at most 1). */
  n: number;
  /** Samples per series; default 128. */
  length?: number;
  /** Seed; the same seed gives the same data. Default 0. */
  seed?: number;
}

export interface SyntheticDataset {
  /** [n, L, 1] */
  x: Tensor;
  /** [n] class indices */
  y: Int32Array;
  classes: string[];
}

/** Most values (n x length) of a built-in dataset: 2^28 float32, 1 GiB. */
export const MAX_SYNTHETIC_VALUES = 2 ** 28;

function readOptions(owner: string, options: SyntheticOptions): { n: number; L: number; seed: number } {
  checkKeys(owner, options, ['n', 'length', 'seed']);
  const n = positiveInt(owner, 'n', options?.n);
  const L = positiveInt(owner, 'length', options.length, 128);
  if (n * L > MAX_SYNTHETIC_VALUES) {
    throw new ConfigError(`${owner}: n x length = ${n} x ${L} = ${n * L} values, more than the ${MAX_SYNTHETIC_VALUES} (1 GiB of float32) a built-in dataset may have; lower n or length`);
  }
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new ConfigError(`${owner}: seed must be an integer, got ${showValue(seed)}`);
  return { n, L, seed };
}

/** Balanced labels 0..k-1 in a seeded random order. */
function balancedLabels(n: number, k: number, seed: number): Int32Array {
  const order = shuffleIndices(n, seed ^ 0x5bd1e995);
  return Int32Array.from(order, (i) => i % k);
}

/**
 * Cylinder-Bell-Funnel (Saito 1994), 3 classes. With a ~ U[16, 32], b - a ~ U[32, 96] (both
 * scaled by L/128), eta, eps(t) ~ N(0, 1) and chi the indicator of [a, b]:
 *   cylinder (6 + eta) chi(t) + eps(t)
 *   bell     (6 + eta) chi(t) (t - a) / (b - a) + eps(t)
 *   funnel   (6 + eta) chi(t) (b - t) / (b - a) + eps(t)
 */
export function cbf(options: SyntheticOptions): SyntheticDataset {
  const { n, L, seed } = readOptions('builtin.cbf', options);
  const rng = new Random(seed);
  const y = balancedLabels(n, 3, seed);
  const x = new Float32Array(n * L);
  const s = L / 128;
  for (let i = 0; i < n; i++) {
    const a = rng.uniform(16, 32) * s;
    const b = a + rng.uniform(32, 96) * s;
    const amp = 6 + rng.normal();
    for (let t = 0; t < L; t++) {
      let shape = 0;
      if (t >= a && t <= b) shape = y[i] === 0 ? 1 : y[i] === 1 ? (t - a) / (b - a) : (b - t) / (b - a);
      x[i * L + t] = amp * shape + rng.normal();
    }
  }
  return { x: new Tensor(x, [n, L, 1]), y, classes: ['cylinder', 'bell', 'funnel'] };
}

/**
 * A 2-class smoke-test task: sin(2 pi f t / L + phase) + 0.3 N(0, 1) with f = 2 cycles (class
 * 'slow') or 5 cycles (class 'fast') per series and a uniform random phase.
 */
export function sines(options: SyntheticOptions): SyntheticDataset {
  const { n, L, seed } = readOptions('builtin.sines', options);
  const rng = new Random(seed);
  const y = balancedLabels(n, 2, seed);
  const x = new Float32Array(n * L);
  for (let i = 0; i < n; i++) {
    const f = y[i] === 0 ? 2 : 5;
    const phase = rng.uniform(0, 2 * Math.PI);
    for (let t = 0; t < L; t++) x[i * L + t] = Math.sin((2 * Math.PI * f * t) / L + phase) + 0.3 * rng.normal();
  }
  return { x: new Tensor(x, [n, L, 1]), y, classes: ['slow', 'fast'] };
}

const GENERATORS = { cbf, sines } as const;
export type BuiltinName = keyof typeof GENERATORS;

/** A built-in dataset by name: 'cbf' or 'sines'. */
export function load(name: BuiltinName, options: SyntheticOptions): SyntheticDataset {
  if (typeof name !== 'string' || !Object.hasOwn(GENERATORS, name)) {
    throw new ConfigError(`builtin.load: unknown dataset ${showValue(name)}; known datasets are ${Object.keys(GENERATORS).map((k) => `"${k}"`).join(', ')}`);
  }
  return GENERATORS[name](options);
}

/** The synthetic datasets: builtin.cbf, builtin.sines, builtin.load(name, options). */
export const builtin = { cbf, sines, load, names: Object.keys(GENERATORS) as BuiltinName[] };
