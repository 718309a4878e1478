// The training and inference loops over a model's engine: batches are copied straight into
// the model's input/target buffers (one copy per sample), the forward/backward/update run in the
// kernels, and only losses and a batch of outputs (for metrics) come back to JS.

import { ConfigError, checkKeys, positiveInt, finiteNumber, boolean, showValue } from '../layers/args.ts';
import { Random } from '../runtime/random.ts';
import { Tensor } from '../tensor.ts';
import type { Callback, Logs } from './callbacks.ts';
import { getMetric, metricState, type Metric, type MetricState } from './metrics.ts';
import { ProgressLogger } from './progress.ts';
import { inputParts, targetParts, slice, type Dataset, type ModelInputs, type ModelTargets } from './data.ts';
import type { LayersModel } from './model.ts';
import { Augmentation } from '../augment/pipeline.ts';
import type { Augmenter } from '../augment/augmenter.ts';
import { loadSampleWeights, sampleWeights, type ClassWeight, type SampleWeight } from './sample-weights.ts';
import { FiniteGuard } from './finite-guard.ts';

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

export type { Targets } from './data.ts';

export interface FitArgs {
  /** Passes over the training data (default 1). */
  epochs?: number;
  /** Samples per gradient step (default 32). */
  batchSize?: number;
  /** Shuffle the training samples before every epoch (default true). */
  shuffle?: boolean;
  /** Fraction of the samples, taken from the end before shuffling, held out for validation (Keras). */
  validationSplit?: number;
  /** Explicit validation data [x, y]; takes precedence over validationSplit. */
  validationData?: [ModelInputs, ModelTargets];
  /** Callbacks (earlyStopping, schedules, or objects with onEpochEnd/onBatchEnd/... hooks). */
  callbacks?: Callback | Callback[];
  /** 0 silent, 1 progress bar on a TTY and a line per epoch otherwise (default), 2 a line per epoch. */
  verbose?: 0 | 1 | 2;
  /** Seed of the shuffling (default: the model seed); with the model seed it makes runs repeatable. */
  seed?: number;
  /** Epoch to start counting from (default 0), to resume training. */
  initialEpoch?: number;
  /** Augmenters (augment.timeShift(...), augment.mixup(...), ...) run in order on every training
   *  batch in the model's input buffer, seeded from `seed`; never on validation data. */
  augment?: Augmenter[];
  /** {classIndex: weight}: each sample's loss times the weight of its class (others 1), as Keras;
   *  one output with a class vector per sample. Not applied to validationData. */
  classWeight?: ClassWeight;
  /** One loss weight per sample of x (Keras's sample_weight); validationSplit keeps its share. */
  sampleWeight?: SampleWeight;
}

export interface History {
  /** Epoch numbers that ran. */
  epoch: number[];
  /** Per-epoch values of loss, metrics, val_loss, val_metrics. */
  history: Record<string, number[]>;
}

export interface EvaluateArgs {
  batchSize?: number;
}

export interface EvaluateOptions extends EvaluateArgs {
  /** Decision threshold of the thresholded metrics (binaryAccuracy, binary accuracy,
   *  precision, recall, f1): a score above it predicts the label. Default: 0.5, 0 with fromLogits. */
  threshold?: number;
}

export { TrainingError } from './finite-guard.ts';

/** With `crop` (augment.randomCrop), x holds longer series whose windows of `crop.length` steps
 *  are copied: from a random start in training, from the centre (`centre`) for validation. */
export function dataset(model: LayersModel, x: ModelInputs, y: ModelTargets, what: string, crop?: { aug: Augmentation; centre: boolean }): Dataset {
  const src = crop?.aug.source(model, x, `${what} x`);
  const parts = inputParts(src?.x ?? x, src?.shapes ?? model, `${what} x`);
  const { xs, n } = parts;
  const length = src && parts.length !== undefined ? crop!.aug.crop : parts.length;
  const outs = model.outputShapesAt(length);
  const ys = targetParts(y, n, model.losses, outs, model.outputNames, `${what} y`);
  const xPer = model.inputShapesAt(length).map(size);
  const d: Dataset = { xs, ys, n, length, xPer, yPer: outs.map((_, o) => model.targetSize(o, length)) };
  if (!src) return d;
  const cropping = { ...d, xStride: [(src.S * xPer[0]) / crop!.aug.crop] };
  return crop!.centre ? crop!.aug.centre(cropping) : cropping;
}

/** Copies samples order[start .. start+count) of every input and target into the model's buffers;
 *  a cropping dataset's rows from d.xOffset + offsets[i] floats into each source row. */
export function load(model: LayersModel, d: Dataset, order: Int32Array | null, start: number, count: number, offsets: Int32Array | null = null): void {
  const parts: [Float32Array, Float32Array, number, number][] = [
    ...d.xs.map((x, i): [Float32Array, Float32Array, number, number] => [model.inputView(count, i), x, d.xPer[i], d.xStride?.[i] ?? d.xPer[i]]),
    ...d.ys.map((y, o): [Float32Array, Float32Array, number, number] => [model.targetView(count * d.yPer[o], o), y, d.yPer[o], d.yPer[o]]),
  ];
  for (const [view, data, per, stride] of parts) {
    if (!order && stride === per) {
      view.set(data.subarray(start * per, (start + count) * per));
      continue;
    }
    const cropping = stride !== per;
    for (let i = 0; i < count; i++) {
      const s = order ? order[start + i] : start + i;
      const from = s * stride + (cropping ? (d.xOffset ?? 0) + (offsets ? offsets[i] : 0) : 0);
      view.set(data.subarray(from, from + per), i * per);
    }
  }
  if (d.w) loadSampleWeights(model, d.w, order, start, count, d.length);
}

/** Sums over an epoch of the total loss, each output's loss and each output's metrics; logs are
 *  named as Keras names them: loss, <output>_loss, <output>_<metric> (just <metric> for one output). */
export class Accumulator {
  private lossSum = 0;
  private count = 0;
  private readonly outLoss: number[];
  private readonly states: MetricState[][];
  constructor(
    private readonly metrics: Metric[][],
    private readonly names: string[],
    /** Output shapes and target floats per sample of the data (at its input length). */
    private readonly d: { outs: number[][]; yPer: number[] },
  ) {
    this.outLoss = names.map(() => 0);
    this.states = metrics.map((ms) => ms.map(metricState));
  }
  add(model: LayersModel, loss: { value: number; values: number[] }, batch: number): void {
    this.lossSum += loss.value * batch;
    this.count += batch;
    loss.values.forEach((v, o) => (this.outLoss[o] += v * batch));
    this.metrics.forEach((ms, o) => {
      if (ms.length === 0) return;
      const out = model.outputView(batch, o);
      const shape = this.d.outs[o];
      const C = shape[shape.length - 1];
      const yTrue = model.targetView(batch * this.d.yPer[o], o);
      this.states[o].forEach((m) => m.add(out, yTrue, out.length / C, C));
    });
  }
  logs(prefix = ''): Logs {
    const logs: Logs = { [`${prefix}loss`]: this.lossSum / this.count };
    const many = this.names.length > 1;
    if (many) this.names.forEach((n, o) => (logs[`${prefix}${n}_loss`] = this.outLoss[o] / this.count));
    this.metrics.forEach((ms, o) => ms.forEach((m, i) => (logs[`${prefix}${many ? `${this.names[o]}_` : ''}${m.name}`] = this.states[o][i].result())));
    return logs;
  }
}

export const compiledMetrics = (model: LayersModel) => model.outputMetrics.map((ms, o) => ms.map((m) => getMetric(m, model.losses[o])));

export const nextTick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));


export async function fit(model: LayersModel, x: ModelInputs, y: ModelTargets, args: FitArgs = {}): Promise<History> {
  checkKeys('fit', args, ['epochs', 'batchSize', 'shuffle', 'validationSplit', 'validationData', 'callbacks', 'verbose', 'seed', 'initialEpoch', 'augment', 'classWeight', 'sampleWeight']);
  if (!model.loss || !model.optimizer) throw new ConfigError(`fit: call model.compile({optimizer, loss, metrics}) before fit`);
  const epochs = positiveInt('fit', 'epochs', args.epochs, 1);
  const batchSize = positiveInt('fit', 'batchSize', args.batchSize, 32);
  const shuffle = boolean('fit', 'shuffle', args.shuffle, true);
  const split = finiteNumber('fit', 'validationSplit', args.validationSplit, 0, 0, 1);
  if (split >= 1) throw new ConfigError(`fit: validationSplit must be < 1, got ${split}`);
  const verbose = args.verbose ?? 1;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw new ConfigError(`fit: verbose must be 0, 1 or 2, got ${showValue(args.verbose)}`);
  const initialEpoch = args.initialEpoch === undefined || args.initialEpoch === 0 ? 0 : positiveInt('fit', 'initialEpoch', args.initialEpoch);

  const seed = args.seed ?? model.seed ^ 0x5eed;
  const aug = Augmentation.create(model, args.augment, seed);
  const crop = aug?.crop ? aug : undefined;
  let train = dataset(model, x, y, 'fit', crop && { aug: crop, centre: false });
  const w = sampleWeights(model, train, args.classWeight, args.sampleWeight);
  if (w) train.w = w;
  let val: Dataset | null = null;
  if (args.validationData) {
    if (!Array.isArray(args.validationData) || args.validationData.length !== 2) throw new ConfigError('fit: validationData must be [x, y]');
    // a fixed-length model validates on the centre crop, a variable-length one on the whole series
    const valCrop = crop && !crop.variableLength ? { aug: crop, centre: true } : undefined;
    val = dataset(model, args.validationData[0], args.validationData[1], 'fit validationData', valCrop);
  } else if (split > 0) {
    const nVal = Math.floor(train.n * split);
    if (nVal < 1 || nVal >= train.n) throw new ConfigError(`fit: validationSplit ${split} of ${train.n} samples leaves ${nVal} validation and ${train.n - nVal} training samples; both must be >= 1`);
    const nTrain = train.n - nVal;
    val = slice(train, nTrain, train.n);
    train = slice(train, 0, nTrain);
    if (crop) val = crop.centre(val);
  }
  if (train.n === 0) throw new ConfigError('fit: no training samples');

  const metrics = compiledMetrics(model);
  const steps = Math.ceil(train.n / batchSize);
  const cbs: Callback[] = [...(Array.isArray(args.callbacks) ? args.callbacks : args.callbacks ? [args.callbacks] : [])];
  cbs.push(new ProgressLogger(verbose, epochs, steps, train.n));
  for (const cb of cbs) {
    if (typeof cb !== 'object' || cb === null) throw new ConfigError(`fit: callbacks must be objects with hooks such as onEpochEnd, got ${showValue(cb)}`);
    cb.setModel?.(model);
  }
  const rng = new Random(seed);
  aug?.bind(train, model.inputShapesAt(train.length)[0][0]);
  const order = Int32Array.from({ length: train.n }, (_, i) => i);
  const history: History = { epoch: [], history: {} };
  model.stopTraining = false;
  const trainShapes = { outs: model.outputShapesAt(train.length), yPer: train.yPer };
  model.prepare(Math.min(batchSize, train.n), false, true, train.length);

  const guard = new FiniteGuard(model);
  for (const cb of cbs) await cb.onTrainBegin?.();
  let step = 0;
  for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
    for (const cb of cbs) await cb.onEpochBegin?.(epoch);
    if (shuffle) rng.shuffle(order);
    const acc = new Accumulator(metrics, model.outputNames, trainShapes);
    let lastYield = performance.now();
    for (let b = 0; b < steps; b++) {
      const start = b * batchSize;
      const count = Math.min(batchSize, train.n - start);
      for (const cb of cbs) await cb.onBatchBegin?.(b);
      // the training plan, selected again after every await: a callback or a timer may have run
      // predict, evaluate or validation on the inference plan (or disposed the model: this throws)
      model.prepare(Math.min(batchSize, train.n), false, true, train.length);
      load(model, train, shuffle ? order : null, start, count, aug?.offsets(count) ?? null);
      aug?.apply(model, count, train.yPer);
      model.runForward(count, true);
      const loss = model.runLosses(count, true, train.w !== undefined);
      step++;
      guard.loss(loss.value, epoch, b, step);
      model.applyOptimizer();
      guard.stepped(epoch, b, step);
      acc.add(model, loss, count);
      const logs = acc.logs();
      for (const cb of cbs) await cb.onBatchEnd?.(b, logs);
      if (performance.now() - lastYield > 200) {
        await nextTick(); // keep a browser page (and timers) responsive
        lastYield = performance.now();
      }
    }
    const logs = acc.logs();
    if (val) Object.assign(logs, evaluateDataset(model, val, batchSize, metrics, 'val_'));
    history.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (history.history[k] ??= []).push(v);
    for (const cb of cbs) await cb.onEpochEnd?.(epoch, logs);
    await nextTick();
  }
  for (const cb of cbs) await cb.onTrainEnd?.();
  return history;
}

export function evaluateDataset(model: LayersModel, d: Dataset, batchSize: number, metrics: Metric[][], prefix = ''): Logs {
  const acc = new Accumulator(metrics, model.outputNames, { outs: model.outputShapesAt(d.length), yPer: d.yPer });
  model.prepare(Math.min(batchSize, d.n), false, false, d.length);
  for (let start = 0; start < d.n; start += batchSize) {
    const count = Math.min(batchSize, d.n - start);
    load(model, d, null, start, count);
    model.runForward(count, false);
    if (!prefix) model.checkFiniteOutputs(count, 'evaluate', () => load(model, d, null, start, count), start); // validation reports val_loss as it is, as Keras
    acc.add(model, model.runLosses(count, false, d.w !== undefined), count);
  }
  return acc.logs(prefix);
}

/** Loss and metrics of the model on (x, y), as plain numbers. */
export function evaluate(model: LayersModel, x: ModelInputs, y: ModelTargets, args: EvaluateOptions = {}): Logs {
  checkKeys('evaluate', args, ['batchSize', 'threshold']);
  if (!model.loss) throw new ConfigError('evaluate: call model.compile({optimizer, loss, metrics}) first');
  const batchSize = positiveInt('evaluate', 'batchSize', args.batchSize, 32);
  if (args.threshold !== undefined && (typeof args.threshold !== 'number' || !Number.isFinite(args.threshold))) {
    throw new ConfigError(`evaluate: threshold must be a finite number (the score above which a label is predicted), got ${showValue(args.threshold)}`);
  }
  const d = dataset(model, x, y, 'evaluate');
  if (d.n === 0) throw new ConfigError('evaluate: no samples');
  const metrics = model.outputMetrics.map((ms, o) => ms.map((m) => getMetric(m, model.losses[o], args.threshold)));
  return evaluateDataset(model, d, batchSize, metrics);
}

/** Outputs for any number of samples, computed in batches (inference mode): one tensor per output. */
export function predict(model: LayersModel, x: ModelInputs, args: EvaluateArgs = {}): Tensor[] {
  checkKeys('predict', args, ['batchSize']);
  const batchSize = positiveInt('predict', 'batchSize', args.batchSize, 32);
  const { xs, n, length } = inputParts(x, model, 'predict x');
  const inPer = model.inputShapesAt(length).map(size);
  const outShapes = model.outputShapesAt(length);
  const outs = outShapes.map((s) => new Float32Array(n * size(s)));
  model.prepare(Math.min(batchSize, Math.max(n, 1)), false, false, length);
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start);
    const copyIn = () => xs.forEach((data, i) => model.inputView(count, i).set(data.subarray(start * inPer[i], (start + count) * inPer[i])));
    copyIn();
    model.runForward(count, false);
    model.checkFiniteOutputs(count, 'predict', copyIn, start);
    outs.forEach((out, o) => out.set(model.outputView(count, o), start * size(outShapes[o])));
  }
  return outs.map((out, o) => new Tensor(out, [n, ...outShapes[o]]));
}
