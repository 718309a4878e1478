// LayerNormalization over the last (channel) axis (Keras LayerNormalization axis -1): each
// position is normalised by the mean and biased variance of its own C channels, so the result
// does not depend on the batch and training and inference compute the same.
//   x, y [B, ..., C]   gamma, beta [C]   rows R = B * prod(...)
// forward:  mu_r = mean_c x,  var_r = mean_c (x - mu_r)^2,  xhat = (x - mu_r) / sqrt(var_r + eps),
//           y = gamma * xhat + beta
// backward: g = dy * gamma,  dx = (g - mean_c g - xhat * mean_c(g * xhat)) / sqrt(var_r + eps),
//           dgamma = sum_r dy * xhat,  dbeta = sum_r dy        (kernel: assembly/kernels/layernorm.ts)

import { boolean, finiteNumber, showValue } from './args.ts';
import { checkInitializer, type InitializerName } from './initializers.ts';
import { baseArgs, initializerJson, initializerName, one } from './keras-config.ts';
import { registerClass, type KerasConfig } from './registry.ts';
import { Layer, lastAxis, rowsOf, type BufferPlanner, type LayerArgs, type NodeIO, type StepContext, type StreamSpec, type WeightSpec } from './layer.ts';

export interface LayerNormalizationArgs extends LayerArgs {
  /** Normalized axis; only the last axis (-1, the channels) is supported. */
  axis?: number;
  /** Added to the variance (default 1e-3, as Keras; PyTorch's LayerNorm uses 1e-5). */
  epsilon?: number;
  /** Learn an offset beta (default true). */
  center?: boolean;
  /** Learn a scale gamma (default true). */
  scale?: boolean;
  betaInitializer?: InitializerName;
  gammaInitializer?: InitializerName;
}

const KEYS = ['axis', 'epsilon', 'center', 'scale', 'betaInitializer', 'gammaInitializer'];

export class LayerNormalization extends Layer {
  readonly className = 'LayerNormalization';
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: InitializerName;
  readonly gammaInitializer: InitializerName;

  constructor(args: LayerNormalizationArgs = {}) {
    super(args, KEYS);
    const o = 'LayerNormalization';
    if (args.axis !== undefined && args.axis !== -1) this.fail(`axis must be -1 (the channel axis), got ${showValue(args.axis)}`);
    this.epsilon = finiteNumber(o, 'epsilon', args.epsilon, 1e-3, 0);
    this.center = boolean(o, 'center', args.center, true);
    this.scale = boolean(o, 'scale', args.scale, true);
    this.betaInitializer = checkInitializer(o, 'betaInitializer', args.betaInitializer, 'zeros');
    this.gammaInitializer = checkInitializer(o, 'gammaInitializer', args.gammaInitializer, 'ones');
  }

  computeOutputShape(inputShape: number[]): number[] {
    return inputShape.slice();
  }

  protected override weightSpecs(): WeightSpec[] {
    const C = [lastAxis(this.inputShape)];
    const specs: WeightSpec[] = [];
    if (this.scale) specs.push({ name: 'gamma', shape: C, initializer: this.gammaInitializer, trainable: true });
    if (this.center) specs.push({ name: 'beta', shape: C, initializer: this.betaInitializer, trainable: true });
    return specs;
  }

  // io.s: mean, rstd [R] for the backward; gamma1 (ones) / beta0 (zeros) without scale / center;
  // discardDx, discardGamma, discardBeta: where unwanted gradients land.
  override plan(p: BufferPlanner, io: NodeIO): void {
    const C = lastAxis(io.inShapes[0]);
    const R = rowsOf(io.inShapes[0], p.capacity);
    io.s.mean = p.act(R);
    io.s.rstd = p.act(R);
    if (!this.scale) io.s.gamma1 = p.constant(C, 1);
    if (!this.center) io.s.beta0 = p.constant(C);
    if (!p.training) return;
    if (!io.dxs[0]) io.s.discardDx = p.scratch(io.y.floats);
    io.s.discardGamma = p.scratch(C);
    io.s.discardBeta = p.scratch(C);
  }

  override streamSpec(): StreamSpec {
    return this.perStep();
  }

  private gammaPtr(io: NodeIO): number {
    return io.s.gamma1 ? io.s.gamma1.ptr : this.ptrOf('gamma');
  }

  forward({ k, batch }: StepContext, io: NodeIO): void {
    const beta = io.s.beta0 ? io.s.beta0.ptr : this.ptrOf('beta');
    k.layernorm_forward(io.xs[0].ptr, this.gammaPtr(io), beta, io.y.ptr, io.s.mean.ptr, io.s.rstd.ptr, rowsOf(io.inShapes[0], batch), lastAxis(io.inShapes[0]), this.epsilon);
  }

  backward({ k, batch }: StepContext, io: NodeIO): void {
    if (!io.dxs[0] && !this.gradOf('gamma') && !this.gradOf('beta')) return;
    const dx = io.dxs[0] ?? io.s.discardDx;
    const dgamma = this.gradOf('gamma') || io.s.discardGamma.ptr;
    const dbeta = this.gradOf('beta') || io.s.discardBeta.ptr;
    k.layernorm_backward(io.xs[0].ptr, this.gammaPtr(io), io.s.mean.ptr, io.s.rstd.ptr, io.dy.ptr, dx.ptr, dgamma, dbeta, rowsOf(io.inShapes[0], batch), lastAxis(io.inShapes[0]));
  }

  override getConfig(): KerasConfig {
    return {
      ...super.getConfig(),
      axis: -1,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: initializerJson(this.betaInitializer),
      gamma_initializer: initializerJson(this.gammaInitializer),
      beta_regularizer: null,
      gamma_regularizer: null,
      beta_constraint: null,
      gamma_constraint: null,
    };
  }

  static fromConfig(config: KerasConfig): LayerNormalization {
    const base = baseArgs(config);
    // Keras may write the last axis as a list or as its positive index (2 for [B, L, C])
    const axis = one(config.axis ?? -1);
    const rank = base.inputShape ? base.inputShape.length : null;
    const last = axis === -1 || (rank !== null && axis === rank) || (rank === null && axis === 2);
    return new LayerNormalization({
      ...base,
      ...(last ? {} : { axis: axis as number }),
      epsilon: config.epsilon as number | undefined,
      center: config.center as boolean | undefined,
      scale: config.scale as boolean | undefined,
      betaInitializer: initializerName(config.beta_initializer, 'zeros'),
      gammaInitializer: initializerName(config.gamma_initializer, 'ones'),
    });
  }
}
registerClass('LayerNormalization', LayerNormalization);
