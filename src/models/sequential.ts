// Sequential: a stack of layers with one input and one output. Owns the memory of the model:
//   params  trainable weights, one contiguous block (so the optimizer is one kernel call)
//   state   non-trainable weights (batch-norm moving statistics)
//   work    activations, gradients and scratch for a batch capacity (re-planned only when a larger
//           batch arrives), with the gradient block [param grads | activation grads] zeroed by one
//           fill per step.

import { ConfigError, showValue } from '../layers/args.ts';
import { initialize } from '../layers/initializers.ts';
import { Layer, size, type StepContext, type Weight } from '../layers/layer.ts';
import { getLoss, type Loss, type LossIdentifier } from '../losses/index.ts';
import { getOptimizer, type Optimizer, type OptimizerIdentifier } from '../optimizers/index.ts';
import { WorkPlan, type Slot } from '../runtime/plan.ts';
import { Random } from '../runtime/random.ts';
import { runtime, type Runtime } from '../runtime/runtime.ts';
import { snakeCase, uniqueName } from './names.ts';
import { getMetric } from './metrics.ts';
import { evaluate, fit, predict, type EvaluateArgs, type FitArgs, type History, type Targets } from './fit.ts';
import type { TensorLike } from './inputs.ts';
import type { Tensor } from '../tensor.ts';
import type { Logs } from './callbacks.ts';
import { saveModel, type SaveOptions } from '../io/files.ts';

export interface SequentialArgs {
  /** Layers to add, in order. */
  layers?: Layer[];
  /** Model name. */
  name?: string;
  /** Seed of weight initialisation, shuffling and dropout (default: random). */
  seed?: number;
}

export interface CompileArgs {
  optimizer: OptimizerIdentifier;
  loss: LossIdentifier;
  metrics?: string[];
}

/** A weight as plain data: Keras name, shape and values. */
export interface NamedWeight {
  name: string;
  shape: number[];
  data: Float32Array;
}

export class Sequential {
  readonly layers: Layer[] = [];
  name: string;
  seed: number;
  optimizer: Optimizer | null = null;
  loss: Loss | null = null;
  metrics: string[] = [];
  /** Set by a callback to end fit() after the current epoch. */
  stopTraining = false;
  protected readonly rt: Runtime = runtime();
  protected rng: Random;
  private built = false;
  private paramsPtr = 0;
  private paramsFloats = 0;
  private statePtr = 0;
  private stateFloats = 0;
  private work: WorkPlan | null = null;
  private workHasInputGrad = false;
  private input!: Slot;
  private inputGrad: Slot | null = null;
  private target!: Slot;
  private paramGrads!: Slot;

  constructor(args: SequentialArgs = {}) {
    this.name = args.name ?? 'sequential';
    this.seed = args.seed ?? Math.floor(Math.random() * 2 ** 31);
    this.rng = new Random(this.seed);
    for (const layer of args.layers ?? []) this.add(layer);
  }

  add(layer: Layer): void {
    if (!(layer instanceof Layer)) throw new ConfigError(`Sequential.add: expected a layer (e.g. layers.conv1d({...})), got ${showValue(layer)}`);
    if (this.built) throw new ConfigError(`Sequential.add: the model "${this.name}" is already built; add layers before compile/build`);
    if (this.layers.length === 0 && !layer.declaredInputShape) {
      throw new ConfigError(`Sequential.add: the first layer (${layer.className}) needs inputShape, e.g. inputShape: [length, channels]`);
    }
    const taken = new Set(this.layers.map((l) => l.name));
    if (layer.name) {
      if (taken.has(layer.name)) throw new ConfigError(`Sequential.add: a layer named "${layer.name}" is already in the model`);
    } else layer.name = uniqueName(snakeCase(layer.className), taken);
    this.layers.push(layer);
  }

  get inputShape(): number[] {
    return this.layers[0]?.declaredInputShape ?? [];
  }

  get outputShape(): number[] {
    this.build();
    return this.layers[this.layers.length - 1].outputShape;
  }

  /** All weights in layer order (kernel, bias, ...). */
  get weights(): Weight[] {
    this.build();
    return this.layers.flatMap((l) => l.weights);
  }

  /** Builds every layer for the declared input shape, then allocates and initialises weights. */
  build(): void {
    if (this.built) return;
    if (this.layers.length === 0) throw new ConfigError(`Sequential "${this.name}": the model has no layers`);
    let shape = this.inputShape;
    for (const layer of this.layers) {
      layer.build(shape);
      shape = layer.outputShape;
    }
    const all = this.layers.flatMap((l) => l.weights);
    this.paramsFloats = all.filter((w) => w.trainable).reduce((n, w) => n + w.size, 0);
    this.stateFloats = all.filter((w) => !w.trainable).reduce((n, w) => n + w.size, 0);
    this.paramsPtr = this.rt.allocF32(this.paramsFloats);
    this.statePtr = this.rt.allocF32(this.stateFloats);
    let p = this.paramsPtr;
    let s = this.statePtr;
    for (const w of all) {
      if (w.trainable) {
        w.ptr = p;
        p += 4 * w.size;
      } else {
        w.ptr = s;
        s += 4 * w.size;
      }
      initialize(w.spec.initializer, this.rt.f32(w.ptr, w.size), w.shape, this.rng);
    }
    this.built = true;
  }

  /** Number of weights (trainable and not). */
  countParams(): number {
    this.build();
    return this.paramsFloats + this.stateFloats;
  }

  compile(args: CompileArgs): void {
    if (typeof args !== 'object' || args === null) throw new ConfigError(`compile: expected {optimizer, loss, metrics?}, got ${showValue(args)}`);
    const allowed = ['optimizer', 'loss', 'metrics'];
    for (const key of Object.keys(args)) if (!allowed.includes(key)) throw new ConfigError(`compile: unknown option "${key}"; allowed options are ${allowed.join(', ')}`);
    if (args.optimizer === undefined) throw new ConfigError('compile: optimizer is required, e.g. "adam"');
    if (args.loss === undefined) throw new ConfigError('compile: loss is required, e.g. "categoricalCrossentropy"');
    this.build();
    this.optimizer?.dispose();
    this.optimizer = getOptimizer(args.optimizer);
    this.loss = getLoss(args.loss);
    if (args.metrics !== undefined && !Array.isArray(args.metrics)) throw new ConfigError(`compile: metrics must be an array of names, e.g. ["accuracy"], got ${showValue(args.metrics)}`);
    for (const m of args.metrics ?? []) getMetric(m, this.loss);
    this.metrics = args.metrics ?? [];
  }

  /** Plans working memory for at least `batch` samples. */
  protected ensureWork(batch: number, withInputGrad = false): WorkPlan {
    this.build();
    if (this.work && this.work.batchCapacity >= batch && (this.workHasInputGrad || !withInputGrad)) return this.work;
    this.work?.dispose();
    const cap = Math.max(batch, this.work?.batchCapacity ?? 0);
    const plan = new WorkPlan(this.rt, cap);
    this.paramGrads = plan.grad(this.paramsFloats);
    this.input = plan.act(cap * size(this.inputShape));
    this.inputGrad = withInputGrad ? plan.grad(cap * size(this.inputShape)) : null;
    const out = this.layers[this.layers.length - 1].outputShape;
    this.target = plan.act(cap * size(out));
    let x = this.input;
    let dx = this.inputGrad;
    for (const layer of this.layers) {
      layer.plan(plan, x, dx);
      x = layer.y;
      dx = layer.dy;
    }
    plan.allocate();
    // every trainable weight's gradient sits at the same offset in paramGrads as in params
    for (const w of this.layers.flatMap((l) => l.weights)) if (w.trainable) w.gradPtr = this.paramGrads.ptr + (w.ptr - this.paramsPtr);
    this.work = plan;
    this.workHasInputGrad = withInputGrad;
    return plan;
  }

  protected context(batch: number, training: boolean): StepContext {
    return { rt: this.rt, k: this.rt.kernels, batch, training, rng: this.rng };
  }

  // ---- engine: used by fit/evaluate/predict, the golden runner and the gradient checks ----

  /** Plans memory for `batch` samples (and the input gradient, for tests and saliency). */
  prepare(batch: number, withInputGrad = false): void {
    this.ensureWork(batch, withInputGrad);
  }

  /** View of the input buffer for `batch` samples; valid until the next prepare(). */
  inputView(batch: number): Float32Array {
    return this.rt.f32(this.input.ptr, batch * size(this.inputShape));
  }

  /** View of the target buffer (`n` values); valid until the next prepare(). */
  targetView(n: number): Float32Array {
    return this.rt.f32(this.target.ptr, n);
  }

  /** View of the output of the last forward for `batch` samples. */
  outputView(batch: number): Float32Array {
    const last = this.layers[this.layers.length - 1];
    return this.rt.f32(last.y.ptr, batch * size(last.outputShape));
  }

  /** Runs every layer on the loaded inputs. */
  runForward(batch: number, training: boolean): void {
    const ctx = this.context(batch, training);
    for (const layer of this.layers) layer.forward(ctx);
  }

  /** Loss of the last forward against the loaded targets; with `backward`, also all gradients
   *  (zeroed first). Softmax + cross-entropy is fused: the logits gradient is P - y over rows. */
  runLoss(batch: number, backward: boolean): number {
    const loss = this.loss!;
    const last = this.layers[this.layers.length - 1];
    const outShape = last.outputShape;
    const C = outShape[outShape.length - 1];
    const rows = (batch * size(outShape)) / C;
    const k = this.rt.kernels;
    if (backward) this.work!.zeroGrads();
    const value = loss.compute(k, last.y.ptr, this.target.ptr, last.dy.ptr, rows, C);
    if (!backward) return value;
    const logitsGrad = loss.fusesWithSoftmax ? last.softmaxLogitsGrad() : null;
    if (logitsGrad) k.softmax_crossentropy_backward(last.y.ptr, this.target.ptr, logitsGrad.ptr, rows, C, loss.sparse ? 1 : 0);
    this.backwardLayers(batch, logitsGrad !== null);
    return value;
  }

  /** One optimizer step over the whole parameter block. */
  applyOptimizer(): void {
    this.optimizer!.step(this.rt, this.paramsPtr, this.paramGrads.ptr, this.paramsFloats);
  }

  /** Number of target values per sample for the compiled loss. */
  targetSize(): number {
    const out = this.outputShape;
    return this.loss?.sparse ? size(out) / out[out.length - 1] : size(out);
  }

  /** Copies a batch of inputs in and runs the layers. Returns a view of the output (valid until
   *  the next call that may allocate). */
  forwardBatch(x: Float32Array, batch: number, training: boolean, withInputGrad = false): Float32Array {
    const inSize = size(this.inputShape);
    if (x.length !== batch * inSize) throw new ConfigError(`${this.name}: expected ${batch} samples of shape [${this.inputShape}] (${batch * inSize} values), got ${x.length} values`);
    this.ensureWork(batch, withInputGrad);
    this.inputView(batch).set(x);
    this.runForward(batch, training);
    return this.outputView(batch);
  }

  /** Backward from an explicit output gradient (after forwardBatch(training=true)). Gradients of
   *  the weights are then readable with weightGradients(), of the input with inputGradient(). */
  backwardFromOutputGrad(dy: Float32Array, batch: number): void {
    const work = this.work;
    if (!work) throw new Error('backwardFromOutputGrad: call forwardBatch first');
    work.zeroGrads();
    const last = this.layers[this.layers.length - 1];
    this.rt.f32(last.dy.ptr, dy.length).set(dy);
    this.backwardLayers(batch);
  }

  private backwardLayers(batch: number, logitsGradGiven = false): void {
    const ctx = this.context(batch, true);
    for (let i = this.layers.length - 1; i >= 0; i--) {
      (this.layers[i].backward as (c: StepContext, given?: boolean) => void)(ctx, i === this.layers.length - 1 && logitsGradGiven);
    }
  }

  /** Loss, gradients and one optimizer step on one batch. x [batch, ...inputShape]; y [batch, ...outputShape]
   *  (or [batch] class indices for a sparse loss). Returns the batch-mean loss before the step. */
  trainOnBatch(x: Float32Array, y: Float32Array, batch: number): number {
    const value = this.computeLossAndGrads(x, y, batch);
    this.applyOptimizer();
    return value;
  }

  /** Forward in training mode, loss and backward; gradients stay in memory. */
  computeLossAndGrads(x: Float32Array, y: Float32Array, batch: number): number {
    const loss = this.loss;
    if (!loss || !this.optimizer) throw new ConfigError(`${this.name}: call compile({optimizer, loss}) before training`);
    this.forwardBatch(x, batch, true);
    const n = batch * this.targetSize();
    if (y.length !== n) {
      throw new ConfigError(`${this.name}: loss ${loss.name} expects ${n} target values for ${batch} samples of output [${this.outputShape}], got ${y.length}`);
    }
    this.targetView(n).set(y);
    return this.runLoss(batch, true);
  }

  /** Gradient w.r.t. the model input of the last backward (needs forwardBatch(..., withInputGrad)). */
  inputGradient(batch: number): Float32Array {
    if (!this.inputGrad) throw new Error('inputGradient: run forwardBatch with withInputGrad = true first');
    return this.rt.download(this.inputGrad.ptr, batch * size(this.inputShape));
  }

  /** Copies of the gradients of the trainable weights after the last backward. */
  weightGradients(): NamedWeight[] {
    return this.weights.filter((w) => w.trainable).map((w) => ({ name: w.name, shape: w.shape, data: this.rt.download(w.gradPtr, w.size) }));
  }

  /** Copies of all weights, in layer order. */
  getWeights(): NamedWeight[] {
    return this.weights.map((w) => ({ name: w.name, shape: w.shape, data: this.rt.download(w.ptr, w.size) }));
  }

  /** Sets all weights, in layer order (as getWeights returns them). */
  setWeights(values: ArrayLike<number>[]): void {
    const ws = this.weights;
    if (values.length !== ws.length) throw new ConfigError(`setWeights: the model has ${ws.length} weights, got ${values.length} arrays`);
    values.forEach((v, i) => {
      if (v.length !== ws[i].size) throw new ConfigError(`setWeights: weight ${ws[i].name} of shape [${ws[i].shape}] needs ${ws[i].size} values, got ${v.length}`);
    });
    values.forEach((v, i) => this.rt.f32(ws[i].ptr, ws[i].size).set(v));
  }

  /** Trains the model (Keras/TF.js fit); resolves to the per-epoch history. */
  fit(x: TensorLike, y: Targets, args?: FitArgs): Promise<History> {
    return fit(this, x, y, args);
  }

  /** Loss and metrics on (x, y) as plain numbers, e.g. {loss: 0.31, accuracy: 0.9}. */
  evaluate(x: TensorLike, y: Targets, args?: EvaluateArgs): Logs {
    return evaluate(this, x, y, args);
  }

  /** Outputs [n, ...outputShape] for n samples, computed in batches. */
  predict(x: TensorLike, args?: EvaluateArgs): Tensor {
    return predict(this, x, args);
  }

  /** A table of layers, output shapes and weight counts; printed with printFn (default console.log). */
  summary(printFn: (line: string) => void = console.log): string {
    this.build();
    const rows = this.layers.map((l) => [`${l.name} (${l.className})`, `[null, ${l.outputShape.join(', ')}]`, String(l.weights.reduce((n, w) => n + w.size, 0))]);
    const head = ['Layer (type)', 'Output shape', 'Param #'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)) + 2);
    const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('').trimEnd();
    const rule = '_'.repeat(widths.reduce((a, b) => a + b, 0));
    const trainable = this.weights.filter((w) => w.trainable).reduce((n, w) => n + w.size, 0);
    const total = this.countParams();
    const text = [
      `Model: "${this.name}"`,
      rule,
      line(head),
      '='.repeat(rule.length),
      ...rows.map(line),
      '='.repeat(rule.length),
      `Total params: ${total}`,
      `Trainable params: ${trainable}`,
      `Non-trainable params: ${total - trainable}`,
      rule,
    ].join('\n');
    printFn(text);
    return text;
  }

  /** NODE ONLY. Saves model.json + weights.bin (TF.js layers-model format) into a directory;
   *  refuses to replace an existing model unless {overwrite: true}. */
  save(dir: string, options?: SaveOptions): { modelPath: string; weightsPath: string; bytes: number } {
    return saveModel(this, dir, options);
  }

  /** Releases all memory of the model (weights, work, optimizer state). */
  dispose(): void {
    this.work?.dispose();
    this.work = null;
    this.optimizer?.dispose();
    if (this.built) {
      this.rt.release(this.paramsPtr);
      this.rt.release(this.statePtr);
      this.built = false;
    }
  }
}

/** A model from a list of layers: sequential({layers: [...]}) or sequential([...]). */
export function sequential(args?: SequentialArgs | Layer[]): Sequential {
  return new Sequential(Array.isArray(args) ? { layers: args } : args);
}
