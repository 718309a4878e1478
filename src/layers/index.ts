// Layer factories with the TensorFlow.js Layers API names: layers.conv1d({...}), ...

import { Activation, type ActivationArgs } from './activation.ts';
import { BatchNormalization, type BatchNormalizationArgs } from './batchnorm.ts';
import { Conv1D, type Conv1DArgs } from './conv1d.ts';
import { DepthwiseConv1D, type DepthwiseConv1DArgs } from './depthwise-conv1d.ts';
import { SeparableConv1D, type SeparableConv1DArgs } from './separable-conv1d.ts';
import { Conv1DTranspose, type Conv1DTransposeArgs } from './conv1d-transpose.ts';
import { Dense, type DenseArgs } from './dense.ts';
import { Flatten, type FlattenArgs } from './flatten.ts';
import { Dropout, type DropoutArgs } from './dropout.ts';
import type { LayerArgs } from './layer.ts';
import { AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D, MaxPooling1D, type Pooling1DArgs } from './pooling.ts';
import { PReLU, type PReLUArgs } from './prelu.ts';
import { Concatenate, ElementwiseMerge, type ConcatenateArgs } from './merge.ts';
import { LayerNormalization, type LayerNormalizationArgs } from './layernorm.ts';
import { GaussianDropout, GaussianNoise, type GaussianDropoutArgs, type GaussianNoiseArgs } from './noise.ts';
import { SpatialDropout1D, type SpatialDropout1DArgs } from './spatial-dropout.ts';
import { Embedding, type EmbeddingArgs } from './embedding.ts';
import { RReLU, type RReLUArgs } from './rrelu.ts';
import { TimeDistributed, type TimeDistributedArgs } from './time-distributed.ts';
import { ELU, ReLU, Softmax, leakyReLU, thresholdedReLU, type ELUArgs, type LeakyReLUArgs, type ReLUArgs, type SoftmaxArgs, type ThresholdedReLUArgs } from './advanced-activations.ts';
import { Cropping1D, Permute, RepeatVector, Reshape, UpSampling1D, ZeroPadding1D, type Cropping1DArgs, type PermuteArgs, type RepeatVectorArgs, type ReshapeArgs, type UpSampling1DArgs, type ZeroPadding1DArgs } from './shape.ts';

export { Layer, type LayerArgs, type Weight } from './layer.ts';
export { Activation, BatchNormalization, Conv1D, Dense, Dropout, Flatten, AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D, MaxPooling1D, PReLU, Concatenate, ElementwiseMerge, ZeroPadding1D, Cropping1D, UpSampling1D, RepeatVector, Permute, Reshape };
export type { ActivationArgs, BatchNormalizationArgs, Conv1DArgs, DenseArgs, DropoutArgs, Pooling1DArgs, PReLUArgs, ConcatenateArgs, ZeroPadding1DArgs, Cropping1DArgs, UpSampling1DArgs, RepeatVectorArgs, PermuteArgs, ReshapeArgs };
export { DepthwiseConv1D, SeparableConv1D, Conv1DTranspose };
export type { DepthwiseConv1DArgs, SeparableConv1DArgs, Conv1DTransposeArgs };
export { LayerNormalization, GaussianNoise, GaussianDropout, SpatialDropout1D, Embedding, RReLU, TimeDistributed };
export type { FlattenArgs, LayerNormalizationArgs, GaussianNoiseArgs, GaussianDropoutArgs, SpatialDropout1DArgs, EmbeddingArgs, RReLUArgs, TimeDistributedArgs };
export { ReLU, ELU, Softmax };
export type { ReLUArgs, LeakyReLUArgs, ThresholdedReLUArgs, ELUArgs, SoftmaxArgs };
export type { DataFormat } from './flatten.ts';
export { regularizers, Regularizer, type RegularizerIdentifier } from './regularizers.ts';
export { constraints, Constraint, MaxNorm, NonNeg, UnitNorm, type ConstraintIdentifier } from './constraints.ts';
export type { ActivationIdentifier } from './activation-fn.ts';
export type { InitializerName } from './initializers.ts';
export { ConfigError } from './args.ts';

export const layers = {
  conv1d: (args: Conv1DArgs) => new Conv1D(args),
  depthwiseConv1d: (args: DepthwiseConv1DArgs) => new DepthwiseConv1D(args),
  separableConv1d: (args: SeparableConv1DArgs) => new SeparableConv1D(args),
  conv1dTranspose: (args: Conv1DTransposeArgs) => new Conv1DTranspose(args),
  dense: (args: DenseArgs) => new Dense(args),
  /** [L, C] -> [L C]: 'channelsLast' y[l C + c] = x[l, c] (a view), 'channelsFirst' y[c L + l] = x[l, c]. */
  flatten: (args?: FlattenArgs) => new Flatten(args),
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
  zeroPadding1d: (args?: ZeroPadding1DArgs) => new ZeroPadding1D(args),
  cropping1d: (args?: Cropping1DArgs) => new Cropping1D(args),
  upSampling1d: (args?: UpSampling1DArgs) => new UpSampling1D(args),
  repeatVector: (args: RepeatVectorArgs) => new RepeatVector(args),
  permute: (args: PermuteArgs) => new Permute(args),
  reshape: (args: ReshapeArgs) => new Reshape(args),
  /** Per position over the channels: y = gamma (x - mu) / sqrt(var + eps) + beta; dx = (g - mean(g)
   *  - xhat mean(g xhat)) / sqrt(var + eps) with g = dy gamma; dgamma = sum dy xhat, dbeta = sum dy. */
  layerNormalization: (args?: LayerNormalizationArgs) => new LayerNormalization(args),
  /** Training: y[b, l, c] = x[b, l, c] m[b, c], m = 0 or 1/(1 - rate) per channel; dx = dy m. Inference: y = x. */
  spatialDropout1d: (args: SpatialDropout1DArgs) => new SpatialDropout1D(args),
  /** Training: y = x + stddev n, n ~ N(0, 1); dx = dy. Inference: y = x. */
  gaussianNoise: (args: GaussianNoiseArgs) => new GaussianNoise(args),
  /** Training: y = x m, m ~ N(1, rate/(1 - rate)); dx = dy m. Inference: y = x. */
  gaussianDropout: (args: GaussianDropoutArgs) => new GaussianDropout(args),
  /** y[n, :] = embeddings[x[n], :] for integer ids x; d embeddings[v] = sum of dy[n] with x[n] = v. */
  embedding: (args: EmbeddingArgs) => new Embedding(args),
  /** y = x >= 0 ? x : a x, a ~ U(lower, upper) per element in training, (lower + upper)/2 at inference; dx = dy a. */
  rrelu: (args?: RReLUArgs) => new RReLU(args),
  /** A Dense applied to every step of [L, C]: what dense on [L, C] already computes (Keras TimeDistributed). */
  timeDistributed: (args: TimeDistributedArgs) => new TimeDistributed(args),
  /** Keras ReLU: y = (x > threshold ? clip(x, 0, maxValue) : 0) - negativeSlope max(threshold - x, 0). */
  reLU: (args?: ReLUArgs) => new ReLU(args),
  /** y = x > 0 ? x : alpha x (default alpha 0.3). */
  leakyReLU: (args?: LeakyReLUArgs) => leakyReLU(args),
  /** y = x > theta ? x : 0 (default theta 1). */
  thresholdedReLU: (args?: ThresholdedReLUArgs) => thresholdedReLU(args),
  /** y = x > 0 ? x : alpha (exp(x) - 1). */
  elu: (args?: ELUArgs) => new ELU(args),
  /** Softmax over the last axis. */
  softmax: (args?: SoftmaxArgs) => new Softmax(args),
};
