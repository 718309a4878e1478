// Validation of user-facing layer/loss/optimizer arguments: every error names the owner, the
// field, the value received and what is allowed.

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Longest value text in a message; a longer one ends in "...". */
const MAX_SHOWN = 400;

/** One array or object being written: its entries (keys of an object), the next one, whether
 *  any was written, and whether it is written as JSON (inside an object) or as show() lists. */
interface Frame {
  v: Record<string, unknown> | unknown[];
  keys: string[] | null;
  next: number;
  written: boolean;
  json: boolean;
}

/** A value for an error message, without recursion (a config nested 200,000 deep is shown, cut
 *  at MAX_SHOWN characters, instead of overflowing the stack): strings quoted, arrays as
 *  [a, b], NaN/Infinity as themselves, objects as JSON (JSON.stringify's rules), cycles as
 *  [Circular]. */
function show(value: unknown): string {
  let out = '';
  const stack: Frame[] = [];
  const open = new Set<unknown>();
  const leaf = (v: unknown, json: boolean): string => {
    if (typeof v === 'string') return JSON.stringify(v.length > MAX_SHOWN ? v.slice(0, MAX_SHOWN) : v);
    if (typeof v === 'number') return json && !Number.isFinite(v) ? 'null' : String(v);
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return json ? 'null' : String(v).slice(0, MAX_SHOWN);
    return String(v); // boolean, null, bigint
  };
  /** Writes a leaf, or opens a container. */
  const write = (v: unknown, json: boolean): void => {
    if (typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON === 'function') v = (v as { toJSON(): unknown }).toJSON();
    if (typeof v !== 'object' || v === null) return void (out += leaf(v, json));
    if (open.has(v)) return void (out += '"[Circular]"');
    open.add(v);
    const isArray = Array.isArray(v);
    out += isArray ? '[' : '{';
    stack.push({ v: v as Frame['v'], keys: isArray ? null : Object.keys(v), next: 0, written: false, json: json || !isArray });
  };
  write(value, false);
  while (stack.length > 0 && out.length <= MAX_SHOWN) {
    const f = stack[stack.length - 1];
    const n = f.keys ? f.keys.length : (f.v as unknown[]).length;
    if (f.next >= n) {
      out += f.keys ? '}' : ']';
      open.delete(f.v);
      stack.pop();
      continue;
    }
    const key = f.keys ? f.keys[f.next] : '';
    const item = f.keys ? (f.v as Record<string, unknown>)[key] : (f.v as unknown[])[f.next];
    f.next++;
    // JSON leaves undefined, functions and symbols out of objects
    if (f.keys && (item === undefined || typeof item === 'function' || typeof item === 'symbol')) continue;
    if (f.written) out += f.json ? ',' : ', ';
    f.written = true;
    if (f.keys) out += `${JSON.stringify(key)}:`;
    write(item, f.json);
  }
  return out.length > MAX_SHOWN || stack.length > 0 ? `${out.slice(0, MAX_SHOWN)}...` : out;
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
