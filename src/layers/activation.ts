// Activation: y = f(x) elementwise, or softmax over the last axis.   x, y [B, ...]

import { ActivationFn, type ActivationIdentifier } from './activation-fn.ts';
import { activationJson, activationName, baseArgs } from './keras-config.ts';
import { registerClass, type KerasConfig } from './registry.ts';
import { Layer, rowsCols, type BufferPlanner, type LayerArgs, type NodeIO, type StepContext, type StreamSpec } from './layer.ts';
import { BatchNormalization } from './batchnorm.ts';

/** Nodes whose ReLU runs inside the batch norm before them in training (foldInto). */
const fused = new WeakSet<NodeIO>();

export interface ActivationArgs extends LayerArgs {
  /** Name of the function, e.g. 'relu', 'sigmoid', 'softmax', 'leakyRelu', 'elu', 'swish', 'gelu'. */
  activation: ActivationIdentifier;
  /** leakyRelu slope (default 0.3) or elu alpha (default 1). */
  alpha?: number;
  /** swish beta (default 1). */
  beta?: number;
}

export class Activation extends Layer {
  readonly className = 'Activation';
  readonly fn: ActivationFn;

  constructor(args: ActivationArgs) {
    super(args, ['activation', 'alpha', 'beta']);
    this.fn = ActivationFn.parse('Activation', 'activation', args.activation, args.activation === 'swish' ? args.beta : args.alpha);
  }

  computeOutputShape(inputShape: number[]): number[] {
    return inputShape.slice();
  }

  override streamSpec(): StreamSpec {
    return this.perStep();
  }

  /** Training plans: a ReLU whose input only it reads, made by a BatchNormalization, runs inside
   *  that layer's kernels (BatchNormalization.fuseRelu); this node's forward and backward then do
   *  nothing in training. Inference forwards are unchanged. */
  override foldInto(producer: Layer, p: BufferPlanner, producerIO: NodeIO, io: NodeIO): boolean {
    if (!p.training || this.fn.name !== 'relu' || !(producer instanceof BatchNormalization)) return false;
    producer.fuseRelu(producerIO, io);
    fused.add(io);
    p.unusedGrad(producerIO.dy); // its gradient is this node's dx, which nothing writes now
    return true;
  }

  forward({ k, batch, training }: StepContext, io: NodeIO): void {
    if (training && fused.has(io)) return; // the batch norm before wrote y
    const [R, C] = rowsCols(io, batch);
    this.fn.forward(k, io.xs[0].ptr, io.y.ptr, R, C);
  }

  backward({ k, batch }: StepContext, io: NodeIO, logitsGradGiven: boolean): void {
    const dx = io.dxs[0];
    if (!dx || logitsGradGiven || fused.has(io)) return; // fused: the batch norm reads dy
    const [R, C] = rowsCols(io, batch);
    this.fn.backward(k, io.xs[0].ptr, io.y.ptr, io.dy.ptr, dx.ptr, R, C);
  }

  override softmaxLogitsGrad(io: NodeIO) {
    return this.fn.isSoftmax ? io.dxs[0] : null;
  }

  override getConfig(): KerasConfig {
    const extra = this.fn.name === 'swish' ? { beta: this.fn.alpha } : this.fn.name === 'leakyRelu' || this.fn.name === 'elu' ? { alpha: this.fn.alpha } : {};
    return { ...super.getConfig(), activation: activationJson(this.fn.name), ...extra };
  }

  static fromConfig(config: KerasConfig): Activation {
    return new Activation({
      ...baseArgs(config),
      activation: activationName(config.activation) as ActivationIdentifier,
      ...(config.alpha !== undefined ? { alpha: config.alpha as number } : {}),
      ...(config.beta !== undefined ? { beta: config.beta as number } : {}),
    });
  }
}
registerClass('Activation', Activation);
