// GaussianNoise and GaussianDropout (Keras): regularising noise while training, the identity at
// inference.   x, y, mask [B, ...]   n ~ N(0, 1) per element and step (assembly/kernels/noise.ts)
// GaussianNoise:   y = x + stddev * n,            dx = dy
// GaussianDropout: y = x * m,  m = 1 + s * n ~ N(1, s^2),  s = sqrt(rate / (1 - rate)) (Keras),
//                  dx = dy * m (the mask of the forward)

import { baseArgs } from './keras-config.ts';
import { registerClass, type KerasConfig } from './registry.ts';
import type { BufferPlanner, NodeIO, StepContext } from './layer.ts';
import { RandomLayer, seedArg, type RandomLayerArgs } from './random-layer.ts';

export interface GaussianNoiseArgs extends RandomLayerArgs {
  /** Standard deviation of the additive noise, >= 0. */
  stddev: number;
}

export class GaussianNoise extends RandomLayer {
  readonly className = 'GaussianNoise';
  readonly stddev: number;

  constructor(args: GaussianNoiseArgs) {
    super(args, ['stddev']);
    this.stddev = this.nonNegative('stddev', args.stddev);
  }

  forward(ctx: StepContext, io: NodeIO): void {
    if (!ctx.training) return this.copy(ctx, io);
    ctx.k.gaussian_noise_forward(io.xs[0].ptr, io.y.ptr, this.count(io, ctx.batch), this.stddev, this.stepSeed(ctx));
  }

  backward({ k, batch }: StepContext, io: NodeIO): void {
    const dx = io.dxs[0];
    if (dx) k.strided_copy(io.dy.ptr, dx.ptr, 1, 1, this.count(io, batch), 0, 0, 1, 0, 0, 1, 1); // dx += dy
  }

  override getConfig(): KerasConfig {
    return { ...super.getConfig(), stddev: this.stddev, seed: this.seed ?? null };
  }

  static fromConfig(config: KerasConfig): GaussianNoise {
    return new GaussianNoise({ ...baseArgs(config), stddev: config.stddev as number, ...seedArg(config) });
  }
}
registerClass('GaussianNoise', GaussianNoise);

export interface GaussianDropoutArgs extends RandomLayerArgs {
  /** Drop probability of the equivalent Dropout, in [0, 1): the noise stddev is sqrt(rate/(1-rate)). */
  rate: number;
}

export class GaussianDropout extends RandomLayer {
  readonly className = 'GaussianDropout';
  readonly rate: number;

  constructor(args: GaussianDropoutArgs) {
    super(args, ['rate']);
    this.rate = this.rateArg(args.rate);
  }

  /** io.s.mask: the multiplier m of every element. */
  override plan(p: BufferPlanner, io: NodeIO): void {
    if (p.training) io.s.mask = p.act(io.y.floats);
  }

  forward(ctx: StepContext, io: NodeIO): void {
    if (!ctx.training || this.rate === 0) return this.copy(ctx, io);
    const stddev = Math.sqrt(this.rate / (1 - this.rate));
    ctx.k.gaussian_dropout_forward(io.xs[0].ptr, io.y.ptr, io.s.mask.ptr, this.count(io, ctx.batch), stddev, this.stepSeed(ctx));
  }

  backward({ k, batch }: StepContext, io: NodeIO): void {
    const dx = io.dxs[0];
    if (!dx) return;
    if (this.rate === 0) k.strided_copy(io.dy.ptr, dx.ptr, 1, 1, this.count(io, batch), 0, 0, 1, 0, 0, 1, 1);
    else k.dropout_backward(io.dy.ptr, io.s.mask.ptr, dx.ptr, this.count(io, batch));
  }

  override getConfig(): KerasConfig {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed ?? null };
  }

  static fromConfig(config: KerasConfig): GaussianDropout {
    return new GaussianDropout({ ...baseArgs(config), rate: config.rate as number, ...seedArg(config) });
  }
}
registerClass('GaussianDropout', GaussianDropout);
