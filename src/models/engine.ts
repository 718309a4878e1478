// The engine entry points of a model, used by fit/evaluate/predict, the golden runner and the
// gradient checks: plan, copy a batch in, forward, losses, backward, optimizer step, read back.
// Every entry point checks its arguments (guards.ts) and runs only on a live plan (core.ts).

import { ConfigError, showValue } from '../layers/args.ts';
import { size } from '../layers/layer.ts';
import { InputLayer } from '../layers/input.ts';
import type { SymbolicTensor } from '../engine/symbolic.ts';
import * as exec from '../engine/executor.ts';
import type { MemoryPlan } from '../engine/planner.ts';
import { ModelCore, type NamedWeight } from './core.ts';
import { checkLabels } from './inputs.ts';
import { checkBatch, checkBatchArrays, checkTargetArrays } from './guards.ts';
import { ModelStateError } from './ownership.ts';
import { applyConstraints, regularizationLoss } from '../layers/penalties.ts';

export class ModelEngine extends ModelCore {
  /** Plans memory for `batch` samples: for training (default) or inference only (buffers reused
   *  by liveness), and with the input gradient (for tests and saliency). */
  prepare(batch: number, withInputGrad = false, training = true, length?: number): void {
    this.ensureWork(batch, withInputGrad, training, 'prepare', length);
  }

  /** Bytes of the planned work memory (activations, gradients, scratch); 0 without a plan. */
  get workBytes(): number {
    return this.livePlan()?.bytes ?? 0;
  }

  /** View of input `i`'s buffer for `batch` samples; valid until the next prepare(). */
  inputView(batch: number, i = 0): Float32Array {
    const plan = this.liveWork('inputView', batch);
    const v = this.graph.valueIndex(this.graph.inputs[this.indexIn(this.graph.inputs, i, 'input', 'inputView')]);
    return this.rt.f32(plan.ios[v].y.ptr, batch * size(plan.shapes.outs[v]));
  }

  /** View of output `o`'s target buffer (`n` values); valid until the next prepare(). */
  targetView(n: number, o = 0): Float32Array {
    const target = this.liveWork('targetView', 1).targets[this.indexIn(this.graph.outputs, o, 'output', 'targetView')];
    if (!Number.isInteger(n) || n < 0 || n > target.floats) throw new ConfigError(`model "${this.name}": targetView: n must be an integer in 0..${target.floats}, got ${showValue(n)}`);
    return this.rt.f32(target.ptr, n);
  }

  /** View of output `o`'s per-row loss weights (`n` values: batch * rows per sample), read by
   *  runLosses(batch, backward, true); valid until the next prepare(). */
  sampleWeightView(n: number, o = 0): Float32Array {
    const slot = this.liveWork('sampleWeightView', 1).sampleWeights[this.indexIn(this.graph.outputs, o, 'output', 'sampleWeightView')];
    if (!Number.isInteger(n) || n < 0 || n > slot.floats) throw new ConfigError(`model "${this.name}": sampleWeightView: n must be an integer in 0..${slot.floats}, got ${showValue(n)}`);
    return this.rt.f32(slot.ptr, n);
  }

  /** View of output `o` of the last forward for `batch` samples. */
  outputView(batch: number, o = 0): Float32Array {
    const plan = this.liveWork('outputView', batch);
    const v = this.graph.valueIndex(this.graph.outputs[this.indexIn(this.graph.outputs, o, 'output', 'outputView')]);
    return this.rt.f32(plan.ios[v].y.ptr, batch * size(plan.shapes.outs[v]));
  }

  private indexIn(list: SymbolicTensor[], i: number, kind: string, method: string): number {
    if (!Number.isInteger(i) || !list[i]) throw new ConfigError(`model "${this.name}": ${method}: ${kind} ${showValue(i)} does not exist (the model has ${list.length})`);
    return i;
  }

  /** Runs every node on the loaded inputs. */
  runForward(batch: number, training: boolean): void {
    const plan = this.liveWork('runForward', batch, training);
    plan.trainedBatch = 0;
    exec.forward(plan, this.context(batch, training));
    if (training) plan.trainedBatch = batch;
  }

  /** Loss of the last forward against the loaded targets (sum over the outputs of lossWeights[o]
   *  * loss_o, plus the weight regularizers' penalties); with `backward`, also all gradients
   *  (zeroed first), softmax + cross-entropy fused. */
  runLoss(batch: number, backward: boolean): number {
    return this.runLosses(batch, backward).value;
  }

  /** runLoss, with each output's loss too (not multiplied by lossWeights); `sampleWeighted`: each
   *  loss row weighted by the loaded sampleWeightView. */
  runLosses(batch: number, backward: boolean, sampleWeighted = false): { value: number; values: number[] } {
    const plan = this.liveWork('runLoss', batch, backward);
    const losses = this.losses;
    if (losses.length === 0) throw new ConfigError(`model "${this.name}": runLoss: call compile({optimizer, loss}) first`);
    // the sparse kernels index by label: a label out of 0..C-1 would touch another model's memory
    this.graph.outputs.forEach((t, o) => {
      if (!losses[o].sparse) return;
      const shape = plan.shapes.outs[this.graph.valueIndex(t)];
      const C = shape[shape.length - 1];
      checkLabels(this.rt.f32(plan.targets[o].ptr, (batch * size(shape)) / C), C, `model "${this.name}": ${losses[o].name} targets`);
    });
    if (backward) this.checkTrainingForward(plan, 'runLoss', batch);
    const ctx = this.context(batch, true);
    const { value, values, fused } = exec.losses(plan, ctx, losses, backward, this.lossWeights, sampleWeighted);
    if (backward) exec.backward(plan, ctx, fused);
    // weight penalties join the total (not the per-output losses) and their gradients, as Keras
    return { value: value + regularizationLoss(ctx.k, this.weights, backward), values };
  }

  /** One optimizer step over the whole parameter block, then the weight constraints. */
  applyOptimizer(): void {
    this.checkAlive('applyOptimizer');
    const opt = this.optimizer;
    if (!opt) throw new ConfigError(`model "${this.name}": applyOptimizer: call compile({optimizer, loss}) first`);
    const grads = this.liveWork('applyOptimizer', 1, true).paramGrads!.ptr;
    const k = this.kernels;
    opt.step(this.rt, this.mem.params, grads, this.paramsFloats, k);
    applyConstraints(k, this.weights);
  }

  /** Number of target values per sample of output `o` for its compiled loss (at input `length`
   *  for a variable-length model). */
  targetSize(o = 0, length?: number): number {
    const out = this.outputShapesAt(length)[o];
    return this.losses[o]?.sparse ? size(out) / out[out.length - 1] : size(out);
  }

  /** Copies a batch of inputs in (one array per input) and runs the graph. Returns a view of the
   *  first output (valid until the next call that may allocate). */
  forwardBatch(x: Float32Array | Float32Array[], batch: number, training: boolean, withInputGrad = false): Float32Array {
    this.ensureBuilt('forwardBatch');
    const owner = `model "${this.name}"`;
    checkBatch(owner, 'forwardBatch', batch);
    const length = this.lengthOf(x, batch, 'forwardBatch');
    const xs = checkBatchArrays(owner, 'forwardBatch', 'x', x, this.inputShapesAt(length), batch, 'input');
    this.ensureWork(batch, withInputGrad, training, 'forwardBatch', length);
    xs.forEach((v, i) => this.inputView(batch, i).set(v));
    this.runForward(batch, training);
    return this.outputView(batch);
  }

  /** Backward from explicit output gradients (after forwardBatch(training=true)), one array per
   *  output. Gradients of the weights are then readable with weightGradients(), of the inputs
   *  with inputGradient(). */
  backwardFromOutputGrad(dy: Float32Array | Float32Array[], batch: number): void {
    const plan = this.liveWork('backwardFromOutputGrad', batch, true);
    const outs = this.graph.outputs.map((t) => plan.shapes.outs[this.graph.valueIndex(t)]);
    const dys = checkBatchArrays(`model "${this.name}"`, 'backwardFromOutputGrad', 'dy', dy, outs, batch, 'output');
    this.checkTrainingForward(plan, 'backwardFromOutputGrad', batch);
    const ctx = this.context(batch, true);
    plan.work.zeroGrads(ctx.k);
    dys.forEach((d, o) => this.rt.f32(plan.lossGrads[o].ptr, d.length).set(d));
    exec.backward(plan, ctx);
  }

  /** Backward reads what the forward saved: it needs a training forward of the same batch. */
  private checkTrainingForward(plan: MemoryPlan, method: string, batch: number): void {
    if (plan.trainedBatch !== batch) {
      throw new ConfigError(`model "${this.name}": ${method}: run a forward in training mode on this batch of ${batch} first (the last one ${plan.trainedBatch ? `had ${plan.trainedBatch} samples` : 'was not in training mode'})`);
    }
  }

  /** Loss, gradients and one optimizer step on one batch. x [batch, ...inputShape] per input;
   *  y [batch, ...outputShape] per output (or [batch] class indices for a sparse loss). Returns
   *  the batch-mean total loss before the step. */
  trainOnBatch(x: Float32Array | Float32Array[], y: Float32Array | Float32Array[], batch: number): number {
    const value = this.computeLossAndGrads(x, y, batch, 'trainOnBatch');
    this.applyOptimizer();
    return value;
  }

  /** Forward in training mode, loss and backward; gradients stay in memory. */
  computeLossAndGrads(x: Float32Array | Float32Array[], y: Float32Array | Float32Array[], batch: number, method = 'computeLossAndGrads'): number {
    this.checkAlive(method);
    if (this.losses.length === 0 || !this.optimizer) throw new ConfigError(`model "${this.name}": ${method}: call compile({optimizer, loss}) before training`);
    checkBatch(`model "${this.name}"`, method, batch); // before any size is computed from it
    const length = this.lengthOf(x, batch, method);
    const outs = this.outputShapesAt(length);
    const ys = checkTargetArrays(`model "${this.name}"`, method, y, outs, this.losses, outs.map((_, o) => this.targetSize(o, length)), batch);
    this.forwardBatch(x, batch, true);
    ys.forEach((v, o) => this.targetView(v.length, o).set(v));
    return this.runLoss(batch, true);
  }

  /** Gradient w.r.t. input `i` of the last backward (needs forwardBatch(..., withInputGrad)). */
  inputGradient(batch: number, i = 0): Float32Array {
    const plan = this.liveWork('inputGradient', batch);
    const v = this.graph.valueIndex(this.graph.inputs[this.indexIn(this.graph.inputs, i, 'input', 'inputGradient')]);
    const g = plan.gradOf(v);
    if (!g) throw new ConfigError(`model "${this.name}": inputGradient: run forwardBatch with withInputGrad = true first`);
    return this.rt.download(g.ptr, batch * size(plan.shapes.outs[v]));
  }

  /** Copies of the gradients of the trainable weights after the last backward. */
  weightGradients(): NamedWeight[] {
    const plan = this.liveWork('weightGradients', 1);
    if (!plan.paramGrads) throw new ModelStateError(`model "${this.name}": weightGradients: the planned memory is for inference; run a backward first`);
    return this.weights.filter((w) => w.trainable).map((w) => ({ name: w.name, shape: w.shape, data: this.rt.download(w.gradPtr, w.size) }));
  }

  /** After an inference forward of `batch` finite samples (the first being sample `first` of the
   *  caller's data): a NaN/±Infinity in an output (float32 overflow) is a ConfigError naming the
   *  layer whose output first became non-finite, found by copying the batch in again with
   *  `reload` (the plan may have reused the input buffers) and running the forward node by node.
   *  One counting kernel per output when all is finite. */
  checkFiniteOutputs(batch: number, method: string, reload: () => void, first = 0): void {
    const plan = this.liveWork(method, batch);
    const k = this.rt.kernels;
    const count = (i: number) => k.f32_count_nonfinite(plan.ios[i].y.ptr, batch * size(plan.shapes.outs[i]));
    if (this.graph.outputs.every((t) => count(this.graph.valueIndex(t)) === 0)) return;
    reload();
    const ctx = this.context(batch, false);
    const { nodes } = this.graph;
    for (let i = 0; i < nodes.length; i++) {
      if (nodes[i].layer instanceof InputLayer) continue;
      nodes[i].layer.forward(ctx, plan.ios[i]);
      if (count(i) === 0) continue;
      const per = size(plan.shapes.outs[i]);
      const y = this.rt.f32(plan.ios[i].y.ptr, batch * per);
      const j = y.findIndex((v) => !Number.isFinite(v));
      throw new ConfigError(
        `model "${this.name}": ${method}: the output of layer "${nodes[i].layer.name}" became ${y[j]} for sample ${first + Math.floor(j / per)} ` +
          `(position ${j % per}) although the inputs are finite: float32 overflowed (|x| > 3.4e38); scale the inputs (e.g. data.zNormalize) or check the weights`,
      );
    }
  }
}
