// NODE ONLY. Option values checked strictly: a command-line string ("--epochs abc", "--lr -1",
// "--batch-size 2.5" are usage errors, never NaN) or the same field of a run.json (a number).

import { UsageError } from './datasets.ts';

const show = (v: unknown) => JSON.stringify(v) ?? String(v);

/** An integer in [min, max] from a number or a string of digits; `name` is how the user wrote it. */
export function intValue(name: string, v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^[+-]?\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`${name} must be an integer ${range}, got ${show(v)}`);
  }
  return n;
}

/** A finite number from a number or a decimal string, checked against `ok` (described by `expected`). */
export function numberValue(name: string, v: unknown, ok: (n: number) => boolean, expected: string): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isFinite(n) || !ok(n)) throw new UsageError(`${name} must be ${expected}, got ${show(v)}`);
  return n;
}

/** A non-empty string. */
export function stringValue(name: string, v: unknown, hint: string): string {
  if (typeof v !== 'string' || v === '') throw new UsageError(`${name} must be ${hint}, got ${show(v)}`);
  return v;
}

/** A string option of a command that must be present. */
export function requiredString(values: Record<string, unknown>, key: string, command: string, hint: string): string {
  const v = values[key];
  if (typeof v !== 'string' || v === '') throw new UsageError(`${command} needs --${key} ${hint}`, true);
  return v;
}

/** A JSON object (the arguments of a factory), from text or as parsed from run.json. */
export function objectValue(name: string, v: unknown): Record<string, unknown> {
  let o = v;
  if (typeof v === 'string') {
    try {
      o = JSON.parse(v);
    } catch (e) {
      throw new UsageError(`${name} must be a JSON object such as {"patience": 5}, got ${show(v)} (${(e as Error).message})`);
    }
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new UsageError(`${name} must be a JSON object such as {"patience": 5}, got ${show(v)}`);
  return o as Record<string, unknown>;
}
