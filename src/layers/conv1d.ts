// Conv1D: cross-correlation over the length axis, channels last (eq. 1 of the Cacciari & Ranfagni
// tutorial; Keras padding rules in docs/guides/testing.md, "Golden vector conventions").
//   x [B, L, C]  ->  z = bias + xcorr(x, kernel)  [B, T, F]  ->  y = activation(z)
//   kernel [K, C, F]   bias [F]
// Padding is materialised once per step into xp [B, Lp, C] (kept for the kernel gradient), so the
// kernels see only "valid" windows; dxp is its gradient, folded back into dx. The geometry is
// derived from each node's input length. With groups > 1 the conv kernels are those of
// conv-grouped.ts (equations and gradients there); padding, bias and activation are shared.

import { ConfigError, oneOf, positiveInt } from './args.ts';
import { GroupedConv, parseGroups } from './conv-grouped.ts';
import { CONV_ALGORITHMS, chooseTile, planWinograd, winogradOf, winogradRefusal, type ConvAlgorithm } from './conv-winograd.ts';
import { FusedActivation, type ActivationFn } from './activation-fn.ts';
import { KERNEL_LAYER_KEYS, parseKernelLayerArgs, parsePenalties, withPenalties, type KernelLayerArgs, type WeightPenalties } from './kernel-args.ts';
import type { InitializerName } from './initializers.ts';
import { baseArgs, channelsLast, kernelLayerArgs, kernelLayerJson, one } from './keras-config.ts';
import { registerClass, type KerasConfig } from './registry.ts';
import type { Slot } from '../runtime/plan.ts';
import type { KernelExports } from '../runtime/runtime.ts';
import { Layer, type BufferPlanner, type LayerArgs, type NodeIO, type StepContext, type StreamSpec, type WeightSpec } from './layer.ts';

/** Output lengths from which the kernel gradient is summed per sample group
 *  (conv1d_backward_kernel_groups): there the reduction over T dominates and the partials
 *  ([min(batch, 8), K*C, F] of scratch) cost little to add up. */
export const KERNEL_GROUPS_MIN_T = 32;
/** At most this many sample groups (assembly/kernels/conv1d.ts KERNEL_GROUPS; the kernel's
 *  conv1d_kernel_groups(B) = min(B, KERNEL_GROUPS), checked in test/kernels/buffers.test.ts). */
export const KERNEL_GROUPS = 8;

export type Conv1DPadding = 'valid' | 'same' | 'causal';

/** A layer folded into a Conv1D node for inference-mode forwards (batchnorm.ts): before each,
 *  prepare() writes the kernel w and bias b to use instead of the layer's, and the node writes y
 *  (the folded layer's output) instead of its own. Training forwards run both layers as they are. */
export interface ConvFold {
  w: Slot;
  b: Slot;
  y: Slot;
  prepare(k: KernelExports, kernel: number, bias: number): void;
}
const folds = new WeakMap<NodeIO, ConvFold>();

export interface Conv1DArgs extends LayerArgs, KernelLayerArgs {
  /** Number of output channels F. */
  filters: number;
  /** Window length K (a number or [K]). */
  kernelSize: number | [number];
  /** Step between windows S (default 1). */
  strides?: number | [number];
  /** 'valid' (no padding, default), 'same' (T = ceil(L/S)) or 'causal' ((K-1)*D zeros on the left). */
  padding?: Conv1DPadding;
  /** Spacing D between kernel taps (default 1). Unlike Keras, strides and dilationRate may both exceed 1. */
  dilationRate?: number | [number];
  /** Channel groups G (default 1): filter f sees only the C/G input channels of its group
   *  floor(f / (F/G)); G must divide the input channels and the filters (kernel [K, C/G, F]). */
  groups?: number;
  /** How the convolution is computed (default 'direct'): 'winograd' forces Winograd F(m, K) tiles
   *  (strides 1, dilationRate 1, groups 1, kernelSize 3, 5 or 7; docs/guides/winograd.md), 'auto'
   *  takes them per layer shape where the cost model expects them to pay. Results differ from
   *  'direct' by float32 rounding only. */
  algorithm?: ConvAlgorithm;
}

const KEYS = ['filters', 'kernelSize', 'strides', 'padding', 'dilationRate', 'groups', 'algorithm', ...KERNEL_LAYER_KEYS];

/** Output length and padding of a 1D window op (conv or pool) with effective window span W. */
export function windowGeometry(L: number, span: number, S: number, padding: Conv1DPadding): { T: number; padLeft: number; Lp: number } {
  let T: number;
  let padLeft = 0;
  if (padding === 'valid') {
    T = Math.floor((L - span) / S) + 1;
  } else if (padding === 'same') {
    T = Math.ceil(L / S);
    const total = Math.max((T - 1) * S + span - L, 0);
    padLeft = Math.floor(total / 2);
  } else {
    padLeft = span - 1;
    T = Math.floor((L - 1) / S) + 1;
  }
  // padded length: enough for the last window, never shorter than the input plus left padding
  const Lp = Math.max(L + padLeft, (T - 1) * S + span);
  return { T, padLeft, Lp };
}

export class Conv1D extends Layer {
  readonly className = 'Conv1D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: Conv1DPadding;
  readonly dilationRate: number;
  readonly groups: number;
  readonly algorithm: ConvAlgorithm;
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerName;
  readonly biasInitializer: InitializerName;
  readonly penalties: WeightPenalties;
  private act: FusedActivation;
  private grouped: GroupedConv | null;

  constructor(args: Conv1DArgs) {
    super(args, KEYS);
    const o = 'Conv1D';
    this.filters = positiveInt(o, 'filters', args.filters);
    this.kernelSize = positiveInt(o, 'kernelSize', args.kernelSize);
    this.strides = positiveInt(o, 'strides', args.strides, 1);
    this.padding = oneOf(o, 'padding', args.padding, ['valid', 'same', 'causal'] as const, 'valid');
    this.dilationRate = positiveInt(o, 'dilationRate', args.dilationRate, 1);
    ({ activation: this.activation, useBias: this.useBias, kernelInitializer: this.kernelInitializer, biasInitializer: this.biasInitializer } = parseKernelLayerArgs(o, args));
    this.penalties = parsePenalties(o, args);
    this.act = new FusedActivation(this.activation);
    this.groups = parseGroups(o, args.groups, this.filters);
    this.grouped = this.groups > 1 ? new GroupedConv(this.kernelSize, this.strides, this.dilationRate, this.groups) : null;
    this.algorithm = oneOf(o, 'algorithm', args.algorithm, CONV_ALGORITHMS, 'direct');
    const refusal = winogradRefusal(this.kernelSize, this.strides, this.dilationRate, this.groups);
    if (this.algorithm === 'winograd' && refusal) throw new ConfigError(`${o}: algorithm "winograd" cannot run ${refusal}; use algorithm "auto" (falls back to direct) or "direct"`);
  }

  computeOutputShape(inputShape: number[]): number[] {
    if (inputShape.length !== 2) this.fail(`expects input of shape [length, channels], got [${inputShape}]`);
    const [L, C] = inputShape;
    if (C % this.groups !== 0) this.fail(`groups ${this.groups} must divide the input channels, got ${C} channels; each group reads channels/groups of them`);
    const span = (this.kernelSize - 1) * this.dilationRate + 1;
    if (this.padding === 'valid' && L < span) {
      this.fail(`input length ${L} is shorter than the kernel span ${span} (kernelSize ${this.kernelSize}, dilationRate ${this.dilationRate}) with padding "valid"`);
    }
    return [this.geometry(L).T, this.filters];
  }

  private geometry(L: number): { T: number; padLeft: number; Lp: number } {
    return windowGeometry(L, (this.kernelSize - 1) * this.dilationRate + 1, this.strides, this.padding);
  }

  protected override weightSpecs(): WeightSpec[] {
    const C = this.inputShape[1];
    const specs: WeightSpec[] = [{ name: 'kernel', shape: [this.kernelSize, C / this.groups, this.filters], initializer: this.kernelInitializer, trainable: true }];
    if (this.useBias) specs.push({ name: 'bias', shape: [this.filters], initializer: this.biasInitializer, trainable: true });
    return withPenalties(this.label, specs, this.penalties);
  }

  override plan(p: BufferPlanner, io: NodeIO): void {
    this.act.plan(p, io);
    const [L, C] = io.inShapes[0];
    const { T, padLeft, Lp } = this.geometry(L);
    const padded = padLeft > 0 || Lp !== L;
    const dx = io.dxs[0];
    io.s.xp = padded ? p.act(p.capacity * Lp * C) : io.xs[0];
    const m = winogradRefusal(this.kernelSize, this.strides, this.dilationRate, this.groups) ? 0 : chooseTile(this.algorithm, p.capacity, T, C, this.filters, this.kernelSize, p.training);
    planWinograd(p, io, m, this.kernelSize, T, C, this.filters, !!dx && p.training);
    if (!p.training) return;
    if (dx) io.s.dxp = padded ? p.grad(p.capacity * Lp * C) : dx;
    if (dx && !m) io.s.wt = p.scratch(this.kernelSize * C * this.filters);
    if (!m && !this.grouped && T >= KERNEL_GROUPS_MIN_T) io.s.dwGroups = p.scratch(Math.min(p.capacity, KERNEL_GROUPS) * this.kernelSize * C * this.filters);
  }

  /** "causal": the stream starts with (K-1)*D zeros, output t once input t*S arrived; "valid":
   *  output t once input t*S + (K-1)*D arrived; "same" is refused (it looks ahead). */
  override streamSpec(): StreamSpec {
    const span = (this.kernelSize - 1) * this.dilationRate + 1;
    if (this.padding === 'same') this.fail(`cannot stream (model.stream()): padding "same" centres the kernel, so each output needs up to ${span - 1 - Math.floor((span - 1) / 2)} future steps; use padding "causal" (or "valid")`);
    return { window: span, stride: this.strides, pad: this.padding === 'causal' ? span - 1 : 0 };
  }

  /** The window holds the real past (or the spec's zeros): a "valid" convolution of it. */
  override streamForward({ k }: StepContext, io: NodeIO): void {
    const [W, C] = io.inShapes[0];
    const T = io.outShape[0];
    if (this.grouped) this.grouped.forward(k, io.xs[0].ptr, this.ptrOf('kernel'), this.ptrOf('bias'), io.s.z.ptr, 1, W, C, T, this.filters);
    else k.conv1d_forward(io.xs[0].ptr, this.ptrOf('kernel'), this.ptrOf('bias'), io.s.z.ptr, 1, W, C, T, this.filters, this.kernelSize, this.strides, this.dilationRate);
    this.act.forward(k, io, T, this.filters);
  }

  /** Inference-mode forwards: `fold` replaces this node's kernel, bias and output (linear layers only). */
  setFold(io: NodeIO, fold: ConvFold): boolean {
    // the fold's kernel is [K * C, F]; a grouped kernel is [K * C/groups, F]
    if (!this.activation.isLinear || this.grouped) return false;
    folds.set(io, fold);
    return true;
  }

  forward({ rt, k, batch, training }: StepContext, io: NodeIO): void {
    const [L, C] = io.inShapes[0];
    const { T, padLeft, Lp } = this.geometry(L);
    if (io.s.xp !== io.xs[0]) k.conv1d_pad(io.xs[0].ptr, io.s.xp.ptr, batch, L, C, Lp, padLeft);
    const fold = training ? undefined : folds.get(io);
    fold?.prepare(k, this.ptrOf('kernel'), this.ptrOf('bias'));
    const [w, bias, z] = fold ? [fold.w.ptr, fold.b.ptr, fold.y.ptr] : [this.ptrOf('kernel'), this.ptrOf('bias'), io.s.z.ptr];
    const wg = winogradOf(io);
    if (wg) wg.forward(rt, k, io.s.xp.ptr, w, bias, z, batch, Lp, C, T, this.filters);
    else if (this.grouped) this.grouped.forward(k, io.s.xp.ptr, w, bias, z, batch, Lp, C, T, this.filters);
    else k.conv1d_forward(io.s.xp.ptr, w, bias, z, batch, Lp, C, T, this.filters, this.kernelSize, this.strides, this.dilationRate);
    this.act.forward(k, io, batch * T, this.filters);
  }

  backward({ rt, k, batch }: StepContext, io: NodeIO, logitsGradGiven: boolean): void {
    const [L, C] = io.inShapes[0];
    const { T, padLeft, Lp } = this.geometry(L);
    const F = this.filters;
    const K = this.kernelSize;
    this.act.backward(k, io, batch * T, F, logitsGradGiven);
    const dz = io.s.dz.ptr;
    const db = this.gradOf('bias');
    if (db) k.bias_backward(dz, db, batch * T, F);
    const dw = this.gradOf('kernel');
    const wg = winogradOf(io);
    if (dw && wg) wg.backwardKernel(k, io.s.xp.ptr, dz, dw, batch, Lp, C, T, F);
    else if (dw && this.grouped) this.grouped.backwardKernel(k, io.s.xp.ptr, dz, dw, batch, Lp, C, T, F);
    else if (dw && io.s.dwGroups && batch > 1) {
      // long signals: per sample group partials, added in group order (threads take whole groups)
      const G = Math.min(batch, KERNEL_GROUPS);
      k.conv1d_backward_kernel_groups(io.s.xp.ptr, dz, io.s.dwGroups.ptr, batch, Lp, C, T, F, K, this.strides, this.dilationRate, 0, G);
      k.accumulate_partials_f32(io.s.dwGroups.ptr, G, K * C * F, K * C * F, dw);
    } else if (dw) k.conv1d_backward_kernel(io.s.xp.ptr, dz, dw, batch, Lp, C, T, F, K, this.strides, this.dilationRate);
    const dx = io.dxs[0];
    if (dx) {
      if (wg) wg.backwardInput(rt, k, dz, this.ptrOf('kernel'), io.s.dxp.ptr, batch, Lp, C, T, F);
      else if (this.grouped) this.grouped.backwardInput(k, dz, this.ptrOf('kernel'), io.s.wt.ptr, io.s.dxp.ptr, batch, Lp, C, T, F);
      else {
        k.transpose_f32(K * C, F, this.ptrOf('kernel'), io.s.wt.ptr);
        k.conv1d_backward_input(dz, io.s.wt.ptr, io.s.dxp.ptr, batch, Lp, C, T, F, K, this.strides, this.dilationRate);
      }
      if (io.s.dxp !== dx) k.conv1d_unpad_add(io.s.dxp.ptr, dx.ptr, batch, L, C, Lp, padLeft);
    }
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
      data_format: 'channels_last',
      dilation_rate: [this.dilationRate],
      groups: this.groups,
      ...(this.algorithm === 'direct' ? {} : { algorithm: this.algorithm }),
      ...kernelLayerJson(this),
    };
  }

  static fromConfig(config: KerasConfig): Conv1D {
    channelsLast(config);
    return new Conv1D({
      ...baseArgs(config),
      filters: config.filters as number,
      kernelSize: one(config.kernel_size) as number,
      strides: one(config.strides ?? 1) as number,
      padding: config.padding as Conv1DPadding,
      dilationRate: one(config.dilation_rate ?? 1) as number,
      groups: (config.groups ?? 1) as number,
      ...(config.algorithm === undefined ? {} : { algorithm: config.algorithm as ConvAlgorithm }),
      ...kernelLayerArgs(config),
    });
  }
}
registerClass('Conv1D', Conv1D);
