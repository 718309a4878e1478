// The models the Train view offers: builders of cnn1d's zoo (models.*), sized for a browser tab
// (the narrow variants train in seconds per epoch on 1,000 series of 128 samples).
import { fromArtifacts, models, toArtifacts, type LayersModel } from 'cnn1d';

export interface ModelChoice {
  id: string;
  label: string;
  build(length: number, channels: number, classes: number, seed: number): LayersModel;
}

/** sampleCnn blocks that fit: the stem divides the length by 3, each block by 3 again. */
function sampleCnnWidths(length: number): number[] {
  const widths = [16, 16, 32, 32, 64, 64];
  let L = Math.floor(length / 3);
  let k = 0;
  while (k < widths.length && Math.floor(L / 3) >= 1) (L = Math.floor(L / 3)), k++;
  return widths.slice(0, Math.max(k, 1));
}

export const MODEL_CHOICES: ModelChoice[] = [
  { id: 'kerasSeed', label: 'kerasSeed: Conv(32,k3) > MaxPool > Dense(128)', build: (L, C, k, seed) => models.kerasSeed({ inputShape: [L, C], classes: k, seed }) },
  { id: 'fcn', label: 'fcn, narrow (32/64/32 filters)', build: (L, C, k, seed) => models.fcn({ inputShape: [L, C], classes: k, seed }, [32, 64, 32]) },
  { id: 'resnet', label: 'resnet, narrow (16/32/32 filters)', build: (L, C, k, seed) => models.resnet({ inputShape: [L, C], classes: k, seed, filters: 16 }) },
  { id: 'inceptionTime', label: 'inceptionTime, small (depth 3, 8 filters)', build: (L, C, k, seed) => models.inceptionTime({ inputShape: [L, C], classes: k, seed, depth: 3, filters: 8, bottleneck: 8 }) },
  { id: 'sampleCnn', label: 'sampleCnn, narrow (for long series: audio)', build: (L, C, k, seed) => models.sampleCnn({ inputShape: [L, C], classes: k, seed, widths: sampleCnnWidths(L), stemFilters: 16 }) },
];

/**
 * A batch size for n training series: 32 for a thousand or more, smaller for fewer, so an epoch
 * has at least ~16 steps (150 clips at batch 32 give 4 steps an epoch; see bnMomentum).
 */
export function defaultBatchSize(n: number): number {
  return Math.min(32, Math.max(4, 2 ** Math.round(Math.log2(n / 16))));
}

/**
 * Batch-norm momentum for `steps` steps per epoch: Keras' 0.99 averages the batch statistics over
 * ~100 steps, which a small data set reaches only after many epochs, so evaluation (which uses the
 * moving statistics) lags training (150 WAV clips, batch 32: training accuracy 1.00, test 0.33).
 * 1 - 1/steps averages over about one epoch, and never exceeds 0.99.
 */
export function bnMomentum(steps: number): number {
  return Math.min(0.99, Math.max(0.5, 1 - 1 / steps));
}

/** The model with every BatchNormalization layer's momentum set to `momentum` (through its
 *  config: model.json round trip, weights kept). The model passed in is disposed. */
export function withBatchNormMomentum(model: LayersModel, momentum: number): LayersModel {
  const { modelJson, weightData } = toArtifacts(model);
  let found = 0;
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (v === null || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (o.class_name === 'BatchNormalization' && o.config && typeof o.config === 'object') {
      (o.config as Record<string, unknown>).momentum = momentum;
      found++;
    }
    Object.values(o).forEach(visit);
  };
  visit(modelJson.modelTopology);
  if (found === 0) return model;
  model.dispose();
  return fromArtifacts({ modelJson, weightData });
}
