// Learning-rate schedules: objects mapping the optimizer step (completed updates, 0 for the first
// update, as Keras's `schedule(optimizer.iterations)`) to a learning rate. Passed as `learningRate`:
//   optimizers.adam({learningRate: optimizers.schedules.cosineDecay({initialLearningRate: 0, decaySteps: 900, warmupTarget: 1e-3, warmupSteps: 100})})
// Formulas and names from keras/src/optimizers/schedules/learning_rate_schedule.py (Keras 3),
// one-cycle from torch.optim.lr_scheduler.OneCycleLR (Smith & Topin 2017; Keras has none).

import { ConfigError, boolean, checkKeys, finiteNumber, oneOf, positiveInt, showValue, suggest } from '../layers/args.ts';

export abstract class LearningRateSchedule {
  abstract readonly className: string;
  /** The learning rate of the update made after `step` completed updates (step >= 0). */
  abstract rate(step: number): number;
  /** The constructor arguments (camelCase), for saving. */
  abstract getConfig(): Record<string, unknown>;
}

export interface ExponentialDecayScheduleArgs {
  initialLearningRate: number;
  /** Steps per decay by decayRate (positive integer). */
  decaySteps: number;
  decayRate: number;
  /** Decay in whole multiples of decaySteps (default false). */
  staircase?: boolean;
}

/** Keras ExponentialDecay: lr(step) = initialLearningRate * decayRate^(step / decaySteps),
 *  the exponent floored with staircase. */
export class ExponentialDecay extends LearningRateSchedule {
  readonly className = 'ExponentialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  constructor(args: ExponentialDecayScheduleArgs) {
    super();
    const o = 'optimizers.schedules.exponentialDecay';
    checkKeys(o, args ?? {}, ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase']);
    this.initialLearningRate = required(o, 'initialLearningRate', args?.initialLearningRate, 0);
    this.decaySteps = positiveInt(o, 'decaySteps', required(o, 'decaySteps', args.decaySteps, 1));
    this.decayRate = required(o, 'decayRate', args.decayRate, 0);
    this.staircase = boolean(o, 'staircase', args.staircase, false);
  }
  rate(step: number): number {
    const p = step / this.decaySteps;
    return this.initialLearningRate * Math.pow(this.decayRate, this.staircase ? Math.floor(p) : p);
  }
  getConfig(): Record<string, unknown> {
    return { initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, decayRate: this.decayRate, staircase: this.staircase };
  }
}

export interface PiecewiseConstantDecayArgs {
  /** Strictly increasing steps. */
  boundaries: number[];
  /** One more value than boundaries. */
  values: number[];
}

/** Keras PiecewiseConstantDecay: values[0] while step <= boundaries[0], values[i] while
 *  boundaries[i-1] < step <= boundaries[i], values[n] after boundaries[n-1]. */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  readonly className = 'PiecewiseConstantDecay';
  readonly boundaries: number[];
  readonly values: number[];
  constructor(args: PiecewiseConstantDecayArgs) {
    super();
    const o = 'optimizers.schedules.piecewiseConstantDecay';
    checkKeys(o, args ?? {}, ['boundaries', 'values']);
    const { boundaries, values } = args ?? {};
    if (!Array.isArray(boundaries) || boundaries.length === 0 || !boundaries.every((b, i) => Number.isFinite(b) && (i === 0 || b > boundaries[i - 1]))) {
      throw new ConfigError(`${o}: boundaries must be a non-empty array of strictly increasing finite numbers, got ${showValue(boundaries)}`);
    }
    if (!Array.isArray(values) || values.length !== boundaries.length + 1 || !values.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
      throw new ConfigError(`${o}: values must be ${boundaries.length + 1} finite numbers >= 0 (one more than boundaries), got ${showValue(values)}`);
    }
    this.boundaries = boundaries.slice();
    this.values = values.slice();
  }
  rate(step: number): number {
    const i = this.boundaries.findIndex((b) => step <= b);
    return this.values[i < 0 ? this.values.length - 1 : i];
  }
  getConfig(): Record<string, unknown> {
    return { boundaries: this.boundaries.slice(), values: this.values.slice() };
  }
}

export interface CosineDecayArgs {
  initialLearningRate: number;
  /** Steps of the cosine decay (after the warm-up; positive integer). */
  decaySteps: number;
  /** Final rate as a fraction of the decay's starting rate (default 0). */
  alpha?: number;
  /** Rate reached by a linear warm-up from initialLearningRate (default: no warm-up). */
  warmupTarget?: number;
  /** Steps of the warm-up (default 0). */
  warmupSteps?: number;
}

/** Keras CosineDecay (SGDR without restarts, Loshchilov & Hutter 2017) with linear warm-up.
 *  Without warmupTarget: lr(s) = initialLearningRate * d(min(s, decaySteps)).
 *  With it: s' = min(s, warmupSteps + decaySteps); s' < warmupSteps gives
 *  initialLearningRate + (warmupTarget - initialLearningRate) * s'/warmupSteps, else
 *  warmupTarget * d(s' - warmupSteps);  d(x) = (1 - alpha) * 0.5*(1 + cos(pi*x/decaySteps)) + alpha. */
export class CosineDecay extends LearningRateSchedule {
  readonly className = 'CosineDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly warmupTarget: number | null;
  readonly warmupSteps: number;
  constructor(args: CosineDecayArgs) {
    super();
    const o = 'optimizers.schedules.cosineDecay';
    checkKeys(o, args ?? {}, ['initialLearningRate', 'decaySteps', 'alpha', 'warmupTarget', 'warmupSteps']);
    this.initialLearningRate = required(o, 'initialLearningRate', args?.initialLearningRate, 0);
    this.decaySteps = positiveInt(o, 'decaySteps', required(o, 'decaySteps', args.decaySteps, 1));
    this.alpha = finiteNumber(o, 'alpha', args.alpha, 0, 0, 1);
    this.warmupTarget = args.warmupTarget === undefined || args.warmupTarget === null ? null : finiteNumber(o, 'warmupTarget', args.warmupTarget, 0, 0);
    this.warmupSteps = args.warmupSteps === 0 ? 0 : positiveInt(o, 'warmupSteps', args.warmupSteps, 0);
    if (this.warmupSteps > 0 && this.warmupTarget === null) throw new ConfigError(`${o}: warmupSteps ${this.warmupSteps} needs warmupTarget (the rate the warm-up reaches)`);
  }
  private decayed(step: number, from: number): number {
    const cosine = 0.5 * (1 + Math.cos((Math.PI * step) / this.decaySteps));
    return from * ((1 - this.alpha) * cosine + this.alpha);
  }
  rate(step: number): number {
    if (this.warmupTarget === null) return this.decayed(Math.min(step, this.decaySteps), this.initialLearningRate);
    const s = Math.min(step, this.decaySteps + this.warmupSteps);
    if (s < this.warmupSteps) return (this.warmupTarget - this.initialLearningRate) * (s / this.warmupSteps) + this.initialLearningRate;
    return this.decayed(s - this.warmupSteps, this.warmupTarget);
  }
  getConfig(): Record<string, unknown> {
    return { initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, alpha: this.alpha, warmupTarget: this.warmupTarget, warmupSteps: this.warmupSteps };
  }
}

export interface OneCycleArgs {
  /** Peak rate. */
  maxLearningRate: number;
  /** Steps of the whole cycle (positive integer). */
  totalSteps: number;
  /** Fraction of the steps spent increasing the rate (default 0.3). */
  pctStart?: number;
  /** Starting rate = maxLearningRate / divFactor (default 25). */
  divFactor?: number;
  /** Final rate = starting rate / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** 'cos' (default) or 'linear' interpolation within a phase. */
  annealStrategy?: 'cos' | 'linear';
  /** Three phases (up, down to the start, down to the final rate) instead of two (default false). */
  threePhase?: boolean;
}

/** PyTorch OneCycleLR (learning rate only; momentum is not cycled), steps 0..totalSteps-1.
 *  Phases end at steps e1 = pctStart*T - 1 (start -> max) and T - 1 (max -> final); with threePhase
 *  at e1, e2 = 2*pctStart*T - 2 (max -> start) and T - 1 (start -> final). Within a phase from
 *  step a to b, pct = (s - a)/(b - a); cos: lr = to + (from - to)/2 * (1 + cos(pi*pct)),
 *  linear: lr = from + (to - from)*pct. Steps past the cycle keep the final rate (PyTorch raises). */
export class OneCycle extends LearningRateSchedule {
  readonly className = 'OneCycle';
  readonly maxLearningRate: number;
  readonly totalSteps: number;
  readonly pctStart: number;
  readonly divFactor: number;
  readonly finalDivFactor: number;
  readonly annealStrategy: 'cos' | 'linear';
  readonly threePhase: boolean;
  private readonly phases: { end: number; from: number; to: number }[];
  constructor(args: OneCycleArgs) {
    super();
    const o = 'optimizers.schedules.oneCycle';
    checkKeys(o, args ?? {}, ['maxLearningRate', 'totalSteps', 'pctStart', 'divFactor', 'finalDivFactor', 'annealStrategy', 'threePhase']);
    this.maxLearningRate = required(o, 'maxLearningRate', args?.maxLearningRate, 0);
    this.totalSteps = positiveInt(o, 'totalSteps', required(o, 'totalSteps', args.totalSteps, 1));
    this.pctStart = finiteNumber(o, 'pctStart', args.pctStart, 0.3, 0, 1);
    this.divFactor = finiteNumber(o, 'divFactor', args.divFactor, 25, Number.MIN_VALUE);
    this.finalDivFactor = finiteNumber(o, 'finalDivFactor', args.finalDivFactor, 1e4, Number.MIN_VALUE);
    this.annealStrategy = oneOf(o, 'annealStrategy', args.annealStrategy, ['cos', 'linear'] as const, 'cos');
    this.threePhase = boolean(o, 'threePhase', args.threePhase, false);
    const T = this.totalSteps;
    const up = this.pctStart * T - 1;
    const initial = this.maxLearningRate / this.divFactor;
    const final = initial / this.finalDivFactor;
    this.phases = this.threePhase
      ? [{ end: up, from: initial, to: this.maxLearningRate }, { end: 2 * up, from: this.maxLearningRate, to: initial }, { end: T - 1, from: initial, to: final }]
      : [{ end: up, from: initial, to: this.maxLearningRate }, { end: T - 1, from: this.maxLearningRate, to: final }];
    let start = 0;
    for (const ph of this.phases) {
      if (!(ph.end > start)) throw new ConfigError(`${o}: pctStart ${this.pctStart} with totalSteps ${T} leaves a phase without steps; need ${this.threePhase ? '1 < pctStart*totalSteps and 2*pctStart*totalSteps - 1 < totalSteps' : '1 < pctStart*totalSteps < totalSteps'}`);
      start = ph.end;
    }
  }
  rate(step: number): number {
    const s = Math.min(step, this.totalSteps - 1);
    let start = 0;
    for (let i = 0; i < this.phases.length; i++) {
      const { end, from, to } = this.phases[i];
      if (s <= end || i === this.phases.length - 1) {
        const pct = (s - start) / (end - start);
        return this.annealStrategy === 'cos' ? to + ((from - to) / 2) * (Math.cos(Math.PI * pct) + 1) : (to - from) * pct + from;
      }
      start = end;
    }
    throw new Error('unreachable');
  }
  getConfig(): Record<string, unknown> {
    const { maxLearningRate, totalSteps, pctStart, divFactor, finalDivFactor, annealStrategy, threePhase } = this;
    return { maxLearningRate, totalSteps, pctStart, divFactor, finalDivFactor, annealStrategy, threePhase };
  }
}

function required(owner: string, field: string, v: unknown, min: number): number {
  if (v === undefined) throw new ConfigError(`${owner}: ${field} is required (a finite number >= ${min})`);
  return finiteNumber(owner, field, v, NaN, min);
}

const CLASSES = {
  ExponentialDecay: (c: never) => new ExponentialDecay(c),
  PiecewiseConstantDecay: (c: never) => new PiecewiseConstantDecay(c),
  CosineDecay: (c: never) => new CosineDecay(c),
  OneCycle: (c: never) => new OneCycle(c),
};

const snakeToCamel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** A schedule from its saved form {className, config} (Keras's {class_name, config} with
 *  snake_case keys is read too; Keras's `name` is ignored). */
export function deserialize(saved: unknown): LearningRateSchedule {
  const o = 'optimizers.schedules.deserialize';
  const rec = saved as Record<string, unknown> | null;
  const cls = rec?.className ?? rec?.class_name;
  const names = Object.keys(CLASSES);
  if (typeof cls !== 'string' || !Object.prototype.hasOwnProperty.call(CLASSES, cls)) {
    throw new ConfigError(`${o}: className must be one of ${names.join(', ')}, got ${showValue(cls)}${typeof cls === 'string' ? suggest(cls, names) : ''}`);
  }
  const raw = rec?.config;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${o}: config of ${cls} must be an object, got ${showValue(raw)}`);
  const config = Object.fromEntries(Object.entries(raw).filter(([k]) => k !== 'name').map(([k, v]) => [snakeToCamel(k), v]));
  return CLASSES[cls as keyof typeof CLASSES](config as never);
}

/** Factories, e.g. optimizers.schedules.exponentialDecay({initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.96}). */
export const schedules = {
  exponentialDecay: (args: ExponentialDecayScheduleArgs) => new ExponentialDecay(args),
  piecewiseConstantDecay: (args: PiecewiseConstantDecayArgs) => new PiecewiseConstantDecay(args),
  cosineDecay: (args: CosineDecayArgs) => new CosineDecay(args),
  oneCycle: (args: OneCycleArgs) => new OneCycle(args),
  deserialize,
};
