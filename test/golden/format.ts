// Reading golden files (shared/golden/README.md): {"cases": [...]}, tensors {"shape", "data"}.
// Anything malformed throws, naming the file, the case and the field.

export interface GTensor {
  shape: number[];
  data: number[];
}

export type GCase = Record<string, unknown> & { name: string; op: string; config: Record<string, unknown> };

export class GoldenFormatError extends Error {
  override name = 'GoldenFormatError';
}

export function parseGoldenFile(file: string, text: string): GCase[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new GoldenFormatError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const cases = (json as { cases?: unknown })?.cases;
  if (!Array.isArray(cases)) throw new GoldenFormatError(`${file}: expected {"cases": [...]} at the top level`);
  return cases.map((c, i) => {
    if (typeof c !== 'object' || c === null) throw new GoldenFormatError(`${file}: case ${i} is not an object`);
    const rec = c as Record<string, unknown>;
    if (typeof rec.op !== 'string') throw new GoldenFormatError(`${file}: case ${i} has no string "op"`);
    const name = typeof rec.name === 'string' ? rec.name : `${rec.op} #${i}`;
    const config = rec.config ?? {};
    if (typeof config !== 'object' || Array.isArray(config)) throw new GoldenFormatError(`${file}: case "${name}": "config" must be an object`);
    return { ...rec, name, op: rec.op, config: config as Record<string, unknown> };
  });
}

/** A tensor field of a case, validated: integer shape, data length = product of the shape. */
export function tensor(c: GCase, field: string): GTensor {
  const t = c[field] as GTensor | undefined;
  if (!t || typeof t !== 'object') throw new GoldenFormatError(`case "${c.name}": missing tensor "${field}"`);
  if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isInteger(d) && d >= 0)) throw new GoldenFormatError(`case "${c.name}": ${field}.shape must be an array of integers`);
  if (!Array.isArray(t.data) || !t.data.every((v) => typeof v === 'number')) throw new GoldenFormatError(`case "${c.name}": ${field}.data must be an array of numbers`);
  const n = t.shape.reduce((a, b) => a * b, 1);
  if (t.data.length !== n) throw new GoldenFormatError(`case "${c.name}": ${field} has ${t.data.length} values for shape [${t.shape}] (${n})`);
  return t;
}

export function hasField(c: GCase, field: string): boolean {
  return c[field] !== undefined;
}

/** A dict of named tensors (params, gradParams), in file order. */
export function tensorDict(c: GCase, field: string): [string, GTensor][] {
  const d = c[field];
  if (d === undefined) return [];
  if (typeof d !== 'object' || d === null || Array.isArray(d)) throw new GoldenFormatError(`case "${c.name}": "${field}" must be an object of tensors`);
  return Object.keys(d).map((k) => [k, tensor({ ...c, [`${field}.${k}`]: (d as Record<string, unknown>)[k] }, `${field}.${k}`)]);
}

export function number(c: GCase, field: string): number {
  const v = c[field];
  if (typeof v !== 'number') throw new GoldenFormatError(`case "${c.name}": "${field}" must be a number`);
  return v;
}

/** The golden tolerance: |a-b| <= 1e-4 + 1e-3*|b|. */
export function mismatch(actual: ArrayLike<number>, expected: GTensor | number[], what: string): string | null {
  const exp = Array.isArray(expected) ? expected : expected.data;
  if (actual.length !== exp.length) return `${what}: ${actual.length} values, expected ${exp.length}`;
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < exp.length; i++) {
    const excess = Math.abs(actual[i] - exp[i]) - (1e-4 + 1e-3 * Math.abs(exp[i]));
    if (!(excess <= 0) && (worst < 0 || !(excess <= worstExcess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  return worst < 0 ? null : `${what}: element ${worst} is ${actual[worst]}, expected ${exp[worst]} (beyond 1e-4 + 1e-3*|expected|)`;
}
