// Adagrad (Duchi et al. 2011) in PyTorch's form (torch.optim.Adagrad without lr_decay; use a
// schedule instead):   acc += g^2;  p -= lr * g / (sqrt(acc) + eps).        p, g, acc [N]
// PyTorch puts eps outside the root; Keras uses g / sqrt(acc + eps). Names and defaults are
// Keras's (learningRate 0.001, initialAccumulatorValue 0.1, epsilon 1e-7; PyTorch: 0.01, 0, 1e-10).

import type { Runtime } from '../runtime/runtime.ts';
import { checkKeys, finiteNumber } from '../layers/args.ts';
import { BASE_KEYS, Optimizer, type BaseOptimizerArgs, type StepValues } from './optimizer.ts';

export interface AdagradArgs extends BaseOptimizerArgs {
  /** Step size (default 0.001). */
  learningRate?: BaseOptimizerArgs['learningRate'];
  /** Starting value of every accumulator, >= 0 (default 0.1). */
  initialAccumulatorValue?: number;
  /** Added to the root of the accumulator (default 1e-7). */
  epsilon?: number;
}

export class Adagrad extends Optimizer {
  readonly className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(args: AdagradArgs = {}) {
    const o = 'optimizers.adagrad';
    checkKeys(o, args, [...BASE_KEYS, 'initialAccumulatorValue', 'epsilon']);
    super(o, args, 0.001);
    this.initialAccumulatorValue = finiteNumber(o, 'initialAccumulatorValue', args.initialAccumulatorValue, 0.1, 0);
    this.epsilon = finiteNumber(o, 'epsilon', args.epsilon, 1e-7, 0);
  }
  protected stateCount(): number {
    return 1;
  }
  protected override initState(rt: Runtime): void {
    rt.f32(this.state[0], this.n).fill(this.initialAccumulatorValue);
  }
  protected apply(rt: Runtime, p: number, g: number, N: number, s: StepValues): void {
    s.k.adagrad_update(p, g, this.state[0], N, s.lr, this.epsilon, s.scale, s.clip);
  }
  getConfig(): Record<string, unknown> {
    return this.config({ initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon });
  }
}
