// Sequential: a stack of layers with one input and one output. Owns the memory of the model:
//   params  trainable weights, one contiguous block (so the optimizer is one kernel call)
//   state   non-trainable weights (batch-norm moving statistics)
//   work    activations, gradients and scratch for a batch capacity (re-planned only when a larger
//           batch arrives), with the gradient block [param grads | activation grads] zeroed by one
//           fill per step.
// The blocks are held by a ModelMemory (ownership.ts), freed by dispose() or, as a safety net, when
// the model is garbage collected. A disposed model, or one whose build failed, throws on every
// method; the engine never runs a kernel without a live work plan.

import { ConfigError, showValue } from '../layers/args.ts';
import { initialize } from '../layers/initializers.ts';
import { Layer, size, type StepContext, type Weight } from '../layers/layer.ts';
import { getLoss, type Loss, type LossIdentifier } from '../losses/index.ts';
import { getOptimizer, type Optimizer, type OptimizerIdentifier } from '../optimizers/index.ts';
import { OutOfMemoryError } from '../runtime/arena.ts';
import { WorkPlan, type Slot } from '../runtime/plan.ts';
import { Random } from '../runtime/random.ts';
import { runtime, type Runtime } from '../runtime/runtime.ts';
import { snakeCase, uniqueName } from './names.ts';
import { getMetric } from './metrics.ts';
import { evaluate, fit, predict, type EvaluateArgs, type FitArgs, type History, type Targets } from './fit.ts';
import { checkFinite, checkFlatTargets, checkLabels, describe, isNumbers, type TensorLike } from './inputs.ts';
import { ModelMemory, ModelStateError, track, untrack } from './ownership.ts';
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
  loss: Loss | null = null;
  metrics: string[] = [];
  /** Set by a callback to end fit() after the current epoch. */
  stopTraining = false;
  protected readonly rt: Runtime = runtime();
  protected rng: Random;
  private readonly mem: ModelMemory;
  private built = false;
  private paramsFloats = 0;
  private stateFloats = 0;
  private workHasInputGrad = false;
  private trainedBatch = 0; // batch of the last forward in training mode on the current plan, else 0
  private input!: Slot;
  private inputGrad: Slot | null = null;
  private target!: Slot;
  private paramGrads!: Slot;

  constructor(args: SequentialArgs = {}) {
    this.name = args.name ?? 'sequential';
    this.seed = args.seed ?? Math.floor(Math.random() * 2 ** 31);
    this.rng = new Random(this.seed);
    this.mem = new ModelMemory(this.rt);
    track(this, this.mem);
    for (const layer of args.layers ?? []) this.add(layer);
  }

  /** The compiled optimizer (replacing it releases the state the old one held for this model). */
  get optimizer(): Optimizer | null {
    return this.mem.optimizer;
  }
  set optimizer(opt: Optimizer | null) {
    if (opt !== this.mem.optimizer) this.mem.releaseOptimizer();
    this.mem.optimizer = opt;
  }

  private get work(): WorkPlan | null {
    return this.mem.work;
  }

  /** Throws a ModelStateError naming the model and `method` if it is disposed or failed to build. */
  protected checkAlive(method: string): void {
    this.mem.check(this.name, method);
  }

  add(layer: Layer): void {
    this.checkAlive('add');
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
    this.ensureBuilt('outputShape');
    return this.layers[this.layers.length - 1].outputShape;
  }

  /** All weights in layer order (kernel, bias, ...). */
  get weights(): Weight[] {
    this.ensureBuilt('weights');
    return this.layers.flatMap((l) => l.weights);
  }

  /** Builds every layer for the declared input shape, then allocates and initialises weights.
   *  A failure (a layer that does not fit, weights too large for the memory) frees what was
   *  allocated and leaves the model unusable: later calls throw a ModelStateError with the cause. */
  build(): void {
    this.ensureBuilt('build');
  }

  private ensureBuilt(method: string): void {
    this.checkAlive(method);
    if (this.built) return;
    if (this.layers.length === 0) throw new ConfigError(`Sequential "${this.name}": the model has no layers`);
    try {
      this.buildLayers();
    } catch (e) {
      const error = e instanceof RangeError ? new OutOfMemoryError(`model "${this.name}": cannot allocate its ${this.paramsFloats + this.stateFloats} weights (${(this.paramsFloats + this.stateFloats) * 4} bytes): ${e.message}`, { cause: e }) : (e as Error);
      this.mem.fail(error);
      throw error;
    }
    this.built = true;
  }

  private buildLayers(): void {
    let shape = this.inputShape;
    for (const layer of this.layers) {
      layer.build(shape);
      shape = layer.outputShape;
    }
    const all = this.layers.flatMap((l) => l.weights);
    this.paramsFloats = all.filter((w) => w.trainable).reduce((n, w) => n + w.size, 0);
    this.stateFloats = all.filter((w) => !w.trainable).reduce((n, w) => n + w.size, 0);
    this.mem.allocWeights(this.paramsFloats, this.stateFloats);
    let p = this.mem.params;
    let s = this.mem.state;
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
  }

  /** Number of weights (trainable and not). */
  countParams(): number {
    this.ensureBuilt('countParams');
    return this.paramsFloats + this.stateFloats;
  }

  compile(args: CompileArgs): void {
    this.checkAlive('compile');
    if (typeof args !== 'object' || args === null) throw new ConfigError(`compile: expected {optimizer, loss, metrics?}, got ${showValue(args)}`);
    const allowed = ['optimizer', 'loss', 'metrics'];
    for (const key of Object.keys(args)) if (!allowed.includes(key)) throw new ConfigError(`compile: unknown option "${key}"; allowed options are ${allowed.join(', ')}`);
    if (args.optimizer === undefined) throw new ConfigError('compile: optimizer is required, e.g. "adam"');
    if (args.loss === undefined) throw new ConfigError('compile: loss is required, e.g. "categoricalCrossentropy"');
    this.ensureBuilt('compile');
    const optimizer = getOptimizer(args.optimizer);
    if (optimizer === this.optimizer) this.mem.releaseOptimizer(); // recompiling restarts its state
    this.optimizer = optimizer;
    this.loss = getLoss(args.loss);
    if (args.metrics !== undefined && !Array.isArray(args.metrics)) throw new ConfigError(`compile: metrics must be an array of names, e.g. ["accuracy"], got ${showValue(args.metrics)}`);
    for (const m of args.metrics ?? []) getMetric(m, this.loss);
    this.metrics = args.metrics ?? [];
  }

  /** Plans working memory for at least `batch` samples. The old plan is released first; if the
   *  new one cannot be allocated the model keeps no plan (the next call plans from scratch, so a
   *  smaller batch works again) and an OutOfMemoryError names the batch and the bytes wanted. */
  protected ensureWork(batch: number, withInputGrad: boolean, method: string): WorkPlan {
    this.ensureBuilt(method);
    if (!Number.isSafeInteger(batch) || batch < 1) throw new ConfigError(`model "${this.name}": ${method}: batch must be a positive integer, got ${showValue(batch)}`);
    const old = this.work;
    if (old && old.batchCapacity >= batch && (this.workHasInputGrad || !withInputGrad)) return old;
    const cap = Math.max(batch, old?.batchCapacity ?? 0);
    this.mem.setWork(null);
    this.trainedBatch = 0;
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
    try {
      plan.allocate();
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      throw new OutOfMemoryError(
        `model "${this.name}": cannot plan working memory for a batch of ${cap} samples (${plan.bytes} bytes of activations, gradients and scratch): ` +
          `${e.message}. Nothing was allocated and the weights are intact; use a smaller batchSize`,
        { cause: e },
      );
    }
    // every trainable weight's gradient sits at the same offset in paramGrads as in params
    for (const w of this.layers.flatMap((l) => l.weights)) if (w.trainable) w.gradPtr = this.paramGrads.ptr + (w.ptr - this.mem.params);
    this.mem.setWork(plan);
    this.workHasInputGrad = withInputGrad;
    return plan;
  }

  /** The live work plan, after checking that `batch` samples fit in it: the engine's guard that
   *  no kernel runs on a released plan (address 0) or past the planned capacity. */
  private liveWork(method: string, batch: number): WorkPlan {
    const work = this.work;
    if (work?.live && Number.isInteger(batch) && batch >= 1 && batch <= work.batchCapacity) return work;
    this.checkAlive(method);
    if (!work?.live) throw new ModelStateError(`model "${this.name}": ${method}: no working memory is planned; call prepare(batch) (or forwardBatch) first`);
    throw new ConfigError(`model "${this.name}": ${method}: batch must be an integer in 1..${work.batchCapacity} (the planned capacity), got ${showValue(batch)}`);
  }

  protected context(batch: number, training: boolean): StepContext {
    return { rt: this.rt, k: this.rt.kernels, batch, training, rng: this.rng };
  }

  // ---- engine: used by fit/evaluate/predict, the golden runner and the gradient checks ----

  /** Plans memory for `batch` samples (and the input gradient, for tests and saliency). */
  prepare(batch: number, withInputGrad = false): void {
    this.ensureWork(batch, withInputGrad, 'prepare');
  }

  /** View of the input buffer for `batch` samples; valid until the next prepare(). */
  inputView(batch: number): Float32Array {
    this.liveWork('inputView', batch);
    return this.rt.f32(this.input.ptr, batch * size(this.inputShape));
  }

  /** View of the target buffer (`n` values); valid until the next prepare(). */
  targetView(n: number): Float32Array {
    this.liveWork('targetView', 1);
    if (!Number.isInteger(n) || n < 0 || n > this.target.floats) throw new ConfigError(`model "${this.name}": targetView: n must be an integer in 0..${this.target.floats}, got ${showValue(n)}`);
    return this.rt.f32(this.target.ptr, n);
  }

  /** View of the output of the last forward for `batch` samples. */
  outputView(batch: number): Float32Array {
    this.liveWork('outputView', batch);
    const last = this.layers[this.layers.length - 1];
    return this.rt.f32(last.y.ptr, batch * size(last.outputShape));
  }

  /** Runs every layer on the loaded inputs. */
  runForward(batch: number, training: boolean): void {
    this.liveWork('runForward', batch);
    this.trainedBatch = 0;
    const ctx = this.context(batch, training);
    for (const layer of this.layers) layer.forward(ctx);
    if (training) this.trainedBatch = batch;
  }

  /** Loss of the last forward against the loaded targets; with `backward`, also all gradients
   *  (zeroed first). Softmax + cross-entropy is fused: the logits gradient is P - y over rows. */
  runLoss(batch: number, backward: boolean): number {
    const work = this.liveWork('runLoss', batch);
    const loss = this.loss;
    if (!loss) throw new ConfigError(`model "${this.name}": runLoss: call compile({optimizer, loss}) first`);
    const last = this.layers[this.layers.length - 1];
    const outShape = last.outputShape;
    const C = outShape[outShape.length - 1];
    const rows = (batch * size(outShape)) / C;
    const k = this.rt.kernels;
    // the sparse kernels index by label: a label out of 0..C-1 would touch another model's memory
    if (loss.sparse) checkLabels(this.rt.f32(this.target.ptr, rows), C, `model "${this.name}": ${loss.name} targets`);
    if (backward) {
      this.checkTrainingForward('runLoss', batch);
      work.zeroGrads();
    }
    const value = loss.compute(k, last.y.ptr, this.target.ptr, last.dy.ptr, rows, C);
    if (!backward) return value;
    const logitsGrad = loss.fusesWithSoftmax ? last.softmaxLogitsGrad() : null;
    if (logitsGrad) k.softmax_crossentropy_backward(last.y.ptr, this.target.ptr, logitsGrad.ptr, rows, C, loss.sparse ? 1 : 0);
    this.backwardLayers(batch, logitsGrad !== null);
    return value;
  }

  /** One optimizer step over the whole parameter block. */
  applyOptimizer(): void {
    this.liveWork('applyOptimizer', 1);
    const opt = this.optimizer;
    if (!opt) throw new ConfigError(`model "${this.name}": applyOptimizer: call compile({optimizer, loss}) first`);
    opt.step(this.rt, this.mem.params, this.paramGrads.ptr, this.paramsFloats);
  }

  /** Number of target values per sample for the compiled loss. */
  targetSize(): number {
    const out = this.outputShape;
    return this.loss?.sparse ? size(out) / out[out.length - 1] : size(out);
  }

  /** Copies a batch of inputs in and runs the layers. Returns a view of the output (valid until
   *  the next call that may allocate). */
  forwardBatch(x: Float32Array, batch: number, training: boolean, withInputGrad = false): Float32Array {
    this.ensureBuilt('forwardBatch');
    const what = `model "${this.name}": forwardBatch x`;
    if (!Number.isSafeInteger(batch) || batch < 1) throw new ConfigError(`model "${this.name}": forwardBatch: batch must be a positive integer, got ${showValue(batch)}`);
    const inSize = size(this.inputShape);
    if (!isNumbers(x) || x.length !== batch * inSize) throw new ConfigError(`${what}: expected ${batch} samples of shape [${this.inputShape}] (${batch * inSize} values), got ${describe(x)}`);
    checkFinite(x, inSize, what);
    this.ensureWork(batch, withInputGrad, 'forwardBatch');
    this.inputView(batch).set(x);
    this.runForward(batch, training);
    return this.outputView(batch);
  }

  /** Backward from an explicit output gradient (after forwardBatch(training=true)). Gradients of
   *  the weights are then readable with weightGradients(), of the input with inputGradient(). */
  backwardFromOutputGrad(dy: Float32Array, batch: number): void {
    const work = this.liveWork('backwardFromOutputGrad', batch);
    const last = this.layers[this.layers.length - 1];
    const n = batch * size(last.outputShape);
    const what = `model "${this.name}": backwardFromOutputGrad dy`;
    if (!isNumbers(dy) || dy.length !== n) throw new ConfigError(`${what}: expected ${n} values (${batch} samples of output [${last.outputShape}]), got ${describe(dy)}`);
    checkFinite(dy, n / batch, what);
    this.checkTrainingForward('backwardFromOutputGrad', batch);
    work.zeroGrads();
    this.rt.f32(last.dy.ptr, n).set(dy);
    this.backwardLayers(batch);
  }

  /** Backward reads what the forward saved: it needs a training forward of the same batch. */
  private checkTrainingForward(method: string, batch: number): void {
    if (this.trainedBatch !== batch) {
      throw new ConfigError(`model "${this.name}": ${method}: run a forward in training mode on this batch of ${batch} first (the last one ${this.trainedBatch ? `had ${this.trainedBatch} samples` : 'was not in training mode'})`);
    }
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
    const value = this.computeLossAndGrads(x, y, batch, 'trainOnBatch');
    this.applyOptimizer();
    return value;
  }

  /** Forward in training mode, loss and backward; gradients stay in memory. */
  computeLossAndGrads(x: Float32Array, y: Float32Array, batch: number, method = 'computeLossAndGrads'): number {
    this.checkAlive(method);
    const loss = this.loss;
    if (!loss || !this.optimizer) throw new ConfigError(`model "${this.name}": ${method}: call compile({optimizer, loss}) before training`);
    const out = this.outputShape;
    checkFlatTargets(y, batch, this.targetSize(), loss, out, `model "${this.name}": ${method} y`);
    this.forwardBatch(x, batch, true);
    this.targetView(y.length).set(y);
    return this.runLoss(batch, true);
  }

  /** Gradient w.r.t. the model input of the last backward (needs forwardBatch(..., withInputGrad)). */
  inputGradient(batch: number): Float32Array {
    this.liveWork('inputGradient', batch);
    if (!this.inputGrad) throw new ConfigError(`model "${this.name}": inputGradient: run forwardBatch with withInputGrad = true first`);
    return this.rt.download(this.inputGrad.ptr, batch * size(this.inputShape));
  }

  /** Copies of the gradients of the trainable weights after the last backward. */
  weightGradients(): NamedWeight[] {
    this.liveWork('weightGradients', 1);
    return this.weights.filter((w) => w.trainable).map((w) => ({ name: w.name, shape: w.shape, data: this.rt.download(w.gradPtr, w.size) }));
  }

  /** Copies of all weights, in layer order. */
  getWeights(): NamedWeight[] {
    this.ensureBuilt('getWeights');
    return this.weights.map((w) => ({ name: w.name, shape: w.shape, data: this.rt.download(w.ptr, w.size) }));
  }

  /** Sets all weights, in layer order (as getWeights returns them). */
  setWeights(values: ArrayLike<number>[]): void {
    this.ensureBuilt('setWeights');
    const ws = this.weights;
    if (!Array.isArray(values) || values.length !== ws.length) throw new ConfigError(`setWeights: the model has ${ws.length} weights, got ${Array.isArray(values) ? `${values.length} arrays` : showValue(values)}`);
    values.forEach((v, i) => {
      if (!isNumbers(v) || v.length !== ws[i].size) throw new ConfigError(`setWeights: weight ${ws[i].name} of shape [${ws[i].shape}] needs ${ws[i].size} values, got ${describe(v)}`);
      for (let j = 0; j < v.length; j++) {
        if (!Number.isFinite(v[j])) throw new ConfigError(`setWeights: weight ${ws[i].name} has value ${showValue(v[j])} at index ${j}; weights must be finite numbers`);
      }
    });
    values.forEach((v, i) => this.rt.f32(ws[i].ptr, ws[i].size).set(v));
  }

  /** The first NaN/±Infinity among the weights and the non-trainable state (moving statistics),
   *  or null. Counted by one kernel per block; searched in JS only when there is one. */
  firstNonFiniteWeight(): { name: string; index: number; value: number } | null {
    this.ensureBuilt('firstNonFiniteWeight');
    const k = this.rt.kernels;
    if (k.f32_count_nonfinite(this.mem.params, this.paramsFloats) + k.f32_count_nonfinite(this.mem.state, this.stateFloats) === 0) return null;
    for (const w of this.weights) {
      const v = this.rt.f32(w.ptr, w.size);
      for (let i = 0; i < w.size; i++) if (!Number.isFinite(v[i])) return { name: w.name, index: i, value: v[i] };
    }
    return null;
  }

  /** Trains the model (Keras/TF.js fit); resolves to the per-epoch history. */
  async fit(x: TensorLike, y: Targets, args?: FitArgs): Promise<History> {
    this.checkAlive('fit');
    return fit(this, x, y, args);
  }

  /** Loss and metrics on (x, y) as plain numbers, e.g. {loss: 0.31, accuracy: 0.9}. */
  evaluate(x: TensorLike, y: Targets, args?: EvaluateArgs): Logs {
    this.checkAlive('evaluate');
    return evaluate(this, x, y, args);
  }

  /** Outputs [n, ...outputShape] for n samples, computed in batches. */
  predict(x: TensorLike, args?: EvaluateArgs): Tensor {
    this.checkAlive('predict');
    return predict(this, x, args);
  }

  /** A table of layers, output shapes and weight counts; printed with printFn (default console.log). */
  summary(printFn: (line: string) => void = console.log): string {
    this.ensureBuilt('summary');
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
    this.checkAlive('save');
    return saveModel(this, dir, options);
  }

  /** Releases all memory of the model (weights, work, optimizer state), once; every other method
   *  then throws a ModelStateError. Call it when done: a model garbage collected without it also
   *  gives its memory back (a FinalizationRegistry), but only whenever the collector runs. */
  dispose(): void {
    untrack(this.mem);
    this.mem.release();
  }
}


/** A model from a list of layers: sequential({layers: [...]}) or sequential([...]). */
export function sequential(args?: SequentialArgs | Layer[]): Sequential {
  return new Sequential(Array.isArray(args) ? { layers: args } : args);
}
