// Keras files -> a model: the .keras zip of Keras 3 (config.json + model.weights.h5), a whole-model
// HDF5 .h5 (attribute model_config + group model_weights, Keras 2 and Keras 3's legacy writer), a
// topology JSON alone (model.to_json(), with weights from a .weights.h5 / .h5 or fresh ones) and
// the JSON of a SavedModel's keras_metadata.pb. Loaded on demand by formats.ts.
//
// Where the weights of a layer are (matched by layer name, shapes checked):
//   Keras 3 weights file  layers/<snake_case(class)[_k]>/vars/<i>, i in the layer's variable order
//                         (keras/src/saving/saving_lib.py _save_container_state, _get_unique_name;
//                         k counts earlier layers of the same class in config.layers)
//   Keras 2 / legacy h5   [model_weights/]<layer>/ with attribute weight_names ["<layer>/kernel:0", ...]
//                         (keras/src/legacy/saving/legacy_h5_format.py save_weights_to_hdf5_group)

import { showValue } from '../layers/args.ts';
import type { Weight } from '../layers/layer.ts';
import type { LayersModel } from '../models/model.ts';
import { isRecord, ModelFormatError } from './errors.ts';
import { openHdf5, type Hdf5 } from './hdf5.ts';
import { normalizeModelConfig } from './keras-topology.ts';
import { checkSizes, limitsOf, restoreTraining, toModel, type LoadOptions } from './load.ts';
import { openZip } from './zip.ts';

export interface KerasLoadOptions extends LoadOptions {
  /** The weights of a topology-only JSON: the bytes of a Keras 3 .weights.h5 or a Keras 2 .h5. */
  weightsBytes?: Uint8Array;
  /** Its name, for messages. */
  weightsName?: string;
}

type Json = Record<string, unknown>;

/** config.json / model_config larger than this is refused unread. */
const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/** keras/src/utils/naming.py to_snake_case. */
export const toSnakeCase = (name: string): string =>
  name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();

/** Layer name -> its Keras 3 weights path, from the layers of the config in order. */
export function keras3Paths(topology: Json): Map<string, string> {
  const c = topology.config;
  const list = Array.isArray(c) ? c : isRecord(c) && Array.isArray(c.layers) ? c.layers : [];
  const used = new Map<string, number>();
  const paths = new Map<string, string>();
  for (const entry of list) {
    if (!isRecord(entry) || typeof entry.class_name !== 'string') continue;
    const base = toSnakeCase(entry.class_name);
    const k = used.has(base) ? used.get(base)! + 1 : 0;
    used.set(base, k);
    const name = isRecord(entry.config) ? entry.config.name : undefined;
    if (typeof name === 'string') paths.set(name, `layers/${k === 0 ? base : `${base}_${k}`}`);
  }
  return paths;
}

/** The value of one model weight from an HDF5 dataset, its shape and values checked. */
function weightValue(h5: Hdf5, path: string, w: Weight, file: string, maxParams: number): Float32Array {
  const { shape, data } = h5.floats(path, maxParams);
  if (shape.join() !== w.shape.join()) throw new ModelFormatError(`${file}: "${path}" has shape [${shape}], ${w.layer.label} expects ${w.spec.name} [${w.shape}]`);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new ModelFormatError(`${file}: "${path}" contains ${data[i]} at index ${i}; weights must be finite`);
    if (w.spec.name === 'moving_variance' && data[i] < 0) throw new ModelFormatError(`${file}: "${path}" contains ${data[i]} at index ${i}; a moving variance must be >= 0`);
  }
  return data;
}

/** Every model weight from a Keras 3 weights file (layers/<path>/vars/<i>). */
function keras3Weights(h5: Hdf5, model: LayersModel, topology: Json, file: string, maxParams: number): Float32Array[] {
  const paths = keras3Paths(topology);
  const out: Float32Array[] = [];
  for (const layer of model.layers) {
    if (layer.weights.length === 0) continue;
    const base = paths.get(layer.name);
    const legacy = base?.replace(/^layers\//, '_layer_checkpoint_dependencies/');
    const group = base && h5.has(`${base}/vars`) ? `${base}/vars` : legacy && h5.has(`${legacy}/vars`) ? `${legacy}/vars` : undefined;
    if (!group) throw new ModelFormatError(`${file}: no weights for ${layer.label} (expected the group "${base}/vars")`);
    const n = h5.keys(group).length;
    if (n !== layer.weights.length) throw new ModelFormatError(`${file}: "${group}" holds ${n} variables, ${layer.label} has ${layer.weights.length} (${layer.weights.map((w) => w.spec.name).join(', ')})`);
    layer.weights.forEach((w, i) => out.push(weightValue(h5, `${group}/${i}`, w, file, maxParams)));
  }
  return out;
}

/** Every model weight from a Keras 2 layout: group `root` with layer_names, each layer group with weight_names. */
function legacyWeights(h5: Hdf5, root: string, model: LayersModel, file: string, maxParams: number): Float32Array[] {
  const prefix = root ? `${root}/` : '';
  const out: Float32Array[] = [];
  for (const layer of model.layers) {
    if (layer.weights.length === 0) continue;
    const group = `${prefix}${layer.name}`;
    const names = h5.attr(group, 'weight_names');
    if (!Array.isArray(names)) throw new ModelFormatError(`${file}: no weights for ${layer.label} (expected the group "${group}" with attribute weight_names)`);
    for (const w of layer.weights) {
      const hit = names.find((n) => typeof n === 'string' && n.replace(/:\d+$/, '').split('/').pop() === w.spec.name);
      if (typeof hit !== 'string') throw new ModelFormatError(`${file}: "${group}" has no weight ${w.spec.name} for ${layer.label} (weight_names ${showValue(names)})`);
      out.push(weightValue(h5, `${group}/${hit}`, w, file, maxParams));
    }
  }
  return out;
}

/** Which layout a weights-bearing HDF5 file has: "keras3" (layers/...), "legacy" (layer_names). */
function weightsLayout(h5: Hdf5, root: string): 'keras3' | 'legacy' | null {
  if (Array.isArray(h5.attr(root, 'layer_names'))) return 'legacy';
  if (h5.has(root ? `${root}/layers` : 'layers') || h5.has('_layer_checkpoint_dependencies')) return 'keras3';
  return null;
}

/** Builds the model of a Keras model config and fills it from `fill` (or keeps fresh weights). */
function assemble(rawConfig: unknown, file: string, options: LoadOptions, fill: ((m: LayersModel, topology: Json, maxParams: number) => Float32Array[]) | null, trainingConfig?: unknown): LayersModel {
  const limits = limitsOf(options);
  const { topology, trainingConfig: compiled } = normalizeModelConfig(rawConfig, file);
  let model: LayersModel;
  try {
    model = toModel({ modelTopology: topology }, limits);
    checkSizes(model, limits);
  } catch (e) {
    if (e instanceof ModelFormatError) throw new ModelFormatError(e.message.replace(/^model\.json: (modelTopology )?/, `${file}: `));
    throw e;
  }
  const values = fill ? fill(model, topology, limits.maxParams) : null;
  try {
    model.build();
    if (values) model.setWeights(values);
    restoreTraining(model, trainingConfig ?? compiled);
    return model;
  } catch (e) {
    model.dispose();
    throw e;
  }
}

function parseJson(bytes: Uint8Array, what: string): unknown {
  if (bytes.byteLength > MAX_CONFIG_BYTES) throw new ModelFormatError(`${what} has ${bytes.byteLength} bytes, more than the ${MAX_CONFIG_BYTES} a model config may have`);
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new ModelFormatError(`${what} is not valid JSON (${(e as Error).message}); the file may be truncated or corrupt`);
  }
}

export const SAVED_MODEL_WEIGHTS = "a SavedModel's variables are out of scope for cnn1d: in Keras, load the SavedModel and save it as model.save('x.keras'), then load x.keras";

async function weightsFiller(bytes: Uint8Array, name: string): Promise<(m: LayersModel, t: Json, maxParams: number) => Float32Array[]> {
  const h5 = await openHdf5(bytes, name);
  return (m, t, maxParams) => {
    const root = h5.has('model_weights') ? 'model_weights' : '';
    const layout = weightsLayout(h5, root);
    if (layout === 'legacy') return legacyWeights(h5, root, m, name, maxParams);
    if (layout === 'keras3') return keras3Weights(h5, m, t, name, maxParams);
    throw new ModelFormatError(`${name}: an HDF5 file without Keras weights (no layer_names attribute, no "layers" group)`);
  };
}

/** A Keras 3 .keras archive. */
export async function loadKerasZip(bytes: Uint8Array, file: string, options: KerasLoadOptions = {}): Promise<LayersModel> {
  const zip = openZip(bytes, file);
  const config = await zip.read('config.json', MAX_CONFIG_BYTES);
  if (!config) throw new ModelFormatError(`${file}: a zip archive without config.json, so not a Keras 3 .keras file (entries: ${zip.names.slice(0, 10).join(', ')})`);
  const json = parseJson(config, `${file}: config.json`);
  const limits = limitsOf(stripKeras(options));
  const weights = await zip.read('model.weights.h5', Math.min(Number.MAX_SAFE_INTEGER, 4 * limits.maxParams + MAX_CONFIG_BYTES));
  if (!weights) {
    if (zip.names.includes('model.weights.npz')) throw new ModelFormatError(`${file}: the weights are in model.weights.npz; cnn1d reads the default HDF5 weights (save with weights_format="h5")`);
    throw new ModelFormatError(`${file}: the archive has no model.weights.h5`);
  }
  const fill = await weightsFiller(weights, `${file}: model.weights.h5`);
  return assemble(json, file, stripKeras(options), fill);
}

/** A whole-model HDF5 file (model_config attribute), or a weights-only one (refused with advice). */
export async function loadKerasHdf5(bytes: Uint8Array, file: string, options: KerasLoadOptions = {}): Promise<LayersModel> {
  const h5 = await openHdf5(bytes, file);
  const config = h5.attr('', 'model_config');
  if (config === undefined) {
    throw new ModelFormatError(`${file}: an HDF5 file without a model_config attribute, so weights alone (model.save_weights); load its model's JSON with loadModel(json, {weights: '${file}'})`);
  }
  const json = typeof config === 'string' ? parseJson(new TextEncoder().encode(config), `${file}: model_config`) : config;
  const tc = h5.attr('', 'training_config');
  const training = typeof tc === 'string' ? safeJson(tc) : undefined;
  const fill = await weightsFiller(bytes, file);
  return assemble(json, file, stripKeras(options), fill, training);
}

const safeJson = (s: string): unknown => {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
};

const stripKeras = (o: KerasLoadOptions): LoadOptions => {
  const { weightsBytes: _b, weightsName: _n, ...rest } = o;
  return rest;
};

/** A topology JSON: model.to_json() (Keras 2 or 3), with weights from options.weightsBytes or fresh. */
export async function loadKerasJson(json: Json, file: string, options: KerasLoadOptions = {}): Promise<LayersModel> {
  const fill = options.weightsBytes ? await weightsFiller(options.weightsBytes, options.weightsName ?? 'weights') : null;
  return assemble(json, file, stripKeras(options), fill);
}

/** A SavedModel keras_metadata.pb: SavedMetadata {repeated SavedObject nodes = 1}, SavedObject
 *  {node_id = 2, node_path = 3, identifier = 4, metadata = 5 (JSON)} (tensorflow/python/keras/
 *  protobuf/saved_metadata.proto); the root node's JSON has the model config. Topology only. */
export async function loadSavedModelMetadata(bytes: Uint8Array, file: string, options: KerasLoadOptions = {}): Promise<LayersModel> {
  const root = savedMetadataRoot(bytes, file);
  const meta = parseJson(new TextEncoder().encode(root), `${file}: root metadata`);
  if (!isRecord(meta)) throw new ModelFormatError(`${file}: the root metadata is not an object`);
  const fill = options.weightsBytes ? await weightsFiller(options.weightsBytes, options.weightsName ?? 'weights') : null;
  return assemble({ class_name: meta.class_name, config: meta.config }, file, stripKeras(options), fill);
}

/** Reads a varint at o: [value, next offset]. */
function varint(b: Uint8Array, o: number, file: string): [number, number] {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 8; i++) {
    if (o >= b.length) throw new ModelFormatError(`${file}: protobuf varint runs past the end; the file may be truncated`);
    const byte = b[o++];
    v += (byte & 0x7f) * mul;
    if (byte < 0x80) return [v, o];
    mul *= 128;
  }
  throw new ModelFormatError(`${file}: protobuf varint longer than 8 bytes; the file is corrupt`);
}

/** The fields of one protobuf message: [field number, wire type, value or bytes]. */
function fields(b: Uint8Array, file: string): [number, number, number | Uint8Array][] {
  const out: [number, number, number | Uint8Array][] = [];
  let o = 0;
  while (o < b.length) {
    const [key, a] = varint(b, o, file);
    const [field, wire] = [Math.floor(key / 8), key & 7];
    o = a;
    if (wire === 0) {
      const [v, n] = varint(b, o, file);
      out.push([field, wire, v]);
      o = n;
    } else if (wire === 2) {
      const [len, n] = varint(b, o, file);
      if (n + len > b.length) throw new ModelFormatError(`${file}: protobuf field ${field} of ${len} bytes runs past the end; the file may be truncated`);
      out.push([field, wire, b.subarray(n, n + len)]);
      o = n + len;
    } else if (wire === 1 || wire === 5) o += wire === 1 ? 8 : 4;
    else throw new ModelFormatError(`${file}: protobuf wire type ${wire} is not used by keras_metadata.pb; not a Keras SavedModel metadata file`);
  }
  return out;
}

function savedMetadataRoot(bytes: Uint8Array, file: string): string {
  const text = (v: number | Uint8Array) => (v instanceof Uint8Array ? new TextDecoder().decode(v) : '');
  for (const [field, , v] of fields(bytes, file)) {
    if (field !== 1 || !(v instanceof Uint8Array)) continue;
    const node = fields(v, file);
    const path = node.find(([f]) => f === 3);
    const meta = node.find(([f]) => f === 5);
    if (path && text(path[2]) === 'root' && meta) return text(meta[2]);
  }
  throw new ModelFormatError(`${file}: a protobuf without a root SavedObject with Keras metadata, so not a keras_metadata.pb`);
}
