// BatchNormalization over the last (channel) axis; statistics over batch and length.
//   x, y [B, L, C] (or [B, C])   gamma, beta, movingMean, movingVariance [C]
// Training: y = gamma*(x-mean)*rstd + beta with batch statistics (biased variance),
//   rstd = 1/sqrt(var+eps); moving = momentum*moving + (1-momentum)*batch (Keras).
// Inference: the moving statistics instead.

import { boolean, finiteNumber } from './args.ts';
import { checkInitializer, type InitializerName } from './initializers.ts';
import { baseArgs, initializerJson, initializerName, one } from './keras-config.ts';
import { registerClass, type KerasConfig } from './registry.ts';
import type { KernelExports } from '../runtime/runtime.ts';
import { Layer, lastAxis, rowsOf, type BufferPlanner, type LayerArgs, type NodeIO, type StepContext, type StreamSpec, type WeightSpec } from './layer.ts';
import { Conv1D } from './conv1d.ts';

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

/** Rows per chunk of the kernels' partial sums (assembly/kernels/batchnorm.ts CHUNK; checked
 *  against batchnorm_scratch_floats in test/kernels/batchnorm.test.ts). */
export const BN_CHUNK_ROWS = 256;
/** Chunks of partial sums over R rows. */
export const bnChunks = (R: number): number => Math.ceil(R / BN_CHUNK_ROWS);
/** Scratch floats of the training kernels over R rows of C channels: f64 partials [chunks][2][C]
 *  and the f32 tables [3C] (assembly/kernels/batchnorm.ts batchnorm_scratch_floats). */
export const bnScratchFloats = (R: number, C: number): number => 4 * C * bnChunks(R) + 3 * C;

/** Per node of a batch norm, the node of the ReLU fused into it (fuseRelu). */
const fusedRelu = new WeakMap<NodeIO, NodeIO>();

const KEYS = ['axis', 'momentum', 'epsilon', 'center', 'scale', 'betaInitializer', 'gammaInitializer', 'movingMeanInitializer', 'movingVarianceInitializer'];

export class BatchNormalization extends Layer {
  readonly className = 'BatchNormalization';
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  private readonly inits: Record<'beta' | 'gamma' | 'movingMean' | 'movingVariance', InitializerName>;

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

  protected override weightSpecs(): WeightSpec[] {
    const C = [lastAxis(this.inputShape)];
    const specs: WeightSpec[] = [];
    if (this.scale) specs.push({ name: 'gamma', shape: C, initializer: this.inits.gamma, trainable: true });
    if (this.center) specs.push({ name: 'beta', shape: C, initializer: this.inits.beta, trainable: true });
    specs.push({ name: 'moving_mean', shape: C, initializer: this.inits.movingMean, trainable: false });
    specs.push({ name: 'moving_variance', shape: C, initializer: this.inits.movingVariance, trainable: false });
    return specs;
  }

  // io.s: mean, rstd [C] (batch statistics of the forward, for the backward); scratch: the
  // kernels' chunk partials and tables for the planned rows (bnScratchFloats); discard [2C]: the
  // dgamma, dbeta of a layer without them; discardDx when the input needs no gradient; gamma1
  // (ones) when scale=false, beta0 (zeros) when center=false.
  override plan(p: BufferPlanner, io: NodeIO): void {
    const C = lastAxis(io.inShapes[0]);
    io.s.mean = p.act(C);
    io.s.rstd = p.act(C);
    if (!this.scale) io.s.gamma1 = p.constant(C, 1);
    if (!this.center) io.s.beta0 = p.constant(C);
    if (!p.training) return;
    io.s.scratch = p.scratch(bnScratchFloats(io.y.floats / C, C));
    io.s.discard = p.scratch(2 * C);
    if (!io.dxs[0]) io.s.discardDx = p.scratch(io.y.floats);
  }

  /** gamma, or the constant ones when the layer has no scale. */
  private gammaPtr(io: NodeIO): number {
    return io.s.gamma1 ? io.s.gamma1.ptr : this.ptrOf('gamma');
  }

  override streamSpec(): StreamSpec {
    return this.perStep();
  }

  /** Inference-mode forwards (engine/planner.ts offers it on every plan): folds into the linear
   *  Conv1D whose output only this node reads. The conv then runs with kernel*s and
   *  (bias - movingMean)*s + beta, s = gamma/sqrt(movingVariance + epsilon), computed before each
   *  forward from the current weights (`p` plans buffers of the conv's node), and writes this
   *  node's output; this node's inference forward does nothing. Training forwards are unchanged. */
  override foldInto(producer: Layer, p: BufferPlanner, producerIO: NodeIO, io: NodeIO): boolean {
    if (!(producer instanceof Conv1D) || producer.filters !== lastAxis(io.inShapes[0])) return false;
    const R = producer.kernelSize * producerIO.inShapes[0][1];
    const F = producer.filters;
    const fold = { w: p.act(R * F), b: p.act(F), y: io.y };
    const prepare = (k: KernelExports, kernel: number, bias: number) =>
      k.batchnorm_fold(kernel, bias, this.gammaPtr(io), this.betaPtr(io), this.ptrOf('moving_mean'), this.ptrOf('moving_variance'), fold.w.ptr, fold.b.ptr, R, F, this.epsilon);
    if (!producer.setFold(producerIO, { ...fold, prepare })) return false;
    io.s.folded = fold.w;
    return true;
  }

  private betaPtr(io: NodeIO): number {
    return io.s.beta0 ? io.s.beta0.ptr : this.ptrOf('beta');
  }

  /** Training forwards and backwards: the ReLU Activation whose node `act` alone reads this node's
   *  output runs inside this node's kernels (activation.ts foldInto): the normalize pass writes
   *  max(y, 0) to the activation's output, and the backward reads the activation's output
   *  gradient, masked where that output is 0, so the two elementwise passes of the activation go.
   *  This node's own output and output gradient are then not written in training. */
  fuseRelu(io: NodeIO, act: NodeIO): void {
    fusedRelu.set(io, act);
  }

  forward(ctx: StepContext, io: NodeIO): void {
    const { k, batch, training } = ctx;
    if (io.s.folded && !training) return; // the conv before wrote y (foldInto)
    const C = lastAxis(io.inShapes[0]);
    const R = rowsOf(io.inShapes[0], batch);
    const gamma = this.gammaPtr(io);
    const beta = this.betaPtr(io);
    const mm = this.ptrOf('moving_mean');
    const mv = this.ptrOf('moving_variance');
    const x = io.xs[0].ptr;
    if (!training) return k.batchnorm_forward_infer(x, gamma, beta, mm, mv, io.y.ptr, R, C, this.epsilon);
    // the steps of the kernels' batchnorm_forward_train, each split over the threads on its own
    const partials = io.s.scratch.ptr;
    const n = bnChunks(R);
    const table = partials + 16 * C * n;
    const relu = fusedRelu.get(io);
    k.batchnorm_sums(x, 0, 0, partials, R, C, 0, n, 0);
    k.batchnorm_train_stats(x, gamma, partials, io.s.mean.ptr, io.s.rstd.ptr, table, mm, mv, R, C, this.momentum, this.epsilon);
    k.batchnorm_normalize(x, io.s.mean.ptr, table, beta, (relu ?? io).y.ptr, R, C, relu ? 1 : 0);
  }

  /** Backward of the training-mode forward (batch statistics). */
  backward(ctx: StepContext, io: NodeIO): void {
    const { k, batch } = ctx;
    const C = lastAxis(io.inShapes[0]);
    const dgamma = this.gradOf('gamma') || io.s.discard.ptr;
    const dbeta = this.gradOf('beta') || io.s.discard.ptr + 4 * C;
    const dx = io.dxs[0] ?? io.s.discardDx;
    if (!io.dxs[0] && !this.gradOf('gamma') && !this.gradOf('beta')) return;
    // the steps of the kernels' batchnorm_backward, each split over the threads on its own
    const R = rowsOf(io.inShapes[0], batch);
    const partials = io.s.scratch.ptr;
    const n = bnChunks(R);
    const table = partials + 16 * C * n;
    const x = io.xs[0].ptr;
    const mean = io.s.mean.ptr;
    const relu = fusedRelu.get(io);
    const dy = relu ? relu.dy.ptr : io.dy.ptr;
    const mask = relu ? relu.y.ptr : 0; // the fused ReLU's output: its gradient passes where > 0
    k.batchnorm_sums(x, dy, mean, partials, R, C, 0, n, mask);
    k.batchnorm_backward_stats(this.gammaPtr(io), io.s.rstd.ptr, partials, dgamma, dbeta, table, R, C);
    k.batchnorm_backward_apply(x, mean, dy, dx.ptr, table, R, C, mask);
  }

  override getConfig(): KerasConfig {
    return {
      ...super.getConfig(),
      axis: -1,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: initializerJson(this.inits.beta),
      gamma_initializer: initializerJson(this.inits.gamma),
      moving_mean_initializer: initializerJson(this.inits.movingMean),
      moving_variance_initializer: initializerJson(this.inits.movingVariance),
      beta_regularizer: null,
      gamma_regularizer: null,
      beta_constraint: null,
      gamma_constraint: null,
    };
  }

  static fromConfig(config: KerasConfig): BatchNormalization {
    const base = baseArgs(config);
    const axis = one(config.axis ?? -1);
    const init = (key: string, fallback: InitializerName) => initializerName(config[key], fallback);
    return new BatchNormalization({
      ...base,
      // Keras may write the channel axis as its positive index (2 for [B, L, C]); 1D nets
      // normalize the last axis, the only one supported, so any other value is rejected
      ...(axis === -1 || axis === 2 || (axis === 1 && base.inputShape?.length === 1) ? {} : { axis: axis as number }),
      momentum: config.momentum as number | undefined,
      epsilon: config.epsilon as number | undefined,
      center: config.center as boolean | undefined,
      scale: config.scale as boolean | undefined,
      betaInitializer: init('beta_initializer', 'zeros'),
      gammaInitializer: init('gamma_initializer', 'ones'),
      movingMeanInitializer: init('moving_mean_initializer', 'zeros'),
      movingVarianceInitializer: init('moving_variance_initializer', 'ones'),
    });
  }
}
registerClass('BatchNormalization', BatchNormalization);
