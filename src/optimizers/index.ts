// Optimizers: one file per optimizer, optimizer.ts the shared base (state, clipping, learning
// rate), schedules.ts the learning-rate schedules, factories.ts the public factories and names.

export { Optimizer, type BaseOptimizerArgs, type LearningRate, type ScheduleFunction } from './optimizer.ts';
export { SGD, type SGDArgs } from './sgd.ts';
export { Adam, type AdamArgs } from './adam.ts';
export { AdamW, type AdamWArgs } from './adamw.ts';
export { RMSprop, type RMSpropArgs } from './rmsprop.ts';
export { Adagrad, type AdagradArgs } from './adagrad.ts';
export { Adamax, type AdamaxArgs } from './adamax.ts';
export { Nadam, type NadamArgs } from './nadam.ts';
export * from './schedules.ts';
export { optimizers, getOptimizer, OPTIMIZER_NAMES, type OptimizerName, type OptimizerIdentifier } from './factories.ts';
export { optimizerFromConfig } from './serialization.ts';
