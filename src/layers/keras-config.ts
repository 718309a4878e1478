// Pieces of Keras layer configs shared by several layers' getConfig()/fromConfig() (see
// registry.ts): the base keys, initializers, activation names and the Conv1D/Dense kernel keys,
// written as TF.js writes them and read back with Keras defaults.

import type { ActivationFn } from './activation-fn.ts';
import { ConfigError, showValue } from './args.ts';
import type { InitializerName } from './initializers.ts';
import type { KernelLayerArgs, WeightPenalties } from './kernel-args.ts';
import { constraintFromJson, constraintJson } from './constraints.ts';
import { regularizerFromJson, regularizerJson } from './regularizers.ts';
import type { LayerArgs } from './layer.ts';
import type { KerasConfig } from './registry.ts';

const own = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

const INIT_CLASS: Record<InitializerName, string> = {
  glorotUniform: 'GlorotUniform',
  glorotNormal: 'GlorotNormal',
  heUniform: 'HeUniform',
  heNormal: 'HeNormal',
  leCunUniform: 'LecunUniform',
  leCunNormal: 'LecunNormal',
  zeros: 'Zeros',
  ones: 'Ones',
  randomUniform: 'RandomUniform',
  randomNormal: 'RandomNormal',
};

export const initializerJson = (name: InitializerName): KerasConfig => ({ class_name: INIT_CLASS[name], config: /^(glorot|he|leCun)/.test(name) ? { seed: null } : {} });

/** The initializer of a saved config. Loaded weights replace the initial values, so an
 *  initializer cnn1d does not have falls back to the layer default rather than failing the load. */
export function initializerName(v: unknown, fallback: InitializerName): InitializerName {
  if (v === undefined || v === null) return fallback;
  const cls = typeof v === 'string' ? v : typeof v === 'object' ? (v as KerasConfig).class_name : undefined;
  if (typeof cls !== 'string') return fallback;
  if (cls === 'VarianceScaling') {
    // TF.js writes glorot/he/lecun as VarianceScaling {scale, mode, distribution}
    const c = ((v as KerasConfig).config ?? {}) as KerasConfig;
    const normal = c.distribution !== 'uniform';
    if (c.mode === 'fan_avg' && c.scale === 1) return normal ? 'glorotNormal' : 'glorotUniform';
    if (c.mode === 'fan_in' && c.scale === 2) return normal ? 'heNormal' : 'heUniform';
    if (c.mode === 'fan_in' && c.scale === 1) return normal ? 'leCunNormal' : 'leCunUniform';
    return fallback;
  }
  const hit = (Object.entries(INIT_CLASS) as [InitializerName, string][]).find(([, c]) => c.toLowerCase() === cls.toLowerCase().replace(/_/g, ''));
  return hit ? hit[0] : fallback;
}

// Keras activation names <-> cnn1d identifiers
const ACT_TO_KERAS: Record<string, string> = { leakyRelu: 'leaky_relu', hardSigmoid: 'hard_sigmoid' };
const ACT_FROM_KERAS: Record<string, string> = { leaky_relu: 'leakyRelu', hard_sigmoid: 'hardSigmoid', hardSigmoid: 'hardSigmoid', leakyRelu: 'leakyRelu' };
export const activationJson = (name: string): string => (own(ACT_TO_KERAS, name) ? ACT_TO_KERAS[name] : name);
export const activationName = (name: unknown): unknown => (typeof name === 'string' && own(ACT_FROM_KERAS, name) ? ACT_FROM_KERAS[name] : name);

/** n of a Keras 1D size written as [n] (or n). */
export const one = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);

/** The base keys every layer writes (TF.js Layer.getConfig). */
export const baseConfig = (layer: { name: string; trainable: boolean }): KerasConfig => ({ name: layer.name, trainable: layer.trainable, dtype: 'float32' });

/** The layer's own shape from batch_input_shape (Keras 2, TF.js) or batch_shape (Keras 3):
 *  [null, ...positive integers], or undefined when absent. */
export function batchInputShape(config: KerasConfig): number[] | undefined {
  const bis = config.batch_input_shape ?? config.batchInputShape ?? config.batch_shape;
  if (bis === undefined || bis === null) return undefined;
  if (!Array.isArray(bis) || bis.length < 2 || !bis.slice(1).every((d) => Number.isSafeInteger(d) && (d as number) > 0)) {
    throw new ConfigError(`batch_input_shape must be [null, ...positive integers], got ${showValue(bis)}`);
  }
  return bis.slice(1) as number[];
}

/** Refuses a data_format other than channels_last (a channels-first file would load with its
 *  axes swapped). */
export function channelsLast(config: KerasConfig): void {
  const f = config.data_format;
  if (f !== undefined && f !== null && f !== 'channels_last' && f !== 'channelsLast') throw new ConfigError(`data_format must be "channels_last" ([batch, length, channels]), got ${showValue(f)}`);
}

/** The LayerArgs of the base keys: name, trainable and the input shape. */
export function baseArgs(config: KerasConfig): LayerArgs {
  if (config.name !== undefined && typeof config.name !== 'string') throw new ConfigError(`name must be a string, got ${showValue(config.name)}`);
  if (config.trainable !== undefined && typeof config.trainable !== 'boolean') throw new ConfigError(`trainable must be true or false, got ${showValue(config.trainable)}`);
  const inputShape = batchInputShape(config);
  // an unnamed layer writes name "" (it gets a Keras name when it joins a model)
  return { name: config.name === '' ? undefined : (config.name as string | undefined), trainable: config.trainable as boolean | undefined, ...(inputShape ? { inputShape } : {}) };
}

interface KernelLayer {
  activation: ActivationFn;
  useBias: boolean;
  kernelInitializer: InitializerName;
  biasInitializer: InitializerName;
  penalties?: WeightPenalties;
}

/** The keys Conv1D and Dense share after their shape keys: fused activation (its parameter as
 *  activation_alpha, a cnn1d key), bias, initializers, the kernel and bias regularizers and
 *  constraints ({class_name, config} or null, as Keras does) and the activity regularizer cnn1d
 *  does not have (null). */
export function kernelLayerJson(layer: KernelLayer): KerasConfig {
  const act = layer.activation;
  const p = layer.penalties;
  return {
    activation: activationJson(act.name),
    ...(act.name === 'leakyRelu' || act.name === 'elu' || act.name === 'swish' ? { activation_alpha: act.alpha } : {}),
    use_bias: layer.useBias,
    kernel_initializer: initializerJson(layer.kernelInitializer),
    bias_initializer: initializerJson(layer.biasInitializer),
    kernel_regularizer: regularizerJson(p?.kernelRegularizer ?? null),
    bias_regularizer: regularizerJson(p?.biasRegularizer ?? null),
    activity_regularizer: null,
    kernel_constraint: constraintJson(p?.kernelConstraint ?? null),
    bias_constraint: constraintJson(p?.biasConstraint ?? null),
  };
}

/** The inverse of kernelLayerJson, with the Keras defaults (linear, bias on, glorotUniform
 *  kernel, zeros bias) where a key is missing. */
export function kernelLayerArgs(config: KerasConfig): KernelLayerArgs {
  return {
    activation: activationName(config.activation ?? 'linear') as 'linear',
    ...(config.activation_alpha !== undefined ? { activationAlpha: config.activation_alpha as number } : {}),
    useBias: (config.use_bias ?? true) as boolean,
    kernelInitializer: initializerName(config.kernel_initializer, 'glorotUniform'),
    biasInitializer: initializerName(config.bias_initializer, 'zeros'),
    kernelRegularizer: regularizerFromJson('kernel_regularizer', config.kernel_regularizer),
    biasRegularizer: regularizerFromJson('bias_regularizer', config.bias_regularizer),
    kernelConstraint: constraintFromJson('kernel_constraint', config.kernel_constraint),
    biasConstraint: constraintFromJson('bias_constraint', config.bias_constraint),
  };
}
