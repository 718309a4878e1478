// Loading a layers-model in two steps so that nothing is allocated until everything is checked:
//   planLoad    model.json -> layers built for their shapes only (no memory), size limits, the
//               manifest matched weight by weight; yields the bytes each shard group must hold
//   finishLoad  shard bytes -> values checked (finite, variances >= 0), then the model is built,
//               filled and compiled; if anything fails after the build, the model is disposed.

import { ConfigError, checkKeys, showValue } from '../layers/args.ts';
import { input, InputLayer } from '../layers/input.ts';
import { size, type Layer } from '../layers/layer.ts';
import { Loss } from '../losses/index.ts';
import { LayersModel, model as functionalModel } from '../models/model.ts';
import { Sequential } from '../models/sequential.ts';
import { optimizerFromConfig, type Optimizer } from '../optimizers/index.ts';
import { hasOwn, isRecord, jsonKind, ModelFormatError } from './errors.ts';
import { decodeWeights, matchManifest, parseManifest, type ManifestEntry, type ManifestGroup } from './manifest.ts';
import { checkLayerCount, graphFromJson } from './functional.ts';
import { layerFromJson } from './topology.ts';

export interface LoadOptions {
  /** Most weights (trainable and not) a loaded model may have; default 50,000,000 (200 MB). */
  maxParams?: number;
  /** Most activation values per sample (the input and every layer output summed); default
   *  50,000,000 (200 MB per sample in the batch). */
  maxActivations?: number;
  /** Most layers, and most layer applications (nodes), a loaded topology may have; default 2,000 (the engine walks graphs recursively). */
  maxLayers?: number;
}

export const DEFAULT_LOAD_LIMITS: Required<LoadOptions> = { maxParams: 50_000_000, maxActivations: 50_000_000, maxLayers: 2_000 };


export interface LoadPlan {
  /** Layers built for their shapes; no memory allocated yet. */
  model: LayersModel;
  groups: ManifestGroup[];
  placed: [number, ManifestEntry][];
  json: Record<string, unknown>;
}

export function limitsOf(options: LoadOptions | undefined): Required<LoadOptions> {
  checkKeys('loadModel', options, Object.keys(DEFAULT_LOAD_LIMITS));
  const limits = { ...DEFAULT_LOAD_LIMITS };
  for (const key of Object.keys(DEFAULT_LOAD_LIMITS) as (keyof LoadOptions)[]) {
    const v = options?.[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !(v === Infinity || (Number.isSafeInteger(v) && v >= 1))) throw new ConfigError(`loadModel: ${key} must be a positive integer or Infinity, got ${showValue(v)}`);
    limits[key] = v;
  }
  return limits;
}

/** The model-level object of a topology: Keras 2 nests it in model_config. */
function topologyOf(json: Record<string, unknown>): { cls: string; config: unknown } {
  const topo = json.modelTopology;
  if (!isRecord(topo)) throw new ModelFormatError(`model.json: "modelTopology" must be an object, got ${hasOwn(json, 'modelTopology') ? jsonKind(topo) : 'nothing'}`);
  const inner = hasOwn(topo, 'model_config') ? topo.model_config : topo;
  if (!isRecord(inner)) throw new ModelFormatError(`model.json: modelTopology.model_config must be an object, got ${jsonKind(inner)}`);
  const cls = inner.class_name;
  if (cls !== 'Sequential' && cls !== 'Functional' && cls !== 'Model') throw new ModelFormatError(`model.json: only Sequential and functional (Functional, Model) models are supported, got class_name ${showValue(cls)}`);
  return { cls, config: inner.config };
}

const modelName = (config: unknown, fallback: string) => (isRecord(config) && typeof config.name === 'string' && /^[A-Za-z0-9_.\-]+$/.test(config.name) ? config.name : fallback);

/** A first layer's batch_input_shape [null, null, C] (any length) as an InputLayer of its own,
 *  and the layer's entry without it; undefined for an InputLayer or a fixed shape. */
function anyLengthInput(entry: unknown): [InputLayer, unknown] | undefined {
  if (!isRecord(entry) || entry.class_name === 'InputLayer' || !isRecord(entry.config)) return undefined;
  const { batch_input_shape, batch_shape, ...rest } = entry.config;
  const bis = batch_input_shape ?? batch_shape;
  if (!Array.isArray(bis) || bis.length !== 3 || bis[1] !== null) return undefined;
  return [InputLayer.fromConfig({ batch_input_shape: bis }), { ...entry, config: rest }];
}

/** A Sequential topology (config.layers, or config = layers in older files). An input of any
 *  length ([null, C]) makes it a functional model over input({shape: [null, C]}), which plans its
 *  memory for the data it is given. */
function toSequential(config: unknown, maxLayers: number): LayersModel {
  const entries = Array.isArray(config) ? config : isRecord(config) ? config.layers : undefined;
  if (!Array.isArray(entries) || entries.length === 0) throw new ModelFormatError('model.json: modelTopology has no layers (expected config.layers, a non-empty array)');
  checkLayerCount(entries.length, 'layers', maxLayers);
  const layers: Layer[] = [];
  let pending: InputLayer | undefined;
  entries.forEach((given, i) => {
    let entry = given;
    const split = layers.length === 0 && !pending ? anyLengthInput(given) : undefined;
    if (split) [pending, entry] = split;
    const layer = layerFromJson(entry, i);
    if (layer instanceof InputLayer) {
      if (layers.length > 0) throw new ConfigError(`model.json: modelTopology layer ${i} is an InputLayer after other layers; it may only come first`);
      pending = layer;
      return;
    }
    if (layers.length === 0 && !layer.declaredInputShape && pending && !pending.variableLength) layer.declaredInputShape = pending.outputShape;
    layers.push(layer);
  });
  if (layers.length === 0) throw new ConfigError('model.json: modelTopology has only an InputLayer');
  if (pending?.variableLength) {
    const x = input({ shape: [null, pending.outputShape[1]], ...(pending.name ? { name: pending.name } : {}) });
    const y = layers.reduce((t, l) => l.apply(t), x);
    return functionalModel({ inputs: x, outputs: y, name: modelName(config, 'sequential'), seed: 0 });
  }
  return new Sequential({ layers, name: modelName(config, 'sequential'), seed: 0 });
}

/** The model of a topology with its graph made: every layer built for its shapes, no memory. */
export function toModel(json: Record<string, unknown>, limits: Required<LoadOptions>): LayersModel {
  const { cls, config } = topologyOf(json);
  try {
    if (cls === 'Sequential') {
      const m = toSequential(config, limits.maxLayers);
      void m.graph;
      return m;
    }
    if (!isRecord(config)) throw new ModelFormatError(`model.json: a functional modelTopology needs a config object {name, layers, input_layers, output_layers}, got ${jsonKind(config)}`);
    const { inputs, outputs } = graphFromJson(config, limits.maxLayers);
    return functionalModel({ inputs, outputs, name: modelName(config, 'model'), seed: 0 });
  } catch (e) {
    if (e instanceof ConfigError) throw new ModelFormatError(e.message.startsWith('model.json') ? e.message : `model.json: ${e.message}`);
    throw e;
  }
}

/** Refuses a model over the limits before anything is allocated: weights of each layer once,
 *  activations of every node (the inputs included), in graph order. A model of any input length
 *  ([null, C]) has no fixed activation count: its memory is planned for the data it is given. */
export function checkSizes(m: LayersModel, limits: Required<LoadOptions>): void {
  let params = 0;
  let activations = 0;
  const countActivations = !m.variableLength;
  const counted = new Set<Layer>();
  for (const node of m.graph.nodes) {
    const layer = node.layer;
    if (!counted.has(layer)) params += layer.weights.reduce((n, w) => n + w.size, 0);
    counted.add(layer);
    if (countActivations) activations += size(node.output.shape);
    const label = layer instanceof InputLayer ? `input "${layer.name || 'input'}"` : layer.label;
    if (params > limits.maxParams) {
      throw new ModelFormatError(`model.json: the model has more than ${limits.maxParams} weights (${params} up to ${label}); loadModel refuses it before allocating (raise the limit with {maxParams})`);
    }
    if (activations > limits.maxActivations) {
      throw new ModelFormatError(`model.json: the model needs more than ${limits.maxActivations} activation values per sample (${activations} up to ${label}, output [${node.output.shape}]); loadModel refuses it before allocating (raise the limit with {maxActivations})`);
    }
  }
}

/** Everything that can be checked from model.json alone; allocates nothing. */
export function planLoad(modelJson: unknown, options?: LoadOptions): LoadPlan {
  const limits = limitsOf(options);
  if (!isRecord(modelJson)) throw new ModelFormatError(`model.json: expected a JSON object {format, modelTopology, weightsManifest}, got ${jsonKind(modelJson)}`);
  if (hasOwn(modelJson, 'format') && modelJson.format !== 'layers-model') throw new ModelFormatError(`model.json: format is ${showValue(modelJson.format)}, expected "layers-model"`);
  const groups = parseManifest(modelJson);
  const m = toModel(modelJson, limits);
  checkSizes(m, limits);
  const placed = matchManifest(groups, m.layers.flatMap((l) => l.weights));
  return { model: m, groups, placed, json: modelJson };
}

/** Checks the values of each group's bytes (groupBytes[g].byteLength === groups[g].bytes), then
 *  allocates the model, sets its weights and restores its training configuration. */
export function finishLoad(plan: LoadPlan, groupBytes: Uint8Array[]): LayersModel {
  plan.groups.forEach((g, gi) => {
    const got = groupBytes[gi]?.byteLength ?? 0;
    if (got !== g.bytes) throw new ModelFormatError(`weights: weightsManifest[${gi}] describes ${g.bytes} bytes of float32 weights, the weight data has ${got} bytes (truncated or corrupt file?)`);
  });
  const weights = plan.model.layers.flatMap((l) => l.weights);
  const values = decodeWeights(plan.groups, groupBytes, plan.placed, weights);
  const model = plan.model;
  try {
    model.build();
    model.setWeights(values);
    restoreTraining(model, plan.json.trainingConfig);
    return model;
  } catch (e) {
    model.dispose();
    throw e;
  }
}

const snakeToCamel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Compiles the model as its trainingConfig says (see artifacts.ts trainingConfig; Keras's list
 *  forms too), when cnn1d knows the optimizer (any of optimizerFromConfig's, with its options and
 *  schedule) and the losses; a training config it cannot read leaves the model uncompiled (the
 *  weights are intact). */
export function restoreTraining(model: LayersModel, tc: unknown): void {
  if (!isRecord(tc) || !isRecord(tc.optimizer_config) || tc.loss === undefined) return;
  let optimizer: Optimizer | null = null;
  try {
    const names = model.outputNames;
    const fromLogits = (i: number) => (Array.isArray(tc.loss_from_logits) ? tc.loss_from_logits[i] === true : tc.loss_from_logits === true);
    const lossOf = (v: unknown, i: number) => {
      if (typeof v !== 'string') throw new ConfigError(`trainingConfig.loss: expected a loss name, got ${showValue(v)}`);
      return Loss.create(snakeToCamel(v), fromLogits(i) ? { fromLogits: true } : {});
    };
    const raw = tc.loss;
    const loss = names.map((n, i) => lossOf(typeof raw === 'string' ? raw : Array.isArray(raw) ? raw[i] : isRecord(raw) && hasOwn(raw, n) ? raw[n] : undefined, i));
    const lw = tc.loss_weights;
    const lossWeights = Array.isArray(lw) ? lw : isRecord(lw) ? names.map((n) => (hasOwn(lw, n) ? lw[n] : 1)) : undefined;
    const m = tc.metrics;
    const strings = (v: unknown) => (Array.isArray(v) && v.every((s) => typeof s === 'string') ? (v as string[]) : []);
    const metrics = isRecord(m) ? Object.fromEntries(names.map((n) => [n, hasOwn(m, n) ? strings(m[n]) : []])) : strings(m);
    optimizer = optimizerFromConfig(tc.optimizer_config.class_name, tc.optimizer_config.config ?? {});
    model.compile({ optimizer, loss, ...(lossWeights ? { lossWeights: lossWeights as number[] } : {}), metrics });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    if (optimizer && model.optimizer !== optimizer) optimizer.dispose();
  }
}
