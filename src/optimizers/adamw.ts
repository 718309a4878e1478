// AdamW (Loshchilov & Hutter 2019, decoupled weight decay), as torch.optim.AdamW and Keras AdamW:
//   p *= 1 - lr*weightDecay, then the Adam update of adam.ts.   p, g, m, v [N]
// The decay uses the scheduled rate of the step (both frameworks do).

import { finiteNumber } from '../layers/args.ts';
import { Adam, type AdamArgs } from './adam.ts';

export interface AdamWArgs extends AdamArgs {
  /** Decoupled decay coefficient, >= 0 (default 0.004 as Keras; PyTorch's default is 0.01). */
  weightDecay?: number;
}

export class AdamW extends Adam {
  override readonly className: string = 'AdamW';
  readonly weightDecay: number;

  constructor(args: AdamWArgs = {}) {
    super(args, 'optimizers.adamw', ['weightDecay']);
    this.weightDecay = finiteNumber('optimizers.adamw', 'weightDecay', args.weightDecay, 0.004, 0);
  }
  protected override decay(lr: number): number {
    return 1 - lr * this.weightDecay;
  }
  protected override options(): Record<string, unknown> {
    return { ...super.options(), weightDecay: this.weightDecay };
  }
}
