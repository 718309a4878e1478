// Adam (Kingma & Ba 2015) in PyTorch's form (torch.optim.Adam, eps outside the root of the
// bias-corrected second moment):   p, g, m, v [N]
//   m = b1*m + (1-b1)*g;  v = b2*v + (1-b2)*g^2;  p -= lr/(1-b1^t) * m / (sqrt(v/(1-b2^t)) + eps)
// AdamW (adamw.ts) shares the kernel with a decoupled decay p *= 1 - lr*weightDecay first.

import type { Runtime } from '../runtime/runtime.ts';
import { checkKeys, finiteNumber } from '../layers/args.ts';
import { BASE_KEYS, Optimizer, unitRate, type BaseOptimizerArgs, type StepValues } from './optimizer.ts';

export interface AdamArgs extends BaseOptimizerArgs {
  /** Step size (default 0.001). */
  learningRate?: BaseOptimizerArgs['learningRate'];
  /** Decay of the first moment, in [0, 1) (default 0.9). */
  beta1?: number;
  /** Decay of the second moment, in [0, 1) (default 0.999). */
  beta2?: number;
  /** Added to the root of the second moment (default 1e-7, as Keras). */
  epsilon?: number;
}

export class Adam extends Optimizer {
  readonly className: string = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  /** owner and extraKeys are for subclasses (AdamW): the factory name in errors, their own options. */
  constructor(args: AdamArgs = {}, owner = 'optimizers.adam', extraKeys: readonly string[] = []) {
    checkKeys(owner, args, [...BASE_KEYS, 'beta1', 'beta2', 'epsilon', ...extraKeys]);
    super(owner, args, 0.001);
    this.beta1 = unitRate(owner, 'beta1', args.beta1, 0.9);
    this.beta2 = unitRate(owner, 'beta2', args.beta2, 0.999);
    this.epsilon = finiteNumber(owner, 'epsilon', args.epsilon, 1e-7, 0);
  }
  protected stateCount(): number {
    return 2;
  }
  /** The factor p is multiplied by before the update (1: no decay). */
  protected decay(_lr: number): number {
    return 1;
  }
  protected apply(rt: Runtime, p: number, g: number, N: number, s: StepValues): void {
    const step = s.lr / (1 - Math.pow(this.beta1, s.t));
    const cb2 = 1 / Math.sqrt(1 - Math.pow(this.beta2, s.t));
    s.k.adam_update(p, g, this.state[0], this.state[1], N, step, this.beta1, this.beta2, this.epsilon, cb2, this.decay(s.lr), s.scale, s.clip);
  }
  protected options(): Record<string, unknown> {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
  getConfig(): Record<string, unknown> {
    return this.config(this.options());
  }
}
