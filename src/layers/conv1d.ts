// Conv1D: cross-correlation over the length axis, channels last (eq. 1 of the Cacciari & Ranfagni
// tutorial; Keras padding rules in shared/golden/README.md).
//   x [B, L, C]  ->  z = bias + xcorr(x, kernel)  [B, T, F]  ->  y = activation(z)
//   kernel [K, C, F]   bias [F]
// Padding is materialised once per step into xp [B, Lp, C] (kept for the kernel gradient), so the
// kernels see only "valid" windows; dxp is its gradient, folded back into dx.

import type { Slot, WorkPlan } from '../runtime/plan.ts';
import { oneOf, positiveInt } from './args.ts';
import { FusedActivation, type ActivationFn } from './activation-fn.ts';
import { KERNEL_LAYER_KEYS, parseKernelLayerArgs, type KernelLayerArgs } from './kernel-args.ts';
import type { InitializerName } from './initializers.ts';
import { Layer, type LayerArgs, type StepContext, type WeightSpec } from './layer.ts';

export type Conv1DPadding = 'valid' | 'same' | 'causal';

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
}

const KEYS = ['filters', 'kernelSize', 'strides', 'padding', 'dilationRate', ...KERNEL_LAYER_KEYS];

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
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerName;
  readonly biasInitializer: InitializerName;
  private geo = { T: 0, padLeft: 0, Lp: 0 };
  private act: FusedActivation;
  private xp!: Slot;
  private dxp: Slot | null = null;
  private wt: Slot | null = null;

  constructor(args: Conv1DArgs) {
    super(args, KEYS);
    const o = 'Conv1D';
    this.filters = positiveInt(o, 'filters', args.filters);
    this.kernelSize = positiveInt(o, 'kernelSize', args.kernelSize);
    this.strides = positiveInt(o, 'strides', args.strides, 1);
    this.padding = oneOf(o, 'padding', args.padding, ['valid', 'same', 'causal'] as const, 'valid');
    this.dilationRate = positiveInt(o, 'dilationRate', args.dilationRate, 1);
    ({ activation: this.activation, useBias: this.useBias, kernelInitializer: this.kernelInitializer, biasInitializer: this.biasInitializer } = parseKernelLayerArgs(o, args));
    this.act = new FusedActivation(this.activation);
  }

  computeOutputShape(inputShape: number[]): number[] {
    if (inputShape.length !== 2) this.fail(`expects input of shape [length, channels], got [${inputShape}]`);
    const [L] = inputShape;
    const span = (this.kernelSize - 1) * this.dilationRate + 1;
    if (this.padding === 'valid' && L < span) {
      this.fail(`input length ${L} is shorter than the kernel span ${span} (kernelSize ${this.kernelSize}, dilationRate ${this.dilationRate}) with padding "valid"`);
    }
    this.geo = windowGeometry(L, span, this.strides, this.padding);
    return [this.geo.T, this.filters];
  }

  protected override weightSpecs(): WeightSpec[] {
    const C = this.inputShape[1];
    const specs: WeightSpec[] = [{ name: 'kernel', shape: [this.kernelSize, C, this.filters], initializer: this.kernelInitializer, trainable: true }];
    if (this.useBias) specs.push({ name: 'bias', shape: [this.filters], initializer: this.biasInitializer, trainable: true });
    return specs;
  }

  private get padded(): boolean {
    return this.geo.padLeft > 0 || this.geo.Lp !== this.inputShape[0];
  }

  override plan(plan: WorkPlan, x: Slot, dx: Slot | null): void {
    super.plan(plan, x, dx);
    this.act.plan(plan, this.y, this.dy);
    const C = this.inputShape[1];
    const padded = plan.batchCapacity * this.geo.Lp * C;
    this.xp = this.padded ? plan.act(padded) : x;
    this.dxp = dx && this.padded ? plan.grad(padded) : dx;
    this.wt = dx ? plan.scratch(this.kernelSize * C * this.filters) : null;
  }

  forward({ k, batch }: StepContext): void {
    const [L, C] = this.inputShape;
    const { T, padLeft, Lp } = this.geo;
    if (this.padded) k.conv1d_pad(this.x.ptr, this.xp.ptr, batch, L, C, Lp, padLeft);
    k.conv1d_forward(this.xp.ptr, this.ptrOf('kernel'), this.ptrOf('bias'), this.act.z.ptr, batch, Lp, C, T, this.filters, this.kernelSize, this.strides, this.dilationRate);
    this.act.forward(k, this.y, batch * T, this.filters);
  }

  backward({ k, batch }: StepContext, logitsGradGiven = false): void {
    const [L, C] = this.inputShape;
    const { T, padLeft, Lp } = this.geo;
    const F = this.filters;
    const K = this.kernelSize;
    this.act.backward(k, this.y, this.dy, batch * T, F, logitsGradGiven);
    const dz = this.act.dz.ptr;
    const db = this.gradOf('bias');
    if (db) k.bias_backward(dz, db, batch * T, F);
    const dw = this.gradOf('kernel');
    if (dw) k.conv1d_backward_kernel(this.xp.ptr, dz, dw, batch, Lp, C, T, F, K, this.strides, this.dilationRate);
    if (this.dx && this.dxp && this.wt) {
      k.transpose_f32(K * C, F, this.ptrOf('kernel'), this.wt.ptr);
      k.conv1d_backward_input(dz, this.wt.ptr, this.dxp.ptr, batch, Lp, C, T, F, K, this.strides, this.dilationRate);
      if (this.padded) k.conv1d_unpad_add(this.dxp.ptr, this.dx.ptr, batch, L, C, Lp, padLeft);
    }
  }

  override softmaxLogitsGrad(): Slot | null {
    return this.act.softmaxLogitsGrad();
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: [this.kernelSize],
      strides: [this.strides],
      padding: this.padding,
      dilationRate: [this.dilationRate],
      activation: this.activation.name,
      useBias: this.useBias,
      kernelInitializer: this.kernelInitializer,
      biasInitializer: this.biasInitializer,
    };
  }
}
