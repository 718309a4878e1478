// RReLU, the randomized leaky ReLU (Xu et al. 2015; PyTorch nn.RReLU):
//   training:  y = x >= 0 ? x : a * x,  a ~ U(lower, upper) drawn per element and step
//   inference: y = x >= 0 ? x : a * x,  a = (lower + upper) / 2
//   dx = dy * (x >= 0 ? 1 : a), the slopes of the forward kept in io.s.slope [B, ...]
// Keras has no RReLU: it is saved under the class name "RReLU" (config lower, upper, seed), which
// cnn1d loads and Keras or TF.js do not.

import { finiteNumber } from './args.ts';
import { baseArgs } from './keras-config.ts';
import { registerClass, type KerasConfig } from './registry.ts';
import type { BufferPlanner, NodeIO, StepContext } from './layer.ts';
import { RandomLayer, seedArg, type RandomLayerArgs } from './random-layer.ts';

export interface RReLUArgs extends RandomLayerArgs {
  /** Smallest negative-side slope (default 1/8, as PyTorch). */
  lower?: number;
  /** Largest negative-side slope (default 1/3, as PyTorch); lower <= upper. */
  upper?: number;
}

export class RReLU extends RandomLayer {
  readonly className = 'RReLU';
  readonly lower: number;
  readonly upper: number;

  constructor(args: RReLUArgs = {}) {
    super(args, ['lower', 'upper']);
    this.lower = finiteNumber('RReLU', 'lower', args.lower, 1 / 8);
    this.upper = finiteNumber('RReLU', 'upper', args.upper, 1 / 3);
    if (this.lower > this.upper) this.fail(`lower (${this.lower}) must be <= upper (${this.upper}): the slopes are drawn from U(lower, upper)`);
  }

  /** io.s.slope: the slope applied to every element. */
  override plan(p: BufferPlanner, io: NodeIO): void {
    io.s.slope = p.act(io.y.floats);
  }

  forward(ctx: StepContext, io: NodeIO): void {
    const n = this.count(io, ctx.batch);
    if (ctx.training) ctx.k.rrelu_forward(io.xs[0].ptr, io.y.ptr, io.s.slope.ptr, n, this.lower, this.upper, this.stepSeed(ctx));
    else {
      const mid = (this.lower + this.upper) / 2;
      ctx.k.rrelu_forward(io.xs[0].ptr, io.y.ptr, io.s.slope.ptr, n, mid, mid, 0);
    }
  }

  backward({ k, batch }: StepContext, io: NodeIO): void {
    const dx = io.dxs[0];
    if (dx) k.dropout_backward(io.dy.ptr, io.s.slope.ptr, dx.ptr, this.count(io, batch)); // dx += dy * slope
  }

  override getConfig(): KerasConfig {
    return { ...super.getConfig(), lower: this.lower, upper: this.upper, seed: this.seed ?? null };
  }

  static fromConfig(config: KerasConfig): RReLU {
    return new RReLU({ ...baseArgs(config), lower: config.lower as number | undefined, upper: config.upper as number | undefined, ...seedArg(config) });
  }
}
registerClass('RReLU', RReLU);
