// ModelCore: the graph, the shapes per input length and the memory of a model (ModelEngine,
// engine.ts, adds the engine entry points; LayersModel, model.ts, compile, fit, evaluate, predict
// and summary). Owns, through a ModelMemory (ownership.ts):
//   params  trainable weights, one contiguous block (so the optimizer is one kernel call)
//   state   non-trainable weights (batch-norm moving statistics)
//   work    two MemoryPlans of the graph (engine/planner.ts), each for a batch capacity and an
//           input length, kept apart: the training plan (every buffer kept for the backward,
//           gradients) and the inference plan (buffers shared by liveness). Each is re-planned
//           only when a larger batch, an input gradient or another input length (inputs
//           declared [null, C]) is first needed for its kind; a new training plan also releases
//           the inference plan, so at most one of each is held.
// Plans know what they are for. prepare() (and forwardBatch, fit, evaluate, predict) selects the
// plan the raw entry points act on: the training plan when it fits the call (it also serves
// inference at its length and capacity), else the inference plan for an inference call. Every
// kernel-running entry point checks that the selected plan is live and fits the call (batch
// within its capacity; a training plan for a training forward, a backward or an optimizer step)
// and refuses with a ModelStateError otherwise, so no kernel writes through a slot of a plan
// that is not its own (a released slot is address 0). fit selects its training plan again
// before every step, after the callbacks: a predict or evaluate from a callback or a timer
// selects (or re-plans) the inference plan and leaves the training plan's addresses valid.
// Stream sessions have plans of their own (stream.ts).
// The runtime (memory + kernels + arena) is passed in; the shared one is the default. A disposed
// model, or one whose build failed, throws on every method; the engine never runs a kernel
// without a live work plan.

import { ConfigError, showValue } from '../layers/args.ts';
import { initialize } from '../layers/initializers.ts';
import { size, type Layer, type StepContext, type Weight } from '../layers/layer.ts';
import { Graph } from '../engine/graph.ts';
import { MemoryPlan } from '../engine/planner.ts';
import { checkVariableLength, isVariableLength, shapesAt, templateShapes, type GraphShapes } from '../engine/lengths.ts';
import type { SymbolicTensor } from '../engine/symbolic.ts';
import type { Loss } from '../losses/index.ts';
import type { Optimizer } from '../optimizers/index.ts';
import { OutOfMemoryError } from '../runtime/arena.ts';
import { Random } from '../runtime/random.ts';
import { checkThreads, runtime, type KernelExports, type Runtime } from '../runtime/runtime.ts';
import { InputLayer } from '../layers/input.ts';
import { describe, isNumbers } from './inputs.ts';
import { checkBatch, checkWeightValues, isList } from './guards.ts';
import { ModelMemory, ModelStateError, track, untrack, type PlanKind } from './ownership.ts';

export interface BaseModelArgs {
  /** Model name. */
  name?: string;
  /** Seed of weight initialisation, shuffling and dropout (default: random). */
  seed?: number;
  /** The runtime whose memory holds the model (default: the shared runtime()). */
  runtime?: Runtime;
  /** Threads this model's kernels run on (default: the runtime's, see setThreads; 1 where
   *  threads are unavailable). */
  threads?: number;
}

/** A weight as plain data: Keras name, shape and values. */
export interface NamedWeight {
  name: string;
  shape: number[];
  data: Float32Array;
}

export class ModelCore {
  name: string;
  seed: number;
  /** Per output: the compiled loss and its weight in the total loss. */
  losses: Loss[] = [];
  lossWeights: number[] = [];
  protected readonly rt: Runtime;
  protected rng: Random;
  /** The model's own thread count, or undefined: the runtime's. */
  protected readonly threads: number | undefined;
  protected readonly mem: ModelMemory;
  private graphCache: Graph | null = null;
  /** Inputs declared [null, C]: plans and shapes are per input length. */
  private variable = false;
  private readonly shapesCache = new Map<number, GraphShapes>();
  private built = false;
  protected paramsFloats = 0;
  private stateFloats = 0;
  /** Per kind, the model's plan (null when none is held). */
  private readonly plans: Record<PlanKind, MemoryPlan | null> = { training: null, inference: null };
  /** The plan the raw entry points act on (the last one prepare() selected). */
  private selected: MemoryPlan | null = null;

  constructor(args: BaseModelArgs, defaultName: string, graph?: (name: string) => Graph) {
    this.name = args.name ?? defaultName;
    this.seed = args.seed ?? Math.floor(Math.random() * 2 ** 31);
    this.rng = new Random(this.seed);
    this.rt = args.runtime ?? runtime();
    this.threads = args.threads === undefined ? undefined : checkThreads(`model "${this.name}"`, args.threads);
    if (graph) this.adopt(graph(this.name));
    this.mem = new ModelMemory(this.rt);
    track(this, this.mem);
  }

  /** The loss of the (first) output, null before compile. */
  get loss(): Loss | null {
    return this.losses[0] ?? null;
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
    return this.graphCache ?? this.adopt(this.makeGraph());
  }

  private adopt(graph: Graph): Graph {
    if (isVariableLength(graph)) checkVariableLength(graph, `model "${this.name}"`);
    this.variable = isVariableLength(graph);
    this.graphCache = graph;
    return graph;
  }

  /** Shapes of one sample of each input at input `length` (the declared ones for a fixed length). */
  inputShapesAt(length?: number): number[][] {
    const s = this.shapesAt(length);
    return this.graph.inputs.map((t) => s.outs[this.graph.valueIndex(t)]);
  }

  /** Shapes of one sample of each output at input `length`. */
  outputShapesAt(length?: number): number[][] {
    this.ensureBuilt('outputShapesAt');
    const s = this.shapesAt(length);
    return this.graph.outputs.map((t) => s.outs[this.graph.valueIndex(t)]);
  }

  /** Whether the model takes inputs of any length (an input declared [null, C]). */
  get variableLength(): boolean {
    void this.graph; // a Sequential makes its graph here
    return this.variable;
  }

  /** Shapes of every value for inputs of `length` samples (the declared shapes for a fixed-length
   *  model, whatever `length`). Throws a ConfigError naming the layer that the length does not fit. */
  shapesAt(length?: number): GraphShapes {
    const graph = this.graph;
    if (!this.variable) {
      let t = this.shapesCache.get(0);
      if (!t) this.shapesCache.set(0, (t = templateShapes(graph)));
      return t;
    }
    if (!Number.isSafeInteger(length) || (length as number) < 1) throw new ConfigError(`model "${this.name}": takes inputs of any length ([null, C]); the length must be a positive integer, got ${showValue(length)}`);
    let shapes = this.shapesCache.get(length as number);
    if (shapes) return shapes;
    shapes = shapesAt(graph, length as number, `model "${this.name}"`);
    if (this.shapesCache.size >= 8) this.shapesCache.delete(this.shapesCache.keys().next().value as number);
    this.shapesCache.set(length as number, shapes);
    return shapes;
  }

  /** Input length of a batch of flat values of the inputs (variable-length models; undefined
   *  for a fixed length): taken from the first input declared [null, C]. */
  protected lengthOf(x: unknown, batch: number, method: string): number | undefined {
    if (!this.variable) return undefined;
    const i = this.graph.inputs.findIndex((t) => (t.node.layer as InputLayer).variableLength);
    const v = isList(x) ? x[i] : x;
    const C = this.graph.inputs[i].shape[1];
    const n = isNumbers(v) ? v.length : NaN;
    if (!(n > 0 && n % (batch * C) === 0)) {
      throw new ConfigError(`model "${this.name}": ${method} x${isList(x) ? `[${i}]` : ''}: expected ${showValue(batch)} samples of shape [L, ${C}] for an input length L, got ${describe(v)}`);
    }
    return n / (batch * C);
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

  protected ensureBuilt(method: string): void {
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
    // a layer's weights live in one model's memory; layers without weights are shared freely.
    // layer.owner is the ModelMemory, not the model: a kept layer must not keep its model alive
    const weighted = ls.filter((l) => l.weights.length > 0);
    for (const l of weighted) {
      const owner = l.owner;
      if (owner && owner !== this.mem && !(owner instanceof ModelMemory && owner.isReleased)) {
        throw new ConfigError(`model "${this.name}": ${l.label} already belongs to model "${owner.name}", whose memory holds its weights; create a new layer, or dispose() the other model first`);
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
    this.mem.name = this.name;
    for (const l of weighted) l.owner = this.mem;
  }

  /** Number of weights (trainable and not). */
  countParams(): number {
    this.ensureBuilt('countParams');
    return this.paramsFloats + this.stateFloats;
  }

  /** Selects a plan for at least `batch` samples at input `length` (default: the selected
   *  plan's), for training or inference: a held one that fits, else a new one of that kind. The
   *  old plan of the kind is released first (a new training plan releases the inference plan
   *  too); if the new one cannot be allocated the model keeps no plan of the kind and none is
   *  selected (the next call plans from scratch, so a smaller batch works again) and an
   *  OutOfMemoryError names the batch and the bytes wanted. */
  protected ensureWork(batch: number, withInputGrad: boolean, training: boolean, method: string, length?: number): MemoryPlan {
    this.ensureBuilt(method);
    checkBatch(`model "${this.name}"`, method, batch);
    const shapes = this.shapesAt(length ?? this.livePlan()?.shapes.length);
    const held = this.plans.training;
    if (held && this.fits(held, shapes, batch, training, withInputGrad)) return (this.selected = held);
    const inference = this.plans.inference;
    if (!training && inference && this.fits(inference, shapes, batch, training, withInputGrad)) return (this.selected = inference);
    const kind: PlanKind = training ? 'training' : 'inference';
    // a plan is for one (capacity, length): a new length starts from the batch asked for
    const old = this.plans[kind];
    const keep = old && this.isLive(old) && old.shapes === shapes ? old.options : null;
    const capacity = Math.max(batch, keep?.capacity ?? 0);
    const options = {
      capacity,
      training,
      inputGrads: withInputGrad || (keep?.inputGrads ?? false),
      paramFloats: this.paramsFloats,
      targetFloats: this.graph.outputs.map((t) => capacity * size(shapes.outs[this.graph.valueIndex(t)])),
    };
    this.dropPlan(kind);
    if (training) this.dropPlan('inference');
    const plan = new MemoryPlan(this.rt, this.graph, options, shapes);
    try {
      plan.allocate();
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      throw new OutOfMemoryError(
        `model "${this.name}": cannot plan working memory for a batch of ${capacity} samples${this.variable ? ` of length ${shapes.length}` : ''} (${plan.bytes} bytes of activations, gradients and scratch): ` +
          `${e.message}. Nothing was allocated and the weights are intact; use a smaller batchSize`,
        { cause: e },
      );
    }
    // every trainable weight's gradient sits at the same offset in paramGrads as in params
    if (plan.paramGrads) for (const w of this.layers.flatMap((l) => l.weights)) if (w.trainable) w.gradPtr = plan.paramGrads.ptr + (w.ptr - this.mem.params);
    this.mem.setWork(kind, plan.work);
    this.plans[kind] = plan;
    return (this.selected = plan);
  }

  /** Whether a held plan serves a call: live, at these shapes, with room for `batch`, of the
   *  kind asked (a training plan also serves inference). */
  private fits(p: MemoryPlan, shapes: GraphShapes, batch: number, training: boolean, withInputGrad: boolean): boolean {
    return this.isLive(p) && p.shapes === shapes && p.options.capacity >= batch && (p.options.training || !training) && (p.options.inputGrads || !withInputGrad);
  }

  /** Releases the plan of a kind (unselecting it). */
  private dropPlan(kind: PlanKind): void {
    if (this.selected && this.selected === this.plans[kind]) this.selected = null;
    this.plans[kind] = null;
    this.mem.setWork(kind, null);
  }

  /** Whether a plan's memory is still held (not released by dispose or a re-plan of its kind). */
  private isLive(plan: MemoryPlan): boolean {
    return plan.work.live && this.mem.work(plan.options.training ? 'training' : 'inference') === plan.work;
  }

  /** The selected plan if its memory is still held. */
  protected livePlan(): MemoryPlan | null {
    const plan = this.selected;
    return plan && this.isLive(plan) ? plan : null;
  }

  /** The selected plan, after checking that it fits the call: live (no kernel runs on a released
   *  plan, whose slots are address 0), `batch` samples within its capacity, and with `training`
   *  a training plan (a training forward, a backward and an optimizer step write the buffers and
   *  gradients only a training plan has). */
  protected liveWork(method: string, batch: number, training = false): MemoryPlan {
    const plan = this.livePlan();
    if (plan && Number.isInteger(batch) && batch >= 1 && batch <= plan.options.capacity && (plan.options.training || !training)) return plan;
    this.checkAlive(method);
    if (!plan) throw new ModelStateError(`model "${this.name}": ${method}: no working memory is planned; call prepare(batch) (or forwardBatch) first`);
    if (training && !plan.options.training) {
      const at = this.variable ? ` of length ${plan.shapes.length}` : '';
      throw new ModelStateError(
        `model "${this.name}": ${method}: the selected plan is for inference (a batch of ${plan.options.capacity} samples${at}); a training forward, a backward or an optimizer step needs a training plan: call prepare(batch) (or forwardBatch(x, batch, true)) first`,
      );
    }
    throw new ConfigError(`model "${this.name}": ${method}: batch must be an integer in 1..${plan.options.capacity} (the planned capacity), got ${showValue(batch)}`);
  }

  /** The kernel table every kernel call of the model goes through (steps, optimizer, checks,
   *  stream sessions): on the model's `threads`, else the runtime's. The one place a model's
   *  thread count is applied. */
  protected get kernels(): KernelExports {
    return this.threads === undefined ? this.rt.kernels : this.rt.kernelsFor(this.threads);
  }

  protected context(batch: number, training: boolean): StepContext {
    return { rt: this.rt, k: this.kernels, batch, training, rng: this.rng };
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
    checkWeightValues(values, ws).forEach((v, i) => this.rt.f32(ws[i].ptr, ws[i].size).set(v));
  }

  /** The first NaN/±Infinity among the weights and the non-trainable state (moving statistics),
   *  or null. Counted by one kernel per block; searched in JS only when there is one. */
  firstNonFiniteWeight(): { name: string; index: number; value: number } | null {
    this.ensureBuilt('firstNonFiniteWeight');
    const k = this.kernels;
    if (k.f32_count_nonfinite(this.mem.params, this.paramsFloats) + k.f32_count_nonfinite(this.mem.state, this.stateFloats) === 0) return null;
    for (const w of this.weights) {
      const v = this.rt.f32(w.ptr, w.size);
      for (let i = 0; i < w.size; i++) if (!Number.isFinite(v[i])) return { name: w.name, index: i, value: v[i] };
    }
    return null;
  }

  /** The trainable and non-trainable blocks as one copy [paramsFloats + stateFloats] (two
   *  memcpys), into `into` when it has that length. */
  snapshotWeights(into?: Float32Array): Float32Array {
    this.ensureBuilt('snapshotWeights');
    const out = into?.length === this.paramsFloats + this.stateFloats ? into : new Float32Array(this.paramsFloats + this.stateFloats);
    out.set(this.rt.f32(this.mem.params, this.paramsFloats));
    out.set(this.rt.f32(this.mem.state, this.stateFloats), this.paramsFloats);
    return out;
  }

  /** Writes a snapshotWeights() copy back (two memcpys). */
  restoreWeights(snapshot: Float32Array): void {
    this.ensureBuilt('restoreWeights');
    if (snapshot.length !== this.paramsFloats + this.stateFloats) throw new ConfigError(`model "${this.name}": restoreWeights: expected ${this.paramsFloats + this.stateFloats} floats, got ${snapshot.length}`);
    this.rt.f32(this.mem.params, this.paramsFloats).set(snapshot.subarray(0, this.paramsFloats));
    this.rt.f32(this.mem.state, this.stateFloats).set(snapshot.subarray(this.paramsFloats));
  }

  /** Releases all memory of the model (weights, work, optimizer state), once; every other method
   *  then throws a ModelStateError, and its layers may join another model. Call it when done: a
   *  model garbage collected without it also gives its memory back (a FinalizationRegistry), but
   *  only whenever the collector runs. */
  dispose(): void {
    untrack(this.mem);
    this.mem.release();
    this.plans.training = this.plans.inference = this.selected = null;
    if (this.graphCache) for (const l of this.graphCache.layers) if (l.owner === this.mem) l.owner = null;
  }
}
