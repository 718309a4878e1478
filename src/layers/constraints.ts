// Weight constraints (Keras semantics): applied to a weight in place after every optimizer step
// (models/engine.ts via penalties.ts). Norms are taken over `axis` (Keras' default 0: for a
// Dense kernel [I, U] the incoming weights of each unit, for a Conv1D kernel [K, C, F] each
// (c, f) filter tap column; axis [0, 1] takes the whole [K, C] filter of each output channel).
//   maxNorm:  w <- w * min(n, maxValue) / (eps + n),  n = ||w||_2 over axis,  eps = 1e-7
//   unitNorm: w <- w / (eps + n)
//   nonNeg:   w <- max(w, 0)
// The axes must be contiguous (e.g. 0, [0, 1], -1) so the kernel sees w as [O, R, I].

import type { KernelExports } from '../runtime/runtime.ts';
import { ConfigError, checkKeys, finiteNumber, showValue, suggest } from './args.ts';
import type { KerasConfig } from './registry.ts';

/** Keras backend epsilon. */
const EPS = 1e-7;

export type ConstraintIdentifier = 'maxNorm' | 'nonNeg' | 'unitNorm';
const NAMES: readonly ConstraintIdentifier[] = ['maxNorm', 'nonNeg', 'unitNorm'];

export abstract class Constraint {
  abstract readonly className: 'MaxNorm' | 'NonNeg' | 'UnitNorm';
  /** Throws a ConfigError when the constraint does not fit a weight of `shape`. */
  check(_owner: string, _shape: readonly number[]): void {}
  /** Applies the constraint to the weight of `shape` at w. */
  abstract apply(k: KernelExports, w: number, shape: readonly number[]): void;
  abstract getConfig(): KerasConfig;
}

type Axis = number | number[];

/** [O, R, I] of `shape` with the norms over `axis`. */
export function normBlocks(owner: string, axis: Axis, shape: readonly number[]): [number, number, number] {
  const rank = shape.length;
  const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
  const contiguous = axes.length > 0 && axes.every((a, i) => Number.isInteger(a) && a >= 0 && a < rank && (i === 0 || a === axes[i - 1] + 1));
  if (!contiguous) throw new ConfigError(`${owner}: axis ${showValue(axis)} does not fit a weight of shape [${shape.join(', ')}]; expected axes in -${rank}..${rank - 1}, contiguous (e.g. 0, [0, 1] or -1)`);
  const prod = (a: readonly number[]) => a.reduce((p, d) => p * d, 1);
  const lo = axes[0];
  const hi = axes[axes.length - 1] + 1;
  return [prod(shape.slice(0, lo)), prod(shape.slice(lo, hi)), prod(shape.slice(hi))];
}

function axisArg(owner: string, v: unknown): Axis {
  if (v === undefined) return 0;
  const ok = Number.isInteger(v) || (Array.isArray(v) && v.length > 0 && v.every((a) => Number.isInteger(a)));
  if (!ok) throw new ConfigError(`${owner}: axis must be an integer or a non-empty array of integers, got ${showValue(v)}`);
  return Array.isArray(v) ? v.slice() : (v as number);
}

export class MaxNorm extends Constraint {
  readonly className = 'MaxNorm';
  readonly maxValue: number;
  readonly axis: Axis;
  constructor(args: { maxValue?: number; axis?: Axis } = {}) {
    super();
    const o = 'constraints.maxNorm';
    checkKeys(o, args, ['maxValue', 'axis']);
    this.maxValue = finiteNumber(o, 'maxValue', args.maxValue, 2, 0);
    this.axis = axisArg(o, args.axis);
  }
  override check(owner: string, shape: readonly number[]): void {
    normBlocks(`${owner} maxNorm`, this.axis, shape);
  }
  apply(k: KernelExports, w: number, shape: readonly number[]): void {
    const [O, R, I] = normBlocks('maxNorm', this.axis, shape);
    k.norm_constraint(w, O, R, I, this.maxValue, EPS, 0);
  }
  getConfig(): KerasConfig {
    return { max_value: this.maxValue, axis: this.axis };
  }
}

export class UnitNorm extends Constraint {
  readonly className = 'UnitNorm';
  readonly axis: Axis;
  constructor(args: { axis?: Axis } = {}) {
    super();
    checkKeys('constraints.unitNorm', args, ['axis']);
    this.axis = axisArg('constraints.unitNorm', args.axis);
  }
  override check(owner: string, shape: readonly number[]): void {
    normBlocks(`${owner} unitNorm`, this.axis, shape);
  }
  apply(k: KernelExports, w: number, shape: readonly number[]): void {
    const [O, R, I] = normBlocks('unitNorm', this.axis, shape);
    k.norm_constraint(w, O, R, I, 0, EPS, 1);
  }
  getConfig(): KerasConfig {
    return { axis: this.axis };
  }
}

export class NonNeg extends Constraint {
  readonly className = 'NonNeg';
  apply(k: KernelExports, w: number, shape: readonly number[]): void {
    k.non_neg_constraint(w, shape.reduce((p, d) => p * d, 1));
  }
  getConfig(): KerasConfig {
    return {};
  }
}

/** Factories with the TF.js names. */
export const constraints = {
  maxNorm: (args?: { maxValue?: number; axis?: number | number[] }) => new MaxNorm(args),
  unitNorm: (args?: { axis?: number | number[] }) => new UnitNorm(args),
  nonNeg: () => new NonNeg(),
};

/** A layer option: undefined/null (none), a name (Keras defaults) or a Constraint. */
export function parseConstraint(owner: string, field: string, v: unknown): Constraint | null {
  if (v === undefined || v === null) return null;
  if (v instanceof Constraint) return v;
  if (typeof v === 'string' && (NAMES as readonly string[]).includes(v)) return constraints[v as ConstraintIdentifier]();
  const hint = typeof v === 'string' ? suggest(v, NAMES) : '';
  throw new ConfigError(`${owner}: ${field} must be one of ${NAMES.map((n) => `"${n}"`).join(', ')} or constraints.maxNorm/unitNorm/nonNeg(...), got ${showValue(v)}${hint}`);
}

export const constraintJson = (c: Constraint | null): KerasConfig | null => (c ? { class_name: c.className, config: c.getConfig() } : null);

/** The constraint of a saved config: null or {class_name: 'MaxNorm' | 'UnitNorm' | 'NonNeg', config}. */
export function constraintFromJson(field: string, v: unknown): Constraint | null {
  if (v === undefined || v === null) return null;
  const bad = () => new ConfigError(`${field} must be null or {class_name: "MaxNorm" | "UnitNorm" | "NonNeg", config}, got ${showValue(v)}`);
  if (typeof v !== 'object' || Array.isArray(v)) throw bad();
  const c = ((v as KerasConfig).config ?? {}) as KerasConfig;
  const axis = c.axis as Axis | undefined;
  switch ((v as KerasConfig).class_name) {
    case 'MaxNorm':
      return new MaxNorm({ maxValue: (c.max_value ?? c.maxValue) as number | undefined, axis });
    case 'UnitNorm':
      return new UnitNorm({ axis });
    case 'NonNeg':
      return new NonNeg();
    default:
      throw bad();
  }
}
