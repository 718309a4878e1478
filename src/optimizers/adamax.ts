// Adamax (Kingma & Ba 2015, sec. 7.1) in PyTorch's form (torch.optim.Adamax):   p, g, m, u [N]
//   m = b1*m + (1-b1)*g;  u = max(b2*u, |g| + eps);  p -= lr/(1 - b1^t) * m / u
// Keras adds eps to the denominator instead: u = max(b2*u, |g|), p -= ... m / (u + eps).
// Names and defaults are Keras's (learningRate 0.001, epsilon 1e-7; PyTorch: 0.002, 1e-8).

import type { Runtime } from '../runtime/runtime.ts';
import { checkKeys, finiteNumber } from '../layers/args.ts';
import { BASE_KEYS, Optimizer, unitRate, type BaseOptimizerArgs, type StepValues } from './optimizer.ts';

export interface AdamaxArgs extends BaseOptimizerArgs {
  /** Step size (default 0.001). */
  learningRate?: BaseOptimizerArgs['learningRate'];
  /** Decay of the first moment, in [0, 1) (default 0.9). */
  beta1?: number;
  /** Decay of the infinity norm, in [0, 1) (default 0.999). */
  beta2?: number;
  /** Added to |g| inside the max (default 1e-7). */
  epsilon?: number;
}

export class Adamax extends Optimizer {
  readonly className = 'Adamax';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(args: AdamaxArgs = {}) {
    const o = 'optimizers.adamax';
    checkKeys(o, args, [...BASE_KEYS, 'beta1', 'beta2', 'epsilon']);
    super(o, args, 0.001);
    this.beta1 = unitRate(o, 'beta1', args.beta1, 0.9);
    this.beta2 = unitRate(o, 'beta2', args.beta2, 0.999);
    this.epsilon = finiteNumber(o, 'epsilon', args.epsilon, 1e-7, 0);
  }
  protected stateCount(): number {
    return 2;
  }
  protected apply(rt: Runtime, p: number, g: number, N: number, s: StepValues): void {
    const step = s.lr / (1 - Math.pow(this.beta1, s.t));
    s.k.adamax_update(p, g, this.state[0], this.state[1], N, step, this.beta1, this.beta2, this.epsilon, s.scale, s.clip);
  }
  getConfig(): Record<string, unknown> {
    return this.config({ beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon });
  }
}
