// Streaming inference: model.stream() feeds the samples of one input as they arrive and returns
// the output steps each chunk completes, equal to the offline model's outputs on the whole signal.
//
// Every node input keeps a queue in WASM memory: the steps of its input stream not yet consumed,
//   queue [cap, C]   cap = (window - 1) + most steps arriving per slice   (a merge: + its lag)
// A node reads a layer's StreamSpec {window W, stride S, pad}: its queue starts with `pad` zeros
// (causal padding), and when it holds h >= W steps the layer's own kernels run on all h of them
// as a "valid" window (Layer.streamForward), giving T = floor((h - W)/S) + 1 outputs; the first
// T*S steps are then dropped (the rest slide to the front), so at most W-1 steps are kept: the
// receptive tail. A merge emits as many steps as all its inputs hold. Outputs are copied into the
// queues of the consumers. Everything is planned once per session for slices of at most
// maxChunk input samples; a longer chunk is processed slice by slice, so push never allocates
// WASM memory.
//   counts(n)[i]  steps node i has emitted after n input samples (closed form; sizes the plans)

import { ConfigError, showValue } from '../layers/args.ts';
import { InputLayer } from '../layers/input.ts';
import { NO_SLOT, size, type BufferPlanner, type Layer, type NodeIO, type StepContext, type StreamSpec } from '../layers/layer.ts';
import type { Graph } from '../engine/graph.ts';
import { Random } from '../runtime/random.ts';
import { Slot, WorkPlan } from '../runtime/plan.ts';
import type { KernelExports, Runtime } from '../runtime/runtime.ts';
import { ModelStateError, type ModelMemory } from './ownership.ts';
import { checkChunk, checkStreamOutputs, streamOptions } from './inputs.ts';

export interface StreamOptions {
  /** Most input samples run through the graph at once (default 256). The session's memory is
   *  planned for it; a longer chunk is processed in slices of this size. */
  maxChunk?: number;
}

/** The steps of one node input not yet consumed. */
interface Queue {
  slot: Slot; // [cap, C]
  C: number;
  have: number; // steps held
  skip: number; // incoming steps to drop (stride > window)
}

interface StreamNode {
  layer: Layer;
  spec: StreamSpec;
  io: NodeIO;
  queues: Queue[];
  /** Per consumer: the queue this node's output feeds. */
  feeds: Queue[];
  /** Channels per output step. */
  F: number;
}

/**
 * A streaming inference session of a model (model.stream()). push(chunk) takes the next samples
 * of the input, [n, C] flattened channels-last (any n >= 0), and returns the output steps they
 * complete, [steps, outC] flattened, as a new Float32Array (a copy: views of WASM memory go
 * stale when it grows). Concatenated, the returns equal the model's predict() on the whole
 * signal, to float rounding (the same kernels run on the same values; only the chunking of the
 * matrix products differs).
 *
 * Latency: an output step is returned by the push that brings the last input sample it reads;
 * a causal stride-1 graph returns one step per sample at once. Strides and "valid" windows
 * (pooling, valid convolutions) emit step t of a layer once input step t*S + W - 1 of it arrived.
 *
 * Cost per sample: the offline model's per-step work (each layer's kernels run only on new
 * output steps; the kept tail is read, not recomputed) plus copying each value's new steps into
 * its readers' queues and sliding the tails (O(channels x (W-1)) per node per push), and a fixed
 * JavaScript cost per node per push, which dominates pushes of a few samples (see bench/stream.ts).
 */
export class StreamSession {
  private readonly nodes: (StreamNode | null)[] = [];
  private readonly work: WorkPlan;
  private readonly ctx: StepContext;
  private readonly counts: number[];
  private readonly out: number;
  private readonly input: number;
  private readonly C: number;
  private readonly maxChunk: number;
  private pushed = 0;
  private disposed = false;
  private heap: Float32Array;
  private readonly ballast: ArrayBuffer;

  /** Use model.stream(). */
  constructor(
    private readonly model: { readonly name: string },
    private readonly graph: Graph,
    private readonly rt: Runtime,
    private readonly mem: ModelMemory,
    options: StreamOptions = {},
    /** The model's kernel table (on its threads). */
    kernels: KernelExports = rt.kernels,
  ) {
    const owner = `model "${model.name}": stream()`;
    const { maxChunk } = streamOptions(owner, options);
    this.maxChunk = maxChunk;
    if (graph.inputs.length !== 1 || graph.outputs.length !== 1) throw new ConfigError(`${owner}: streams a model of one input and one output, got ${graph.inputs.length} inputs and ${graph.outputs.length} outputs`);
    const inShape = graph.inputs[0].shape;
    if (inShape.length !== 2) throw new ConfigError(`${owner}: the input must be a sequence [length, channels], got [${inShape.join(', ')}]`);
    this.C = inShape[1];
    const N = graph.nodes.length;
    const specs = graph.nodes.map((node) => {
      if (node.layer instanceof InputLayer) return null;
      try {
        return node.layer.streamSpec();
      } catch (e) {
        if (e instanceof ConfigError) throw new ConfigError(`${owner}: ${e.message}`, { cause: e });
        throw e;
      }
    });
    this.specs = specs;
    this.counts = new Array<number>(N).fill(0);
    // rates: value i advances one step per P[i] input samples; a merge needs equal rates
    const P = graph.nodes.map(() => 1);
    graph.nodes.forEach((node, i) => {
      const s = specs[i];
      if (!s) return;
      const rates = node.inputs.map((x) => P[graph.valueIndex(x)]);
      if (rates.some((r) => r !== rates[0])) throw new ConfigError(`${owner}: ${node.layer.label} merges streams of different rates (one step per ${rates.join(', ')} input samples); its inputs must be downsampled alike`);
      P[i] = rates[0] * s.stride;
    });
    // largest lag of each merge input behind the merge, over a run long enough to settle
    const horizon = 4 * graph.nodes.reduce((n, node, i) => n + (specs[i] ? specs[i]!.window * P[i] : 0), 0) + 4 * Math.max(...P) + 16;
    const lag = graph.nodes.map((node) => node.inputs.map(() => 0));
    const merges = graph.nodes.some((node) => node.inputs.length > 1);
    for (let n = 0; merges && n <= horizon; n++) {
      const c = this.countsAt(n);
      graph.nodes.forEach((node, i) => {
        if (node.inputs.length > 1) node.inputs.forEach((x, j) => (lag[i][j] = Math.max(lag[i][j], c[graph.valueIndex(x)] - c[i])));
      });
    }
    // the plan: per value its most new steps per slice, per node input its queue
    const work = new WorkPlan(rt, 1);
    const constants: [Slot, number][] = [];
    const most: number[] = [];
    const ios: NodeIO[] = [];
    graph.nodes.forEach((node, i) => {
      const shape = node.output.shape;
      const F = size(shape.slice(1));
      const s = specs[i];
      if (!s) {
        most.push(maxChunk);
        const y = work.act(maxChunk * this.C);
        ios.push({ inShapes: [], outShape: [maxChunk, this.C], xs: [], dxs: [], y, dy: NO_SLOT, s: {} });
        this.nodes.push(null);
        return;
      }
      const queues = node.inputs.map((x, j): Queue => {
        const v = graph.valueIndex(x);
        const C = size(x.shape.slice(1));
        const cap = (node.inputs.length > 1 ? lag[i][j] : s.window - 1) + most[v];
        return { slot: work.act(cap * C), C, have: 0, skip: 0 };
      });
      const caps = queues.map((q) => q.slot.floats / q.C);
      const T = node.inputs.length > 1 ? Math.min(...caps) : Math.floor((caps[0] - s.window) / s.stride) + 1;
      most.push(T);
      const io: NodeIO = { inShapes: queues.map((q, j) => [caps[j], q.C]), outShape: [T, F], xs: queues.map((q) => q.slot), dxs: queues.map(() => null), y: work.act(T * F), dy: NO_SLOT, s: {} };
      ios.push(io);
      const planner: BufferPlanner = {
        capacity: 1,
        training: false,
        act: (f) => work.act(f),
        grad: () => {
          throw new Error(`${node.layer.label}: plan() asked for a gradient in a stream session`);
        },
        scratch: () => {
          throw new Error(`${node.layer.label}: plan() asked for backward scratch in a stream session`);
        },
        unusedGrad: () => {}, // no gradients here
        constant: (f, value = 0) => {
          const slot = work.act(f);
          constants.push([slot, value]);
          return slot;
        },
      };
      node.layer.plan(planner, io);
      this.nodes.push({ layer: node.layer, spec: s, io, queues, feeds: [], F });
    });
    graph.nodes.forEach((node, i) => {
      node.inputs.forEach((x, j) => this.nodes[graph.valueIndex(x)]?.feeds.push(this.nodes[i]!.queues[j]));
    });
    this.inputFeeds = graph.nodes.flatMap((node, i) => node.inputs.flatMap((x, j) => (graph.nodes[graph.valueIndex(x)].layer instanceof InputLayer ? [this.nodes[i]!.queues[j]] : [])));
    this.ios = ios;
    this.out = graph.valueIndex(graph.outputs[0]);
    this.input = graph.valueIndex(graph.inputs[0]);
    if (!this.nodes[this.out]) throw new ConfigError(`${owner}: the output is the input itself; there is nothing to stream`);
    work.allocate();
    for (const [slot, v] of constants) rt.f32(slot.ptr, slot.floats).fill(v);
    this.work = work;
    mem.sessions.add(work);
    // a session dropped without dispose() gives its memory back once collected (Arena.track)
    rt.arena.track(this, releaser(mem, work), work);
    this.ctx = { rt, k: kernels, batch: 1, training: false, rng: new Random(0) };
    this.heap = new Float32Array(rt.memory.buffer);
    // a buffer of the session's WASM bytes, never used: the collector counts it (external
    // memory), so dropped sessions are collected at the pace their WASM memory grows. 20,000
    // dropped sessions of 79 KB with an await every 100 peaked at 79 MB of WASM memory with it,
    // 545 MB without; test/models/stream-reclaim.test.ts's 1,500 of 312 KB at 250 and 350 sessions
    this.ballast = new ArrayBuffer(work.bytes);
    this.reset();
  }

  private readonly specs: (StreamSpec | null)[];
  private readonly inputFeeds: Queue[];
  private readonly ios: NodeIO[];

  /** Channels per output step. */
  get outputChannels(): number {
    return this.nodes[this.out]!.F;
  }

  /** Input samples pushed since the start (or the last reset). */
  get samples(): number {
    return this.pushed;
  }

  /** Steps node i has emitted after n input samples (into this.counts; no allocation). */
  private countsAt(n: number): number[] {
    const { graph, counts: c } = this;
    graph.nodes.forEach((node, i) => {
      const s = this.specs[i];
      if (!s) return void (c[i] = n);
      if (node.inputs.length > 1) {
        let m = Infinity;
        for (const x of node.inputs) m = Math.min(m, c[graph.valueIndex(x)]);
        return void (c[i] = m);
      }
      const a = c[graph.valueIndex(node.inputs[0])] + s.pad;
      c[i] = a >= s.window ? Math.floor((a - s.window) / s.stride) + 1 : 0;
    });
    return c;
  }

  private check(method: string): void {
    if (this.disposed) throw new ModelStateError(`model "${this.model.name}": stream session ${method}() after its dispose()`);
    if (this.mem.isReleased || !this.work.live) throw new ModelStateError(`model "${this.model.name}": stream session ${method}() after the model was disposed; its sessions' memory is released`);
  }

  /** Forgets the past: the next push starts a new signal (causal padding zeros again). */
  reset(): void {
    this.check('reset');
    for (const n of this.nodes) {
      if (!n) continue;
      for (const q of n.queues) {
        q.have = n.queues.length > 1 ? 0 : n.spec.pad;
        q.skip = 0;
        this.rt.f32(q.slot.ptr, q.slot.floats).fill(0);
      }
    }
    this.pushed = 0;
  }

  /** The next samples [n, C] (flattened, channels last; n may be 0); returns the output steps
   *  they complete, [steps, outC] flattened, as a new array. */
  push(chunk: Float32Array): Float32Array {
    this.check('push');
    const C = this.C;
    checkChunk(`model "${this.model.name}": stream push`, chunk, C);
    const n = chunk.length / C;
    const before = this.countsAt(this.pushed)[this.out];
    const steps = this.countsAt(this.pushed + n)[this.out] - before;
    const F = this.outputChannels;
    const result = new Float32Array(steps * F);
    if (this.heap.buffer !== this.rt.memory.buffer) this.heap = new Float32Array(this.rt.memory.buffer);
    let at = 0;
    for (let off = 0; off < n; off += this.maxChunk) at = this.slice(chunk, off, Math.min(this.maxChunk, n - off), result, at);
    if (at !== steps * F) throw new Error(`stream: ${at / F} output steps computed, ${steps} expected`);
    checkStreamOutputs(`model "${this.model.name}": stream push`, result, F, before);
    return result;
  }

  /** Runs samples [off, off + m) of chunk through the graph; writes the output steps at `at`. */
  private slice(chunk: Float32Array, off: number, m: number, result: Float32Array, at: number): number {
    const { heap, C } = this;
    const x = this.ios[this.input].y.ptr;
    heap.set(chunk.subarray(off * C, (off + m) * C), x >>> 2);
    for (const q of this.inputFeeds) this.append(q, x, m);
    this.pushed += m;
    for (let i = 0; i < this.nodes.length; i++) {
      const n = this.nodes[i];
      if (!n) continue;
      const { queues, spec, io, layer } = n;
      let T: number;
      if (queues.length > 1) {
        T = queues[0].have;
        for (const q of queues) T = Math.min(T, q.have);
        for (const s of io.inShapes) s[0] = T;
      } else {
        const h = queues[0].have;
        T = h >= spec.window ? Math.floor((h - spec.window) / spec.stride) + 1 : 0;
        io.inShapes[0][0] = h;
      }
      if (T === 0) continue;
      io.outShape[0] = T; // the layer reads its shapes from io
      layer.streamForward(this.ctx, io);
      for (const q of queues) this.consume(q, queues.length > 1 ? T : T * spec.stride);
      for (const q of n.feeds) this.append(q, io.y.ptr, T);
      if (i === this.out) {
        result.set(heap.subarray(io.y.ptr >>> 2, (io.y.ptr >>> 2) + T * n.F), at);
        at += T * n.F;
      }
    }
    return at;
  }

  /** Appends `steps` steps at src to q (dropping what a stride skips). */
  private append(q: Queue, src: number, steps: number): void {
    const drop = Math.min(q.skip, steps);
    q.skip -= drop;
    const from = (src >>> 2) + drop * q.C;
    this.heap.copyWithin((q.slot.ptr >>> 2) + q.have * q.C, from, from + (steps - drop) * q.C);
    q.have += steps - drop;
  }

  /** Drops the first `steps` steps of q; the rest slide to the front. */
  private consume(q: Queue, steps: number): void {
    if (steps >= q.have) {
      q.skip += steps - q.have;
      q.have = 0;
      return;
    }
    const base = q.slot.ptr >>> 2;
    this.heap.copyWithin(base, base + steps * q.C, base + q.have * q.C);
    q.have -= steps;
  }

  /** Releases the session's memory (its queues and buffers); the model stays usable. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.rt.arena.untrack(this.work);
    releaseSession(this.mem, this.work);
  }
}

function releaseSession(mem: ModelMemory, work: WorkPlan): void {
  work.dispose();
  mem.sessions.delete(work);
}

/** releaseSession as a closure over its arguments only (one made in the constructor would share
 *  the constructor's context, which holds the session, and so keep it alive). */
const releaser = (mem: ModelMemory, work: WorkPlan) => () => releaseSession(mem, work);
