// Optimizers: one kernel call updates the whole trainable-parameter region (parameters are one
// contiguous block, as in llm.c). State (velocity, moments) is allocated on the first step.
//   p, g, state [N]

import type { Runtime } from '../runtime/runtime.ts';
import { ConfigError, boolean, checkKeys, finiteNumber, showValue, suggest } from '../layers/args.ts';

export abstract class Optimizer {
  abstract readonly className: string;
  /** Current learning rate; schedules and callbacks may change it between steps. */
  learningRate: number;
  /** Completed steps. */
  iterations = 0;
  protected state: number[] = [];
  protected rt: Runtime | null = null;
  protected n = 0;
  private params = 0; // the parameter block the state belongs to

  constructor(learningRate: number) {
    this.learningRate = learningRate;
  }

  /** Updates N parameters at p with gradients g (byte addresses of two disjoint arena regions of
   *  at least N floats). The state is allocated on the first step for (p, N); an optimizer
   *  serves one parameter block (one model) until dispose(). */
  step(rt: Runtime, p: number, g: number, N: number): void {
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
    this.iterations++;
    this.apply(rt, p, g, N);
  }

  /** The parameter block (byte address) the state was allocated for, 0 without state. */
  get stateOwner(): number {
    return this.rt ? this.params : 0;
  }

  protected abstract stateCount(): number;
  protected abstract apply(rt: Runtime, p: number, g: number, N: number): void;
  abstract getConfig(): Record<string, unknown>;

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

export interface SGDArgs {
  /** Step size (default 0.01). */
  learningRate?: number;
  /** Velocity decay (default 0: plain SGD). vel = momentum*vel - lr*g; p += vel. */
  momentum?: number;
  /** Nesterov momentum (default false). */
  nesterov?: boolean;
}

export class SGD extends Optimizer {
  readonly className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(args: SGDArgs = {}) {
    checkKeys('optimizers.sgd', args, ['learningRate', 'momentum', 'nesterov']);
    super(finiteNumber('optimizers.sgd', 'learningRate', args.learningRate, 0.01, 0));
    this.momentum = finiteNumber('optimizers.sgd', 'momentum', args.momentum, 0, 0, 1);
    this.nesterov = boolean('optimizers.sgd', 'nesterov', args.nesterov, false);
  }
  protected stateCount(): number {
    return 1;
  }
  protected apply(rt: Runtime, p: number, g: number, N: number): void {
    rt.kernels.sgd_update(p, g, this.state[0], N, this.learningRate, this.momentum, this.nesterov ? 1 : 0);
  }
  getConfig(): Record<string, unknown> {
    return { learningRate: this.learningRate, momentum: this.momentum, nesterov: this.nesterov };
  }
}

export interface AdamArgs {
  /** Step size (default 0.001). */
  learningRate?: number;
  /** Decay of the first moment (default 0.9). */
  beta1?: number;
  /** Decay of the second moment (default 0.999). */
  beta2?: number;
  /** Added to the root of the second moment (default 1e-7, as Keras). */
  epsilon?: number;
}

export class Adam extends Optimizer {
  readonly className = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(args: AdamArgs = {}) {
    const o = 'optimizers.adam';
    checkKeys(o, args, ['learningRate', 'beta1', 'beta2', 'epsilon']);
    super(finiteNumber(o, 'learningRate', args.learningRate, 0.001, 0));
    this.beta1 = finiteNumber(o, 'beta1', args.beta1, 0.9, 0, 1);
    this.beta2 = finiteNumber(o, 'beta2', args.beta2, 0.999, 0, 1);
    this.epsilon = finiteNumber(o, 'epsilon', args.epsilon, 1e-7, 0);
  }
  protected stateCount(): number {
    return 2;
  }
  protected apply(rt: Runtime, p: number, g: number, N: number): void {
    const t = this.iterations;
    const bc1 = 1 - Math.pow(this.beta1, t);
    const bc2 = 1 - Math.pow(this.beta2, t);
    rt.kernels.adam_update(p, g, this.state[0], this.state[1], N, this.learningRate, this.beta1, this.beta2, this.epsilon, bc1, bc2);
  }
  getConfig(): Record<string, unknown> {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

/** Factories, e.g. optimizers.adam({learningRate: 1e-3}). */
export const optimizers = {
  sgd: (args?: SGDArgs) => new SGD(args),
  adam: (args?: AdamArgs) => new Adam(args),
};

export type OptimizerIdentifier = 'sgd' | 'adam' | Optimizer;

export function getOptimizer(id: unknown): Optimizer {
  if (id instanceof Optimizer) return id;
  if (typeof id === 'string') {
    const key = id.toLowerCase();
    if (key === 'sgd') return new SGD();
    if (key === 'adam') return new Adam();
    throw new ConfigError(`compile: unknown optimizer ${showValue(id)}${suggest(id, ['sgd', 'adam'])}; use "sgd", "adam" or optimizers.sgd()/adam({...})`);
  }
  throw new ConfigError(`compile: optimizer must be "sgd", "adam" or an optimizers.*() object, got ${showValue(id)}`);
}
