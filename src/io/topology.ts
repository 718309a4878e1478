// Layer <-> Keras layer config, as written in a TensorFlow.js layers-model model.json
// (modelTopology.config.layers[i] = {class_name, config}), snake_case keys as Keras writes them,
// so tf.loadLayersModel can open what cnn1d saves and cnn1d can open TF.js/Keras Sequential 1D nets.

import { Activation, BatchNormalization, Concatenate, Conv1D, Dense, Dropout, ElementwiseMerge, Flatten, AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D, MaxPooling1D, PReLU, type Layer } from '../layers/index.ts';
import { InputLayer } from '../layers/input.ts';
import type { InitializerName } from '../layers/initializers.ts';
import { ConfigError, showValue, suggest } from '../layers/args.ts';
import { hasOwn, isRecord, jsonKind } from './errors.ts';

type Json = Record<string, unknown>;

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

const initializerJson = (name: InitializerName): Json => ({ class_name: INIT_CLASS[name], config: name.startsWith('glorot') || name.startsWith('he') || name.startsWith('leCun') ? { seed: null } : {} });

/** The initializer of a saved config. Loaded weights replace the initial values, so an
 *  initializer cnn1d does not have falls back to the layer default rather than failing the load. */
function initializerName(v: unknown, fallback: InitializerName): InitializerName {
  if (v === undefined || v === null) return fallback;
  const cls = typeof v === 'string' ? v : (v as Json).class_name;
  if (cls === 'VarianceScaling') {
    // TF.js writes glorot/he/lecun as VarianceScaling {scale, mode, distribution}
    const c = ((v as Json).config ?? {}) as Json;
    const normal = c.distribution !== 'uniform';
    if (c.mode === 'fan_avg' && c.scale === 1) return normal ? 'glorotNormal' : 'glorotUniform';
    if (c.mode === 'fan_in' && c.scale === 2) return normal ? 'heNormal' : 'heUniform';
    if (c.mode === 'fan_in' && c.scale === 1) return normal ? 'leCunNormal' : 'leCunUniform';
    return fallback;
  }
  const hit = (Object.entries(INIT_CLASS) as [InitializerName, string][]).find(([, c]) => c.toLowerCase() === String(cls).toLowerCase().replace(/_/g, ''));
  return hit ? hit[0] : fallback;
}

// Keras activation names <-> cnn1d identifiers
const ACT_TO_KERAS: Record<string, string> = { leakyRelu: 'leaky_relu', hardSigmoid: 'hard_sigmoid' };
const ACT_FROM_KERAS: Record<string, string> = { leaky_relu: 'leakyRelu', hard_sigmoid: 'hardSigmoid', hardSigmoid: 'hardSigmoid', leakyRelu: 'leakyRelu' };
const actOut = (name: string) => ACT_TO_KERAS[name] ?? name;
const actIn = (name: unknown) => (typeof name === 'string' && hasOwn(ACT_FROM_KERAS, name) ? ACT_FROM_KERAS[name] : name);
const one = (v: unknown) => (Array.isArray(v) ? v[0] : v);

/** The keys Conv1D and Dense share after their shape keys: fused activation, bias, initializers,
 *  and the regularizers/constraints cnn1d does not have (written as null, as Keras does). */
function kernelLayerJson(layer: Conv1D | Dense): Json {
  const act = layer.activation;
  return {
    activation: actOut(act.name),
    ...(act.name === 'leakyRelu' || act.name === 'elu' || act.name === 'swish' ? { activation_alpha: act.alpha } : {}),
    use_bias: layer.useBias,
    kernel_initializer: initializerJson(layer.kernelInitializer),
    bias_initializer: initializerJson(layer.biasInitializer),
    kernel_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
  };
}

/** The inverse of kernelLayerJson: the Conv1D/Dense arguments read from those keys, with the
 *  Keras defaults (linear, bias on, glorotUniform kernel, zeros bias) where a key is missing. */
function kernelLayerArgs(config: Json) {
  return {
    activation: actIn(config.activation ?? 'linear') as 'linear',
    ...(config.activation_alpha !== undefined ? { activationAlpha: config.activation_alpha as number } : {}),
    useBias: (config.use_bias ?? true) as boolean,
    kernelInitializer: initializerName(config.kernel_initializer, 'glorotUniform'),
    biasInitializer: initializerName(config.bias_initializer, 'zeros'),
  };
}

/** The Keras config of a built layer (first layer gets batch_input_shape). */
export function layerToJson(layer: Layer, first: boolean): Json {
  const base: Json = { name: layer.name, trainable: layer.trainable, dtype: 'float32' };
  if (first) base.batch_input_shape = [null, ...layer.inputShape];
  let config: Json;
  if (layer instanceof Conv1D) {
    config = {
      filters: layer.filters,
      kernel_size: [layer.kernelSize],
      strides: [layer.strides],
      padding: layer.padding,
      data_format: 'channels_last',
      dilation_rate: [layer.dilationRate],
      ...kernelLayerJson(layer),
    };
  } else if (layer instanceof Dense) {
    config = {
      units: layer.units,
      ...kernelLayerJson(layer),
    };
  } else if (layer instanceof MaxPooling1D || layer instanceof AveragePooling1D) {
    config = { pool_size: [layer.poolSize], strides: [layer.strides], padding: layer.padding };
  } else if (layer instanceof GlobalAveragePooling1D || layer instanceof GlobalMaxPooling1D) {
    config = { data_format: 'channels_last' };
  } else if (layer instanceof Flatten) {
    config = { data_format: 'channels_last' };
  } else if (layer instanceof Dropout) {
    config = { rate: layer.rate, noise_shape: null, seed: layer.seed ?? null };
  } else if (layer instanceof Activation) {
    const fn = layer.fn;
    config = { activation: actOut(fn.name), ...(fn.name === 'swish' ? { beta: fn.alpha } : fn.name === 'leakyRelu' || fn.name === 'elu' ? { alpha: fn.alpha } : {}) };
  } else if (layer instanceof PReLU) {
    config = { alpha_initializer: initializerJson(layer.alphaInitializer), alpha_regularizer: null, alpha_constraint: null, shared_axes: layer.sharedAxes.length ? layer.sharedAxes : null };
  } else if (layer instanceof BatchNormalization) {
    const c = layer.getConfig();
    config = {
      axis: -1,
      momentum: layer.momentum,
      epsilon: layer.epsilon,
      center: layer.center,
      scale: layer.scale,
      beta_initializer: initializerJson(c.betaInitializer as InitializerName),
      gamma_initializer: initializerJson(c.gammaInitializer as InitializerName),
      moving_mean_initializer: initializerJson(c.movingMeanInitializer as InitializerName),
      moving_variance_initializer: initializerJson(c.movingVarianceInitializer as InitializerName),
      beta_regularizer: null,
      gamma_regularizer: null,
      beta_constraint: null,
      gamma_constraint: null,
    };
  } else if (layer instanceof ElementwiseMerge) {
    config = {};
  } else if (layer instanceof Concatenate) {
    config = { axis: layer.axis };
  } else if (layer instanceof InputLayer) {
    return { class_name: 'InputLayer', config: { batch_input_shape: [null, ...layer.outputShape], dtype: 'float32', sparse: false, name: layer.name } };
  } else {
    throw new ConfigError(`save: layer ${layer.name} of class ${layer.className} cannot be serialized`);
  }
  return { class_name: layer.className, config: { ...base, ...config } };
}

const MERGES = { Add: 'add', Subtract: 'subtract', Multiply: 'multiply', Average: 'average', Maximum: 'maximum', Minimum: 'minimum' } as const;
const KNOWN = ['Conv1D', 'Dense', 'MaxPooling1D', 'AveragePooling1D', 'GlobalAveragePooling1D', 'GlobalMaxPooling1D', 'Flatten', 'Dropout', 'Activation', 'PReLU', 'BatchNormalization', 'InputLayer', ...Object.keys(MERGES), 'Concatenate'];

/** A layer from its Keras config (null for an InputLayer, whose shape goes to the next layer). */
export function layerFromJson(entry: unknown, index: number): { layer: Layer | null; inputShape?: number[] } {
  const where = `model.json: modelTopology layer ${index}`;
  if (!isRecord(entry)) throw new ConfigError(`${where} must be an object {class_name, config}, got ${jsonKind(entry)}`);
  const { class_name: cls, config } = entry;
  if (typeof cls !== 'string' || !isRecord(config)) throw new ConfigError(`${where}: expected {class_name: string, config: object}, got class_name ${showValue(cls)} and config ${jsonKind(config)}`);
  const bis = config.batch_input_shape ?? config.batchInputShape ?? config.batch_shape;
  if (bis !== undefined && bis !== null && (!Array.isArray(bis) || bis.length < 2 || !bis.slice(1).every((d) => Number.isSafeInteger(d) && (d as number) > 0))) {
    throw new ConfigError(`${where} (${cls}): batch_input_shape must be [null, ...positive integers], got ${showValue(bis)}`);
  }
  const inputShape = Array.isArray(bis) ? (bis.slice(1) as number[]) : undefined;
  if (config.name !== undefined && typeof config.name !== 'string') throw new ConfigError(`${where} (${cls}): name must be a string, got ${showValue(config.name)}`);
  if (config.trainable !== undefined && typeof config.trainable !== 'boolean') throw new ConfigError(`${where} (${cls}): trainable must be true or false, got ${showValue(config.trainable)}`);
  const common = { name: config.name as string | undefined, trainable: config.trainable as boolean | undefined, ...(inputShape ? { inputShape } : {}) };
  const init = (key: string, fallback: InitializerName) => initializerName(config[key], fallback);
  try {
    switch (cls) {
      case 'InputLayer':
        return { layer: null, inputShape };
      case 'Conv1D':
        return {
          layer: new Conv1D({
            ...common,
            filters: config.filters as number,
            kernelSize: one(config.kernel_size) as number,
            strides: one(config.strides ?? 1) as number,
            padding: config.padding as 'valid',
            dilationRate: one(config.dilation_rate ?? 1) as number,
            ...kernelLayerArgs(config),
          }),
        };
      case 'Dense':
        return {
          layer: new Dense({
            ...common,
            units: config.units as number,
            ...kernelLayerArgs(config),
          }),
        };
      case 'MaxPooling1D':
      case 'AveragePooling1D': {
        const args = { ...common, poolSize: one(config.pool_size ?? 2) as number, strides: one(config.strides ?? config.pool_size ?? 2) as number, padding: (config.padding ?? 'valid') as 'valid' };
        return { layer: cls === 'MaxPooling1D' ? new MaxPooling1D(args) : new AveragePooling1D(args) };
      }
      case 'GlobalAveragePooling1D':
        return { layer: new GlobalAveragePooling1D(common) };
      case 'GlobalMaxPooling1D':
        return { layer: new GlobalMaxPooling1D(common) };
      case 'Flatten':
        return { layer: new Flatten(common) };
      case 'Dropout':
        return { layer: new Dropout({ ...common, rate: config.rate as number, ...(typeof config.seed === 'number' ? { seed: config.seed } : {}) }) };
      case 'Activation':
        return {
          layer: new Activation({
            ...common,
            activation: actIn(config.activation) as 'relu',
            ...(config.alpha !== undefined ? { alpha: config.alpha as number } : {}),
            ...(config.beta !== undefined ? { beta: config.beta as number } : {}),
          }),
        };
      case 'PReLU':
        return { layer: new PReLU({ ...common, alphaInitializer: init('alpha_initializer', 'zeros'), sharedAxes: (config.shared_axes as number[] | null) ?? [] }) };
      case 'BatchNormalization': {
        const axis = one(config.axis ?? -1);
        return {
          layer: new BatchNormalization({
            ...common,
            // Keras may write the channel axis as its positive index (2 for [B, L, C]); 1D nets
            // normalize the last axis, the only one supported, so any other value is rejected
            ...(axis === -1 || axis === 2 || (axis === 1 && inputShape?.length === 1) ? {} : { axis: axis as number }),
            momentum: config.momentum as number | undefined,
            epsilon: config.epsilon as number | undefined,
            center: config.center as boolean | undefined,
            scale: config.scale as boolean | undefined,
            betaInitializer: init('beta_initializer', 'zeros'),
            gammaInitializer: init('gamma_initializer', 'ones'),
            movingMeanInitializer: init('moving_mean_initializer', 'zeros'),
            movingVarianceInitializer: init('moving_variance_initializer', 'ones'),
          }),
        };
      }
      case 'Concatenate':
        return { layer: new Concatenate({ ...common, ...(config.axis !== undefined ? { axis: config.axis as number } : {}) }) };
      default:
        if (hasOwn(MERGES, cls)) return { layer: new ElementwiseMerge(MERGES[cls as keyof typeof MERGES], common) };
        throw new ConfigError(`unsupported layer class "${cls}"${suggest(cls, KNOWN)}; cnn1d reads ${KNOWN.join(', ')}`);
    }
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(`${where} (${cls}): ${e.message}`);
    throw e;
  }
}
