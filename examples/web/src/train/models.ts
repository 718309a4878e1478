// The models the Train view offers: builders of cnn1d's zoo (models.*), sized for a browser tab
// (the narrow variants train in seconds per epoch on 1,000 series of 128 samples).
import { models, type LayersModel } from 'cnn1d';

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
