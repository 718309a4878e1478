// Running a planned graph: forward over the nodes in topological order, the losses of the
// outputs, backward in reverse order. Backward kernels accumulate, so a value read by several
// nodes (a branch, a shared layer) gets the sum of their gradients in its one gradient buffer,
// complete before its producer's backward runs.

import { InputLayer } from '../layers/input.ts';
import { size, type StepContext } from '../layers/layer.ts';
import type { Loss } from '../losses/index.ts';
import type { MemoryPlan } from './planner.ts';

/** The engine's last guard (the model's entry points check first, with messages for users): a
 *  kernel runs only on a live plan, within its capacity, and in training mode only on a training
 *  plan, whose every slot has an address. */
function checkPlan(mem: MemoryPlan, ctx: StepContext, training: boolean, what: string): void {
  if (!mem.work.live || !(ctx.batch >= 1 && ctx.batch <= mem.options.capacity) || (training && !mem.options.training)) {
    throw new Error(`cnn1d internal error: ${what} of ${ctx.batch} samples on a plan that is ${mem.work.live ? '' : 'released, '}for ${mem.options.training ? 'training' : 'inference'} of ${mem.options.capacity}`);
  }
}

export function forward(mem: MemoryPlan, ctx: StepContext): void {
  checkPlan(mem, ctx, ctx.training, 'forward');
  const { nodes } = mem.graph;
  for (let i = 0; i < nodes.length; i++) if (!(nodes[i].layer instanceof InputLayer)) nodes[i].layer.forward(ctx, mem.ios[i]);
}

/** Backward of every node; `fused[i]` says the loss already wrote node i's softmax logits gradient. */
export function backward(mem: MemoryPlan, ctx: StepContext, fused: ReadonlySet<number> = new Set()): void {
  checkPlan(mem, ctx, true, 'backward');
  const { nodes } = mem.graph;
  for (let i = nodes.length - 1; i >= 0; i--) if (!(nodes[i].layer instanceof InputLayer)) nodes[i].layer.backward(ctx, mem.ios[i], fused.has(i));
}

/** Weighted sum over the outputs of each output's batch-mean loss against the loaded targets
 *  (`weights[o]`, default 1; a weight of 1 costs nothing); with `perRow`, each loss row b is
 *  weighted by the loaded sampleWeights[o][b] (sum_b w_b l_b / B). With `withGrads`, also zeroes every
 *  gradient and writes w_o * d loss_o / d output; softmax + cross-entropy is fused
 *  (d loss / d logits = w_o (P - y)/B) at every output that ends in softmax and that no other
 *  node reads. Returns the total, each output's unweighted loss, and the nodes whose logits
 *  gradient was written. */
export function losses(mem: MemoryPlan, ctx: StepContext, fns: Loss[], withGrads: boolean, weights: readonly number[] = [], perRow = false): { value: number; values: number[]; fused: Set<number> } {
  checkPlan(mem, ctx, withGrads, 'loss');
  const { graph } = mem;
  const k = ctx.k;
  if (withGrads) mem.work.zeroGrads(k);
  let value = 0;
  const values: number[] = [];
  const fused = new Set<number>();
  const written = new Set<number>();
  graph.outputs.forEach((t, o) => {
    const loss = fns[o];
    const w = weights[o] ?? 1;
    const i = graph.valueIndex(t);
    const shape = mem.shapes.outs[i];
    const C = shape[shape.length - 1];
    const rows = (ctx.batch * size(shape)) / C;
    const y = mem.ios[i].y.ptr;
    const target = mem.targets[o].ptr;
    const grad = mem.lossGrads[o].ptr;
    const rowWeights = perRow ? mem.sampleWeights[o].ptr : 0;
    const v = loss.compute(k, y, target, grad, rows, C, rowWeights);
    values.push(v);
    value += w === 1 ? v : w * v;
    if (!withGrads) return;
    const logits = loss.fusesWithSoftmax && graph.consumers[i].length === 0 && graph.outputs.indexOf(t) === o ? graph.nodes[i].layer.softmaxLogitsGrad(mem.ios[i]) : null;
    // the fused kernel overwrites: one writer per buffer, never another output's loss gradient
    if (logits && !written.has(logits.ptr) && !mem.lossGrads.some((g) => g.ptr === logits.ptr)) {
      k.softmax_crossentropy_backward(y, target, logits.ptr, rows, C, loss.sparse ? 1 : 0, rowWeights);
      if (w !== 1) k.scale_f32(logits.ptr, logits.ptr, rows * C, Math.fround(w)); // logits [B, ...out]
      written.add(logits.ptr);
      fused.add(i);
    } else if (w !== 1) k.scale_f32(grad, grad, rows * C, Math.fround(w));
  });
  return { value, values, fused };
}
