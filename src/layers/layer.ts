// The layer contract. A layer is a computation with weights; where its activations live is not its
// business. layer.apply(x) adds a Node to the symbolic graph (engine/symbolic.ts), building the
// layer (shape checks, weight declarations) on its first application. When a model plans its
// memory (engine/planner.ts), every node gets a NodeIO: the buffers of its inputs and output,
// their gradients, and the layer's own per-node buffers that plan(p, io) requests. forward and
// backward then only call kernels on those addresses. One layer applied at several nodes shares
// its weights; backward kernels accumulate, so gradients of shared weights and of values read by
// several nodes add up.
//
// Buffers of a node (per-sample sizes times the batch capacity):
//   xs   input activations                dxs  their gradients (accumulated into), null if unneeded
//   y    output activation                dy   its gradient (NO_SLOT when the plan has no backward)
//   s    the layer's own buffers of this node (pre-activation, padded input, indices, masks)

import type { KernelExports, Runtime } from '../runtime/runtime.ts';
import type { Random } from '../runtime/random.ts';
import { Slot } from '../runtime/plan.ts';
import { Node, SymbolicTensor } from '../engine/symbolic.ts';
import { ConfigError, checkKeys, showValue } from './args.ts';
import type { InitializerName } from './initializers.ts';
import type { Regularizer } from './regularizers.ts';
import type { Constraint } from './constraints.ts';

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
  /** Penalty added to the loss (layers/penalties.ts). */
  regularizer?: Regularizer | null;
  /** Projection after every optimizer step (layers/penalties.ts). */
  constraint?: Constraint | null;
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

/** The last axis (channels) of a shape. */
export const lastAxis = (shape: readonly number[]): number => shape[shape.length - 1];

/** Rows of `batch` samples of `shape` over its last axis: batch * size(shape) / last axis. */
export const rowsOf = (shape: readonly number[], batch: number): number => (batch * size(shape)) / lastAxis(shape);

/** [rows, channels] of `batch` samples of a node's first input, from the plan's shapes: the 2-D view
 *  that row-wise kernels (activations, softmax) take. */
export const rowsCols = (io: NodeIO, batch: number): [number, number] => [rowsOf(io.inShapes[0], batch), lastAxis(io.inShapes[0])];

/** How layers ask for their per-node buffers (engine/planner.ts implements it). */
export interface BufferPlanner {
  /** Samples the buffers hold. */
  readonly capacity: number;
  /** Whether backward runs on this plan; at inference a layer plans no gradient or backward scratch. */
  readonly training: boolean;
  /** Written by forward and read by backward (pre-activations, padded inputs, indices, masks);
   *  at inference a temporary of this node's forward, whose memory other nodes reuse. */
  act(floats: number): Slot;
  /** A gradient, zeroed before every backward. Training only. */
  grad(floats: number): Slot;
  /** Scratch used within one backward call. Training only. */
  scratch(floats: number): Slot;
  /** Filled with `value` (default 0) when allocated, never reused or written: constants. */
  constant(floats: number, value?: number): Slot;
  /** Training: declares a gradient (a node's dy) that nothing will write or read, so the step
   *  does not zero it (a batch norm's output gradient once a ReLU runs inside it). */
  unusedGrad(slot: Slot): void;
}

/** The buffers of one node; see the header. */
export interface NodeIO {
  /** Per-sample shapes (no batch) of the inputs and the output. */
  inShapes: number[][];
  outShape: number[];
  xs: Slot[];
  dxs: (Slot | null)[];
  y: Slot;
  dy: Slot;
  s: Record<string, Slot>;
}

/** How a layer reads its input stream in a stream session (models/stream.ts): output step t covers
 *  input steps [t*stride, t*stride + window) of the stream preceded by `pad` zeros, and is
 *  computed once the last of them has arrived. Per-step layers are {window: 1, stride: 1, pad: 0}. */
export interface StreamSpec {
  window: number;
  stride: number;
  pad: number;
}
export const PER_STEP: StreamSpec = { window: 1, stride: 1, pad: 0 };

/** The gradient of a value that has none in this plan (inference). */
export const NO_SLOT = new Slot('grad', 0, 0);

export abstract class Layer {
  /** Keras class name, e.g. "Conv1D" (used by summary() and save/load). */
  abstract readonly className: string;
  name: string;
  trainable: boolean;
  /** Declared input shape (first layer of a Sequential), without batch. */
  declaredInputShape?: number[];
  /** Input shapes of the first application (every application must match), without batch. */
  inputShapes: number[][] = [];
  outputShape: number[] = [];
  weights: Weight[] = [];
  built = false;
  /** The nodes created by apply(), in order (tfjs inboundNodes). */
  readonly inboundNodes: Node[] = [];
  /** The memory (ModelMemory) of the model that holds the weights, never the model itself: a kept
   *  layer must not keep its model from being collected. A layer belongs to one model at a time. */
  owner: { readonly name: string } | null = null;
  /** A view's output is its input's buffer, reinterpreted (Flatten): no kernel, no copy. */
  readonly isView: boolean = false;
  /** The layer needs a fixed input length: a model whose inputs are declared [null, C] refuses it
   *  on a value whose length varies (its output size, or its per-row reading, would change). */
  readonly fixedLength: boolean = false;
  /** How many inputs apply() accepts: [min, max]. */
  protected readonly arity: readonly [number, number] = [1, 1];

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

  /** 'Conv1D layer "conv1d_1"' for messages. */
  get label(): string {
    return this.name ? `${this.className} layer "${this.name}"` : `${this.className} layer`;
  }

  /** Shape of the (first) input, without batch. */
  get inputShape(): number[] {
    return this.inputShapes[0] ?? [];
  }

  protected fail(message: string): never {
    throw new ConfigError(`${this.label}: ${message}`);
  }

  /** Applies the layer to symbolic inputs: one value, or an array for merge layers. Builds the
   *  layer on its first application; later applications share its weights. */
  apply(inputs: SymbolicTensor | SymbolicTensor[]): SymbolicTensor {
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    xs.forEach((x, i) => {
      if (!(x instanceof SymbolicTensor)) this.fail(`apply: input ${i} must be a symbolic tensor (from input({shape}) or another layer's apply), got ${showValue(x)}`);
    });
    const [lo, hi] = this.arity;
    if (xs.length < lo || xs.length > hi) {
      const want = lo === hi ? `${lo}` : hi === Infinity ? `at least ${lo}` : `${lo} to ${hi}`;
      this.fail(`apply: expects ${want} input${hi === 1 ? '' : 's'}, got ${xs.length} (${xs.map((x) => `[${x.shape.join(', ')}]`).join(', ')})`);
    }
    const shapes = xs.map((x) => x.shape);
    if (!this.built) {
      try {
        this.build(shapes);
      } catch (e) {
        if (!(e instanceof ConfigError) || xs.length < 2) throw e;
        throw new ConfigError(`${e.message} (inputs: ${xs.map((x) => x.label).join(', ')})`);
      }
    } else if (shapes.length !== this.inputShapes.length || shapes.some((s, i) => s.join() !== this.inputShapes[i].join())) {
      this.fail(`a shared layer must get the same input shapes at every application: built for ${this.inputShapes.map((s) => `[${s.join(', ')}]`).join(', ')}, now applied to ${xs.map((x) => x.label).join(', ')}`);
    }
    const node = new Node(this, xs, this.outputShape);
    this.inboundNodes.push(node);
    return node.output;
  }

  /** Validates the input shape (or shapes, for merges), computes the output shape and declares
   *  the weights. apply() calls it on the first application. */
  build(inputShape: number[] | number[][]): void {
    const inputShapes = (inputShape.length > 0 && typeof inputShape[0] === 'number' ? [inputShape] : inputShape) as number[][];
    this.inputShapes = inputShapes.map((s) => s.slice());
    this.outputShape = this.computeOutputShapes(this.inputShapes);
    this.weights = this.weightSpecs().map((s) => new Weight(this, s));
    this.built = true;
  }

  /** Output shape for the input shapes; single-input layers implement computeOutputShape. */
  computeOutputShapes(inputShapes: number[][]): number[] {
    return this.computeOutputShape(inputShapes[0]);
  }

  /** Output shape for an input shape (both without batch); throws a ConfigError if it does not fit. */
  abstract computeOutputShape(inputShape: number[]): number[];

  protected weightSpecs(): WeightSpec[] {
    return [];
  }

  /** Requests this node's own buffers (into io.s); y, dy, xs, dxs are planned by the engine. */
  plan(_p: BufferPlanner, _io: NodeIO): void {}

  /** Planning hook, after plan(): this node may fold into `producer`, the node making its only
   *  input, which nothing else reads (a batch norm into a linear Conv1D for inference, a ReLU
   *  into a batch norm for training). `p` plans buffers living from the producer's step on.
   *  Returns whether it folded (the producer then writes this node's output). */
  foldInto(_producer: Layer, _p: BufferPlanner, _producerIO: NodeIO, _io: NodeIO): boolean {
    return false;
  }

  abstract forward(ctx: StepContext, io: NodeIO): void;
  /** Accumulates into io.dxs and the weight gradients. With logitsGradGiven the loss already
   *  wrote the gradient w.r.t. the input of a final softmax (softmaxLogitsGrad). */
  abstract backward(ctx: StepContext, io: NodeIO, logitsGradGiven: boolean): void;

  /** How model.stream() feeds this layer (see StreamSpec). The default refuses: a layer that needs
   *  the whole signal, or the future of a step, cannot stream. Called once, when a session opens. */
  streamSpec(): StreamSpec {
    this.fail(`cannot stream (model.stream()): ${this.className} needs the whole signal or is not supported; streams take causal or "valid" Conv1D, "valid" pooling, per-step layers (activation, batch norm, dense and PReLU per step, dropout) and merges on the channels`);
  }

  /** PER_STEP, for a layer applied to every step of [L, C] sequences alone; refuses other inputs. */
  protected perStep(): StreamSpec {
    if (this.inputShapes.some((s) => s.length !== 2)) this.fail(`cannot stream (model.stream()): its inputs must be sequences [length, channels], got ${this.inputShapes.map((s) => `[${s.join(', ')}]`).join(', ')}`);
    return PER_STEP;
  }

  /** Inference on a window of the input stream: io.inShapes [[W, C]] of past steps (no padding
   *  added; the spec's zeros are already in the window), io.outShape [T, F]. The default runs
   *  forward, right for per-step layers and "valid" windows; a padding layer overrides it. */
  streamForward(ctx: StepContext, io: NodeIO): void {
    this.forward(ctx, io);
  }

  /** The buffer of the gradient w.r.t. the input of a final softmax, when this node ends in one. */
  softmaxLogitsGrad(_io: NodeIO): Slot | null {
    return null;
  }

  /** The Keras config as TF.js writes it (snake_case keys); a subclass adds its own keys and
   *  provides a static fromConfig registered under its class name (registry.ts). */
  getConfig(): Record<string, unknown> {
    return { name: this.name, trainable: this.trainable, dtype: 'float32' };
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
