// cnn1d: the public surface (factories and types only).
export { layers } from './layers/index.ts';
export type * from './layers/index.ts';
export { ConfigError, Layer } from './layers/index.ts';
export { Sequential, sequential, type SequentialArgs, type CompileArgs, type NamedWeight } from './models/sequential.ts';
export { losses, Loss, type LossName, type LossOptions, type LossIdentifier } from './losses/index.ts';
export { optimizers, Optimizer, SGD, Adam, type SGDArgs, type AdamArgs, type OptimizerIdentifier } from './optimizers/index.ts';
export { ready, runtime, Runtime } from './runtime/runtime.ts';
