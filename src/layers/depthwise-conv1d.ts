// DepthwiseConv1D (Keras): every input channel c is convolved with M = depthMultiplier kernels
// of its own, no sum over channels (eq. 1 of the tutorial applied to each channel alone):
//   z[b, t, c*M + m] = bias[c*M + m] + sum_{u<K} xp[b, t*S + u*D, c] * depthwise_kernel[u, c, m]
//   y = activation(z)
//   x [B, L, C]   xp [B, Lp, C]   depthwise_kernel [K, C, M]   bias [C*M]   y [B, T, C*M]
// Gradients (dz = activation'(z) * dy):
//   ddepthwise_kernel[u, c, m] = sum_{b,t} xp[b, t*S + u*D, c] * dz[b, t, c*M + m]
//   dxp[b, t*S + u*D, c] += sum_m dz[b, t, c*M + m] * depthwise_kernel[u, c, m]
//   dbias[j] = sum_{b,t} dz[b, t, j]
// It is Conv1D with groups = C and filters = C*M (conv-grouped.ts), run on the depthwise kernels.
// Padding and output length as Conv1D ("valid", "same", "causal"; Keras 3 itself accepts only
// "valid" and "same" here, Keras 2 also "causal").

import { boolean, oneOf, positiveInt } from './args.ts';
import { ActivationFn, FusedActivation, type ActivationIdentifier } from './activation-fn.ts';
import { windowGeometry, type Conv1DPadding } from './conv1d.ts';
import { GroupedConv } from './conv-grouped.ts';
import { checkInitializer, type InitializerName } from './initializers.ts';
import { activationJson, activationName, baseArgs, channelsLast, initializerJson, initializerName, one } from './keras-config.ts';
import { registerClass, type KerasConfig } from './registry.ts';
import { Layer, type BufferPlanner, type LayerArgs, type NodeIO, type StepContext, type StreamSpec, type WeightSpec } from './layer.ts';

/** The window options DepthwiseConv1D and SeparableConv1D share. */
export interface DepthwiseWindowArgs {
  /** Window length K (a number or [K]). */
  kernelSize: number | [number];
  /** Step between windows S (default 1). */
  strides?: number | [number];
  /** 'valid' (default), 'same' (T = ceil(L/S)) or 'causal' ((K-1)*D zeros on the left). */
  padding?: Conv1DPadding;
  /** Spacing D between kernel taps (default 1). */
  dilationRate?: number | [number];
  /** Kernels per input channel M (default 1): the depthwise step outputs C*M channels. */
  depthMultiplier?: number;
  /** Activation applied to the output (default 'linear'). */
  activation?: ActivationIdentifier;
  /** Slope/alpha/beta of leakyRelu, elu or swish when given as `activation`. */
  activationAlpha?: number;
  /** Whether to add a bias (default true). */
  useBias?: boolean;
  /** Initializer of the depthwise kernel (default 'glorotUniform'). */
  depthwiseInitializer?: InitializerName;
  /** Initializer of the bias (default 'zeros'). */
  biasInitializer?: InitializerName;
}
export const DEPTHWISE_WINDOW_KEYS = ['kernelSize', 'strides', 'padding', 'dilationRate', 'depthMultiplier', 'activation', 'activationAlpha', 'useBias', 'depthwiseInitializer', 'biasInitializer'];

export interface DepthwiseConv1DArgs extends LayerArgs, DepthwiseWindowArgs {}

/** The parsed window options; errors name `owner`, the option and the value. */
export class DepthwiseWindow {
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: Conv1DPadding;
  readonly dilationRate: number;
  readonly depthMultiplier: number;
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly depthwiseInitializer: InitializerName;
  readonly biasInitializer: InitializerName;

  constructor(owner: string, args: DepthwiseWindowArgs) {
    this.kernelSize = positiveInt(owner, 'kernelSize', args.kernelSize);
    this.strides = positiveInt(owner, 'strides', args.strides, 1);
    this.padding = oneOf(owner, 'padding', args.padding, ['valid', 'same', 'causal'] as const, 'valid');
    this.dilationRate = positiveInt(owner, 'dilationRate', args.dilationRate, 1);
    this.depthMultiplier = positiveInt(owner, 'depthMultiplier', args.depthMultiplier, 1);
    this.activation = ActivationFn.parse(owner, 'activation', args.activation, args.activationAlpha);
    this.useBias = boolean(owner, 'useBias', args.useBias, true);
    this.depthwiseInitializer = checkInitializer(owner, 'depthwiseInitializer', args.depthwiseInitializer, 'glorotUniform');
    this.biasInitializer = checkInitializer(owner, 'biasInitializer', args.biasInitializer, 'zeros');
  }

  get span(): number {
    return (this.kernelSize - 1) * this.dilationRate + 1;
  }

  geometry(L: number): { T: number; padLeft: number; Lp: number } {
    return windowGeometry(L, this.span, this.strides, this.padding);
  }

  /** Output length for input [L, C]; `fail` reports a misfit (layer.fail). */
  outLength(inputShape: number[], fail: (m: string) => never): number {
    if (inputShape.length !== 2) fail(`expects input of shape [length, channels], got [${inputShape}]`);
    const L = inputShape[0];
    if (this.padding === 'valid' && L < this.span) fail(`input length ${L} is shorter than the kernel span ${this.span} (kernelSize ${this.kernelSize}, dilationRate ${this.dilationRate}) with padding "valid"`);
    return this.geometry(L).T;
  }

  /** As Conv1D: "causal" and "valid" stream, "same" looks ahead and is refused. */
  streamSpec(fail: (m: string) => never): StreamSpec {
    if (this.padding === 'same') fail(`cannot stream (model.stream()): padding "same" centres the kernel, so each output needs up to ${this.span - 1 - Math.floor((this.span - 1) / 2)} future steps; use padding "causal" (or "valid")`);
    return { window: this.span, stride: this.strides, pad: this.padding === 'causal' ? this.span - 1 : 0 };
  }

  /** The Keras config keys of the window, the depth multiplier, activation and bias. */
  json(): KerasConfig {
    const act = this.activation;
    return {
      kernel_size: [this.kernelSize],
      strides: [this.strides],
      padding: this.padding,
      data_format: 'channels_last',
      dilation_rate: [this.dilationRate],
      depth_multiplier: this.depthMultiplier,
      activation: activationJson(act.name),
      ...(act.name === 'leakyRelu' || act.name === 'elu' || act.name === 'swish' ? { activation_alpha: act.alpha } : {}),
      use_bias: this.useBias,
      depthwise_initializer: initializerJson(this.depthwiseInitializer),
      bias_initializer: initializerJson(this.biasInitializer),
      depthwise_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      depthwise_constraint: null,
      bias_constraint: null,
    };
  }

  /** The inverse of json(), with the Keras defaults where a key is missing. */
  static args(config: KerasConfig): DepthwiseWindowArgs {
    channelsLast(config);
    return {
      kernelSize: one(config.kernel_size) as number,
      strides: one(config.strides ?? 1) as number,
      padding: (config.padding ?? 'valid') as Conv1DPadding,
      dilationRate: one(config.dilation_rate ?? 1) as number,
      depthMultiplier: (config.depth_multiplier ?? 1) as number,
      activation: activationName(config.activation ?? 'linear') as 'linear',
      ...(config.activation_alpha !== undefined ? { activationAlpha: config.activation_alpha as number } : {}),
      useBias: (config.use_bias ?? true) as boolean,
      depthwiseInitializer: initializerName(config.depthwise_initializer, 'glorotUniform'),
      biasInitializer: initializerName(config.bias_initializer, 'zeros'),
    };
  }
}

/**
 * Depthwise 1D convolution (Keras DepthwiseConv1D): each of the C input channels is convolved with
 * `depthMultiplier` = M kernels of its own, giving C*M output channels (channel c*M + m):
 * `z[t, c*M + m] = bias[c*M + m] + sum_u xp[t*S + u*D, c] * depthwise_kernel[u, c, m]`, `y = activation(z)`.
 * Gradients: `d depthwise_kernel[u, c, m] = sum_t xp[t*S + u*D, c] * dz[t, c*M + m]`,
 * `dxp[t*S + u*D, c] += sum_m dz[t, c*M + m] * depthwise_kernel[u, c, m]` (see the file header).
 */
export class DepthwiseConv1D extends Layer {
  readonly className = 'DepthwiseConv1D';
  readonly window: DepthwiseWindow;
  private act: FusedActivation;
  private conv: GroupedConv;

  constructor(args: DepthwiseConv1DArgs) {
    super(args, DEPTHWISE_WINDOW_KEYS);
    this.window = new DepthwiseWindow('DepthwiseConv1D', args);
    this.act = new FusedActivation(this.window.activation);
    const w = this.window;
    this.conv = new GroupedConv(w.kernelSize, w.strides, w.dilationRate, 'depthwise');
  }

  computeOutputShape(inputShape: number[]): number[] {
    const T = this.window.outLength(inputShape, (m) => this.fail(m));
    return [T, inputShape[1] * this.window.depthMultiplier];
  }

  protected override weightSpecs(): WeightSpec[] {
    const w = this.window;
    const C = this.inputShape[1];
    const specs: WeightSpec[] = [{ name: 'depthwise_kernel', shape: [w.kernelSize, C, w.depthMultiplier], initializer: w.depthwiseInitializer, trainable: true }];
    if (w.useBias) specs.push({ name: 'bias', shape: [C * w.depthMultiplier], initializer: w.biasInitializer, trainable: true });
    return specs;
  }

  override plan(p: BufferPlanner, io: NodeIO): void {
    this.act.plan(p, io);
    const [L, C] = io.inShapes[0];
    const { padLeft, Lp } = this.window.geometry(L);
    const padded = padLeft > 0 || Lp !== L;
    const dx = io.dxs[0];
    io.s.xp = padded ? p.act(p.capacity * Lp * C) : io.xs[0];
    if (p.training && dx) io.s.dxp = padded ? p.grad(p.capacity * Lp * C) : dx;
  }

  override streamSpec(): StreamSpec {
    return this.window.streamSpec((m) => this.fail(m));
  }

  /** The window holds the real past (or the spec's zeros): a "valid" convolution of it. */
  override streamForward({ k }: StepContext, io: NodeIO): void {
    const [W, C] = io.inShapes[0];
    const [T, F] = io.outShape;
    this.conv.forward(k, io.xs[0].ptr, this.ptrOf('depthwise_kernel'), this.ptrOf('bias'), io.s.z.ptr, 1, W, C, T, F);
    this.act.forward(k, io, T, F);
  }

  forward({ k, batch }: StepContext, io: NodeIO): void {
    const [L, C] = io.inShapes[0];
    const F = io.outShape[1];
    const { T, padLeft, Lp } = this.window.geometry(L);
    if (io.s.xp !== io.xs[0]) k.conv1d_pad(io.xs[0].ptr, io.s.xp.ptr, batch, L, C, Lp, padLeft);
    this.conv.forward(k, io.s.xp.ptr, this.ptrOf('depthwise_kernel'), this.ptrOf('bias'), io.s.z.ptr, batch, Lp, C, T, F);
    this.act.forward(k, io, batch * T, F);
  }

  backward({ k, batch }: StepContext, io: NodeIO, logitsGradGiven: boolean): void {
    const [L, C] = io.inShapes[0];
    const F = io.outShape[1];
    const { T, padLeft, Lp } = this.window.geometry(L);
    this.act.backward(k, io, batch * T, F, logitsGradGiven);
    const dz = io.s.dz.ptr;
    const db = this.gradOf('bias');
    if (db) k.bias_backward(dz, db, batch * T, F);
    const dw = this.gradOf('depthwise_kernel');
    if (dw) this.conv.backwardKernel(k, io.s.xp.ptr, dz, dw, batch, Lp, C, T, F);
    const dx = io.dxs[0];
    if (dx) {
      this.conv.backwardInput(k, dz, this.ptrOf('depthwise_kernel'), 0, io.s.dxp.ptr, batch, Lp, C, T, F);
      if (io.s.dxp !== dx) k.conv1d_unpad_add(io.s.dxp.ptr, dx.ptr, batch, L, C, Lp, padLeft);
    }
  }

  override softmaxLogitsGrad(io: NodeIO) {
    return this.act.softmaxLogitsGrad(io);
  }

  override getConfig(): KerasConfig {
    return { ...super.getConfig(), ...this.window.json() };
  }

  static fromConfig(config: KerasConfig): DepthwiseConv1D {
    return new DepthwiseConv1D({ ...baseArgs(config), ...DepthwiseWindow.args(config) });
  }
}
registerClass('DepthwiseConv1D', DepthwiseConv1D);
