// The reference networks of shared/WORKLOADS.md and the experiments, as factories.

import { ConfigError, checkKeys, positiveInt } from '../layers/args.ts';
import { layers } from '../layers/index.ts';
import type { Layer } from '../layers/layer.ts';
import { sequential, type Sequential } from './sequential.ts';

export interface ZooArgs {
  /** One sample's shape [length, channels]. */
  inputShape: [number, number];
  /** Number of classes (softmax outputs). */
  classes: number;
  seed?: number;
}

function check(owner: string, args: ZooArgs): void {
  checkKeys(owner, args, ['inputShape', 'classes', 'seed']);
  if (!Array.isArray(args.inputShape) || args.inputShape.length !== 2) throw new ConfigError(`${owner}: inputShape must be [length, channels]`);
  positiveInt(owner, 'classes', args.classes);
}

/** Fully convolutional network of Wang et al. 2017: 3 x [Conv1D -> BatchNorm -> ReLU] with
 *  128/k8, 256/k5, 128/k3 filters, global average pooling, softmax. */
export function fcn(args: ZooArgs, filters: [number, number, number] = [128, 256, 128], kernels: [number, number, number] = [8, 5, 3]): Sequential {
  check('models.fcn', args);
  const body: Layer[] = [];
  filters.forEach((f, i) => {
    body.push(layers.conv1d({ filters: f, kernelSize: kernels[i], padding: 'same', ...(i === 0 ? { inputShape: args.inputShape } : {}) }));
    body.push(layers.batchNormalization());
    body.push(layers.activation({ activation: 'relu' }));
  });
  return sequential({ seed: args.seed, name: 'fcn', layers: [...body, layers.globalAveragePooling1d(), layers.dense({ units: args.classes, activation: 'softmax' })] });
}

/** The model of the "1d CNN Keras" seed: Conv1D(32, k3, relu) -> MaxPool(2) -> Flatten ->
 *  Dense(128, relu) -> Dense(classes, softmax). */
export function kerasSeed(args: ZooArgs): Sequential {
  check('models.kerasSeed', args);
  return sequential({
    seed: args.seed,
    name: 'keras_seed',
    layers: [
      layers.conv1d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: args.inputShape }),
      layers.maxPooling1d({ poolSize: 2 }),
      layers.flatten(),
      layers.dense({ units: 128, activation: 'relu' }),
      layers.dense({ units: args.classes, activation: 'softmax' }),
    ],
  });
}

/** Sample-level raw-waveform CNN (after Kim, Lee & Nam 2018), sized for 1 s of 8 kHz audio:
 *  Conv1D(32, k3, stride 3) -> BN -> ReLU, then for C in `widths`:
 *  [Conv1D(C, k3, same) -> BN -> ReLU -> MaxPool(3)], global average pooling, softmax. */
export function sampleCnn(args: ZooArgs, widths: number[] = [32, 32, 64, 64, 128, 128], dropout = 0): Sequential {
  check('models.sampleCnn', args);
  const ls: Layer[] = [
    layers.conv1d({ filters: 32, kernelSize: 3, strides: 3, inputShape: args.inputShape }),
    layers.batchNormalization(),
    layers.activation({ activation: 'relu' }),
  ];
  for (const c of widths) {
    ls.push(layers.conv1d({ filters: c, kernelSize: 3, padding: 'same' }), layers.batchNormalization(), layers.activation({ activation: 'relu' }), layers.maxPooling1d({ poolSize: 3 }));
  }
  ls.push(layers.globalAveragePooling1d());
  if (dropout > 0) ls.push(layers.dropout({ rate: dropout }));
  ls.push(layers.dense({ units: args.classes, activation: 'softmax' }));
  return sequential({ seed: args.seed, name: 'samplecnn', layers: ls });
}

/** The network of Table 1 of the Cacciari & Ranfagni tutorial: 18 samples -> Conv1D(4, k3,
 *  sigmoid) -> AvgPool(2) -> Conv1D(6, k3, sigmoid) -> AvgPool(2) -> Flatten -> Dense(2, sigmoid). */
export function tutorial18(seed?: number): Sequential {
  return sequential({
    seed,
    name: 'tutorial18',
    layers: [
      layers.conv1d({ filters: 4, kernelSize: 3, activation: 'sigmoid', inputShape: [18, 1] }),
      layers.averagePooling1d({ poolSize: 2 }),
      layers.conv1d({ filters: 6, kernelSize: 3, activation: 'sigmoid' }),
      layers.averagePooling1d({ poolSize: 2 }),
      layers.flatten(),
      layers.dense({ units: 2, activation: 'sigmoid' }),
    ],
  });
}

export const models = { fcn, kerasSeed, sampleCnn, tutorial18 };
