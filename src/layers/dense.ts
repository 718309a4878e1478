// Dense: y = activation(x @ kernel + bias) over the last axis.
//   x [B, ..., I]   kernel [I, U]   bias [U]   y [B, ..., U]
// Leading axes other than the batch are folded into the rows (Keras applies Dense to the last axis).

import { positiveInt } from './args.ts';
import { FusedActivation, type ActivationFn } from './activation-fn.ts';
import { KERNEL_LAYER_KEYS, parseKernelLayerArgs, parsePenalties, withPenalties, type KernelLayerArgs, type WeightPenalties } from './kernel-args.ts';
import type { InitializerName } from './initializers.ts';
import { baseArgs, kernelLayerArgs, kernelLayerJson } from './keras-config.ts';
import { registerClass, type KerasConfig } from './registry.ts';
import { Layer, lastAxis, rowsOf, type BufferPlanner, type LayerArgs, type NodeIO, type StepContext, type StreamSpec, type WeightSpec } from './layer.ts';

export interface DenseArgs extends LayerArgs, KernelLayerArgs {
  /** Number of output units U. */
  units: number;
}

const KEYS = ['units', ...KERNEL_LAYER_KEYS];

export class Dense extends Layer {
  override readonly fixedLength = true; // a [null, C] model refuses it on a varying length (engine/lengths.ts)
  readonly className = 'Dense';
  readonly units: number;
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerName;
  readonly biasInitializer: InitializerName;
  readonly penalties: WeightPenalties;
  private act: FusedActivation;

  constructor(args: DenseArgs) {
    super(args, KEYS);
    const o = 'Dense';
    this.units = positiveInt(o, 'units', args.units);
    ({ activation: this.activation, useBias: this.useBias, kernelInitializer: this.kernelInitializer, biasInitializer: this.biasInitializer } = parseKernelLayerArgs(o, args));
    this.penalties = parsePenalties(o, args);
    this.act = new FusedActivation(this.activation);
  }

  computeOutputShape(inputShape: number[]): number[] {
    return [...inputShape.slice(0, -1), this.units];
  }


  protected override weightSpecs(): WeightSpec[] {
    const specs: WeightSpec[] = [{ name: 'kernel', shape: [lastAxis(this.inputShape), this.units], initializer: this.kernelInitializer, trainable: true }];
    if (this.useBias) specs.push({ name: 'bias', shape: [this.units], initializer: this.biasInitializer, trainable: true });
    return withPenalties(this.label, specs, this.penalties);
  }

  override plan(p: BufferPlanner, io: NodeIO): void {
    this.act.plan(p, io);
    if (p.training && io.dxs[0]) io.s.wt = p.scratch(lastAxis(io.inShapes[0]) * this.units);
  }

  override streamSpec(): StreamSpec {
    return this.perStep();
  }

  forward({ k, batch }: StepContext, io: NodeIO): void {
    const R = rowsOf(io.inShapes[0], batch); // GEMM rows: one per sample, or per step of [L, C]
    k.dense_forward(io.xs[0].ptr, this.ptrOf('kernel'), this.ptrOf('bias'), io.s.z.ptr, R, lastAxis(io.inShapes[0]), this.units);
    this.act.forward(k, io, R, this.units);
  }

  backward({ k, batch }: StepContext, io: NodeIO, logitsGradGiven: boolean): void {
    const R = rowsOf(io.inShapes[0], batch);
    const I = lastAxis(io.inShapes[0]);
    const U = this.units;
    this.act.backward(k, io, R, U, logitsGradGiven);
    const dz = io.s.dz.ptr;
    const db = this.gradOf('bias');
    if (db) k.bias_backward(dz, db, R, U);
    const dw = this.gradOf('kernel');
    if (dw) k.dense_backward_kernel(io.xs[0].ptr, dz, dw, R, I, U);
    const dx = io.dxs[0];
    if (dx) {
      k.transpose_f32(I, U, this.ptrOf('kernel'), io.s.wt.ptr);
      k.dense_backward_input(dz, io.s.wt.ptr, dx.ptr, R, I, U);
    }
  }

  override softmaxLogitsGrad(io: NodeIO) {
    return this.act.softmaxLogitsGrad(io);
  }

  override getConfig(): KerasConfig {
    return { ...super.getConfig(), units: this.units, ...kernelLayerJson(this) };
  }

  static fromConfig(config: KerasConfig): Dense {
    return new Dense({ ...baseArgs(config), units: config.units as number, ...kernelLayerArgs(config) });
  }
}
registerClass('Dense', Dense);
