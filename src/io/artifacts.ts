// A model <-> TensorFlow.js layers-model artifacts: model.json (format "layers-model",
// modelTopology, weightsManifest, trainingConfig) and one little-endian float32 weight shard.
// Browser-safe (no file system here; see files.ts).

import type { LayersModel } from '../models/model.ts';
import { Sequential } from '../models/sequential.ts';
import { ConfigError, showValue } from '../layers/args.ts';
import { TrainingError } from '../models/finite-guard.ts';
import { ModelFormatError } from './errors.ts';
import { finishLoad, planLoad, type LoadOptions } from './load.ts';
import { graphToJson } from './functional.ts';
import { layerToJson } from './topology.ts';

export { ModelFormatError, type LoadOptions };

export const WEIGHTS_FILE = 'weights.bin';

export interface ModelArtifacts {
  /** The parsed model.json. */
  modelJson: Record<string, unknown>;
  /** Concatenated weight values (float32, little-endian), in manifest order. */
  weightData: Uint8Array;
}

const snake = (s: string) => s.replace(/([A-Z])/g, '_$1').toLowerCase();

/** Keras trainingConfig: loss (one name, or {outputName: name} when the outputs differ),
 *  loss_weights when not all 1, metrics (one list, or {outputName: list}), optimizer_config;
 *  loss_from_logits (a cnn1d key: true, or one flag per output) where a loss takes logits. */
function trainingConfig(model: LayersModel): Record<string, unknown> | null {
  const losses = model.losses;
  const opt = model.optimizer;
  if (losses.length === 0 || !opt) return null;
  const names = model.outputNames;
  const perOutput = <T>(values: T[], same: (a: T, b: T) => boolean) => (values.every((v) => same(v, values[0])) ? values[0] : Object.fromEntries(names.map((n, i) => [n, values[i]])));
  const logits = losses.map((l) => l.fromLogits);
  return {
    loss: perOutput(losses.map((l) => snake(l.name)), (a, b) => a === b),
    ...(model.lossWeights.some((w) => w !== 1) ? { loss_weights: Object.fromEntries(names.map((n, i) => [n, model.lossWeights[i]])) } : {}),
    metrics: perOutput(model.outputMetrics, (a, b) => a.join() === b.join()),
    optimizer_config: { class_name: opt.className, config: Object.fromEntries(Object.entries(opt.getConfig()).map(([k, v]) => [snake(k).replace(/(\d)/, '_$1'), v])) },
    ...(logits.some(Boolean) ? { loss_from_logits: logits.every(Boolean) ? true : logits } : {}),
  };
}

/** The model.json topology: "Sequential" with its layer list (the first layer carries
 *  batch_input_shape), or "Functional" with the graph (functional.ts). */
function topology(model: LayersModel): Record<string, unknown> {
  if (model instanceof Sequential) return { class_name: 'Sequential', config: { name: model.name, layers: model.layers.map((l, i) => layerToJson(l, i === 0)) } };
  return { class_name: 'Functional', config: graphToJson(model.graph, model.name) };
}

/** Every save path comes through here: a model with a NaN/±Infinity weight or moving statistic
 *  (which loadModel would refuse) is refused before anything is written. */
function checkFiniteWeights(model: LayersModel): void {
  const bad = model.firstNonFiniteWeight();
  if (bad) {
    throw new TrainingError(
      `save: model "${model.name}" has weight ${bad.name} = ${bad.value} (at index ${bad.index}); a model with non-finite weights cannot be loaded, so it is not saved. ` +
        'fit() keeps the last finite weights when training diverges; after raw engine calls (trainOnBatch, applyOptimizer) restore or set finite weights first',
    );
  }
}

export function toArtifacts(model: LayersModel): ModelArtifacts {
  model.build();
  checkFiniteWeights(model);
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
      ...topology(model),
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: weights.map((w) => ({ name: w.name, shape: w.shape, dtype: 'float32' })) }],
    ...(trainingConfig(model) ? { trainingConfig: trainingConfig(model) } : {}),
  };
  return { modelJson, weightData };
}

/** A model from artifacts held in memory (browser-safe): model.json parsed, and the bytes of all
 *  shards of all manifest groups concatenated in manifest order. Everything is checked before
 *  memory is allocated (see loadModel for the checks and the limits). */
export function fromArtifacts(artifacts: ModelArtifacts, options?: LoadOptions): LayersModel {
  if (typeof artifacts !== 'object' || artifacts === null || Array.isArray(artifacts)) {
    throw new ConfigError(`fromArtifacts: expected {modelJson, weightData} (as toArtifacts returns them), got ${showValue(artifacts)}`);
  }
  const { modelJson, weightData } = artifacts;
  const plan = planLoad(modelJson, options);
  const total = plan.groups.reduce((n, g) => n + g.bytes, 0);
  if (!(weightData instanceof Uint8Array)) throw new ModelFormatError(`weights: weightData must be a Uint8Array, got ${Object.prototype.toString.call(weightData)}`);
  if (weightData.byteLength !== total) {
    throw new ModelFormatError(`weights: the manifest describes ${total} bytes of float32 weights, the weight data has ${weightData.byteLength} bytes (truncated or corrupt file?)`);
  }
  let o = 0;
  const groupBytes = plan.groups.map((g) => weightData.subarray(o, (o += g.bytes)));
  return finishLoad(plan, groupBytes);
}
