// The layer contract. A layer is built once for an input shape (without batch), which validates
// its configuration against that shape and declares its weights; then, for a batch capacity, it
// plans its buffers in a WorkPlan; forward/backward then only call kernels on planned addresses.
//
// Buffers of a layer (per sample sizes times the batch capacity):
//   x  input activation (the previous layer's y)      dx  its gradient, null when not needed
//   y  output activation                              dy  its gradient (accumulated into)

import type { KernelExports, Runtime } from '../runtime/runtime.ts';
import type { Random } from '../runtime/random.ts';
import { Slot, type WorkPlan } from '../runtime/plan.ts';
import { ConfigError, checkKeys, showValue } from './args.ts';
import type { InitializerName } from './initializers.ts';

export interface LayerArgs {
  /** Name of the layer, unique in its model (default: class name with a counter, e.g. "conv1d_1"). */
  name?: string;
  /** Shape of one input sample, without the batch dimension; only needed on the first layer. */
  inputShape?: number[];
  /** Alias of inputShape with the batch dimension first (null or a number), as in Keras. */
  batchInputShape?: (number | null)[];
  /** Whether the weights are updated by training (default true). */
  trainable?: boolean;
}
export const BASE_ARG_KEYS = ['name', 'inputShape', 'batchInputShape', 'trainable'] as const;

export interface WeightSpec {
  /** Keras weight name inside the layer: "kernel", "bias", "gamma", "moving_mean", ... */
  name: string;
  shape: number[];
  initializer: InitializerName;
  trainable: boolean;
}

/** A weight of a built model: its place in the parameter (or state) region and in the gradients. */
export class Weight {
  ptr = 0;
  gradPtr = 0;
  readonly size: number;
  constructor(
    readonly layer: Layer,
    readonly spec: WeightSpec,
  ) {
    this.size = spec.shape.reduce((a, b) => a * b, 1);
  }
  get name(): string {
    return `${this.layer.name}/${this.spec.name}`;
  }
  get shape(): number[] {
    return this.spec.shape;
  }
  get trainable(): boolean {
    return this.spec.trainable && this.layer.trainable;
  }
}

/** What forward/backward get to see of a step. */
export interface StepContext {
  rt: Runtime;
  k: KernelExports;
  /** Samples in this step (<= the planned batch capacity). */
  batch: number;
  training: boolean;
  rng: Random;
}

export const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

export abstract class Layer {
  /** Keras class name, e.g. "Conv1D" (used by summary() and save/load). */
  abstract readonly className: string;
  name: string;
  trainable: boolean;
  /** Declared input shape (first layer of a Sequential), without batch. */
  readonly declaredInputShape?: number[];
  inputShape: number[] = [];
  outputShape: number[] = [];
  weights: Weight[] = [];
  built = false;

  protected x!: Slot;
  protected dx: Slot | null = null;
  y!: Slot;
  dy!: Slot;

  constructor(args: LayerArgs, allowedKeys: readonly string[]) {
    const owner = `${this.constructor.name}`;
    checkKeys(owner, args, [...BASE_ARG_KEYS, ...allowedKeys]);
    if (args.name !== undefined && (typeof args.name !== 'string' || !/^[A-Za-z0-9_.\-]+$/.test(args.name))) {
      throw new ConfigError(`${owner}: name must be a non-empty string of letters, digits, "_", ".", "-", got ${showValue(args.name)}`);
    }
    this.name = args.name ?? '';
    this.trainable = args.trainable ?? true;
    const shape = args.inputShape ?? (args.batchInputShape ? args.batchInputShape.slice(1) : undefined);
    if (shape !== undefined) {
      if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && (d as number) > 0)) {
        throw new ConfigError(`${owner}: inputShape must be an array of positive integers without the batch dimension, e.g. [length, channels]; got ${showValue(shape)}`);
      }
      this.declaredInputShape = shape as number[];
    }
  }

  /** "conv1d 'conv1d_1'" for messages. */
  get label(): string {
    return `${this.className} layer "${this.name}"`;
  }

  protected fail(message: string): never {
    throw new ConfigError(`${this.label}: ${message}`);
  }

  /** Validates the input shape, computes the output shape and declares the weights. */
  build(inputShape: number[]): void {
    this.inputShape = inputShape.slice();
    this.outputShape = this.computeOutputShape(inputShape);
    this.weights = this.weightSpecs().map((s) => new Weight(this, s));
    this.built = true;
  }

  /** Output shape for an input shape (both without batch); throws a ConfigError if it does not fit. */
  abstract computeOutputShape(inputShape: number[]): number[];

  protected weightSpecs(): WeightSpec[] {
    return [];
  }

  /** Requests this layer's buffers for `plan.batchCapacity` samples. Default: a fresh y and dy. */
  plan(plan: WorkPlan, x: Slot, dx: Slot | null): void {
    this.x = x;
    this.dx = dx;
    const n = plan.batchCapacity * size(this.outputShape);
    this.y = plan.act(n);
    this.dy = plan.grad(n);
  }

  abstract forward(ctx: StepContext): void;
  abstract backward(ctx: StepContext): void;

  /** Slot of the gradient w.r.t. the input of a final softmax, when this layer ends in one:
   *  the loss may then write P - y there directly and call backward(ctx, true). */
  softmaxLogitsGrad(): Slot | null {
    return null;
  }

  /** Serializable configuration (Keras/TF.js names). */
  getConfig(): Record<string, unknown> {
    return { name: this.name, trainable: this.trainable };
  }

  protected weight(name: string): Weight {
    const w = this.weights.find((v) => v.spec.name === name);
    if (!w) throw new Error(`${this.label}: no weight ${name}`);
    return w;
  }

  /** Address of a weight or 0 when the layer does not have it (e.g. no bias). */
  protected ptrOf(name: string): number {
    return this.weights.find((v) => v.spec.name === name)?.ptr ?? 0;
  }

  protected gradOf(name: string): number {
    const w = this.weights.find((v) => v.spec.name === name);
    return w && w.trainable ? w.gradPtr : 0;
  }
}
