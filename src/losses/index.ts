// Losses: value and gradient of the batch mean, computed by one kernel call.
//   yPred [B, C]   yTrue [B, C], or [B] class indices for the sparse losses
// Reductions follow Keras (mean over the last axis, or sum for categorical cross-entropy and KLD,
// then mean over the batch).

import { LossKind } from '../runtime/codes.ts';
import type { KernelExports } from '../runtime/runtime.ts';
import { ConfigError, boolean, checkKeys, finiteNumber, showValue, suggest } from '../layers/args.ts';

export type LossName =
  | 'meanSquaredError'
  | 'meanAbsoluteError'
  | 'huber'
  | 'logCosh'
  | 'categoricalCrossentropy'
  | 'sparseCategoricalCrossentropy'
  | 'binaryCrossentropy'
  | 'hinge'
  | 'squaredHinge'
  | 'categoricalHinge'
  | 'exponential'
  | 'kullbackLeiblerDivergence'
  | 'poisson'
  | 'meanAbsolutePercentageError'
  | 'meanSquaredLogarithmicError';

const ALIASES: Record<string, LossName> = {
  mse: 'meanSquaredError',
  mae: 'meanAbsoluteError',
  mape: 'meanAbsolutePercentageError',
  msle: 'meanSquaredLogarithmicError',
  kld: 'kullbackLeiblerDivergence',
  logcosh: 'logCosh',
};

export interface LossOptions {
  /** Cross-entropies: yPred are logits, not probabilities (default false). */
  fromLogits?: boolean;
  /** Huber: the threshold between the quadratic and linear parts (default 1). */
  delta?: number;
  /** Exponential: the scale beta in exp(-beta * y * p) (default 1). */
  beta?: number;
}

export class Loss {
  private constructor(
    readonly name: LossName,
    readonly kind: number,
    readonly param: number,
    readonly fromLogits: boolean,
  ) {}

  /** Targets are class indices [B] rather than [B, C]. */
  get sparse(): boolean {
    return this.name === 'sparseCategoricalCrossentropy';
  }

  /** Categorical cross-entropy on probabilities: a softmax output before it can be fused so the
   *  gradient w.r.t. the logits is (P - y)/B. */
  get fusesWithSoftmax(): boolean {
    return !this.fromLogits && (this.name === 'categoricalCrossentropy' || this.name === 'sparseCategoricalCrossentropy');
  }

  /** Batch-mean loss; grad = d loss / d yPred (overwritten). weights (a pointer, 0 for none):
   *  per-row weights [B], giving sum_b w_b loss_b / B (Keras's sample weights). */
  compute(k: KernelExports, yPred: number, yTrue: number, grad: number, B: number, C: number, weights = 0): number {
    return k.loss_forward_backward(this.kind, yPred, yTrue, grad, B, C, this.param, weights);
  }

  getConfig(): Record<string, unknown> {
    return { name: this.name, fromLogits: this.fromLogits, ...(this.name === 'huber' ? { delta: this.param } : {}), ...(this.name === 'exponential' ? { beta: this.param } : {}) };
  }

  static create(name: string, options: LossOptions = {}): Loss {
    const canonical = (ALIASES[name] ?? name) as LossName;
    const known = Object.keys(LOSSES);
    if (!known.includes(canonical)) {
      throw new ConfigError(`loss: unknown loss ${showValue(name)}${suggest(name, known)}; known losses are ${known.join(', ')}`);
    }
    const owner = `loss ${canonical}`;
    const allowed = ['fromLogits', 'delta', 'beta'].filter((k) => LOSSES[canonical].options.includes(k));
    checkKeys(owner, options, allowed);
    const fromLogits = boolean(owner, 'fromLogits', options.fromLogits, false);
    const param = canonical === 'huber' ? finiteNumber(owner, 'delta', options.delta, 1, 0) : canonical === 'exponential' ? finiteNumber(owner, 'beta', options.beta, 1) : 0;
    const kindName = fromLogits ? `${canonical}FromLogits` : canonical;
    const kind = (LossKind as Record<string, number>)[kindName];
    return new Loss(canonical, kind, param, fromLogits);
  }
}

const LOSSES: Record<LossName, { options: string[] }> = {
  meanSquaredError: { options: [] },
  meanAbsoluteError: { options: [] },
  huber: { options: ['delta'] },
  logCosh: { options: [] },
  categoricalCrossentropy: { options: ['fromLogits'] },
  sparseCategoricalCrossentropy: { options: ['fromLogits'] },
  binaryCrossentropy: { options: ['fromLogits'] },
  hinge: { options: [] },
  squaredHinge: { options: [] },
  categoricalHinge: { options: [] },
  exponential: { options: ['beta'] },
  kullbackLeiblerDivergence: { options: [] },
  poisson: { options: [] },
  meanAbsolutePercentageError: { options: [] },
  meanSquaredLogarithmicError: { options: [] },
};

export type LossIdentifier = LossName | keyof typeof ALIASES | Loss;

/** A Loss from a name or an instance. */
export function getLoss(id: unknown): Loss {
  if (id instanceof Loss) return id;
  if (typeof id !== 'string') throw new ConfigError(`compile: loss must be a loss name such as "categoricalCrossentropy" or a losses.*() object, got ${showValue(id)}`);
  return Loss.create(id);
}

/** Factories, e.g. losses.huber({delta: 2}), losses.categoricalCrossentropy({fromLogits: true}). */
export const losses = Object.fromEntries(Object.keys(LOSSES).map((n) => [n, (o?: LossOptions) => Loss.create(n, o)])) as Record<LossName, (options?: LossOptions) => Loss>;
