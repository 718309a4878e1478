// LayersModel: a graph of layers between symbolic inputs and outputs (model({inputs, outputs}));
// Sequential builds the same graph from a list. Owns the memory of the model:
//   params  trainable weights, one contiguous block (so the optimizer is one kernel call)
//   state   non-trainable weights (batch-norm moving statistics)
//   work    the MemoryPlan of the graph for a batch capacity (engine/planner.ts): re-planned only
//           when a larger batch, a backward or an input gradient is first needed.
// The runtime (memory + kernels + arena) is passed in; the shared one is the default.

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
import { Random } from '../runtime/random.ts';
import { runtime, type Runtime } from '../runtime/runtime.ts';
import { snakeCase, uniqueName } from './names.ts';
import { getMetric } from './metrics.ts';
import { evaluate, fit, predict, type EvaluateArgs, type FitArgs, type History, type Targets } from './fit.ts';
import type { TensorLike } from './inputs.ts';
import type { Tensor } from '../tensor.ts';
import type { Logs } from './callbacks.ts';
import { summaryText } from './summary.ts';

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
  optimizer: Optimizer | null = null;
  loss: Loss | null = null;
  metrics: string[] = [];
  /** Set by a callback to end fit() after the current epoch. */
  stopTraining = false;
  protected readonly rt: Runtime;
  protected rng: Random;
  private graphCache: Graph | null = null;
  private built = false;
  private paramsPtr = 0;
  private paramsFloats = 0;
  private statePtr = 0;
  private stateFloats = 0;
  private mem: MemoryPlan | null = null;

  constructor(args: BaseModelArgs, defaultName: string, spec?: { inputs: SymbolicTensor[]; outputs: SymbolicTensor[] }) {
    this.name = args.name ?? defaultName;
    this.seed = args.seed ?? Math.floor(Math.random() * 2 ** 31);
    this.rng = new Random(this.seed);
    this.rt = args.runtime ?? runtime();
    if (spec) {
      this.graphCache = new Graph(spec.inputs, spec.outputs, `model "${this.name}"`);
      nameLayers(this.graphCache.layers, `model "${this.name}"`);
    }
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
    return this.graph.outputs;
  }

  /** Shape of one sample of the (first) input, without batch. */
  get inputShape(): number[] {
    return this.inputs[0].shape;
  }

  /** Shape of one sample of the (first) output, without batch. */
  get outputShape(): number[] {
    return this.outputs[0].shape;
  }

  /** All weights in layer order (kernel, bias, ...). */
  get weights(): Weight[] {
    this.build();
    return this.layers.flatMap((l) => l.weights);
  }

  /** Builds the graph, then allocates and initialises the weights (in layer order). */
  build(): void {
    if (this.built) return;
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
    this.paramsPtr = this.rt.allocF32(this.paramsFloats);
    try {
      this.statePtr = this.rt.allocF32(this.stateFloats);
    } catch (e) {
      this.rt.release(this.paramsPtr);
      throw e;
    }
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
    for (const l of weighted) l.owner = this;
    this.built = true;
  }

  /** Number of weights (trainable and not). */
  countParams(): number {
    this.build();
    return this.paramsFloats + this.stateFloats;
  }

  compile(args: CompileArgs): void {
    if (typeof args !== 'object' || args === null) throw new ConfigError(`compile: expected {optimizer, loss, metrics?}, got ${showValue(args)}`);
    checkKeys('compile', args, ['optimizer', 'loss', 'metrics']);
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

  /** Plans working memory for at least `batch` samples; a training plan also serves inference. */
  protected ensureWork(batch: number, withInputGrad = false, training = true): MemoryPlan {
    this.build();
    const m = this.mem;
    if (m && m.options.capacity >= batch && (m.options.training || !training) && (m.options.inputGrads || !withInputGrad)) return m;
    const capacity = Math.max(batch, m?.options.capacity ?? 0);
    const options = {
      capacity,
      training: training || (m?.options.training ?? false),
      inputGrads: withInputGrad || (m?.options.inputGrads ?? false),
      paramFloats: this.paramsFloats,
      targetFloats: this.outputs.map((t) => capacity * size(t.shape)),
    };
    this.mem?.dispose();
    this.mem = null;
    const mem = new MemoryPlan(this.rt, this.graph, options);
    // every trainable weight's gradient sits at the same offset in paramGrads as in params
    if (mem.paramGrads) for (const w of this.weights) if (w.trainable) w.gradPtr = mem.paramGrads.ptr + (w.ptr - this.paramsPtr);
    this.mem = mem;
    return mem;
  }

  private get work(): MemoryPlan {
    if (!this.mem) throw new Error(`model "${this.name}": no memory planned; call prepare() or forwardBatch() first`);
    return this.mem;
  }

  protected context(batch: number, training: boolean): StepContext {
    return { rt: this.rt, k: this.rt.kernels, batch, training, rng: this.rng };
  }

  // ---- engine: used by fit/evaluate/predict, the golden runner and the gradient checks ----

  /** Plans memory for `batch` samples: for training (default) or inference only (buffers reused
   *  by liveness), and with the input gradient (for tests and saliency). */
  prepare(batch: number, withInputGrad = false, training = true): void {
    this.ensureWork(batch, withInputGrad, training);
  }

  /** Bytes of the planned work memory (activations, gradients, scratch); 0 before planning. */
  get workBytes(): number {
    return this.mem?.bytes ?? 0;
  }

  /** View of input `i`'s buffer for `batch` samples; valid until the next prepare(). */
  inputView(batch: number, i = 0): Float32Array {
    const t = this.inputs[i];
    return this.rt.f32(this.work.ios[this.graph.valueIndex(t)].y.ptr, batch * size(t.shape));
  }

  /** View of output `o`'s target buffer (`n` values); valid until the next prepare(). */
  targetView(n: number, o = 0): Float32Array {
    return this.rt.f32(this.work.targets[o].ptr, n);
  }

  /** View of output `o` of the last forward for `batch` samples. */
  outputView(batch: number, o = 0): Float32Array {
    const t = this.outputs[o];
    return this.rt.f32(this.work.ios[this.graph.valueIndex(t)].y.ptr, batch * size(t.shape));
  }

  /** Runs every node on the loaded inputs. */
  runForward(batch: number, training: boolean): void {
    exec.forward(this.work, this.context(batch, training));
  }

  /** Loss of the last forward against the loaded targets (summed over the outputs); with
   *  `backward`, also all gradients (zeroed first), softmax + cross-entropy fused. */
  runLoss(batch: number, backward: boolean): number {
    const mem = this.work;
    if (backward && !mem.options.training) throw new Error(`model "${this.name}": backward on an inference plan; call prepare(batch) first`);
    const ctx = this.context(batch, true);
    const { value, fused } = exec.losses(mem, ctx, this.outputs.map(() => this.loss!), backward);
    if (backward) exec.backward(mem, ctx, fused);
    return value;
  }

  /** One optimizer step over the whole parameter block. */
  applyOptimizer(): void {
    this.optimizer!.step(this.rt, this.paramsPtr, this.work.paramGrads!.ptr, this.paramsFloats);
  }

  /** Number of target values per sample of output `o` for the compiled loss. */
  targetSize(o = 0): number {
    const out = this.outputs[o].shape;
    return this.loss?.sparse ? size(out) / out[out.length - 1] : size(out);
  }

  /** Copies a batch of inputs in (one array per input) and runs the graph. Returns a view of the
   *  first output (valid until the next call that may allocate). */
  forwardBatch(x: Float32Array | Float32Array[], batch: number, training: boolean, withInputGrad = false): Float32Array {
    const xs = Array.isArray(x) ? x : [x];
    if (xs.length !== this.inputs.length) throw new ConfigError(`${this.name}: the model has ${this.inputs.length} inputs, got ${xs.length} arrays`);
    this.inputs.forEach((t, i) => {
      const n = batch * size(t.shape);
      if (xs[i].length !== n) throw new ConfigError(`${this.name}: expected ${batch} samples of shape [${t.shape}] (${n} values) for input ${i}, got ${xs[i].length} values`);
    });
    this.ensureWork(batch, withInputGrad, training);
    xs.forEach((v, i) => this.inputView(batch, i).set(v));
    this.runForward(batch, training);
    return this.outputView(batch);
  }

  /** Backward from explicit output gradients (after forwardBatch(training=true)), one array per
   *  output. Gradients of the weights are then readable with weightGradients(), of the inputs
   *  with inputGradient(). */
  backwardFromOutputGrad(dy: Float32Array | Float32Array[], batch: number): void {
    const mem = this.work;
    if (!mem.options.training) throw new Error('backwardFromOutputGrad: call forwardBatch(x, batch, true) first');
    mem.work.zeroGrads();
    (Array.isArray(dy) ? dy : [dy]).forEach((d, o) => this.rt.f32(mem.lossGrads[o].ptr, d.length).set(d));
    exec.backward(mem, this.context(batch, true));
  }

  /** Loss, gradients and one optimizer step on one batch. x [batch, ...inputShape]; y [batch, ...outputShape]
   *  (or [batch] class indices for a sparse loss). Returns the batch-mean loss before the step. */
  trainOnBatch(x: Float32Array, y: Float32Array, batch: number): number {
    const value = this.computeLossAndGrads(x, y, batch);
    this.applyOptimizer();
    return value;
  }

  /** Forward in training mode, loss and backward; gradients stay in memory. */
  computeLossAndGrads(x: Float32Array | Float32Array[], y: Float32Array, batch: number): number {
    const loss = this.loss;
    if (!loss || !this.optimizer) throw new ConfigError(`${this.name}: call compile({optimizer, loss}) before training`);
    if (this.outputs.length !== 1) throw new ConfigError(`${this.name}: computeLossAndGrads takes the targets of one output; the model has ${this.outputs.length}`);
    this.forwardBatch(x, batch, true);
    const n = batch * this.targetSize();
    if (y.length !== n) {
      throw new ConfigError(`${this.name}: loss ${loss.name} expects ${n} target values for ${batch} samples of output [${this.outputShape}], got ${y.length}`);
    }
    this.targetView(n).set(y);
    return this.runLoss(batch, true);
  }

  /** Gradient w.r.t. input `i` of the last backward (needs forwardBatch(..., withInputGrad)). */
  inputGradient(batch: number, i = 0): Float32Array {
    const t = this.inputs[i];
    const g = this.mem?.gradOf(this.graph.valueIndex(t));
    if (!g) throw new Error('inputGradient: run forwardBatch with withInputGrad = true first');
    return this.rt.download(g.ptr, batch * size(t.shape));
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

  private singleIO(what: string): void {
    if (this.inputs.length !== 1 || this.outputs.length !== 1) {
      throw new ConfigError(`${what}: model "${this.name}" has ${this.inputs.length} inputs and ${this.outputs.length} outputs; ${what} supports one input and one output so far (use forwardBatch for several)`);
    }
  }

  /** Trains the model (Keras/TF.js fit); resolves to the per-epoch history. */
  fit(x: TensorLike, y: Targets, args?: FitArgs): Promise<History> {
    try {
      this.singleIO('fit');
    } catch (e) {
      return Promise.reject(e);
    }
    return fit(this, x, y, args);
  }

  /** Loss and metrics on (x, y) as plain numbers, e.g. {loss: 0.31, accuracy: 0.9}. */
  evaluate(x: TensorLike, y: Targets, args?: EvaluateArgs): Logs {
    this.singleIO('evaluate');
    return evaluate(this, x, y, args);
  }

  /** Outputs [n, ...outputShape] for n samples, computed in batches. */
  predict(x: TensorLike, args?: EvaluateArgs): Tensor {
    this.singleIO('predict');
    return predict(this, x, args);
  }

  /** A table of layers, output shapes and weight counts; printed with printFn (default console.log). */
  summary(printFn: (line: string) => void = console.log): string {
    this.build();
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

  /** Releases all memory of the model (weights, work, optimizer state); its layers may then join another model. */
  dispose(): void {
    this.mem?.dispose();
    this.mem = null;
    this.optimizer?.dispose();
    if (this.built) {
      this.rt.release(this.paramsPtr);
      this.rt.release(this.statePtr);
      this.built = false;
      for (const l of this.layers) if (l.owner === this) l.owner = null;
    }
  }
}

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
