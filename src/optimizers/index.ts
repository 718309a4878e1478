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

  constructor(learningRate: number) {
    this.learningRate = learningRate;
  }

  /** Updates N parameters at p with gradients g. */
  step(rt: Runtime, p: number, g: number, N: number): void {
    if (this.rt !== rt || this.n !== N) this.allocState(rt, N);
    this.iterations++;
    this.apply(rt, p, g, N);
  }

  protected abstract stateCount(): number;
  protected abstract apply(rt: Runtime, p: number, g: number, N: number): void;
  abstract getConfig(): Record<string, unknown>;

  private allocState(rt: Runtime, N: number): void {
    this.dispose();
    this.rt = rt;
    this.n = N;
    this.state = Array.from({ length: this.stateCount() }, () => rt.allocF32(N));
    this.iterations = 0;
  }

  /** Releases the optimizer state. */
  dispose(): void {
    if (this.rt) for (const p of this.state) this.rt.release(p);
    this.state = [];
    this.rt = null;
    this.n = 0;
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
