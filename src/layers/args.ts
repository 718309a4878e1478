// Validation of user-facing layer/loss/optimizer arguments: every error names the owner, the
// field, the value received and what is allowed.

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
export { show as showValue };

/** Levenshtein distance, for "did you mean" hints. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

export function suggest(name: string, allowed: readonly string[]): string {
  let best = '';
  let bestD = Infinity;
  for (const a of allowed) {
    const dd = distance(name.toLowerCase(), a.toLowerCase());
    if (dd < bestD) {
      bestD = dd;
      best = a;
    }
  }
  return bestD <= Math.max(2, Math.floor(name.length / 3)) ? ` (did you mean "${best}"?)` : '';
}

/** Rejects keys of `args` that are not in `allowed`. */
export function checkKeys(owner: string, args: object | undefined, allowed: readonly string[]): void {
  if (args === undefined) return;
  // null too: callers default only undefined (`args = {}`), then read fields of what they got
  if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new ConfigError(`${owner}: expected an options object, got ${show(args)}`);
  for (const key of Object.keys(args)) {
    if (!allowed.includes(key)) {
      throw new ConfigError(`${owner}: unknown option "${key}"${suggest(key, allowed)}; allowed options are ${allowed.join(', ')}`);
    }
  }
}

/** A positive integer, given as n or [n] (Keras/TF.js accept both for 1D sizes). */
export function positiveInt(owner: string, field: string, v: unknown, fallback?: number): number {
  if (v === undefined && fallback !== undefined) return fallback;
  const n = Array.isArray(v) && v.length === 1 ? v[0] : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new ConfigError(`${owner}: ${field} must be a positive integer, got ${show(v)}`);
  return n;
}

export function finiteNumber(owner: string, field: string, v: unknown, fallback: number, min = -Infinity, max = Infinity): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    const range = min > -Infinity || max < Infinity ? ` in [${min}, ${max}]` : '';
    throw new ConfigError(`${owner}: ${field} must be a finite number${range}, got ${show(v)}`);
  }
  return v;
}

export function boolean(owner: string, field: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new ConfigError(`${owner}: ${field} must be true or false, got ${show(v)}`);
  return v;
}

export function oneOf<T extends string>(owner: string, field: string, v: unknown, allowed: readonly T[], fallback?: T): T {
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    const hint = typeof v === 'string' ? suggest(v, allowed) : '';
    throw new ConfigError(`${owner}: ${field} must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${show(v)}${hint}`);
  }
  return v as T;
}

/** A shape without the batch dimension: positive integers. */
export function shapeArg(owner: string, field: string, v: unknown): number[] {
  if (!Array.isArray(v) || v.length === 0 || !v.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ConfigError(`${owner}: ${field} must be an array of positive integers (without the batch dimension), got ${show(v)}`);
  }
  return v.slice();
}
