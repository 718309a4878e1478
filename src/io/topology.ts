// Layer <-> Keras layer config, as written in a TensorFlow.js layers-model model.json
// (modelTopology.config.layers[i] = {class_name, config}), through the registry of layer classes
// (layers/registry.ts): each class writes its own config (getConfig) and reads it (fromConfig).

import '../layers/index.ts'; // every layer class registers itself when its module loads
import '../layers/input.ts';
import { ConfigError, showValue, suggest } from '../layers/args.ts';
import type { Layer } from '../layers/layer.ts';
import { layerClass, registeredClassNames } from '../layers/registry.ts';
import { isRecord, jsonKind } from './errors.ts';

type Json = Record<string, unknown>;

/** Keras classes of recurrent and attention models: named as out of scope, not matched to a near name. */
const OUT_OF_SCOPE = /^(LSTM|GRU|SimpleRNN|RNN|Bidirectional|ConvLSTM[123]D|(LSTM|GRU|SimpleRNN|StackedRNN)Cells?|CuDNN(LSTM|GRU)|(MultiHead|Additive|Grouped[A-Za-z]*)?Attention)$/;

/** The Keras {class_name, config} of a built layer (the first layer of a Sequential also gets
 *  batch_input_shape). Refuses a layer whose class is not registered: the file could not be read back. */
export function layerToJson(layer: Layer, first: boolean): Json {
  if (layerClass(layer.className) === undefined) {
    throw new ConfigError(`save: ${layer.label} cannot be serialized: no layer class is registered under "${layer.className}" (registerClass in its module)`);
  }
  const config = layer.getConfig();
  return { class_name: layer.className, config: first ? { ...config, batch_input_shape: [null, ...layer.inputShape] } : config };
}

/** A layer from its Keras config (an InputLayer too). Errors are ConfigErrors naming the entry. */
export function layerFromJson(entry: unknown, index: number): Layer {
  const where = `model.json: modelTopology layer ${index}`;
  if (!isRecord(entry)) throw new ConfigError(`${where} must be an object {class_name, config}, got ${jsonKind(entry)}`);
  const { class_name: name, config } = entry;
  if (typeof name !== 'string' || !isRecord(config)) throw new ConfigError(`${where}: expected {class_name: string, config: object}, got class_name ${showValue(name)} and config ${jsonKind(config)}`);
  const cls = layerClass(name);
  if (cls === undefined && OUT_OF_SCOPE.test(name)) {
    const layerName = typeof config.name === 'string' ? ` (layer "${config.name}")` : '';
    throw new ConfigError(`${where} (${name}): layer class "${name}"${layerName} is not supported: cnn1d is a convolutional library and has no recurrent or attention layers`);
  }
  if (cls === undefined) {
    const known = registeredClassNames();
    throw new ConfigError(`${where} (${name}): unsupported layer class "${name}"${suggest(name, known)}; cnn1d reads ${known.join(', ')}`);
  }
  try {
    return cls.fromConfig(config, name);
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(`${where} (${name}): ${e.message}`);
    throw e;
  }
}
