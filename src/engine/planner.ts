// Memory of a graph for a batch capacity and an input length (the shapes of lengths.ts), in one WorkPlan (src/runtime/plan.ts): a buffer per
// value (node output) and per node (the layer's own buffers, NodeIO.s), and with training a
// gradient per value in the gradient block [parameter gradients | value gradients], zeroed by
// one fill per step.
//
// Training keeps every buffer for the backward. Inference plans by liveness: a value lives from
// its producer to its last reader (model outputs to the end, inputs from the start), a node's own
// buffers only during its forward; buffers whose lifetimes do not overlap share memory (greedy by
// size, as TFLite's arena planner), so a chain needs about two activations, not all of them.

import { InputLayer } from '../layers/input.ts';
import { NO_SLOT, size, type BufferPlanner, type Layer, type NodeIO } from '../layers/layer.ts';
import { Slot, WorkPlan } from '../runtime/plan.ts';
import type { Runtime } from '../runtime/runtime.ts';
import type { Graph } from './graph.ts';
import type { GraphShapes } from './lengths.ts';

export interface PlanOptions {
  /** Samples per step the buffers hold. */
  capacity: number;
  /** Plan gradients and everything backward needs. */
  training: boolean;
  /** Plan gradients of the model inputs too (training only): saliency, gradient checks. */
  inputGrads: boolean;
  /** Trainable parameter floats: their gradients open the gradient block. */
  paramFloats: number;
  /** Floats of the target of each output (what the loss reads per output). */
  targetFloats: number[];
}

/** A buffer of the inference pool: its lifetime in node steps, and its place once packed. */
interface Pooled {
  slot: Slot;
  floats: number;
  first: number;
  last: number;
  offset: number;
}

const round16 = (n: number) => Math.ceil(Math.max(n, 1) / 16) * 16; // 64-byte buffers, as the WorkPlan's slots

export class MemoryPlan {
  readonly work: WorkPlan;
  /** Per node (graph order): its buffers; input nodes have only y (and dy). */
  readonly ios: NodeIO[] = [];
  /** Gradient of the trainable parameters (training only). */
  readonly paramGrads: Slot | null;
  /** Per output: the targets, and where the loss writes d loss / d output. */
  readonly targets: Slot[];
  readonly lossGrads: Slot[];
  /** Per output: a weight per loss row [capacity * rows per sample] (fit's classWeight / sampleWeight). */
  readonly sampleWeights: Slot[];
  /** Floats of the inference pool (0 when training). */
  readonly poolFloats: number;
  /** Batch of the last training-mode forward on this plan (what a backward reads), else 0. */
  trainedBatch = 0;

  constructor(
    rt: Runtime,
    readonly graph: Graph,
    readonly options: PlanOptions,
    /** Shapes of every node at the input length planned for (lengths.ts). */
    readonly shapes: GraphShapes,
  ) {
    const { capacity, training, inputGrads } = options;
    const work = new WorkPlan(rt, capacity);
    this.work = work;
    this.paramGrads = training ? work.grad(options.paramFloats) : null;
    const pooled: Pooled[] = [];
    const N = graph.nodes.length;
    // at inference, storage of value i lives until lastRead[i] (views extend their source's)
    const lastRead = graph.consumers.map((c) => (c.length ? Math.max(...c) : -1));
    for (const t of graph.outputs) lastRead[graph.valueIndex(t)] = N;
    const storage: (Pooled | null)[] = [];
    const temp = (floats: number, first: number, last: number): Slot => {
      const p: Pooled = { slot: new Slot('act', 0, floats), floats, first, last, offset: 0 };
      pooled.push(p);
      return p.slot;
    };
    graph.nodes.forEach((node, i) => {
      const n = capacity * size(shapes.outs[i]);
      const xs = node.inputs.map((x) => this.ios[graph.valueIndex(x)].y);
      const dxs = node.inputs.map((x) => this.gradOf(graph.valueIndex(x)));
      let y: Slot;
      let dy: Slot | null = null;
      if (node.layer.isView) {
        const src = graph.valueIndex(node.inputs[0]);
        y = xs[0];
        if (!training) {
          const s = storage[src]!;
          s.last = Math.max(s.last, lastRead[i]);
          storage.push(s);
        } else storage.push(null);
        dy = training ? (dxs[0] ?? work.grad(n)) : null;
      } else if (training) {
        y = work.act(n);
        storage.push(null);
        const isInput = node.layer instanceof InputLayer;
        dy = !isInput || inputGrads ? work.grad(n) : null;
      } else {
        const isInput = node.layer instanceof InputLayer;
        y = temp(n, isInput ? -1 : i, lastRead[i]);
        storage.push(pooled[pooled.length - 1]);
      }
      const io: NodeIO = { inShapes: shapes.ins[i], outShape: shapes.outs[i], xs, dxs, y, dy: dy ?? NO_SLOT, s: {} };
      this.ios.push(io);
      this.grads.push(dy);
      const constants: [Slot, number][] = this.constants;
      const planner: BufferPlanner = {
        capacity,
        training,
        act: (f) => (training ? work.act(f) : temp(f, i, i)),
        grad: (f) => {
          if (!training) throw new Error(`${node.layer.label}: plan() asked for a gradient in an inference plan`);
          return work.grad(f);
        },
        scratch: (f) => {
          if (!training) throw new Error(`${node.layer.label}: plan() asked for backward scratch in an inference plan`);
          return work.scratch(f);
        },
        unusedGrad: (slot) => {
          if (training && slot.block === 'grad') work.skipZero(slot);
        },
        constant: (f, value = 0) => {
          const s = work.act(f);
          if (value !== 0) constants.push([s, value]);
          return s;
        },
      };
      node.layer.plan(planner, io);
      // inference-mode forwards (on any plan): a layer may fold into the node making its only
      // input when nothing else reads that value (batch norm into a linear Conv1D); that node
      // then writes this node's output, which in a pooled plan therefore lives from its step on
      const j = node.inputs.length === 1 ? graph.valueIndex(node.inputs[0]) : -1;
      if (j >= 0 && graph.consumers[j].length === 1 && lastRead[j] < N && !graph.nodes[j].layer.isView) {
        const at: BufferPlanner = training ? planner : { ...planner, act: (f) => temp(f, j, j) };
        if (node.layer.foldInto(graph.nodes[j].layer, at, this.ios[j], io) && storage[i]) storage[i].first = j;
      }
    });
    this.targets = options.targetFloats.map((f) => work.act(f));
    this.sampleWeights = graph.outputs.map((t) => {
      const out = shapes.outs[graph.valueIndex(t)];
      return work.act((capacity * size(out)) / out[out.length - 1]);
    });
    this.lossGrads = graph.outputs.map((t) => this.grads[graph.valueIndex(t)] ?? work.scratch(capacity * size(shapes.outs[graph.valueIndex(t)])));
    this.poolFloats = pack(pooled);
    this.pooled = pooled;
    this.poolSlot = this.poolFloats > 0 ? work.act(this.poolFloats) : null;
    this.rt = rt;
  }

  private readonly pooled: Pooled[];
  private readonly poolSlot: Slot | null;
  private readonly rt: Runtime;

  /** Makes the arena regions (all or nothing, see WorkPlan.allocate) and resolves every address. */
  allocate(): void {
    this.work.allocate();
    for (const p of this.pooled) p.slot.ptr = this.poolSlot!.ptr + 4 * p.offset;
    for (const [s, v] of this.constants) this.rt.f32(s.ptr, s.floats).fill(v);
  }

  /** Per value: its gradient, null when none is planned (inference, or an input without). */
  private readonly grads: (Slot | null)[] = [];
  private readonly constants: [Slot, number][] = [];

  gradOf(value: number): Slot | null {
    return this.grads[value] ?? null;
  }

  /** Bytes of all work blocks (activations, gradients, scratch). */
  get bytes(): number {
    return this.work.bytes;
  }

  dispose(): void {
    this.work.dispose();
    for (const p of this.pooled) p.slot.ptr = 0;
  }
}

/** Places buffers in one region so that buffers alive at the same step never overlap: largest
 *  first, each at the lowest offset that clears every placed buffer it overlaps in time.
 *  Returns the region's floats. */
function pack(buffers: Pooled[]): number {
  const placed: Pooled[] = [];
  let total = 0;
  const bySize = [...buffers].sort((a, b) => b.floats - a.floats || a.first - b.first);
  for (const b of bySize) {
    const need = round16(b.floats);
    const clash = placed.filter((p) => p.first <= b.last && b.first <= p.last).sort((p, q) => p.offset - q.offset);
    let offset = 0;
    for (const p of clash) {
      if (p.offset - offset >= need) break;
      offset = Math.max(offset, p.offset + round16(p.floats));
    }
    b.offset = offset;
    placed.push(b);
    total = Math.max(total, offset + need);
  }
  return total;
}
