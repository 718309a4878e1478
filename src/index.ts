// cnn1d: the public surface (factories and types only).
export { layers } from './layers/index.ts';
export type * from './layers/index.ts';
export { ConfigError, Layer } from './layers/index.ts';
export { Sequential, sequential, type SequentialArgs } from './models/sequential.ts';
export { LayersModel, model, type ModelArgs, type BaseModelArgs, type CompileArgs, type NamedWeight } from './models/model.ts';
export { input, InputLayer, type InputArgs } from './layers/input.ts';
export { SymbolicTensor } from './engine/symbolic.ts';
export { losses, Loss, type LossName, type LossOptions, type LossIdentifier } from './losses/index.ts';
export { optimizers, Optimizer, SGD, Adam, type SGDArgs, type AdamArgs, type OptimizerIdentifier } from './optimizers/index.ts';
export { ready, runtime, Runtime } from './runtime/runtime.ts';
export { Tensor, tensor, type NestedArray } from './tensor.ts';
export { callbacks, EarlyStopping, LearningRateScheduler, ReduceLROnPlateau, type Callback, type Logs, type EarlyStoppingArgs, type ReduceLROnPlateauArgs, type ExponentialDecayArgs, type StepDecayArgs } from './models/callbacks.ts';
export { TrainingError, type FitArgs, type History, type EvaluateArgs, type Targets } from './models/fit.ts';
export type { TensorLike } from './models/inputs.ts';
export { loadModel, saveModel, type SaveOptions } from './io/files.ts';
export { toArtifacts, fromArtifacts, ModelFormatError, type ModelArtifacts } from './io/artifacts.ts';
export * from './data/index.ts';
export { models, type ZooArgs } from './models/zoo.ts';
