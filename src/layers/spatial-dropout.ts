// SpatialDropout1D (Keras; Tompson et al. 2015): dropout of whole channels. In training each
// channel c of each sample b is kept with probability 1 - rate, at every step of the sequence:
//   x, y [B, L, C]   mask [B, C] = kept ? 1/(1 - rate) : 0
//   y[b, l, c] = x[b, l, c] * mask[b, c],   dx[b, l, c] = dy[b, l, c] * mask[b, c]
// (Dropout with Keras noise_shape (B, 1, C)). At inference y = x.

import { baseArgs } from './keras-config.ts';
import { registerClass, type KerasConfig } from './registry.ts';
import type { BufferPlanner, NodeIO, StepContext } from './layer.ts';
import { RandomLayer, seedArg, type RandomLayerArgs } from './random-layer.ts';

export interface SpatialDropout1DArgs extends RandomLayerArgs {
  /** Fraction of the channels to drop, in [0, 1). */
  rate: number;
}

export class SpatialDropout1D extends RandomLayer {
  readonly className = 'SpatialDropout1D';
  readonly rate: number;

  constructor(args: SpatialDropout1DArgs) {
    super(args, ['rate']);
    this.rate = this.rateArg(args.rate);
  }

  override computeOutputShape(inputShape: number[]): number[] {
    if (inputShape.length !== 2) this.fail(`expects input of shape [length, channels], got [${inputShape}]`);
    return inputShape.slice();
  }

  /** io.s.mask [B, C]: the kept channels' scale. */
  override plan(p: BufferPlanner, io: NodeIO): void {
    if (p.training) io.s.mask = p.act(p.capacity * io.inShapes[0][1]);
  }

  forward(ctx: StepContext, io: NodeIO): void {
    if (!ctx.training) return this.copy(ctx, io);
    const [L, C] = io.inShapes[0];
    ctx.k.spatial_dropout_forward(io.xs[0].ptr, io.y.ptr, io.s.mask.ptr, ctx.batch, L, C, this.rate, this.stepSeed(ctx));
  }

  backward({ k, batch }: StepContext, io: NodeIO): void {
    const dx = io.dxs[0];
    const [L, C] = io.inShapes[0];
    if (dx) k.spatial_dropout_backward(io.dy.ptr, io.s.mask.ptr, dx.ptr, batch, L, C);
  }

  override getConfig(): KerasConfig {
    return { ...super.getConfig(), rate: this.rate, noise_shape: null, seed: this.seed ?? null };
  }

  static fromConfig(config: KerasConfig): SpatialDropout1D {
    return new SpatialDropout1D({ ...baseArgs(config), rate: config.rate as number, ...seedArg(config) });
  }
}
registerClass('SpatialDropout1D', SpatialDropout1D);
