// NODE ONLY. The CLI's options: which command takes which, and numeric values parsed strictly
// ("--epochs abc", "--lr -1", "--batch-size 2.5" are usage errors, never NaN).

import { UsageError } from './datasets.ts';

export type Values = Record<string, string | boolean | undefined>;

export const COMMAND_OPTIONS: Record<string, readonly string[]> = {
  train: ['data', 'model', 'epochs', 'batch-size', 'lr', 'seed', 'length', 'n', 'out', 'overwrite', 'verbose'],
  evaluate: ['model-dir', 'data'],
  predict: ['model-dir', 'data', 'limit'],
};

/** Refuses options the command does not use (they would be silently ignored). */
export function checkCommandOptions(command: string, values: Values): void {
  const allowed = COMMAND_OPTIONS[command];
  for (const key of Object.keys(values)) {
    if (values[key] !== undefined && !allowed.includes(key)) throw new UsageError(`${command} does not take --${key} (it takes ${allowed.map((k) => `--${k}`).join(', ')})`, true);
  }
}

/** An integer option in [min, max], or `fallback` when absent. */
export function intOption(values: Values, key: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = values[key];
  if (v === undefined) return fallback;
  const n = typeof v === 'string' && /^[+-]?\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`--${key} must be an integer ${range}, got ${JSON.stringify(v)}`);
  }
  return n;
}

/** A finite number option > 0, or `fallback` when absent. */
export function positiveNumberOption(values: Values, key: string, fallback: number): number {
  const v = values[key];
  if (v === undefined) return fallback;
  const n = typeof v === 'string' && /^\+?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${key} must be a positive number such as 0.001 or 1e-3, got ${JSON.stringify(v)}`);
  return n;
}

/** A string option that must be present (and not empty). */
export function requiredString(values: Values, key: string, command: string, hint: string): string {
  const v = values[key];
  if (typeof v !== 'string' || v === '') throw new UsageError(`${command} needs --${key} ${hint}`, true);
  return v;
}
