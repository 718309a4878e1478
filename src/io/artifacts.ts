// A model <-> TensorFlow.js layers-model artifacts: model.json (format "layers-model",
// modelTopology, weightsManifest, trainingConfig) and one little-endian float32 weight shard.
// Browser-safe (no file system here; see files.ts).

import { ConfigError } from '../layers/args.ts';
import { Adam, SGD } from '../optimizers/index.ts';
import { Loss } from '../losses/index.ts';
import { Sequential } from '../models/sequential.ts';
import type { Layer } from '../layers/index.ts';
import { layerFromJson, layerToJson } from './topology.ts';

export const WEIGHTS_FILE = 'weights.bin';

export interface ModelArtifacts {
  /** The parsed model.json. */
  modelJson: Record<string, unknown>;
  /** Concatenated weight values (float32, little-endian), in manifest order. */
  weightData: Uint8Array;
}

export class ModelFormatError extends Error {
  override name = 'ModelFormatError';
}

const snake = (s: string) => s.replace(/([A-Z])/g, '_$1').toLowerCase();
const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function trainingConfig(model: Sequential): Record<string, unknown> | null {
  if (!model.loss || !model.optimizer) return null;
  const opt = model.optimizer;
  return {
    loss: snake(model.loss.name),
    metrics: model.metrics,
    optimizer_config: { class_name: opt.className, config: Object.fromEntries(Object.entries(opt.getConfig()).map(([k, v]) => [snake(k).replace(/(\d)/, '_$1'), v])) },
    ...(model.loss.fromLogits ? { loss_from_logits: true } : {}),
  };
}

export function toArtifacts(model: Sequential): ModelArtifacts {
  model.build();
  const weights = model.getWeights();
  const bytes = weights.reduce((n, w) => n + 4 * w.data.length, 0);
  const weightData = new Uint8Array(bytes);
  const view = new DataView(weightData.buffer);
  let o = 0;
  for (const w of weights) for (const v of w.data) (view.setFloat32(o, v, true), (o += 4));
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'cnn1d',
    convertedBy: null,
    modelTopology: {
      class_name: 'Sequential',
      config: { name: model.name, layers: model.layers.map((l, i) => layerToJson(l, i === 0)) },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: weights.map((w) => ({ name: w.name, shape: w.shape, dtype: 'float32' })) }],
    ...(trainingConfig(model) ? { trainingConfig: trainingConfig(model) } : {}),
  };
  return { modelJson, weightData };
}

interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: string;
}

function manifestOf(json: Record<string, unknown>): { entries: ManifestEntry[]; paths: string[] } {
  const groups = json.weightsManifest;
  if (!Array.isArray(groups)) throw new ModelFormatError('model.json: missing "weightsManifest" (an array of {paths, weights})');
  const entries: ManifestEntry[] = [];
  const paths: string[] = [];
  groups.forEach((g, gi) => {
    if (!g || !Array.isArray(g.paths) || !Array.isArray(g.weights)) throw new ModelFormatError(`model.json: weightsManifest[${gi}] must have "paths" and "weights" arrays`);
    paths.push(...g.paths);
    for (const w of g.weights as ManifestEntry[]) {
      if (typeof w?.name !== 'string' || !Array.isArray(w.shape) || !w.shape.every((d) => Number.isInteger(d) && d >= 0)) {
        throw new ModelFormatError(`model.json: weightsManifest[${gi}] has a malformed weight entry ${JSON.stringify(w)}`);
      }
      if ((w.dtype ?? 'float32') !== 'float32') throw new ModelFormatError(`model.json: weight ${w.name} has dtype ${w.dtype}; only float32 is supported`);
      entries.push(w);
    }
  });
  return { entries, paths };
}

/** The shard file names a model.json refers to, in order. */
export function weightPaths(json: Record<string, unknown>): string[] {
  return manifestOf(json).paths;
}

export function fromArtifacts({ modelJson, weightData }: ModelArtifacts): Sequential {
  if (modelJson.format !== undefined && modelJson.format !== 'layers-model') throw new ModelFormatError(`model.json: format is "${String(modelJson.format)}", expected "layers-model"`);
  const topo = modelJson.modelTopology as { class_name?: string; config?: { name?: string; layers?: unknown[] } | unknown[] } | undefined;
  if (!topo || typeof topo !== 'object') throw new ModelFormatError('model.json: missing "modelTopology"');
  // Keras 2 wrote {class_name: "Sequential", config: {layers}} (older: config = layers)
  const inner = (topo as { model_config?: typeof topo }).model_config ?? topo;
  if (inner.class_name !== 'Sequential') throw new ModelFormatError(`model.json: only Sequential models are supported, got class_name "${String(inner.class_name)}"`);
  const layerList = Array.isArray(inner.config) ? inner.config : inner.config?.layers;
  if (!Array.isArray(layerList) || layerList.length === 0) throw new ModelFormatError('model.json: modelTopology has no layers');
  const layers: Layer[] = [];
  let pendingShape: number[] | undefined;
  layerList.forEach((entry, i) => {
    let parsed;
    try {
      parsed = layerFromJson(entry, i);
    } catch (e) {
      throw new ModelFormatError((e as Error).message);
    }
    if (!parsed.layer) pendingShape = parsed.inputShape;
    else {
      if (layers.length === 0 && !parsed.layer.declaredInputShape && pendingShape) {
        (parsed.layer as { declaredInputShape?: number[] }).declaredInputShape = pendingShape;
      }
      layers.push(parsed.layer);
    }
  });
  const name = Array.isArray(inner.config) ? 'sequential' : (inner.config?.name ?? 'sequential');
  let model: Sequential;
  try {
    model = new Sequential({ layers, name, seed: 0 });
    model.build();
  } catch (e) {
    throw new ModelFormatError(`model.json: ${(e as Error).message}`);
  }
  const { entries } = manifestOf(modelJson);
  const expectedBytes = entries.reduce((n, e) => n + 4 * e.shape.reduce((a, b) => a * b, 1), 0);
  if (weightData.byteLength !== expectedBytes) {
    throw new ModelFormatError(`weights: the manifest describes ${expectedBytes} bytes of float32 weights, the weight data has ${weightData.byteLength} bytes (truncated or corrupt file?)`);
  }
  const byName = new Map<string, { shape: number[]; data: Float32Array }>();
  const view = new DataView(weightData.buffer, weightData.byteOffset, weightData.byteLength);
  let o = 0;
  for (const e of entries) {
    const data = new Float32Array(e.shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++, o += 4) data[i] = view.getFloat32(o, true);
    byName.set(e.name, { shape: e.shape, data });
  }
  const values = model.weights.map((w) => {
    const entry = byName.get(w.name);
    if (!entry) throw new ModelFormatError(`weights: no weight named "${w.name}" in the manifest (it has ${entries.map((e) => e.name).join(', ')})`);
    if (entry.shape.join() !== w.shape.join()) throw new ModelFormatError(`weights: "${w.name}" has shape [${entry.shape}] in the manifest, the layer needs [${w.shape}]`);
    const bad = entry.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new ModelFormatError(`weights: "${w.name}" contains ${entry.data[bad]} at index ${bad}`);
    return entry.data;
  });
  model.setWeights(values);
  const tc = modelJson.trainingConfig as { loss?: string; metrics?: string[]; optimizer_config?: { class_name?: string; config?: Record<string, number> }; loss_from_logits?: boolean } | undefined;
  if (tc?.loss && tc.optimizer_config) {
    try {
      const cfg = Object.fromEntries(Object.entries(tc.optimizer_config.config ?? {}).map(([k, v]) => [camel(k), v]));
      const cls = tc.optimizer_config.class_name;
      const known = cls === 'Adam' ? ['learningRate', 'beta1', 'beta2', 'epsilon'] : ['learningRate', 'momentum', 'nesterov'];
      const args = Object.fromEntries(Object.entries(cfg).filter(([k]) => known.includes(k)));
      const optimizer = cls === 'Adam' ? new Adam(args) : cls === 'SGD' ? new SGD(args) : null;
      const loss = Loss.create(camel(tc.loss), tc.loss_from_logits ? { fromLogits: true } : {});
      if (optimizer) model.compile({ optimizer, loss, metrics: tc.metrics ?? [] });
    } catch {
      // a training config we cannot read leaves the model uncompiled; the weights are intact
    }
  }
  return model;
}
