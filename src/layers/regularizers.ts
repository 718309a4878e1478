// Weight regularizers (Keras semantics): a penalty P(w) on a weight is added to the loss, so the
// reported loss (fit, evaluate, trainOnBatch) is data loss + sum of the penalties, and dP/dw is
// added to the weight's gradient after the backward (models/engine.ts via penalties.ts).
//   L1L2: P(w) = l1 * sum_i |w_i| + l2 * sum_i w_i^2,   dP/dw_i = l1 * sign(w_i) + 2 * l2 * w_i
// (sign(0) = 0, as TensorFlow). l1 and l2 are the special cases with the other factor 0.
// Only trainable weights are penalised (Keras 3 collects the penalties of trainable weights).
// Saved as TF.js does, {class_name: 'L1L2', config: {l1, l2}}; 'L1' and 'L2' (Keras) load too.

import type { KernelExports } from '../runtime/runtime.ts';
import { ConfigError, checkKeys, finiteNumber, showValue, suggest } from './args.ts';
import type { KerasConfig } from './registry.ts';

export type RegularizerIdentifier = 'l1' | 'l2' | 'l1l2';
const NAMES: readonly RegularizerIdentifier[] = ['l1', 'l2', 'l1l2'];

export class Regularizer {
  readonly className = 'L1L2';
  constructor(
    readonly l1: number,
    readonly l2: number,
  ) {}

  /** P(w) of n floats at w; with dw (non-zero address), also dw += dP/dw. */
  apply(k: KernelExports, w: number, dw: number, n: number): number {
    return k.l1l2_penalty(w, dw, n, this.l1, this.l2);
  }

  getConfig(): KerasConfig {
    return { l1: this.l1, l2: this.l2 };
  }
}

const factor = (owner: string, field: string, v: unknown) => finiteNumber(owner, field, v, 0.01, 0);

/** Factories with the TF.js names and defaults (0.01). */
export const regularizers = {
  /** P = l1 * sum |w|. */
  l1: (args: { l1?: number } = {}) => {
    checkKeys('regularizers.l1', args, ['l1']);
    return new Regularizer(factor('regularizers.l1', 'l1', args.l1), 0);
  },
  /** P = l2 * sum w^2 (no 1/2, as Keras). */
  l2: (args: { l2?: number } = {}) => {
    checkKeys('regularizers.l2', args, ['l2']);
    return new Regularizer(0, factor('regularizers.l2', 'l2', args.l2));
  },
  /** P = l1 * sum |w| + l2 * sum w^2. */
  l1l2: (args: { l1?: number; l2?: number } = {}) => {
    checkKeys('regularizers.l1l2', args, ['l1', 'l2']);
    return new Regularizer(factor('regularizers.l1l2', 'l1', args.l1), factor('regularizers.l1l2', 'l2', args.l2));
  },
};

/** A layer option: undefined/null (none), a name (default factors) or a Regularizer. */
export function parseRegularizer(owner: string, field: string, v: unknown): Regularizer | null {
  if (v === undefined || v === null) return null;
  if (v instanceof Regularizer) return v;
  if (typeof v === 'string' && (NAMES as readonly string[]).includes(v)) return regularizers[v as RegularizerIdentifier]();
  const hint = typeof v === 'string' ? suggest(v, NAMES) : '';
  throw new ConfigError(`${owner}: ${field} must be one of ${NAMES.map((n) => `"${n}"`).join(', ')} or regularizers.l1/l2/l1l2({...}), got ${showValue(v)}${hint}`);
}

export const regularizerJson = (r: Regularizer | null): KerasConfig | null => (r ? { class_name: r.className, config: r.getConfig() } : null);

/** The regularizer of a saved config: null, {class_name: 'L1L2' | 'L1' | 'L2', config} or a name. */
export function regularizerFromJson(field: string, v: unknown): Regularizer | null {
  if (v === undefined || v === null) return null;
  const bad = () => new ConfigError(`${field} must be null or {class_name: "L1L2" | "L1" | "L2", config: {l1, l2}}, got ${showValue(v)}`);
  if (typeof v === 'string') {
    const name = v.toLowerCase().replace(/_/g, '');
    if (!(NAMES as readonly string[]).includes(name)) throw bad();
    return regularizers[name as RegularizerIdentifier]();
  }
  if (typeof v !== 'object' || Array.isArray(v)) throw bad();
  const cls = (v as KerasConfig).class_name;
  const c = ((v as KerasConfig).config ?? {}) as KerasConfig;
  const num = (key: string) => finiteNumber(field, key, c[key] ?? 0, 0, 0);
  if (cls === 'L1L2') return new Regularizer(num('l1'), num('l2'));
  if (cls === 'L1') return new Regularizer(num('l1'), 0);
  if (cls === 'L2') return new Regularizer(0, num('l2'));
  throw bad();
}
