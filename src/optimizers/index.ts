// Optimizers: factories (optimizers.adam({...})), string names for compile, and the classes.
// Each file holds one optimizer; optimizer.ts the shared base (state, clipping, learning rate).

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

export { Optimizer, type BaseOptimizerArgs, type LearningRate, type ScheduleFunction } from './optimizer.ts';
export { SGD, Adam, AdamW, RMSprop, Adagrad, Adamax, Nadam };
export type { SGDArgs, AdamArgs, AdamWArgs, RMSpropArgs, AdagradArgs, AdamaxArgs, NadamArgs };
export * from './schedules.ts';

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

const NAMES = ['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad', 'adamax', 'nadam'] as const;
export type OptimizerName = (typeof NAMES)[number];
export type OptimizerIdentifier = OptimizerName | Optimizer;

/** An optimizer from a name (case-insensitive, defaults of its factory) or the object itself. */
export function getOptimizer(id: unknown): Optimizer {
  if (id instanceof Optimizer) return id;
  const names = NAMES.map((n) => `"${n}"`).join(', ');
  if (typeof id === 'string') {
    const key = id.toLowerCase();
    if ((NAMES as readonly string[]).includes(key)) return optimizers[key as OptimizerName]();
    throw new ConfigError(`compile: unknown optimizer ${showValue(id)}${suggest(id, NAMES)}; use one of ${names} or an optimizers.*({...}) object`);
  }
  throw new ConfigError(`compile: optimizer must be one of ${names} or an optimizers.*() object, got ${showValue(id)}`);
}
