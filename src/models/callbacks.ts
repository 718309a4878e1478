// Training callbacks (Keras/TF.js hooks): early stopping with best-weight restore, learning-rate
// schedules (exponential, step, custom) and reduce-on-plateau. Hooks may be async.

import { ConfigError, checkKeys, finiteNumber, oneOf, positiveInt, boolean } from '../layers/args.ts';
import type { LayersModel } from './model.ts';

export type Logs = Record<string, number>;

export interface Callback {
  /** Called once before training with the model being trained. */
  setModel?(model: LayersModel): void;
  onTrainBegin?(logs?: Logs): void | Promise<void>;
  onTrainEnd?(logs?: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs?: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
}

/** Base class holding the model, for callbacks that act on it. */
export abstract class ModelCallback implements Callback {
  protected model!: LayersModel;
  setModel(model: LayersModel): void {
    this.model = model;
  }
}

type Mode = 'auto' | 'min' | 'max';

/** Whether `current` improves on `best` for a monitored quantity. */
function improves(monitor: string, mode: Mode, minDelta: number, current: number, best: number): boolean {
  const maximize = mode === 'max' || (mode === 'auto' && /acc|auc|precision|recall|f1/.test(monitor));
  return maximize ? current > best + minDelta : current < best - minDelta;
}

function monitored(owner: string, logs: Logs, monitor: string): number | undefined {
  const v = logs[monitor];
  if (v === undefined && !monitor.startsWith('val_')) {
    throw new ConfigError(`${owner}: monitor "${monitor}" is not in the epoch logs (${Object.keys(logs).join(', ')})`);
  }
  return v;
}

export interface EarlyStoppingArgs {
  /** Quantity to watch (default 'val_loss'; falls back to 'loss' without validation data). */
  monitor?: string;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  /** 'min', 'max' or 'auto' (max for accuracy-like names; default). */
  mode?: Mode;
  /** Put back the weights of the best epoch when training stops (default false). */
  restoreBestWeights?: boolean;
}

export class EarlyStopping extends ModelCallback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: Mode;
  readonly restoreBestWeights: boolean;
  /** Epoch at which training was stopped (-1 if it was not). */
  stoppedEpoch = -1;
  /** Epoch whose weights were the best. */
  bestEpoch = -1;
  private best = NaN;
  private wait = 0;
  private bestWeights: Float32Array[] | null = null;

  constructor(args: EarlyStoppingArgs = {}) {
    super();
    const o = 'callbacks.earlyStopping';
    checkKeys(o, args, ['monitor', 'minDelta', 'patience', 'mode', 'restoreBestWeights']);
    this.monitor = args.monitor ?? 'val_loss';
    this.minDelta = Math.abs(finiteNumber(o, 'minDelta', args.minDelta, 0));
    this.patience = args.patience === 0 ? 0 : positiveInt(o, 'patience', args.patience, 0);
    this.mode = oneOf(o, 'mode', args.mode, ['auto', 'min', 'max'] as const, 'auto');
    this.restoreBestWeights = boolean(o, 'restoreBestWeights', args.restoreBestWeights, false);
  }

  onTrainBegin(): void {
    this.best = NaN;
    this.wait = 0;
    this.stoppedEpoch = -1;
    this.bestEpoch = -1;
    this.bestWeights = null;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const key = logs[this.monitor] === undefined && this.monitor.startsWith('val_') ? this.monitor.slice(4) : this.monitor;
    const current = monitored('callbacks.earlyStopping', logs, key);
    if (current === undefined) return;
    if (Number.isNaN(this.best) || improves(key, this.mode, this.minDelta, current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      this.wait = 0;
      if (this.restoreBestWeights) this.bestWeights = this.model.getWeights().map((w) => w.data);
      return;
    }
    this.wait++;
    if (this.wait >= this.patience) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }

  onTrainEnd(): void {
    if (this.restoreBestWeights && this.bestWeights && this.stoppedEpoch >= 0) this.model.setWeights(this.bestWeights);
  }
}

/** Sets the learning rate at the start of every epoch from fn(epoch, currentLr). */
export class LearningRateScheduler extends ModelCallback {
  constructor(private readonly fn: (epoch: number, lr: number) => number) {
    super();
    if (typeof fn !== 'function') throw new ConfigError('callbacks.learningRateScheduler: expected a function (epoch, lr) => newLr');
  }

  onEpochBegin(epoch: number): void {
    const opt = this.model.optimizer!;
    const lr = this.fn(epoch, opt.learningRate);
    if (!Number.isFinite(lr) || lr < 0) throw new ConfigError(`callbacks.learningRateScheduler: the schedule returned ${lr} for epoch ${epoch}; expected a finite number >= 0`);
    opt.learningRate = lr;
  }
}

export interface ExponentialDecayArgs {
  /** Multiplier per decaySteps epochs (e.g. 0.96). */
  decayRate: number;
  /** Epochs per full decay step (default 1). */
  decaySteps?: number;
  /** Decay in whole steps rather than continuously (default false). */
  staircase?: boolean;
}

/** lr(epoch) = lr0 * decayRate^(epoch / decaySteps) (floored with staircase). */
export function exponentialDecay(args: ExponentialDecayArgs): LearningRateScheduler {
  const o = 'callbacks.exponentialDecay';
  checkKeys(o, args, ['decayRate', 'decaySteps', 'staircase']);
  const rate = finiteNumber(o, 'decayRate', args?.decayRate, NaN, 0);
  if (Number.isNaN(rate)) throw new ConfigError(`${o}: decayRate is required, e.g. 0.96`);
  const steps = positiveInt(o, 'decaySteps', args.decaySteps, 1);
  const staircase = boolean(o, 'staircase', args.staircase, false);
  let lr0 = NaN;
  return new LearningRateScheduler((epoch, lr) => {
    if (Number.isNaN(lr0)) lr0 = lr;
    const p = epoch / steps;
    return lr0 * Math.pow(rate, staircase ? Math.floor(p) : p);
  });
}

export interface StepDecayArgs {
  /** Multiplier applied every `every` epochs (e.g. 0.5). */
  factor: number;
  /** Epochs between drops. */
  every: number;
}

/** lr(epoch) = lr0 * factor^floor(epoch / every). */
export function stepDecay(args: StepDecayArgs): LearningRateScheduler {
  const o = 'callbacks.stepDecay';
  checkKeys(o, args, ['factor', 'every']);
  const factor = finiteNumber(o, 'factor', args?.factor, NaN, 0);
  if (Number.isNaN(factor)) throw new ConfigError(`${o}: factor is required, e.g. 0.5`);
  const every = positiveInt(o, 'every', args.every);
  let lr0 = NaN;
  return new LearningRateScheduler((epoch, lr) => {
    if (Number.isNaN(lr0)) lr0 = lr;
    return lr0 * Math.pow(factor, Math.floor(epoch / every));
  });
}

export interface ReduceLROnPlateauArgs {
  monitor?: string;
  /** Multiplier of the learning rate on a plateau (default 0.1). */
  factor?: number;
  /** Epochs without improvement before reducing (default 10). */
  patience?: number;
  mode?: Mode;
  /** Smallest change that counts as an improvement (default 1e-4). */
  minDelta?: number;
  /** Epochs to wait after a reduction (default 0). */
  cooldown?: number;
  /** Lower bound of the learning rate (default 0). */
  minLr?: number;
}

export class ReduceLROnPlateau extends ModelCallback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly mode: Mode;
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  private best = NaN;
  private wait = 0;
  private cooling = 0;

  constructor(args: ReduceLROnPlateauArgs = {}) {
    super();
    const o = 'callbacks.reduceLROnPlateau';
    checkKeys(o, args, ['monitor', 'factor', 'patience', 'mode', 'minDelta', 'cooldown', 'minLr']);
    this.monitor = args.monitor ?? 'val_loss';
    this.factor = finiteNumber(o, 'factor', args.factor, 0.1, 0, 1);
    if (this.factor >= 1) throw new ConfigError(`${o}: factor must be < 1, got ${this.factor}`);
    this.patience = args.patience === 0 ? 0 : positiveInt(o, 'patience', args.patience, 10);
    this.mode = oneOf(o, 'mode', args.mode, ['auto', 'min', 'max'] as const, 'auto');
    this.minDelta = finiteNumber(o, 'minDelta', args.minDelta, 1e-4, 0);
    this.cooldown = args.cooldown === 0 ? 0 : positiveInt(o, 'cooldown', args.cooldown, 0);
    this.minLr = finiteNumber(o, 'minLr', args.minLr, 0, 0);
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    const key = logs[this.monitor] === undefined && this.monitor.startsWith('val_') ? this.monitor.slice(4) : this.monitor;
    const current = monitored('callbacks.reduceLROnPlateau', logs, key);
    if (current === undefined) return;
    if (this.cooling > 0) this.cooling--;
    if (Number.isNaN(this.best) || improves(key, this.mode, this.minDelta, current, this.best)) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooling === 0 && ++this.wait >= this.patience) {
      const opt = this.model.optimizer!;
      opt.learningRate = Math.max(this.minLr, opt.learningRate * this.factor);
      this.cooling = this.cooldown;
      this.wait = 0;
    }
  }
}

export const callbacks = {
  earlyStopping: (args?: EarlyStoppingArgs) => new EarlyStopping(args),
  learningRateScheduler: (fn: (epoch: number, lr: number) => number) => new LearningRateScheduler(fn),
  exponentialDecay,
  stepDecay,
  reduceLROnPlateau: (args?: ReduceLROnPlateauArgs) => new ReduceLROnPlateau(args),
};
