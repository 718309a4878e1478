// Conv1DTranspose (Keras; "deconvolution"): the adjoint of a Conv1D whose input has this layer's
// output length, so a stride S upsamples by S. Each input step t scatters the K taps of the kernel
// (eq. 1 of the tutorial read backwards: where Conv1D gathers x[t*S + u*D], this scatters to it):
//   zp[b, t*S + u*D, f] += sum_c x[b, t, c] * kernel[u, f, c]     (zp = bias before the scatter)
//   z[b, j, f] = zp[b, j + padLeft, f],  j < T      y = activation(z)
//   x [B, L, C]   kernel [K, F, C] (Keras layout: filters before input channels)   bias [F]
//   zp [B, Lp, F]   y [B, T, F]
// Output length (Keras conv_utils.deconv_output_length, span = (K-1)*D + 1):
//   no outputPadding: "valid" T = L*S + max(span - S, 0);  "same" T = L*S
//   outputPadding P:  T = (L-1)*S + span - 2*pad + P, pad = 0 ("valid") or floor(span/2) ("same")
// The crop padLeft is TensorFlow's: the "same" padding of the forward Conv1D from T back to L,
// floor(max((L-1)*S + span - T, 0) / 2); 0 for "valid". Outputs the scatter does not reach are bias.
// Gradients (dz = activation'(z) * dy, dzp = dz padded back to [B, Lp, F] with zeros):
//   dx[b, t, c] = sum_{u<K, f<F} dzp[b, t*S + u*D, f] * kernel[u, f, c]   (a Conv1D of dzp)
//   dkernel[u, f, c] = sum_{b,t} dzp[b, t*S + u*D, f] * x[b, t, c]
//   dbias[f] = sum_{b,j} dz[b, j, f]
// Streams are refused: one input step makes S output steps, and a stream session moves every
// value at one step per input step or slower.

import { ConfigError, oneOf, positiveInt, showValue } from './args.ts';
import { FusedActivation, type ActivationFn } from './activation-fn.ts';
import { KERNEL_LAYER_KEYS, parseKernelLayerArgs, parsePenalties, withPenalties, type KernelLayerArgs, type WeightPenalties } from './kernel-args.ts';
import type { InitializerName } from './initializers.ts';
import { baseArgs, channelsLast, kernelLayerArgs, kernelLayerJson, one } from './keras-config.ts';
import { registerClass, type KerasConfig } from './registry.ts';
import { Layer, type BufferPlanner, type LayerArgs, type NodeIO, type StepContext, type StreamSpec, type WeightSpec } from './layer.ts';

export type Conv1DTransposePadding = 'valid' | 'same';

export interface Conv1DTransposeArgs extends LayerArgs, KernelLayerArgs {
  /** Number of output channels F. */
  filters: number;
  /** Kernel length K (a number or [K]). */
  kernelSize: number | [number];
  /** Upsampling factor S (default 1). */
  strides?: number | [number];
  /** 'valid' (default: T = L*S + max(K - S, 0)) or 'same' (T = L*S). */
  padding?: Conv1DTransposePadding;
  /** Extra steps P at the end, in [0, strides - 1] (default: none, see the lengths above). */
  outputPadding?: number | [number];
  /** Spacing D between kernel taps (default 1). */
  dilationRate?: number | [number];
}

const KEYS = ['filters', 'kernelSize', 'strides', 'padding', 'outputPadding', 'dilationRate', ...KERNEL_LAYER_KEYS];

export interface TransposeGeometry {
  /** Output length. */
  T: number;
  /** Rows of the uncropped scatter output zp dropped at the start. */
  padLeft: number;
  /** Rows of zp: at least the scatter's reach (L-1)*S + span and padLeft + T. */
  Lp: number;
}

/** Keras/TensorFlow output length and crop of a transposed conv over L steps (see the header). */
export function transposeGeometry(L: number, K: number, S: number, D: number, padding: Conv1DTransposePadding, outputPadding: number | null): TransposeGeometry {
  const span = (K - 1) * D + 1;
  const reach = (L - 1) * S + span;
  let T: number;
  if (outputPadding === null) T = padding === 'valid' ? L * S + Math.max(span - S, 0) : L * S;
  else T = reach - 2 * (padding === 'valid' ? 0 : Math.floor(span / 2)) + outputPadding;
  const padLeft = padding === 'valid' ? 0 : Math.floor(Math.max(reach - T, 0) / 2);
  return { T, padLeft, Lp: Math.max(reach, padLeft + T) };
}

/**
 * Transposed 1D convolution (Keras Conv1DTranspose): each input step scatters its K taps,
 * `zp[t*S + u*D, f] += sum_c x[t, c] * kernel[u, f, c]`, the output is the T rows of zp that
 * Keras/TensorFlow keep (T = L*S for "same", L*S + max(K - S, 0) for "valid"), plus bias, then
 * the activation. Gradients: `dx[t, c] = sum_{u,f} dzp[t*S + u*D, f] * kernel[u, f, c]`,
 * `dkernel[u, f, c] = sum_t dzp[t*S + u*D, f] * x[t, c]` (see the file header).
 */
export class Conv1DTranspose extends Layer {
  readonly className = 'Conv1DTranspose';
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: Conv1DTransposePadding;
  readonly outputPadding: number | null;
  readonly dilationRate: number;
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerName;
  readonly biasInitializer: InitializerName;
  readonly penalties: WeightPenalties;
  private act: FusedActivation;

  constructor(args: Conv1DTransposeArgs) {
    super(args, KEYS);
    const o = 'Conv1DTranspose';
    this.filters = positiveInt(o, 'filters', args.filters);
    this.kernelSize = positiveInt(o, 'kernelSize', args.kernelSize);
    this.strides = positiveInt(o, 'strides', args.strides, 1);
    this.padding = oneOf(o, 'padding', args.padding, ['valid', 'same'] as const, 'valid');
    this.dilationRate = positiveInt(o, 'dilationRate', args.dilationRate, 1);
    const op = Array.isArray(args.outputPadding) && args.outputPadding.length === 1 ? args.outputPadding[0] : args.outputPadding;
    if (op !== undefined && op !== null && (typeof op !== 'number' || !Number.isInteger(op) || op < 0 || op >= this.strides)) {
      throw new ConfigError(`${o}: outputPadding must be an integer in [0, strides - 1] = [0, ${this.strides - 1}], got ${showValue(args.outputPadding)}`);
    }
    this.outputPadding = op ?? null;
    ({ activation: this.activation, useBias: this.useBias, kernelInitializer: this.kernelInitializer, biasInitializer: this.biasInitializer } = parseKernelLayerArgs(o, args));
    this.penalties = parsePenalties(o, args);
    this.act = new FusedActivation(this.activation);
  }

  geometry(L: number): TransposeGeometry {
    return transposeGeometry(L, this.kernelSize, this.strides, this.dilationRate, this.padding, this.outputPadding);
  }

  computeOutputShape(inputShape: number[]): number[] {
    if (inputShape.length !== 2) this.fail(`expects input of shape [length, channels], got [${inputShape}]`);
    const L = inputShape[0];
    const { T } = this.geometry(L);
    // TensorFlow runs the transpose as the gradient of a Conv1D from T steps to L: it must give L back
    const span = (this.kernelSize - 1) * this.dilationRate + 1;
    const back = this.padding === 'valid' ? Math.floor((T - span) / this.strides) + 1 : Math.ceil(T / this.strides);
    if (T < 1 || back !== L) {
      this.fail(`outputPadding ${this.outputPadding} gives an output of ${T} steps for ${L} input steps, but a Conv1D (kernelSize ${this.kernelSize}, strides ${this.strides}, padding "${this.padding}") of ${T} steps has ${back}, not ${L}; use an outputPadding in 1..${this.strides - 1} or none`);
    }
    return [T, this.filters];
  }

  protected override weightSpecs(): WeightSpec[] {
    const C = this.inputShape[1];
    const specs: WeightSpec[] = [{ name: 'kernel', shape: [this.kernelSize, this.filters, C], initializer: this.kernelInitializer, trainable: true }];
    if (this.useBias) specs.push({ name: 'bias', shape: [this.filters], initializer: this.biasInitializer, trainable: true });
    return withPenalties(this.label, specs, this.penalties);
  }

  override plan(p: BufferPlanner, io: NodeIO): void {
    this.act.plan(p, io);
    const [L, C] = io.inShapes[0];
    const { T, padLeft, Lp } = this.geometry(L);
    const cropped = padLeft > 0 || Lp !== T;
    io.s.wt = p.act(this.kernelSize * this.filters * C);
    io.s.zp = cropped ? p.act(p.capacity * Lp * this.filters) : io.s.z;
    if (p.training) io.s.dzp = cropped ? p.scratch(p.capacity * Lp * this.filters) : io.s.dz;
  }

  override streamSpec(): StreamSpec {
    this.fail(`cannot stream (model.stream()): a transposed convolution makes ${this.strides} output steps per input step (it upsamples), and streams advance at most one step per input sample; run predict() on whole signals`);
  }

  forward({ k, batch }: StepContext, io: NodeIO): void {
    const [L, C] = io.inShapes[0];
    const { T, padLeft, Lp } = this.geometry(L);
    const F = this.filters;
    const K = this.kernelSize;
    k.transpose_f32(K * F, C, this.ptrOf('kernel'), io.s.wt.ptr);
    k.conv1d_transpose_forward(io.xs[0].ptr, io.s.wt.ptr, this.ptrOf('bias'), io.s.zp.ptr, batch, L, C, Lp, F, K, this.strides, this.dilationRate);
    // z[b] = zp[b, padLeft .. padLeft + T)
    if (io.s.zp !== io.s.z) k.strided_copy(io.s.zp.ptr + 4 * padLeft * F, io.s.z.ptr, batch, 1, T * F, Lp * F, 0, 1, T * F, 0, 1, 0);
    this.act.forward(k, io, batch * T, F);
  }

  backward({ k, batch }: StepContext, io: NodeIO, logitsGradGiven: boolean): void {
    const [L, C] = io.inShapes[0];
    const { T, padLeft, Lp } = this.geometry(L);
    const F = this.filters;
    const K = this.kernelSize;
    this.act.backward(k, io, batch * T, F, logitsGradGiven);
    const dz = io.s.dz.ptr;
    const db = this.gradOf('bias');
    if (db) k.bias_backward(dz, db, batch * T, F);
    const dw = this.gradOf('kernel');
    const dx = io.dxs[0];
    if (!dw && !dx) return;
    if (io.s.dzp !== io.s.dz) k.conv1d_pad(dz, io.s.dzp.ptr, batch, T, F, Lp, padLeft);
    if (dw) k.conv1d_transpose_backward_kernel(io.xs[0].ptr, io.s.dzp.ptr, dw, batch, L, C, Lp, F, K, this.strides, this.dilationRate);
    if (dx) k.conv1d_transpose_backward_input(io.s.dzp.ptr, this.ptrOf('kernel'), dx.ptr, batch, L, C, Lp, F, K, this.strides, this.dilationRate);
  }

  override softmaxLogitsGrad(io: NodeIO) {
    return this.act.softmaxLogitsGrad(io);
  }

  override getConfig(): KerasConfig {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernel_size: [this.kernelSize],
      strides: [this.strides],
      padding: this.padding,
      output_padding: this.outputPadding === null ? null : [this.outputPadding],
      data_format: 'channels_last',
      dilation_rate: [this.dilationRate],
      ...kernelLayerJson(this),
    };
  }

  static fromConfig(config: KerasConfig): Conv1DTranspose {
    channelsLast(config);
    return new Conv1DTranspose({
      ...baseArgs(config),
      filters: config.filters as number,
      kernelSize: one(config.kernel_size) as number,
      strides: one(config.strides ?? 1) as number,
      padding: (config.padding ?? 'valid') as Conv1DTransposePadding,
      ...(config.output_padding !== undefined && config.output_padding !== null ? { outputPadding: one(config.output_padding) as number } : {}),
      dilationRate: one(config.dilation_rate ?? 1) as number,
      ...kernelLayerArgs(config),
    });
  }
}
registerClass('Conv1DTranspose', Conv1DTranspose);
