// The optimizer base: one kernel call updates the whole trainable-parameter region (parameters are
// one contiguous block, as in llm.c). State (velocity, moments) is allocated through the arena on
// the first step and released by dispose().   p, g, state [N]
// Shared options: learningRate (a number, a schedule or a function of the step), clipnorm, clipvalue.

import type { KernelExports, Runtime } from '../runtime/runtime.ts';
import { ConfigError, showValue } from '../layers/args.ts';
import { LearningRateSchedule, deserialize } from './schedules.ts';

/** A custom schedule: the learning rate of the update made after `step` completed updates. */
export type ScheduleFunction = (step: number) => number;
export type LearningRate = number | LearningRateSchedule | ScheduleFunction;

export interface BaseOptimizerArgs {
  /** Step size: a number, an optimizers.schedules.* object, its saved form {className, config},
   *  or a function step => rate. A schedule is evaluated at `iterations` (0 for the first update)
   *  before every update, as Keras does; a scheduled rate cannot be set by callbacks. */
  learningRate?: LearningRate;
  /** Global-norm clipping (Keras's `global_clipnorm`, PyTorch's `clip_grad_norm_` over all
   *  parameters without its 1e-6): the whole gradient block g is used as g * clipnorm / max(||g||_2, clipnorm).
   *  Not Keras's per-variable `clipnorm`. A non-finite norm makes the update NaN (as TensorFlow's
   *  clip_by_global_norm). Cannot be combined with clipvalue. */
  clipnorm?: number;
  /** Clamps each gradient element to [-clipvalue, clipvalue] (Keras `clipvalue`,
   *  PyTorch `clip_grad_value_`). Cannot be combined with clipnorm. */
  clipvalue?: number;
}

export const BASE_KEYS = ['learningRate', 'clipnorm', 'clipvalue'] as const;

/** The per-update values an optimizer's kernel call needs besides its hyper-parameters. */
export interface StepValues {
  /** Learning rate of this update (the schedule's value at t - 1). */
  lr: number;
  /** Update count including this one (1 for the first update). */
  t: number;
  /** Gradient multiplier from clipnorm (1 without). */
  scale: number;
  /** Element clamp from clipvalue (Infinity without). */
  clip: number;
  /** The kernel table of the update: the model's, on its threads. */
  k: KernelExports;
}

/** A finite number in [0, 1) (decay rates: betas, rho). */
export function unitRate(owner: string, field: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v >= 1) throw new ConfigError(`${owner}: ${field} must be a finite number in [0, 1), got ${showValue(v)}`);
  return v;
}

function clipOption(owner: string, field: string, v: unknown): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new ConfigError(`${owner}: ${field} must be a finite number > 0, got ${showValue(v)}`);
  return v;
}

export abstract class Optimizer {
  abstract readonly className: string;
  /** Completed steps. */
  iterations = 0;
  /** Global-norm clip (null: none). */
  readonly clipnorm: number | null;
  /** Element clip (null: none). */
  readonly clipvalue: number | null;
  /** The schedule given as learningRate (null for a constant rate). */
  readonly schedule: LearningRateSchedule | ScheduleFunction | null = null;
  protected state: number[] = [];
  protected rt: Runtime | null = null;
  protected n = 0;
  private params = 0; // the parameter block the state belongs to
  private rate = 0;

  /** owner: the factory name for errors, e.g. 'optimizers.adam'. */
  constructor(
    protected readonly owner: string,
    args: BaseOptimizerArgs,
    defaultLearningRate: number,
  ) {
    const lr = args.learningRate;
    if (lr instanceof LearningRateSchedule || typeof lr === 'function') this.schedule = lr;
    else if (typeof lr === 'object' && lr !== null && !Array.isArray(lr)) this.schedule = deserialize(lr);
    else if (lr === undefined) this.rate = defaultLearningRate;
    else this.rate = checkRate(owner, 'learningRate', lr);
    this.clipnorm = clipOption(owner, 'clipnorm', args.clipnorm);
    this.clipvalue = clipOption(owner, 'clipvalue', args.clipvalue);
    if (this.clipnorm !== null && this.clipvalue !== null) {
      throw new ConfigError(`${owner}: clipnorm (${this.clipnorm}) and clipvalue (${this.clipvalue}) cannot both be set; choose one (Keras applies only one of them)`);
    }
  }

  /** The learning rate of the next update (the schedule's value at `iterations` when scheduled).
   *  Setting it is refused for a scheduled rate: a schedule and a learning-rate callback would fight. */
  get learningRate(): number {
    return this.rateAt(this.iterations);
  }
  set learningRate(v: number) {
    if (this.schedule) {
      throw new ConfigError(`${this.className}: learningRate follows the schedule ${this.scheduleName()} and cannot be set to ${showValue(v)}; use either a schedule as learningRate or a learning-rate callback (callbacks.exponentialDecay, stepDecay, learningRateScheduler, reduceLROnPlateau), not both`);
    }
    this.rate = checkRate(this.className, 'learningRate', v);
  }

  private scheduleName(): string {
    return this.schedule instanceof LearningRateSchedule ? this.schedule.className : 'function';
  }

  private rateAt(step: number): number {
    const s = this.schedule;
    if (!s) return this.rate;
    const v = s instanceof LearningRateSchedule ? s.rate(step) : s(step);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ConfigError(`${this.className}: the learningRate schedule ${this.scheduleName()} gave ${showValue(v)} at step ${step}; expected a finite number >= 0`);
    return v;
  }

  /** Updates N parameters at p with gradients g (byte addresses of two disjoint arena regions of
   *  at least N floats); g is read, not modified. The state is allocated on the first step for
   *  (p, N); an optimizer serves one parameter block (one model) until dispose(). `k`: the
   *  kernel table the update runs with (a model passes its own, on its threads). */
  step(rt: Runtime, p: number, g: number, N: number, k: KernelExports = rt.kernels): void {
    const o = `${this.className}.step`;
    if (!Number.isSafeInteger(N) || N < 0) throw new ConfigError(`${o}: N must be a non-negative integer, got ${showValue(N)}`);
    const bytes = 4 * N;
    for (const [what, ptr] of [['parameters p', p], ['gradients g', g]] as const) {
      if (!rt.arena.holds(ptr, bytes)) throw new ConfigError(`${o}: ${what} (address ${showValue(ptr)}) must be ${N} floats inside one region allocated by the arena`);
    }
    if (Math.abs(p - g) < bytes) throw new ConfigError(`${o}: parameters (address ${p}) and gradients (address ${g}) overlap for N = ${N}`);
    if (this.rt && (this.rt !== rt || this.n !== N || this.params !== p)) {
      throw new ConfigError(`${o}: this optimizer holds state for ${this.n} parameters at address ${this.params}, got ${N} at ${p}; give each model its own optimizer (or dispose() it first)`);
    }
    if (!this.rt) this.allocState(rt, p, N);
    const lr = this.rateAt(this.iterations);
    let scale = 1;
    if (this.clipnorm !== null) {
      const norm = Math.sqrt(k.grad_sumsq(g, N));
      scale = !Number.isFinite(norm) ? NaN : norm > this.clipnorm ? this.clipnorm / norm : 1;
    }
    this.iterations++;
    this.apply(rt, p, g, N, { lr, t: this.iterations, scale, clip: this.clipvalue ?? Infinity, k });
  }

  /** The parameter block (byte address) the state was allocated for, 0 without state. */
  get stateOwner(): number {
    return this.rt ? this.params : 0;
  }

  /** Number of N-float state buffers (may depend on the options). */
  protected abstract stateCount(): number;
  /** Called once the state buffers (zeroed) are allocated, before the first update. */
  protected initState(_rt: Runtime): void {}
  protected abstract apply(rt: Runtime, p: number, g: number, N: number, s: StepValues): void;
  abstract getConfig(): Record<string, unknown>;

  /** {learningRate, ...options, clipnorm?, clipvalue?}: a schedule as {className, config}, a
   *  function schedule as the rate of the next update (functions cannot be saved). */
  protected config(options: Record<string, unknown>): Record<string, unknown> {
    const s = this.schedule;
    const learningRate = s instanceof LearningRateSchedule ? { className: s.className, config: s.getConfig() } : this.learningRate;
    return {
      learningRate,
      ...options,
      ...(this.clipnorm !== null ? { clipnorm: this.clipnorm } : {}),
      ...(this.clipvalue !== null ? { clipvalue: this.clipvalue } : {}),
    };
  }

  private allocState(rt: Runtime, p: number, N: number): void {
    const state: number[] = [];
    try {
      for (let i = 0; i < this.stateCount(); i++) state.push(rt.allocF32(N));
    } catch (e) {
      for (const ptr of state) rt.release(ptr);
      throw e;
    }
    this.rt = rt;
    this.n = N;
    this.params = p;
    this.state = state;
    this.iterations = 0;
    this.initState(rt);
  }

  /** Releases the optimizer state (once; later calls do nothing). */
  dispose(): void {
    const rt = this.rt;
    this.rt = null;
    if (rt) for (const p of this.state) rt.release(p);
    this.state = [];
    this.n = 0;
    this.params = 0;
  }
}

function checkRate(owner: string, field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new ConfigError(`${owner}: ${field} must be a finite number >= 0, an optimizers.schedules.* object or a function step => rate, got ${showValue(v)}`);
  }
  return v;
}
