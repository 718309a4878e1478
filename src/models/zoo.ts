// The reference networks of the benchmark workloads (bench/workloads.ts) and of the 1D-CNN literature, as factories
// (the branching ones in zoo/, written with the functional API and blocks.ts).

import { layers } from '../layers/index.ts';
import type { Layer } from '../layers/layer.ts';
import { sequential, type Sequential } from './sequential.ts';
import { checkZooArgs as check, type ZooArgs } from './zoo/args.ts';
import { resnet, type ResNetArgs } from './zoo/resnet.ts';
import { inceptionTime, type InceptionTimeArgs } from './zoo/inception-time.ts';
import { sampleCnn, type SampleCnnArgs, type SampleCnnBlock } from './zoo/sample-cnn.ts';

export type { ZooArgs, ResNetArgs, InceptionTimeArgs, SampleCnnArgs, SampleCnnBlock };

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

export const models = { fcn, kerasSeed, sampleCnn, tutorial18, resnet, inceptionTime };
