// Keras model configs of every generation -> the topology form load.ts reads (TF.js / Keras 2):
//   Keras 3 (config.json of a .keras, model.to_json(), model_config of a Keras 3 .h5):
//     {module, class_name, config: {name, layers: [{module, class_name, config, registered_name,
//      build_config, inbound_nodes: [{args: [{class_name: "__keras_tensor__", config: {shape,
//      dtype, keras_history: [layer, node, tensor]}}, ...], kwargs: {...}}]}], input_layers,
//      output_layers}, compile_config: {optimizer, loss, metrics, loss_weights}}
//     (keras/src/models/functional.py functional_like_constructor / serialize_node,
//      keras/src/saving/serialization_lib.py serialize_keras_object)
//   SavedModel keras_metadata.pb (Keras 2): tuples written {class_name: "__tuple__", items: [...]}
//   Keras 2 and TF.js: inbound_nodes [[[layer, node, tensor, kwargs], ...]]: kept as they are.
// Per layer config: a DTypePolicy object for dtype becomes its name; module / registered_name /
// build_config are dropped (cnn1d builds layers from their input shapes).

import { showValue } from '../layers/args.ts';
import { hasOwn, isRecord, jsonKind, ModelFormatError } from './errors.ts';

type Json = Record<string, unknown>;

/** Values nested deeper are refused (a config is a few levels deep; a hostile one must not overflow the stack). */
const MAX_DEPTH = 64;

/** {class_name: "__tuple__", items} -> items, recursively. */
export function untuple(v: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new ModelFormatError(`the model config nests deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(v)) return v.map((x) => untuple(x, depth + 1));
  if (!isRecord(v)) return v;
  if (v.class_name === '__tuple__' && Array.isArray(v.items)) return untuple(v.items, depth + 1);
  const out: Json = {};
  for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: untuple(x, depth + 1), enumerable: true, writable: true, configurable: true });
  return out;
}

/** A Keras 3 __keras_tensor__ (or a plain [layer, node, tensor] history) -> [layer, node, tensor, {}]. */
function tensorRef(v: unknown, where: string): unknown[] {
  if (isRecord(v) && v.class_name === '__keras_tensor__' && isRecord(v.config)) {
    const h = v.config.keras_history;
    if (Array.isArray(h) && h.length === 3) return [h[0], h[1], h[2], {}];
  }
  throw new ModelFormatError(`${where}: expected a __keras_tensor__ {class_name, config: {keras_history: [layer, node, tensor]}}, got ${showValue(v)}`);
}

/** Keyword arguments a layer call may carry that do not change its inference graph. */
const HARMLESS_KWARGS = new Set(['training', 'mask']);

/** One Keras 3 node {args, kwargs} -> the list of references it reads. Tensors may be the args
 *  themselves or a list in the first arg (merge layers: Concatenate()([a, b])). */
function keras3Node(node: Json, where: string): unknown[][] {
  const args = Array.isArray(node.args) ? node.args : [];
  const tensors = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  const kwargs = isRecord(node.kwargs) ? node.kwargs : {};
  for (const [k, v] of Object.entries(kwargs)) {
    if (!HARMLESS_KWARGS.has(k) && v !== null) throw new ModelFormatError(`${where}: call argument ${k}=${showValue(v)} is not supported (cnn1d layers take their inputs only)`);
  }
  if (tensors.length === 0) throw new ModelFormatError(`${where}: the node reads no tensor (args ${showValue(node.args)})`);
  return tensors.map((t, i) => tensorRef(t, `${where} args[${i}]`));
}

/** A layer entry with Keras 3 nodes, dtype policy and extra keys made Keras 2-like. */
function normalizeLayer(entry: unknown, i: number): unknown {
  if (!isRecord(entry)) return entry;
  const { module: _m, registered_name: _r, build_config: _b, ...rest } = entry;
  const out: Json = { ...rest };
  if (isRecord(rest.config)) {
    const c: Json = { ...rest.config };
    if (isRecord(c.dtype)) c.dtype = isRecord(c.dtype.config) && typeof c.dtype.config.name === 'string' ? c.dtype.config.name : 'float32';
    out.config = c;
  }
  const where = `layer ${i} (${String(rest.class_name)}) inbound_nodes`;
  if (Array.isArray(rest.inbound_nodes)) {
    out.inbound_nodes = rest.inbound_nodes.map((n, k) => (isRecord(n) && (hasOwn(n, 'args') || hasOwn(n, 'kwargs')) ? keras3Node(n, `${where}[${k}]`) : n));
  }
  return out;
}

/** Conv1D layers with data_format "channels_first" ([B, C, L] in, [B, F, T] out) become
 *  Permute([2, 1]) -> the same Conv1D channels last -> Permute([2, 1]): the conv keeps its name
 *  (so its weights, [K, C, F] in either format, are found), the permutes are "<name>_to_last" and
 *  "<name>_to_first", and every reader of the conv reads "<name>_to_first" instead. Entries are
 *  Keras 2-like (after normalizeLayer). */
function channelsFirstConvs(list: unknown[], functional: boolean): { list: unknown[]; renamed: Map<string, string> } {
  const renamed = new Map<string, string>();
  const out: unknown[] = [];
  for (const e of list) {
    if (!isRecord(e) || e.class_name !== 'Conv1D' || !isRecord(e.config) || e.config.data_format !== 'channels_first' || typeof e.config.name !== 'string') {
      out.push(e);
      continue;
    }
    const name = e.config.name;
    const { batch_input_shape, batch_shape, ...conv } = e.config;
    const bis = batch_input_shape ?? batch_shape;
    const permute = (suffix: string, extra: Json) => ({ class_name: 'Permute', config: { name: `${name}${suffix}`, trainable: true, dtype: 'float32', dims: [2, 1], ...extra } });
    const nodes = Array.isArray(e.inbound_nodes) ? e.inbound_nodes : [];
    const before = permute('_to_last', bis !== undefined ? { batch_input_shape: bis } : {});
    const after = permute('_to_first', {});
    if (functional) {
      out.push({ ...before, name: `${name}_to_last`, inbound_nodes: nodes });
      out.push({ ...e, config: { ...conv, data_format: 'channels_last' }, inbound_nodes: nodes.map((_, k) => [[`${name}_to_last`, k, 0, {}]]) });
      out.push({ ...after, name: `${name}_to_first`, inbound_nodes: nodes.map((_, k) => [[name, k, 0, {}]]) });
    } else out.push(before, { ...e, config: { ...conv, data_format: 'channels_last' } }, after);
    renamed.set(name, `${name}_to_first`);
  }
  if (!functional || renamed.size === 0) return { list: out, renamed };
  // readers of a rewritten conv read its second permute (not the permute itself, which reads the conv)
  const reroute = (ref: unknown) => (Array.isArray(ref) && typeof ref[0] === 'string' && renamed.has(ref[0]) ? [renamed.get(ref[0]), ...ref.slice(1)] : ref);
  return {
    list: out.map((e) => (isRecord(e) && Array.isArray(e.inbound_nodes) && !(isRecord(e.config) && typeof e.config.name === 'string' && [...renamed.values()].includes(e.config.name)) ? { ...e, inbound_nodes: e.inbound_nodes.map((n) => (Array.isArray(n) ? n.map(reroute) : n)) } : e)),
    renamed,
  };
}

/** The {class_name, config} of a Keras model config of any generation, in the form of a TF.js
 *  modelTopology; also returns Keras 3's compile_config as a TF.js trainingConfig when present. */
export function normalizeModelConfig(raw: unknown, file: string): { topology: Json; trainingConfig: Json | null } {
  const v = untuple(raw);
  if (!isRecord(v)) throw new ModelFormatError(`${file}: expected a model config object {class_name, config}, got ${jsonKind(v)}`);
  const cls = v.class_name;
  if (typeof cls !== 'string') throw new ModelFormatError(`${file}: the model config has no class_name (got ${showValue(cls)})`);
  if (cls !== 'Sequential' && cls !== 'Functional' && cls !== 'Model') {
    throw new ModelFormatError(`${file}: the model is a ${showValue(cls)}; cnn1d reads Sequential and functional models (a subclassed model has no config to rebuild it from: save it as a functional model)`);
  }
  const config = v.config;
  const layersOf = (c: unknown) => (Array.isArray(c) ? c : isRecord(c) ? c.layers : undefined);
  const layers = layersOf(config);
  let normalized = Array.isArray(layers) ? layers.map(normalizeLayer) : layers;
  let ends: Json = {};
  if (Array.isArray(normalized)) {
    const { list, renamed } = channelsFirstConvs(normalized, cls !== 'Sequential');
    normalized = list;
    const reroute = (v: unknown): unknown => (Array.isArray(v) && typeof v[0] === 'string' ? (renamed.has(v[0]) ? [renamed.get(v[0]), ...v.slice(1)] : v) : Array.isArray(v) ? v.map(reroute) : v);
    if (renamed.size > 0 && isRecord(config)) ends = { output_layers: reroute(config.output_layers) };
  }
  const newConfig = Array.isArray(config) ? normalized : isRecord(config) ? { ...config, layers: normalized, ...ends } : config;
  return { topology: { class_name: cls, config: newConfig }, trainingConfig: compileToTraining(v.compile_config) };
}

/** A Keras 3 object reference {module, class_name, config} or a plain name -> a name ("categorical_crossentropy"). */
function objectName(v: unknown): unknown {
  if (!isRecord(v)) return v;
  const name = typeof v.config === 'string' ? v.config : typeof v.class_name === 'string' ? v.class_name : undefined;
  if (name === undefined) return v;
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Keras 3 compile_config {optimizer, loss, metrics, loss_weights} -> a TF.js trainingConfig
 *  (restoreTraining reads it; what it cannot map leaves the model uncompiled). */
export function compileToTraining(cc: unknown): Json | null {
  if (!isRecord(cc) || cc.loss === undefined || cc.loss === null) return null;
  const opt = cc.optimizer;
  const optimizerConfig = isRecord(opt) ? { class_name: opt.class_name, config: opt.config ?? {} } : typeof opt === 'string' ? { class_name: opt, config: {} } : null;
  if (!optimizerConfig) return null;
  const loss = Array.isArray(cc.loss) ? cc.loss.map(objectName) : isRecord(cc.loss) && !hasOwn(cc.loss, 'class_name') ? Object.fromEntries(Object.entries(cc.loss).map(([k, l]) => [k, objectName(l)])) : objectName(cc.loss);
  const fromLogits = isRecord(cc.loss) && isRecord(cc.loss.config) && cc.loss.config.from_logits === true;
  const metricNames = (m: unknown) => (Array.isArray(m) ? m.map(objectName).filter((x) => typeof x === 'string') : []);
  const metrics = isRecord(cc.metrics) ? Object.fromEntries(Object.entries(cc.metrics).map(([k, m]) => [k, metricNames(m)])) : metricNames(cc.metrics);
  return { loss, metrics, optimizer_config: optimizerConfig, ...(cc.loss_weights ? { loss_weights: cc.loss_weights } : {}), ...(fromLogits ? { loss_from_logits: true } : {}) };
}
