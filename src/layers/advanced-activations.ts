// Keras' activation layers (keras/src/layers/activations/*.py, tfjs-layers advanced_activations.ts):
//   ReLU             y = (x > t ? clip(x, 0, max_value) : 0) - negative_slope * max(t - x, 0)
//   LeakyReLU        y = x > 0 ? x : alpha x                      (alpha, Keras 3: negative_slope)
//   ThresholdedReLU  y = x > theta ? x : 0
//   ELU              y = x > 0 ? x : alpha (exp(x) - 1)
//   Softmax          y = exp(x) / sum exp(x) over the last axis
// x, y [B, ...]. The ReLU family runs the general ReLU kernel (assembly/kernels/relu_general.ts);
// ELU and Softmax the kernels of the Activation layer.

import { ActivationFn } from './activation-fn.ts';
import { ConfigError, finiteNumber, showValue } from './args.ts';
import { baseArgs } from './keras-config.ts';
import { registerClass, type KerasConfig } from './registry.ts';
import { Layer, rowsCols, size, type LayerArgs, type NodeIO, type StepContext, type StreamSpec } from './layer.ts';

export interface ReLUArgs extends LayerArgs {
  /** Upper clip of the output (default none; 6 gives ReLU6). */
  maxValue?: number | null;
  /** Slope below the threshold (default 0). */
  negativeSlope?: number;
  /** Inputs above it pass, below it get the slope (default 0). */
  threshold?: number;
}

export interface LeakyReLUArgs extends LayerArgs {
  /** Slope for x < 0 (default 0.3, as Keras). */
  alpha?: number;
}

export interface ThresholdedReLUArgs extends LayerArgs {
  /** Inputs above it pass, the rest are 0 (default 1, as Keras). */
  theta?: number;
}

export interface ELUArgs extends LayerArgs {
  /** Scale of the negative part (default 1). */
  alpha?: number;
}

export interface SoftmaxArgs extends LayerArgs {
  /** The axis normalised over: the last one (-1, the default, or its index counted with the batch). */
  axis?: number | number[];
}

type ReLUClass = 'ReLU' | 'LeakyReLU' | 'ThresholdedReLU';

/** The ReLU family: one layer, three Keras class names (what getConfig writes). */
export class ReLU extends Layer {
  readonly className: ReLUClass;
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(args: ReLUArgs = {}, className: ReLUClass = 'ReLU') {
    super(args, ['maxValue', 'negativeSlope', 'threshold']);
    this.className = className;
    const max = args.maxValue;
    if (max !== undefined && max !== null && !(typeof max === 'number' && max >= 0 && Number.isFinite(max))) this.fail(`maxValue must be a number >= 0 or null, got ${showValue(max)}`);
    this.maxValue = max ?? null;
    this.negativeSlope = finiteNumber(className, 'negativeSlope', args.negativeSlope, 0);
    this.threshold = finiteNumber(className, 'threshold', args.threshold, 0);
  }

  computeOutputShape(inputShape: number[]): number[] {
    return inputShape.slice();
  }

  override streamSpec(): StreamSpec {
    return this.perStep();
  }

  /** [t, lo, hi, s] of the kernel: lo = 0 only when clipping (Keras clips only with max_value). */
  private params(): [number, number, number, number] {
    return this.maxValue === null ? [this.threshold, -Infinity, Infinity, this.negativeSlope] : [this.threshold, 0, this.maxValue, this.negativeSlope];
  }

  forward({ k, batch }: StepContext, io: NodeIO): void {
    k.relu_general_forward(io.xs[0].ptr, io.y.ptr, batch * size(io.inShapes[0]), ...this.params());
  }

  backward({ k, batch }: StepContext, io: NodeIO): void {
    const dx = io.dxs[0];
    if (dx) k.relu_general_backward(io.xs[0].ptr, io.dy.ptr, dx.ptr, batch * size(io.inShapes[0]), ...this.params());
  }

  override getConfig(): KerasConfig {
    const base = super.getConfig();
    if (this.className === 'LeakyReLU') return { ...base, alpha: this.negativeSlope };
    if (this.className === 'ThresholdedReLU') return { ...base, theta: this.threshold };
    return { ...base, max_value: this.maxValue, negative_slope: this.negativeSlope, threshold: this.threshold };
  }

  static fromConfig(config: KerasConfig): ReLU {
    return new ReLU({ ...baseArgs(config), maxValue: config.max_value as number | null | undefined, negativeSlope: config.negative_slope as number | undefined, threshold: config.threshold as number | undefined });
  }
}

/** LeakyReLU: a ReLU with a slope below 0. Keras 2 and TF.js write alpha, Keras 3 negative_slope. */
export const leakyReLU = (args: LeakyReLUArgs = {}): ReLU => {
  const { alpha, ...base } = args;
  return new ReLU({ ...base, negativeSlope: finiteNumber('LeakyReLU', 'alpha', alpha, 0.3) }, 'LeakyReLU');
};

/** ThresholdedReLU: a ReLU whose threshold is theta (removed in Keras 3, still in TF.js and Keras 2 files). */
export const thresholdedReLU = (args: ThresholdedReLUArgs = {}): ReLU => {
  const { theta, ...base } = args;
  return new ReLU({ ...base, threshold: finiteNumber('ThresholdedReLU', 'theta', theta, 1) }, 'ThresholdedReLU');
};

registerClass('ReLU', ReLU);
registerClass('LeakyReLU', { fromConfig: (c) => leakyReLU({ ...baseArgs(c), alpha: (c.negative_slope ?? c.alpha) as number | undefined }) });
registerClass('ThresholdedReLU', { fromConfig: (c) => thresholdedReLU({ ...baseArgs(c), theta: c.theta as number | undefined }) });

/** ELU and Softmax: a fixed activation function as a layer of its own class. */
abstract class FunctionLayer extends Layer {
  /** The function the layer applies (public for writers such as the ONNX exporter). */
  abstract readonly fn: ActivationFn;

  computeOutputShape(inputShape: number[]): number[] {
    return inputShape.slice();
  }

  override streamSpec(): StreamSpec {
    return this.perStep();
  }

  forward({ k, batch }: StepContext, io: NodeIO): void {
    this.fn.forward(k, io.xs[0].ptr, io.y.ptr, ...rowsCols(io, batch));
  }

  backward({ k, batch }: StepContext, io: NodeIO, logitsGradGiven: boolean): void {
    const dx = io.dxs[0];
    if (dx && !logitsGradGiven) this.fn.backward(k, io.xs[0].ptr, io.y.ptr, io.dy.ptr, dx.ptr, ...rowsCols(io, batch));
  }
}

export class ELU extends FunctionLayer {
  readonly className = 'ELU';
  readonly fn: ActivationFn;

  constructor(args: ELUArgs = {}) {
    super(args, ['alpha']);
    this.fn = new ActivationFn('elu', finiteNumber('ELU', 'alpha', args.alpha, 1));
  }

  override getConfig(): KerasConfig {
    return { ...super.getConfig(), alpha: this.fn.alpha };
  }

  static fromConfig(config: KerasConfig): ELU {
    return new ELU({ ...baseArgs(config), alpha: config.alpha as number | undefined });
  }
}
registerClass('ELU', ELU);

export class Softmax extends FunctionLayer {
  readonly className = 'Softmax';
  readonly fn = new ActivationFn('softmax', 1);
  /** As given: -1, or the index of the last axis counted with the batch (checked when built). */
  readonly axis: number;

  constructor(args: SoftmaxArgs = {}) {
    super(args, ['axis']);
    const a = Array.isArray(args.axis) && args.axis.length === 1 ? args.axis[0] : (args.axis ?? -1);
    if (!Number.isInteger(a)) throw new ConfigError(`Softmax: axis must be an integer (-1, the last axis), got ${showValue(args.axis)}`);
    this.axis = a as number;
  }

  override computeOutputShape(inputShape: number[]): number[] {
    const rank = inputShape.length + 1; // with the batch axis
    if (this.axis !== -1 && this.axis !== rank - 1) this.fail(`axis ${this.axis} is not supported for input [batch, ${inputShape.join(', ')}]: cnn1d normalises over the last axis only (-1 or ${rank - 1})`);
    return inputShape.slice();
  }

  override softmaxLogitsGrad(io: NodeIO) {
    return io.dxs[0];
  }

  override getConfig(): KerasConfig {
    return { ...super.getConfig(), axis: this.axis };
  }

  static fromConfig(config: KerasConfig): Softmax {
    return new Softmax({ ...baseArgs(config), axis: config.axis as number | undefined });
  }
}
registerClass('Softmax', Softmax);
