// Layer factories with the TensorFlow.js Layers API names: layers.conv1d({...}), ...

import { Activation, type ActivationArgs } from './activation.ts';
import { BatchNormalization, type BatchNormalizationArgs } from './batchnorm.ts';
import { Conv1D, type Conv1DArgs } from './conv1d.ts';
import { Dense, type DenseArgs } from './dense.ts';
import { Flatten } from './flatten.ts';
import { Dropout, type DropoutArgs } from './dropout.ts';
import type { LayerArgs } from './layer.ts';
import { AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D, MaxPooling1D, type Pooling1DArgs } from './pooling.ts';
import { PReLU, type PReLUArgs } from './prelu.ts';
import { Concatenate, ElementwiseMerge, type ConcatenateArgs } from './merge.ts';

export { Layer, type LayerArgs, type Weight } from './layer.ts';
export { Activation, BatchNormalization, Conv1D, Dense, Dropout, Flatten, AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D, MaxPooling1D, PReLU, Concatenate, ElementwiseMerge };
export type { ActivationArgs, BatchNormalizationArgs, Conv1DArgs, DenseArgs, DropoutArgs, Pooling1DArgs, PReLUArgs, ConcatenateArgs };
export type { ActivationIdentifier } from './activation-fn.ts';
export type { InitializerName } from './initializers.ts';
export { ConfigError } from './args.ts';

export const layers = {
  conv1d: (args: Conv1DArgs) => new Conv1D(args),
  dense: (args: DenseArgs) => new Dense(args),
  flatten: (args?: LayerArgs) => new Flatten(args),
  maxPooling1d: (args?: Pooling1DArgs) => new MaxPooling1D(args),
  maxPool1d: (args?: Pooling1DArgs) => new MaxPooling1D(args),
  averagePooling1d: (args?: Pooling1DArgs) => new AveragePooling1D(args),
  avgPool1d: (args?: Pooling1DArgs) => new AveragePooling1D(args),
  globalMaxPooling1d: (args?: LayerArgs) => new GlobalMaxPooling1D(args),
  globalAveragePooling1d: (args?: LayerArgs) => new GlobalAveragePooling1D(args),
  dropout: (args: DropoutArgs) => new Dropout(args),
  activation: (args: ActivationArgs) => new Activation(args),
  prelu: (args?: PReLUArgs) => new PReLU(args),
  batchNormalization: (args?: BatchNormalizationArgs) => new BatchNormalization(args),
  add: (args?: LayerArgs) => new ElementwiseMerge('add', args),
  subtract: (args?: LayerArgs) => new ElementwiseMerge('subtract', args),
  multiply: (args?: LayerArgs) => new ElementwiseMerge('multiply', args),
  average: (args?: LayerArgs) => new ElementwiseMerge('average', args),
  maximum: (args?: LayerArgs) => new ElementwiseMerge('maximum', args),
  minimum: (args?: LayerArgs) => new ElementwiseMerge('minimum', args),
  concatenate: (args?: ConcatenateArgs) => new Concatenate(args),
};
