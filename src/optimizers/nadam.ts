// NAdam (Dozat 2016, Nesterov momentum in Adam) as Keras Nadam and torch.optim.NAdam >= 2.0:
//   mu_t = b1 * (1 - 0.5 * 0.96^(t * momentumDecay)),  P_t = mu_1 * ... * mu_t
//   m = b1*m + (1-b1)*g;  v = b2*v + (1-b2)*g^2;  den = sqrt(v/(1-b2^t)) + eps
//   p -= lr*(1-mu_t)/(1-P_t) * g/den + lr*mu_{t+1}/(1-P_t*mu_{t+1}) * m/den      p, g, m, v [N]
// momentumDecay 0.004 = Dozat's 1/250 (hard-coded in Keras). PyTorch 1.x used
// 1 - P_t*mu_t*mu_{t+1} in the last denominator (fixed in pytorch/pytorch#92699); we follow the fix.
// Names and defaults are Keras's (learningRate 0.001, epsilon 1e-7; PyTorch: 0.002, 1e-8).

import type { Runtime } from '../runtime/runtime.ts';
import { checkKeys, finiteNumber } from '../layers/args.ts';
import { BASE_KEYS, Optimizer, unitRate, type BaseOptimizerArgs, type StepValues } from './optimizer.ts';

export interface NadamArgs extends BaseOptimizerArgs {
  /** Step size (default 0.001). */
  learningRate?: BaseOptimizerArgs['learningRate'];
  /** Decay of the first moment, in [0, 1) (default 0.9). */
  beta1?: number;
  /** Decay of the second moment, in [0, 1) (default 0.999). */
  beta2?: number;
  /** Added to the root of the bias-corrected second moment (default 1e-7). */
  epsilon?: number;
  /** psi of the momentum schedule mu_t, >= 0 (default 0.004; PyTorch's `momentum_decay`). */
  momentumDecay?: number;
}

export class Nadam extends Optimizer {
  readonly className = 'Nadam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly momentumDecay: number;
  private muProduct = 1; // P_t of the completed updates

  constructor(args: NadamArgs = {}) {
    const o = 'optimizers.nadam';
    checkKeys(o, args, [...BASE_KEYS, 'beta1', 'beta2', 'epsilon', 'momentumDecay']);
    super(o, args, 0.001);
    this.beta1 = unitRate(o, 'beta1', args.beta1, 0.9);
    this.beta2 = unitRate(o, 'beta2', args.beta2, 0.999);
    this.epsilon = finiteNumber(o, 'epsilon', args.epsilon, 1e-7, 0);
    this.momentumDecay = finiteNumber(o, 'momentumDecay', args.momentumDecay, 0.004, 0);
  }
  protected stateCount(): number {
    return 2;
  }
  protected override initState(): void {
    this.muProduct = 1;
  }
  private mu(t: number): number {
    return this.beta1 * (1 - 0.5 * Math.pow(0.96, t * this.momentumDecay));
  }
  protected apply(rt: Runtime, p: number, g: number, N: number, s: StepValues): void {
    const mu = this.mu(s.t);
    const muNext = this.mu(s.t + 1);
    this.muProduct *= mu;
    const cg = (s.lr * (1 - mu)) / (1 - this.muProduct);
    const cm = (s.lr * muNext) / (1 - this.muProduct * muNext);
    const cb2 = 1 / Math.sqrt(1 - Math.pow(this.beta2, s.t));
    s.k.nadam_update(p, g, this.state[0], this.state[1], N, cg, cm, this.beta1, this.beta2, this.epsilon, cb2, s.scale, s.clip);
  }
  getConfig(): Record<string, unknown> {
    return this.config({ beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, momentumDecay: this.momentumDecay });
  }
}
