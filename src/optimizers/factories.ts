// The optimizer factories (optimizers.adam({...})) and the names compile accepts.

import { ConfigError, showValue, suggest } from '../layers/args.ts';
import { Optimizer } from './optimizer.ts';
import { SGD, type SGDArgs } from './sgd.ts';
import { Adam, type AdamArgs } from './adam.ts';
import { AdamW, type AdamWArgs } from './adamw.ts';
import { RMSprop, type RMSpropArgs } from './rmsprop.ts';
import { Adagrad, type AdagradArgs } from './adagrad.ts';
import { Adamax, type AdamaxArgs } from './adamax.ts';
import { Nadam, type NadamArgs } from './nadam.ts';
import { schedules } from './schedules.ts';

/** Factories, e.g. optimizers.adam({learningRate: 1e-3}); learning-rate schedules in optimizers.schedules. */
export const optimizers = {
  sgd: (args?: SGDArgs) => new SGD(args),
  adam: (args?: AdamArgs) => new Adam(args),
  adamw: (args?: AdamWArgs) => new AdamW(args),
  rmsprop: (args?: RMSpropArgs) => new RMSprop(args),
  adagrad: (args?: AdagradArgs) => new Adagrad(args),
  adamax: (args?: AdamaxArgs) => new Adamax(args),
  nadam: (args?: NadamArgs) => new Nadam(args),
  schedules,
};

export const OPTIMIZER_NAMES = ['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad', 'adamax', 'nadam'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];
export type OptimizerIdentifier = OptimizerName | Optimizer;

/** An optimizer from a name (case-insensitive, defaults of its factory) or the object itself. */
export function getOptimizer(id: unknown): Optimizer {
  if (id instanceof Optimizer) return id;
  const names = OPTIMIZER_NAMES.map((n) => `"${n}"`).join(', ');
  if (typeof id === 'string') {
    const key = id.toLowerCase();
    if ((OPTIMIZER_NAMES as readonly string[]).includes(key)) return optimizers[key as OptimizerName]();
    throw new ConfigError(`compile: unknown optimizer ${showValue(id)}${suggest(id, OPTIMIZER_NAMES)}; use one of ${names} or an optimizers.*({...}) object`);
  }
  throw new ConfigError(`compile: optimizer must be one of ${names} or an optimizers.*() object, got ${showValue(id)}`);
}
