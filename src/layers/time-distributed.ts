// TimeDistributed (Keras) around a Dense layer: the same Dense applied to every step of [L, C].
//   x [B, L, C]   kernel [C, U]   bias [U]   y[b, l, :] = activation(x[b, l, :] @ kernel + bias)
// cnn1d's Dense on [L, C] already acts on the last axis of every step (Dense folds the leading
// axes into rows), so layers.dense({units}) and layers.timeDistributed({layer: layers.dense({units})})
// compute the same y and gradients; the wrapper exists for Keras compatibility and is saved as
// Keras' TimeDistributed {layer: {class_name: 'Dense', config}}.
// The wrapper owns the weights (named "<wrapper>/kernel", "<wrapper>/bias") and its shapes; the
// wrapped Dense reads both through accessors, so a model that re-binds shapes per input length
// (engine/lengths.ts) moves them together.

import { ConfigError, showValue } from './args.ts';
import { Dense } from './dense.ts';
import { baseArgs } from './keras-config.ts';
import { registerClass, type KerasConfig } from './registry.ts';
import { Layer, type BufferPlanner, type LayerArgs, type NodeIO, type StepContext, type StreamSpec, type Weight, type WeightSpec } from './layer.ts';

export interface TimeDistributedArgs extends LayerArgs {
  /** The layer applied to every step: a Dense layer not used elsewhere. */
  layer: Dense;
}

export class TimeDistributed extends Layer {
  readonly className = 'TimeDistributed';
  readonly layer: Dense;
  private innerSpecs: WeightSpec[] = [];

  constructor(args: TimeDistributedArgs) {
    super(args, ['layer']);
    const inner: unknown = args?.layer;
    if (!(inner instanceof Dense)) this.fail(`layer must be a Dense layer (layers.dense({units})), got ${inner instanceof Layer ? `a ${inner.className} layer` : showValue(inner)}`);
    if (inner.built || inner.inboundNodes.length > 0) this.fail(`layer must be a fresh Dense layer, not one already built or applied (${inner.label})`);
    this.layer = inner;
    Object.defineProperty(inner, 'weights', {
      get: () => this.weights,
      set: (w: Weight[]) => void (this.innerSpecs = w.map((v) => v.spec)),
    });
    Object.defineProperty(inner, 'inputShapes', { get: () => this.inputShapes, set: () => {} });
    Object.defineProperty(inner, 'outputShape', { get: () => this.outputShape, set: () => {} });
  }

  computeOutputShape(inputShape: number[]): number[] {
    if (inputShape.length !== 2) this.fail(`expects input of shape [length, channels], got [${inputShape}]`);
    if (!this.layer.built) this.layer.build(inputShape);
    return this.layer.computeOutputShape(inputShape);
  }

  protected override weightSpecs(): WeightSpec[] {
    return this.innerSpecs;
  }

  override plan(p: BufferPlanner, io: NodeIO): void {
    this.layer.plan(p, io);
  }

  override streamSpec(): StreamSpec {
    return this.perStep();
  }

  forward(ctx: StepContext, io: NodeIO): void {
    this.layer.forward(ctx, io);
  }

  backward(ctx: StepContext, io: NodeIO, logitsGradGiven: boolean): void {
    this.layer.backward(ctx, io, logitsGradGiven);
  }

  override softmaxLogitsGrad(io: NodeIO) {
    return this.layer.softmaxLogitsGrad(io);
  }

  override getConfig(): KerasConfig {
    return { ...super.getConfig(), layer: { class_name: this.layer.className, config: this.layer.getConfig() } };
  }

  static fromConfig(config: KerasConfig): TimeDistributed {
    const inner = config.layer as KerasConfig | undefined;
    if (typeof inner !== 'object' || inner === null || inner.class_name !== 'Dense' || typeof inner.config !== 'object' || inner.config === null) {
      throw new ConfigError(`TimeDistributed: layer must be {class_name: "Dense", config: {...}} (cnn1d wraps Dense only), got ${showValue(inner)}`);
    }
    // the input shape belongs to the wrapper
    const dense = Dense.fromConfig({ ...(inner.config as KerasConfig), batch_input_shape: undefined, batchInputShape: undefined, batch_shape: undefined });
    return new TimeDistributed({ ...baseArgs(config), layer: dense });
  }
}
registerClass('TimeDistributed', TimeDistributed);
