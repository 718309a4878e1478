// Errors of model files. Bad arguments (a missing path, a bad option) are ConfigErrors.

/** A model.json or weight shard that is corrupt, inconsistent or refused by the loader's limits;
 *  the message names the file, the field, the value found and what was expected. */
export class ModelFormatError extends Error {
  override name = 'ModelFormatError';
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `key` is an own property of `o` (never an inherited name such as "toString" or "__proto__"). */
export const hasOwn = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

/** "null", "an array", "the number 3", "a string" for messages about JSON values. */
export function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number' || typeof v === 'boolean') return `the ${typeof v} ${String(v)}`;
  if (typeof v === 'string') return 'a string';
  return typeof v === 'object' ? 'an object' : String(v);
}
