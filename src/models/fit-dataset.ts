// fitDataset / evaluateDataset (the TF.js names and semantics) over a dataset of batches
// {xs, ys}: an async iterable, an iterable, or a TF.js-style object with iterator(). Each batch
// goes through the same checks, buffer copy, step, loss check and metric accumulation as fit().
// Without batchesPerEpoch an epoch is one full pass (a new iterator per epoch); with it, an epoch
// is that many batches of one iterator that runs on across epochs, as in TF.js.
// Prefetch: the next batch is requested as soon as the current one is copied into the model's
// buffers and before it trains, so a reader's file I/O (libuv threads) overlaps the synchronous
// WASM step, and a generator that reuses one buffer per batch cannot overwrite a batch not yet
// copied (TF.js asks after the step); at most two batches are alive at once. Evaluation asks
// after the batch's forward, which may copy the batch in again to name a layer that overflowed.

import { ConfigError, checkKeys, positiveInt, showValue } from '../layers/args.ts';
import type { Callback, Logs } from './callbacks.ts';
import type { ModelInputs, ModelTargets } from './data.ts';
import type { History } from './fit.ts';
import { Accumulator, compiledMetrics, dataset, evaluateDataset as evaluateArrays, load, nextTick } from './fit.ts';
import { FiniteGuard } from './finite-guard.ts';
import type { Metric } from './metrics.ts';
import type { LayersModel } from './model.ts';

/** One batch: inputs and targets as fit() takes them, with the batch as first axis. */
export interface Batch {
  xs: ModelInputs;
  ys: ModelTargets;
}

/** A source of batches: an async iterable (e.g. data.fromUCRFile), an iterable (an array of
 *  batches, a generator), or an object whose iterator() resolves to {next()} (a TF.js Dataset). */
export type BatchDataset = AsyncIterable<Batch> | Iterable<Batch> | { iterator(): Promise<{ next(): Promise<IteratorResult<Batch>> }> };

export interface FitDatasetArgs {
  /** Passes over the data (default 1). */
  epochs?: number;
  /** Batches per epoch; the iterator then continues across epochs (default: one full pass). */
  batchesPerEpoch?: number;
  /** A dataset of batches or [x, y] arrays, evaluated after every epoch. */
  validationData?: BatchDataset | [ModelInputs, ModelTargets];
  /** Batches of a validation dataset per evaluation (default: all). */
  validationBatches?: number;
  /** Samples per evaluation step when validationData is [x, y] (default 32). */
  validationBatchSize?: number;
  callbacks?: Callback | Callback[];
  /** 0 silent, 1 or 2 (default 1): a line per epoch (the number of batches is not known ahead). */
  verbose?: 0 | 1 | 2;
  /** Epoch to start counting from (default 0). */
  initialEpoch?: number;
}

export interface EvaluateDatasetArgs {
  /** Batches to evaluate (default: the whole dataset). */
  batches?: number;
}

type Iter = { next(): Promise<IteratorResult<Batch>> | IteratorResult<Batch>; return?(): unknown };
type Pending = { next: Promise<IteratorResult<Batch>> | null };

/** Ends an iterator that may not have run out (batchesPerEpoch, early stop, an error), so a
 *  reader closes its file; a prefetched batch that failed no longer matters. */
async function close(it: Iter, pending: Pending): Promise<void> {
  await pending.next?.catch(() => undefined);
  pending.next = null;
  await it.return?.();
}

async function openIterator(ds: BatchDataset, owner: string): Promise<Iter> {
  const d = ds as { [Symbol.asyncIterator]?: () => Iter; [Symbol.iterator]?: () => Iter; iterator?: () => Promise<Iter> } | null;
  if (typeof d?.[Symbol.asyncIterator] === 'function') return d[Symbol.asyncIterator]!();
  if (typeof d?.[Symbol.iterator] === 'function') return d[Symbol.iterator]!();
  if (typeof d?.iterator === 'function') return d.iterator();
  throw new ConfigError(`${owner}: dataset must be an async iterable or iterable of {xs, ys} batches (or have iterator()), got ${showValue(ds)}`);
}

function checkBatch(v: unknown, owner: string, index: number): Batch {
  if (typeof v !== 'object' || v === null || !('xs' in v) || !('ys' in v)) {
    throw new ConfigError(`${owner}: batch ${index + 1} must be {xs, ys}, got ${showValue(v)}`);
  }
  return v as Batch;
}

const isDataset = (v: unknown) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && (Symbol.asyncIterator in v || Symbol.iterator in v || typeof (v as { iterator?: unknown }).iterator === 'function');

/** Runs `batches` (or all) batches of `it` through `step`, which calls `loaded()` once the batch
 *  is copied into the model: the next batch is requested then, before the step trains. Returns
 *  how many ran and whether the iterator ended. */
async function eachBatch(it: Iter, limit: number, owner: string, pending: Pending, step: (b: Batch, i: number, loaded: () => void) => Promise<boolean | void>): Promise<{ ran: number; done: boolean }> {
  let ran = 0;
  while (ran < limit) {
    const r = await (pending.next ?? it.next());
    pending.next = null;
    if (r.done) return { ran, done: true };
    const batch = checkBatch(r.value, owner, ran);
    const loaded = () => {
      if (ran + 1 >= limit || pending.next) return;
      pending.next = Promise.resolve(it.next()); // prefetch: the reader works while this batch trains
      pending.next.catch(() => undefined); // its error is raised when it is awaited, not as unhandled
    };
    const stop = await step(batch, ran, loaded);
    ran++;
    if (stop) break;
  }
  return { ran, done: false };
}

const epochLine = (epoch: number, epochs: number, s: number, batches: number, samples: number, logs: Logs) =>
  `Epoch ${epoch + 1}/${epochs} - ${s.toFixed(1)}s - ${batches} batches, ${Math.round(samples / s)} samples/s - ` +
  Object.entries(logs).map(([k, v]) => `${k}: ${Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(3)}`).join(' - ');

/** Loss and metrics over the batches of a dataset (inference mode). */
export async function evaluateDataset(model: LayersModel, ds: BatchDataset, args: EvaluateDatasetArgs = {}, metrics?: Metric[][], prefix = ''): Promise<Logs> {
  const owner = 'evaluateDataset';
  checkKeys(owner, args, ['batches']);
  if (!model.loss) throw new ConfigError(`${owner}: call model.compile({optimizer, loss, metrics}) first`);
  const limit = args.batches === undefined ? Infinity : positiveInt(owner, 'batches', args.batches);
  const ms = metrics ?? compiledMetrics(model);
  let acc: Accumulator | null = null;
  let length: number | undefined;
  const it = await openIterator(ds, owner);
  const pending: Pending = { next: null };
  try {
    await eachBatch(it, limit, owner, pending, async (b, i, loaded) => {
      const d = dataset(model, b.xs, b.ys, `${owner} batch ${i + 1}`);
      if (d.n === 0) throw new ConfigError(`${owner}: batch ${i + 1} has no samples`);
      if (acc && d.length !== length) throw new ConfigError(`${owner}: batch ${i + 1} has length ${d.length}, batch 1 had ${length}; one dataset has one input length`);
      length = d.length;
      acc ??= new Accumulator(ms, model.outputNames, { outs: model.outputShapesAt(d.length), yPer: d.yPer });
      model.prepare(d.n, false, false, d.length);
      load(model, d, null, 0, d.n);
      model.runForward(d.n, false);
      if (!prefix) model.checkFiniteOutputs(d.n, `${owner} batch ${i + 1}`, () => load(model, d, null, 0, d.n)); // may copy the batch in again
      loaded();
      acc.add(model, model.runLosses(d.n, false), d.n);
    });
  } finally {
    await close(it, pending);
  }
  if (!acc) throw new ConfigError(`${owner}: the dataset yielded no batches`);
  return (acc as Accumulator).logs(prefix);
}

/** Trains on a dataset of batches (TF.js fitDataset); resolves to the per-epoch history. */
export async function fitDataset(model: LayersModel, ds: BatchDataset, args: FitDatasetArgs = {}): Promise<History> {
  const owner = 'fitDataset';
  checkKeys(owner, args, ['epochs', 'batchesPerEpoch', 'validationData', 'validationBatches', 'validationBatchSize', 'callbacks', 'verbose', 'initialEpoch']);
  if (!model.loss || !model.optimizer) throw new ConfigError(`${owner}: call model.compile({optimizer, loss, metrics}) before fitDataset`);
  const epochs = positiveInt(owner, 'epochs', args.epochs, 1);
  const perEpoch = args.batchesPerEpoch === undefined ? undefined : positiveInt(owner, 'batchesPerEpoch', args.batchesPerEpoch);
  const validationBatches = args.validationBatches === undefined ? undefined : positiveInt(owner, 'validationBatches', args.validationBatches);
  const validationBatchSize = positiveInt(owner, 'validationBatchSize', args.validationBatchSize, 32);
  const verbose = args.verbose ?? 1;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw new ConfigError(`${owner}: verbose must be 0, 1 or 2, got ${showValue(args.verbose)}`);
  const initialEpoch = args.initialEpoch === undefined || args.initialEpoch === 0 ? 0 : positiveInt(owner, 'initialEpoch', args.initialEpoch);
  const v = args.validationData;
  const valArrays = v === undefined || isDataset(v) ? null : Array.isArray(v) && v.length === 2 ? dataset(model, v[0], v[1], `${owner} validationData`) : null;
  if (v !== undefined && !isDataset(v) && !valArrays) throw new ConfigError(`${owner}: validationData must be a dataset of {xs, ys} batches or [x, y], got ${showValue(v)}`);

  const metrics = compiledMetrics(model);
  const cbs: Callback[] = [...(Array.isArray(args.callbacks) ? args.callbacks : args.callbacks ? [args.callbacks] : [])];
  for (const cb of cbs) {
    if (typeof cb !== 'object' || cb === null) throw new ConfigError(`${owner}: callbacks must be objects with hooks such as onEpochEnd, got ${showValue(cb)}`);
    cb.setModel?.(model);
  }
  const history: History = { epoch: [], history: {} };
  model.stopTraining = false;
  const guard = new FiniteGuard(model);
  let it = await openIterator(ds, owner);
  const pending: Pending = { next: null };
  let step = 0;
  for (const cb of cbs) await cb.onTrainBegin?.();
  try {
    for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
      if (perEpoch === undefined && epoch > initialEpoch) it = await openIterator(ds, owner);
      for (const cb of cbs) await cb.onEpochBegin?.(epoch);
      let acc: Accumulator | null = null;
      let length: number | undefined;
      let lastYield = performance.now();
      const epochStart = lastYield;
      let samples = 0;
      const { ran } = await eachBatch(it, perEpoch ?? Infinity, owner, pending, async (b, i, loaded) => {
        const d = dataset(model, b.xs, b.ys, `${owner} batch ${i + 1}`);
        if (d.n === 0) throw new ConfigError(`${owner}: batch ${i + 1} of epoch ${epoch + 1} has no samples`);
        if (acc && d.length !== length) throw new ConfigError(`${owner}: batch ${i + 1} has length ${d.length}, batch 1 had ${length}; one dataset has one input length`);
        length = d.length;
        acc ??= new Accumulator(metrics, model.outputNames, { outs: model.outputShapesAt(d.length), yPer: d.yPer });
        for (const cb of cbs) await cb.onBatchBegin?.(i);
        model.prepare(d.n, false, true, d.length);
        load(model, d, null, 0, d.n);
        loaded();
        model.runForward(d.n, true);
        const loss = model.runLosses(d.n, true);
        step++;
        guard.loss(loss.value, epoch, i, step);
        model.applyOptimizer();
        guard.stepped(epoch, i, step);
        acc.add(model, loss, d.n);
        samples += d.n;
        const logs = acc.logs();
        for (const cb of cbs) await cb.onBatchEnd?.(i, logs);
        if (performance.now() - lastYield > 200) {
          await nextTick();
          lastYield = performance.now();
        }
        return model.stopTraining;
      });
      if (!acc) {
        if (epoch === initialEpoch || perEpoch === undefined) throw new ConfigError(`${owner}: the dataset yielded no batches in epoch ${epoch + 1}`);
        console.warn(`${owner}: the dataset ran out after ${history.epoch.length} epochs; with batchesPerEpoch ${perEpoch} it must give at least batchesPerEpoch * epochs = ${perEpoch * epochs} batches`);
        break;
      }
      if (perEpoch !== undefined && ran < perEpoch && !model.stopTraining) {
        console.warn(`${owner}: batchesPerEpoch is ${perEpoch} but the dataset ran out after ${ran} batches in epoch ${epoch + 1}`);
      }
      const logs = (acc as Accumulator).logs();
      if (valArrays) Object.assign(logs, evaluateArrays(model, valArrays, validationBatchSize, metrics, 'val_'));
      else if (v !== undefined) Object.assign(logs, await evaluateDataset(model, v as BatchDataset, { batches: validationBatches }, metrics, 'val_'));
      history.epoch.push(epoch);
      for (const [k, val] of Object.entries(logs)) (history.history[k] ??= []).push(val);
      for (const cb of cbs) await cb.onEpochEnd?.(epoch, logs);
      if (verbose > 0) console.log(epochLine(epoch, epochs, (performance.now() - epochStart) / 1000, ran, samples, logs));
      await nextTick();
    }
  } finally {
    await close(it, pending);
  }
  for (const cb of cbs) await cb.onTrainEnd?.();
  return history;
}
