// BatchNormalization over the last (channel) axis; statistics over batch and length.
//   x, y [B, L, C] (or [B, C])   gamma, beta, movingMean, movingVariance [C]
// Training: y = gamma*(x-mean)*rstd + beta with batch statistics (biased variance),
//   rstd = 1/sqrt(var+eps); moving = momentum*moving + (1-momentum)*batch (Keras).
// Inference: the moving statistics instead.

import type { Slot, WorkPlan } from '../runtime/plan.ts';
import { boolean, finiteNumber } from './args.ts';
import { checkInitializer, type InitializerName } from './initializers.ts';
import { Layer, size, type LayerArgs, type StepContext, type WeightSpec } from './layer.ts';

export interface BatchNormalizationArgs extends LayerArgs {
  /** Normalized axis; only the last axis (-1, the channels) is supported. */
  axis?: number;
  /** Momentum of the moving statistics (default 0.99). */
  momentum?: number;
  /** Added to the variance (default 1e-3). */
  epsilon?: number;
  /** Learn an offset beta (default true). */
  center?: boolean;
  /** Learn a scale gamma (default true). */
  scale?: boolean;
  betaInitializer?: InitializerName;
  gammaInitializer?: InitializerName;
  movingMeanInitializer?: InitializerName;
  movingVarianceInitializer?: InitializerName;
}

const KEYS = ['axis', 'momentum', 'epsilon', 'center', 'scale', 'betaInitializer', 'gammaInitializer', 'movingMeanInitializer', 'movingVarianceInitializer'];

export class BatchNormalization extends Layer {
  readonly className = 'BatchNormalization';
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  private readonly inits: Record<'beta' | 'gamma' | 'movingMean' | 'movingVariance', InitializerName>;
  private mean!: Slot;
  private rstd!: Slot;
  private scratch!: Slot;
  private discardDx!: Slot;
  private constGamma: Slot | null = null; // ones, planned only when scale=false
  private constBeta: Slot | null = null; // zeros (planned zeroed), only when center=false
  private constGammaFilled = false;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args, KEYS);
    const o = 'BatchNormalization';
    if (args.axis !== undefined && args.axis !== -1) this.fail(`axis must be -1 (the channel axis), got ${args.axis}`);
    this.momentum = finiteNumber(o, 'momentum', args.momentum, 0.99, 0, 1);
    this.epsilon = finiteNumber(o, 'epsilon', args.epsilon, 1e-3, 0);
    this.center = boolean(o, 'center', args.center, true);
    this.scale = boolean(o, 'scale', args.scale, true);
    this.inits = {
      beta: checkInitializer(o, 'betaInitializer', args.betaInitializer, 'zeros'),
      gamma: checkInitializer(o, 'gammaInitializer', args.gammaInitializer, 'ones'),
      movingMean: checkInitializer(o, 'movingMeanInitializer', args.movingMeanInitializer, 'zeros'),
      movingVariance: checkInitializer(o, 'movingVarianceInitializer', args.movingVarianceInitializer, 'ones'),
    };
  }

  computeOutputShape(inputShape: number[]): number[] {
    return inputShape.slice();
  }

  private get channels(): number {
    return this.inputShape[this.inputShape.length - 1];
  }

  protected override weightSpecs(): WeightSpec[] {
    const C = [this.channels];
    const specs: WeightSpec[] = [];
    if (this.scale) specs.push({ name: 'gamma', shape: C, initializer: this.inits.gamma, trainable: true });
    if (this.center) specs.push({ name: 'beta', shape: C, initializer: this.inits.beta, trainable: true });
    specs.push({ name: 'moving_mean', shape: C, initializer: this.inits.movingMean, trainable: false });
    specs.push({ name: 'moving_variance', shape: C, initializer: this.inits.movingVariance, trainable: false });
    return specs;
  }

  override plan(plan: WorkPlan, x: Slot, dx: Slot | null): void {
    super.plan(plan, x, dx);
    const C = this.channels;
    this.mean = plan.act(C);
    this.rstd = plan.act(C);
    this.scratch = plan.scratch(4 * C); // [kernel scratch 2C | discarded dgamma C | discarded dbeta C]
    this.discardDx = dx ?? plan.scratch(this.y.floats);
    this.constGamma = this.scale ? null : plan.act(C);
    this.constBeta = this.center ? null : plan.act(C);
    this.constGammaFilled = false;
  }

  private rows(batch: number): number {
    return (batch * size(this.inputShape)) / this.channels;
  }

  /** gamma, or a ones-vector filled once per plan when the layer has no scale. */
  private gammaPtr(ctx: StepContext): number {
    if (!this.constGamma) return this.ptrOf('gamma');
    if (!this.constGammaFilled) {
      ctx.rt.f32(this.constGamma.ptr, this.channels).fill(1);
      this.constGammaFilled = true;
    }
    return this.constGamma.ptr;
  }


  forward(ctx: StepContext): void {
    const { k, batch, training } = ctx;
    const C = this.channels;
    const R = this.rows(batch);
    const gamma = this.gammaPtr(ctx);
    const beta = this.constBeta ? this.constBeta.ptr : this.ptrOf('beta');
    const mm = this.ptrOf('moving_mean');
    const mv = this.ptrOf('moving_variance');
    if (training) k.batchnorm_forward_train(this.x.ptr, gamma, beta, this.y.ptr, this.mean.ptr, this.rstd.ptr, mm, mv, R, C, this.momentum, this.epsilon);
    else k.batchnorm_forward_infer(this.x.ptr, gamma, beta, mm, mv, this.y.ptr, R, C, this.epsilon);
  }

  /** Backward of the training-mode forward (batch statistics). */
  backward(ctx: StepContext): void {
    const { k, batch } = ctx;
    const C = this.channels;
    const dgamma = this.gradOf('gamma') || this.scratch.ptr + 4 * 2 * C;
    const dbeta = this.gradOf('beta') || this.scratch.ptr + 4 * 3 * C;
    if (!this.dx && !this.gradOf('gamma') && !this.gradOf('beta')) return;
    const dx = this.dx ?? this.discardDx;
    k.batchnorm_backward(this.x.ptr, this.gammaPtr(ctx), this.mean.ptr, this.rstd.ptr, this.dy.ptr, dx.ptr, dgamma, dbeta, this.scratch.ptr, this.rows(batch), C);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: -1,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: this.inits.beta,
      gammaInitializer: this.inits.gamma,
      movingMeanInitializer: this.inits.movingMean,
      movingVarianceInitializer: this.inits.movingVariance,
    };
  }
}
