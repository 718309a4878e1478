// LayersModel: a graph of layers between symbolic inputs and outputs (model({inputs, outputs}));
// Sequential builds the same graph from a list. Owns the memory of the model:
//   params  trainable weights, one contiguous block (so the optimizer is one kernel call)
//   state   non-trainable weights (batch-norm moving statistics)
//   work    the MemoryPlan of the graph for a batch capacity (engine/planner.ts): re-planned only
//           when a larger batch, a backward or an input gradient is first needed.
// The runtime (memory + kernels + arena) is passed in; the shared one is the default. The blocks
// are held by a ModelMemory (ownership.ts), freed by dispose() or, as a safety net, when the model
// is garbage collected. A disposed model, or one whose build failed, throws on every method; the
// engine never runs a kernel without a live work plan.

import { ConfigError, checkKeys, showValue } from '../layers/args.ts';
import { initialize } from '../layers/initializers.ts';
import { InputLayer } from '../layers/input.ts';
import { size, type Layer, type StepContext, type Weight } from '../layers/layer.ts';
import { Graph } from '../engine/graph.ts';
import { MemoryPlan } from '../engine/planner.ts';
import { SymbolicTensor } from '../engine/symbolic.ts';
import * as exec from '../engine/executor.ts';
import { getLoss, type Loss, type LossIdentifier } from '../losses/index.ts';
import { getOptimizer, type Optimizer, type OptimizerIdentifier } from '../optimizers/index.ts';
import { OutOfMemoryError } from '../runtime/arena.ts';
import { Random } from '../runtime/random.ts';
import { runtime, type Runtime } from '../runtime/runtime.ts';
import { snakeCase, uniqueName } from './names.ts';
import { getMetric } from './metrics.ts';
import { evaluate, fit, predict, type EvaluateArgs, type FitArgs, type History, type Targets } from './fit.ts';
import { checkFinite, checkFlatTargets, checkLabels, describe, isNumbers, type TensorLike } from './inputs.ts';
import { ModelMemory, ModelStateError, track, untrack } from './ownership.ts';
import type { Tensor } from '../tensor.ts';
import type { Logs } from './callbacks.ts';
import { summaryText } from './summary.ts';
import { saveModel, type SaveOptions } from '../io/files.ts';

export interface BaseModelArgs {
  /** Model name. */
  name?: string;
  /** Seed of weight initialisation, shuffling and dropout (default: random). */
  seed?: number;
  /** The runtime whose memory holds the model (default: the shared runtime()). */
  runtime?: Runtime;
}

export interface ModelArgs extends BaseModelArgs {
  /** Symbolic inputs, from input({shape}). */
  inputs: SymbolicTensor | SymbolicTensor[];
  /** Symbolic outputs, from layer.apply(...). */
  outputs: SymbolicTensor | SymbolicTensor[];
}

export interface CompileArgs {
  optimizer: OptimizerIdentifier;
  /** One loss, applied to every output (Keras). */
  loss: LossIdentifier;
  metrics?: string[];
}

/** A weight as plain data: Keras name, shape and values. */
export interface NamedWeight {
  name: string;
  shape: number[];
  data: Float32Array;
}

export class LayersModel {
  name: string;
  seed: number;
  loss: Loss | null = null;
  metrics: string[] = [];
  /** Set by a callback to end fit() after the current epoch. */
  stopTraining = false;
  protected readonly rt: Runtime;
  protected rng: Random;
  private readonly mem: ModelMemory;
  private graphCache: Graph | null = null;
  private built = false;
  private paramsFloats = 0;
  private stateFloats = 0;
  private plan: MemoryPlan | null = null;
  private trainedBatch = 0; // batch of the last forward in training mode on the current plan, else 0

  constructor(args: BaseModelArgs, defaultName: string, spec?: { inputs: SymbolicTensor[]; outputs: SymbolicTensor[] }) {
    this.name = args.name ?? defaultName;
    this.seed = args.seed ?? Math.floor(Math.random() * 2 ** 31);
    this.rng = new Random(this.seed);
    this.rt = args.runtime ?? runtime();
    if (spec) {
      this.graphCache = new Graph(spec.inputs, spec.outputs, `model "${this.name}"`);
      nameLayers(this.graphCache.layers, `model "${this.name}"`);
    }
    this.mem = new ModelMemory(this.rt);
    track(this, this.mem);
  }

  /** The compiled optimizer (replacing it releases the state the old one held for this model). */
  get optimizer(): Optimizer | null {
    return this.mem.optimizer;
  }
  set optimizer(opt: Optimizer | null) {
    if (opt !== this.mem.optimizer) this.mem.releaseOptimizer();
    this.mem.optimizer = opt;
  }

  /** Throws a ModelStateError naming the model and `method` if it is disposed or failed to build. */
  protected checkAlive(method: string): void {
    this.mem.check(this.name, method);
  }

  /** The graph of the model (Sequential makes it from its layers on first use). */
  get graph(): Graph {
    this.graphCache ??= this.makeGraph();
    return this.graphCache;
  }

  protected makeGraph(): Graph {
    throw new Error(`model "${this.name}": no graph`);
  }

  /** The layers, each once, in graph order (input layers included, as in TF.js). */
  get layers(): Layer[] {
    return this.graph.layers;
  }

  get inputs(): SymbolicTensor[] {
    return this.graph.inputs;
  }

  get outputs(): SymbolicTensor[] {
    this.ensureBuilt('outputs');
    return this.graph.outputs;
  }

  /** Shape of one sample of the (first) input, without batch. */
  get inputShape(): number[] {
    return this.graph.inputs[0].shape;
  }

  /** Shape of one sample of the (first) output, without batch. */
  get outputShape(): number[] {
    this.ensureBuilt('outputShape');
    return this.graph.outputs[0].shape;
  }

  /** All weights in layer order (kernel, bias, ...). */
  get weights(): Weight[] {
    this.ensureBuilt('weights');
    return this.layers.flatMap((l) => l.weights);
  }

  /** Builds the graph (every layer checks its input shapes), then allocates and initialises the
   *  weights in layer order. A failure (a layer that does not fit, a layer of another model,
   *  weights too large for the memory) frees what was allocated and leaves the model unusable:
   *  later calls throw a ModelStateError with the cause. */
  build(): void {
    this.ensureBuilt('build');
  }

  private ensureBuilt(method: string): void {
    this.checkAlive(method);
    if (this.built) return;
    try {
      this.buildWeights();
    } catch (e) {
      const error = e instanceof RangeError ? new OutOfMemoryError(`model "${this.name}": cannot allocate its ${this.paramsFloats + this.stateFloats} weights (${(this.paramsFloats + this.stateFloats) * 4} bytes): ${e.message}`, { cause: e }) : (e as Error);
      this.mem.fail(error);
      throw error;
    }
    this.built = true;
  }

  private buildWeights(): void {
    void this.graph; // a Sequential makes its graph (and builds its layers) here
    const ls = this.layers;
    // a layer's weights live in one model's memory; layers without weights are shared freely
    const weighted = ls.filter((l) => l.weights.length > 0);
    for (const l of weighted) {
      if (l.owner && l.owner !== this) {
        throw new ConfigError(`model "${this.name}": ${l.label} already belongs to model "${l.owner.name}", whose memory holds its weights; create a new layer, or dispose() the other model first`);
      }
    }
    const all = ls.flatMap((l) => l.weights);
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
    for (const l of weighted) l.owner = this;
  }

  /** Number of weights (trainable and not). */
  countParams(): number {
    this.ensureBuilt('countParams');
    return this.paramsFloats + this.stateFloats;
  }

  compile(args: CompileArgs): void {
    this.checkAlive('compile');
    if (typeof args !== 'object' || args === null) throw new ConfigError(`compile: expected {optimizer, loss, metrics?}, got ${showValue(args)}`);
    checkKeys('compile', args, ['optimizer', 'loss', 'metrics']);
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

  /** Plans working memory for at least `batch` samples; a training plan also serves inference.
   *  The old plan is released first; if the new one cannot be allocated the model keeps no plan
   *  (the next call plans from scratch, so a smaller batch works again) and an OutOfMemoryError
   *  names the batch and the bytes wanted. */
  protected ensureWork(batch: number, withInputGrad: boolean, training: boolean, method: string): MemoryPlan {
    this.ensureBuilt(method);
    if (!Number.isSafeInteger(batch) || batch < 1) throw new ConfigError(`model "${this.name}": ${method}: batch must be a positive integer, got ${showValue(batch)}`);
    const old = this.livePlan();
    if (old && old.options.capacity >= batch && (old.options.training || !training) && (old.options.inputGrads || !withInputGrad)) return old;
    const capacity = Math.max(batch, old?.options.capacity ?? 0);
    const options = {
      capacity,
      training: training || (old?.options.training ?? false),
      inputGrads: withInputGrad || (old?.options.inputGrads ?? false),
      paramFloats: this.paramsFloats,
      targetFloats: this.graph.outputs.map((t) => capacity * size(t.shape)),
    };
    this.mem.setWork(null);
    this.plan = null;
    this.trainedBatch = 0;
    const plan = new MemoryPlan(this.rt, this.graph, options);
    try {
      plan.allocate();
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      throw new OutOfMemoryError(
        `model "${this.name}": cannot plan working memory for a batch of ${capacity} samples (${plan.bytes} bytes of activations, gradients and scratch): ` +
          `${e.message}. Nothing was allocated and the weights are intact; use a smaller batchSize`,
        { cause: e },
      );
    }
    // every trainable weight's gradient sits at the same offset in paramGrads as in params
    if (plan.paramGrads) for (const w of this.layers.flatMap((l) => l.weights)) if (w.trainable) w.gradPtr = plan.paramGrads.ptr + (w.ptr - this.mem.params);
    this.mem.setWork(plan.work);
    this.plan = plan;
    return plan;
  }

  /** The current plan if its memory is still held (not released by dispose or a failed re-plan). */
  private livePlan(): MemoryPlan | null {
    const plan = this.plan;
    return plan && this.mem.work === plan.work && plan.work.live ? plan : null;
  }

  /** The live plan, after checking that `batch` samples fit in it: the engine's guard that no
   *  kernel runs on a released plan (address 0) or past the planned capacity. */
  private liveWork(method: string, batch: number): MemoryPlan {
    const plan = this.livePlan();
    if (plan && Number.isInteger(batch) && batch >= 1 && batch <= plan.options.capacity) return plan;
    this.checkAlive(method);
    if (!plan) throw new ModelStateError(`model "${this.name}": ${method}: no working memory is planned; call prepare(batch) (or forwardBatch) first`);
    throw new ConfigError(`model "${this.name}": ${method}: batch must be an integer in 1..${plan.options.capacity} (the planned capacity), got ${showValue(batch)}`);
  }

  protected context(batch: number, training: boolean): StepContext {
    return { rt: this.rt, k: this.rt.kernels, batch, training, rng: this.rng };
  }

  // ---- engine: used by fit/evaluate/predict, the golden runner and the gradient checks ----

  /** Plans memory for `batch` samples: for training (default) or inference only (buffers reused
   *  by liveness), and with the input gradient (for tests and saliency). */
  prepare(batch: number, withInputGrad = false, training = true): void {
    this.ensureWork(batch, withInputGrad, training, 'prepare');
  }

  /** Bytes of the planned work memory (activations, gradients, scratch); 0 without a plan. */
  get workBytes(): number {
    return this.livePlan()?.bytes ?? 0;
  }

  /** View of input `i`'s buffer for `batch` samples; valid until the next prepare(). */
  inputView(batch: number, i = 0): Float32Array {
    const plan = this.liveWork('inputView', batch);
    const t = this.inputAt(i, 'inputView');
    return this.rt.f32(plan.ios[this.graph.valueIndex(t)].y.ptr, batch * size(t.shape));
  }

  /** View of output `o`'s target buffer (`n` values); valid until the next prepare(). */
  targetView(n: number, o = 0): Float32Array {
    const target = this.liveWork('targetView', 1).targets[this.outputAt(o, 'targetView')];
    if (!Number.isInteger(n) || n < 0 || n > target.floats) throw new ConfigError(`model "${this.name}": targetView: n must be an integer in 0..${target.floats}, got ${showValue(n)}`);
    return this.rt.f32(target.ptr, n);
  }

  /** View of output `o` of the last forward for `batch` samples. */
  outputView(batch: number, o = 0): Float32Array {
    const plan = this.liveWork('outputView', batch);
    const t = this.graph.outputs[this.outputAt(o, 'outputView')];
    return this.rt.f32(plan.ios[this.graph.valueIndex(t)].y.ptr, batch * size(t.shape));
  }

  private inputAt(i: number, method: string): SymbolicTensor {
    const t = this.graph.inputs[i];
    if (!t) throw new ConfigError(`model "${this.name}": ${method}: input ${showValue(i)} does not exist (the model has ${this.graph.inputs.length})`);
    return t;
  }

  private outputAt(o: number, method: string): number {
    if (!this.graph.outputs[o]) throw new ConfigError(`model "${this.name}": ${method}: output ${showValue(o)} does not exist (the model has ${this.graph.outputs.length})`);
    return o;
  }

  /** Runs every node on the loaded inputs. */
  runForward(batch: number, training: boolean): void {
    const plan = this.liveWork('runForward', batch);
    this.trainedBatch = 0;
    exec.forward(plan, this.context(batch, training));
    if (training) this.trainedBatch = batch;
  }

  /** Loss of the last forward against the loaded targets (summed over the outputs); with
   *  `backward`, also all gradients (zeroed first), softmax + cross-entropy fused. */
  runLoss(batch: number, backward: boolean): number {
    const plan = this.liveWork('runLoss', batch);
    const loss = this.loss;
    if (!loss) throw new ConfigError(`model "${this.name}": runLoss: call compile({optimizer, loss}) first`);
    // the sparse kernels index by label: a label out of 0..C-1 would touch another model's memory
    if (loss.sparse) {
      this.graph.outputs.forEach((t, o) => {
        const C = t.shape[t.shape.length - 1];
        checkLabels(this.rt.f32(plan.targets[o].ptr, (batch * size(t.shape)) / C), C, `model "${this.name}": ${loss.name} targets`);
      });
    }
    if (backward) this.checkTrainingForward('runLoss', batch);
    const ctx = this.context(batch, true);
    const { value, fused } = exec.losses(plan, ctx, this.graph.outputs.map(() => loss), backward);
    if (backward) exec.backward(plan, ctx, fused);
    return value;
  }

  /** One optimizer step over the whole parameter block. */
  applyOptimizer(): void {
    const plan = this.liveWork('applyOptimizer', 1);
    const opt = this.optimizer;
    if (!opt) throw new ConfigError(`model "${this.name}": applyOptimizer: call compile({optimizer, loss}) first`);
    if (!plan.paramGrads) throw new ModelStateError(`model "${this.name}": applyOptimizer: the planned memory is for inference; call prepare(batch) first`);
    opt.step(this.rt, this.mem.params, plan.paramGrads.ptr, this.paramsFloats);
  }

  /** Number of target values per sample of output `o` for the compiled loss. */
  targetSize(o = 0): number {
    const out = this.outputs[o].shape;
    return this.loss?.sparse ? size(out) / out[out.length - 1] : size(out);
  }

  /** Copies a batch of inputs in (one array per input) and runs the graph. Returns a view of the
   *  first output (valid until the next call that may allocate). */
  forwardBatch(x: Float32Array | Float32Array[], batch: number, training: boolean, withInputGrad = false): Float32Array {
    this.ensureBuilt('forwardBatch');
    if (!Number.isSafeInteger(batch) || batch < 1) throw new ConfigError(`model "${this.name}": forwardBatch: batch must be a positive integer, got ${showValue(batch)}`);
    const inputs = this.graph.inputs;
    const xs = isList(x) ? x : [x];
    if (xs.length !== inputs.length) throw new ConfigError(`model "${this.name}": forwardBatch: the model has ${inputs.length} inputs, got ${xs.length} arrays`);
    inputs.forEach((t, i) => {
      const what = `model "${this.name}": forwardBatch x${inputs.length > 1 ? `[${i}]` : ''}`;
      const per = size(t.shape);
      if (!isNumbers(xs[i]) || xs[i].length !== batch * per) throw new ConfigError(`${what}: expected ${batch} samples of shape [${t.shape}] (${batch * per} values), got ${describe(xs[i])}`);
      checkFinite(xs[i], per, what);
    });
    this.ensureWork(batch, withInputGrad, training, 'forwardBatch');
    xs.forEach((v, i) => this.inputView(batch, i).set(v));
    this.runForward(batch, training);
    return this.outputView(batch);
  }

  /** Backward from explicit output gradients (after forwardBatch(training=true)), one array per
   *  output. Gradients of the weights are then readable with weightGradients(), of the inputs
   *  with inputGradient(). */
  backwardFromOutputGrad(dy: Float32Array | Float32Array[], batch: number): void {
    const plan = this.liveWork('backwardFromOutputGrad', batch);
    const outputs = this.graph.outputs;
    const dys = isList(dy) ? dy : [dy];
    if (dys.length !== outputs.length) throw new ConfigError(`model "${this.name}": backwardFromOutputGrad: the model has ${outputs.length} outputs, got ${dys.length} arrays`);
    outputs.forEach((t, o) => {
      const n = batch * size(t.shape);
      const what = `model "${this.name}": backwardFromOutputGrad dy${outputs.length > 1 ? `[${o}]` : ''}`;
      if (!isNumbers(dys[o]) || dys[o].length !== n) throw new ConfigError(`${what}: expected ${n} values (${batch} samples of output [${t.shape}]), got ${describe(dys[o])}`);
      checkFinite(dys[o], n / batch, what);
    });
    this.checkTrainingForward('backwardFromOutputGrad', batch);
    plan.work.zeroGrads();
    dys.forEach((d, o) => this.rt.f32(plan.lossGrads[o].ptr, d.length).set(d));
    exec.backward(plan, this.context(batch, true));
  }

  /** Backward reads what the forward saved: it needs a training forward of the same batch. */
  private checkTrainingForward(method: string, batch: number): void {
    if (this.trainedBatch !== batch) {
      throw new ConfigError(`model "${this.name}": ${method}: run a forward in training mode on this batch of ${batch} first (the last one ${this.trainedBatch ? `had ${this.trainedBatch} samples` : 'was not in training mode'})`);
    }
  }

  /** Loss, gradients and one optimizer step on one batch. x [batch, ...inputShape]; y [batch, ...outputShape]
   *  (or [batch] class indices for a sparse loss). Returns the batch-mean loss before the step. */
  trainOnBatch(x: Float32Array | Float32Array[], y: Float32Array, batch: number): number {
    const value = this.computeLossAndGrads(x, y, batch, 'trainOnBatch');
    this.applyOptimizer();
    return value;
  }

  /** Forward in training mode, loss and backward; gradients stay in memory. */
  computeLossAndGrads(x: Float32Array | Float32Array[], y: Float32Array, batch: number, method = 'computeLossAndGrads'): number {
    this.checkAlive(method);
    const loss = this.loss;
    if (!loss || !this.optimizer) throw new ConfigError(`model "${this.name}": ${method}: call compile({optimizer, loss}) before training`);
    if (this.outputs.length !== 1) throw new ConfigError(`model "${this.name}": ${method} takes the targets of one output; the model has ${this.outputs.length}`);
    checkFlatTargets(y, batch, this.targetSize(), loss, this.outputShape, `model "${this.name}": ${method} y`);
    this.forwardBatch(x, batch, true);
    this.targetView(y.length).set(y);
    return this.runLoss(batch, true);
  }

  /** Gradient w.r.t. input `i` of the last backward (needs forwardBatch(..., withInputGrad)). */
  inputGradient(batch: number, i = 0): Float32Array {
    const plan = this.liveWork('inputGradient', batch);
    const t = this.inputAt(i, 'inputGradient');
    const g = plan.gradOf(this.graph.valueIndex(t));
    if (!g) throw new ConfigError(`model "${this.name}": inputGradient: run forwardBatch with withInputGrad = true first`);
    return this.rt.download(g.ptr, batch * size(t.shape));
  }

  /** Copies of the gradients of the trainable weights after the last backward. */
  weightGradients(): NamedWeight[] {
    const plan = this.liveWork('weightGradients', 1);
    if (!plan.paramGrads) throw new ModelStateError(`model "${this.name}": weightGradients: the planned memory is for inference; run a backward first`);
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

  private singleIO(what: string): void {
    if (this.graph.inputs.length !== 1 || this.graph.outputs.length !== 1) {
      throw new ConfigError(`${what}: model "${this.name}" has ${this.graph.inputs.length} inputs and ${this.graph.outputs.length} outputs; ${what} supports one input and one output so far (use forwardBatch for several)`);
    }
  }

  /** Trains the model (Keras/TF.js fit); resolves to the per-epoch history. */
  async fit(x: TensorLike, y: Targets, args?: FitArgs): Promise<History> {
    this.checkAlive('fit');
    this.singleIO('fit');
    return fit(this, x, y, args);
  }

  /** Loss and metrics on (x, y) as plain numbers, e.g. {loss: 0.31, accuracy: 0.9}. */
  evaluate(x: TensorLike, y: Targets, args?: EvaluateArgs): Logs {
    this.checkAlive('evaluate');
    this.singleIO('evaluate');
    return evaluate(this, x, y, args);
  }

  /** Outputs [n, ...outputShape] for n samples, computed in batches. */
  predict(x: TensorLike, args?: EvaluateArgs): Tensor {
    this.checkAlive('predict');
    this.singleIO('predict');
    return predict(this, x, args);
  }

  /** A table of layers, output shapes and weight counts; printed with printFn (default console.log). */
  summary(printFn: (line: string) => void = console.log): string {
    this.ensureBuilt('summary');
    const text = summaryText(this.name, this.layers, this.countParams(), this.weights, this.connections());
    printFn(text);
    return text;
  }

  /** For summary(): what each layer reads, or null to leave the column out (Sequential). */
  protected connections(): Map<Layer, string> | null {
    const m = new Map<Layer, string>();
    for (const n of this.graph.nodes) {
      const from = n.inputs.map((x) => x.node.layer.name).join(', ');
      m.set(n.layer, m.has(n.layer) ? `${m.get(n.layer)}; ${from}` : from);
    }
    return m;
  }

  /** NODE ONLY. Saves model.json + weights.bin (TF.js layers-model format: "Sequential" or
   *  "Functional") into a directory; refuses to replace an existing model unless {overwrite: true}. */
  save(dir: string, options?: SaveOptions): { modelPath: string; weightsPath: string; bytes: number } {
    this.checkAlive('save');
    return saveModel(this, dir, options);
  }

  /** Releases all memory of the model (weights, work, optimizer state), once; every other method
   *  then throws a ModelStateError, and its layers may join another model. Call it when done: a
   *  model garbage collected without it also gives its memory back (a FinalizationRegistry), but
   *  only whenever the collector runs. */
  dispose(): void {
    untrack(this.mem);
    this.mem.release();
    this.plan = null;
    if (this.graphCache) for (const l of this.graphCache.layers) if (l.owner === this) l.owner = null;
  }
}

/** One array per input (or output), rather than the flat values of the only one. */
const isList = (v: unknown): v is Float32Array[] => Array.isArray(v) && v.some((e) => typeof e === 'object');

/** Gives unnamed layers Keras names unique in the model ("dense", "dense_1", "input", ...) and
 *  rejects two different layers with one name. */
function nameLayers(layers: Layer[], owner: string): void {
  const taken = new Set<string>();
  for (const l of layers) {
    if (!l.name) continue;
    if (taken.has(l.name)) throw new ConfigError(`${owner}: two different layers are named "${l.name}"; layer names must be unique in a model`);
    taken.add(l.name);
  }
  for (const l of layers) {
    if (l.name) continue;
    l.name = uniqueName(l instanceof InputLayer ? 'input' : snakeCase(l.className), taken);
    taken.add(l.name);
  }
}

/** A functional model: model({inputs: input({shape}), outputs: layer.apply(...)}). */
export function model(args: ModelArgs): LayersModel {
  if (typeof args !== 'object' || args === null) throw new ConfigError(`model: expected {inputs, outputs, name?}, got ${showValue(args)}`);
  checkKeys('model', args, ['inputs', 'outputs', 'name', 'seed', 'runtime']);
  const list = (v: SymbolicTensor | SymbolicTensor[]) => (Array.isArray(v) ? v : [v]);
  return new LayersModel(args, 'model', { inputs: list(args.inputs), outputs: list(args.outputs) });
}
