// SGD with momentum (Keras form, lr inside the velocity): vel = momentum*vel - lr*g; p += vel;
// Nesterov: p += momentum*vel - lr*g.   p, g, vel [N]

import type { Runtime } from '../runtime/runtime.ts';
import { boolean, checkKeys, finiteNumber } from '../layers/args.ts';
import { BASE_KEYS, Optimizer, type BaseOptimizerArgs, type StepValues } from './optimizer.ts';

export interface SGDArgs extends BaseOptimizerArgs {
  /** Step size (default 0.01). */
  learningRate?: BaseOptimizerArgs['learningRate'];
  /** Velocity decay in [0, 1] (default 0: plain SGD). vel = momentum*vel - lr*g; p += vel. */
  momentum?: number;
  /** Nesterov momentum (default false). */
  nesterov?: boolean;
}

export class SGD extends Optimizer {
  readonly className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(args: SGDArgs = {}) {
    const o = 'optimizers.sgd';
    checkKeys(o, args, [...BASE_KEYS, 'momentum', 'nesterov']);
    super(o, args, 0.01);
    this.momentum = finiteNumber(o, 'momentum', args.momentum, 0, 0, 1);
    this.nesterov = boolean(o, 'nesterov', args.nesterov, false);
  }
  protected stateCount(): number {
    return 1;
  }
  protected apply(rt: Runtime, p: number, g: number, N: number, s: StepValues): void {
    s.k.sgd_update(p, g, this.state[0], N, s.lr, this.momentum, this.nesterov ? 1 : 0, s.scale, s.clip);
  }
  getConfig(): Record<string, unknown> {
    return this.config({ momentum: this.momentum, nesterov: this.nesterov });
  }
}
