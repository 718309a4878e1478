// RMSprop (Hinton, lecture 6e; centered: Graves 2013) in PyTorch's form (torch.optim.RMSprop):
//   v = rho*v + (1-rho)*g^2;  centered: mg = rho*mg + (1-rho)*g, den = sqrt(v - mg^2) + eps,
//   else den = sqrt(v) + eps;  momentum > 0: buf = momentum*buf + g/den, p -= lr*buf;
//   else p -= lr*g/den.                                                  p, g, v, mg, buf [N]
// PyTorch puts eps outside the root and lr outside the momentum buffer; Keras/TF.js use
// 1/sqrt(v - mg^2 + eps) and buf = momentum*buf + lr*g/den (the same with a constant rate).
// v - mg^2 is clamped at 0 (PyTorch would give NaN when rounding makes it negative).
// Names and defaults are Keras's (rho, learningRate 0.001, epsilon 1e-7; PyTorch: alpha 0.99, lr 0.01, eps 1e-8).

import type { Runtime } from '../runtime/runtime.ts';
import { boolean, checkKeys, finiteNumber } from '../layers/args.ts';
import { BASE_KEYS, Optimizer, unitRate, type BaseOptimizerArgs, type StepValues } from './optimizer.ts';

export interface RMSpropArgs extends BaseOptimizerArgs {
  /** Step size (default 0.001). */
  learningRate?: BaseOptimizerArgs['learningRate'];
  /** Decay of the mean square, in [0, 1) (default 0.9; PyTorch's `alpha`). */
  rho?: number;
  /** Momentum of the normalised step, in [0, 1] (default 0: none). */
  momentum?: number;
  /** Added to the root of the (centered) mean square (default 1e-7). */
  epsilon?: number;
  /** Normalise by the variance estimate v - mg^2 instead of v (default false). */
  centered?: boolean;
}

export class RMSprop extends Optimizer {
  readonly className = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(args: RMSpropArgs = {}) {
    const o = 'optimizers.rmsprop';
    checkKeys(o, args, [...BASE_KEYS, 'rho', 'momentum', 'epsilon', 'centered']);
    super(o, args, 0.001);
    this.rho = unitRate(o, 'rho', args.rho, 0.9);
    this.momentum = finiteNumber(o, 'momentum', args.momentum, 0, 0, 1);
    this.epsilon = finiteNumber(o, 'epsilon', args.epsilon, 1e-7, 0);
    this.centered = boolean(o, 'centered', args.centered, false);
  }
  // state: v, then mg when centered, then buf when momentum > 0
  protected stateCount(): number {
    return 1 + (this.centered ? 1 : 0) + (this.momentum > 0 ? 1 : 0);
  }
  protected apply(rt: Runtime, p: number, g: number, N: number, s: StepValues): void {
    const [v, second, third] = this.state;
    const mg = this.centered ? second : 0;
    const buf = this.momentum > 0 ? (this.centered ? third : second) : 0;
    s.k.rmsprop_update(p, g, v, mg, buf, N, s.lr, this.rho, this.epsilon, this.momentum, this.centered ? 1 : 0, s.scale, s.clip);
  }
  getConfig(): Record<string, unknown> {
    return this.config({ rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered });
  }
}
