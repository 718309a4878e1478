// ResNet of Wang, Yan & Oates, "Time series classification from scratch with deep neural
// networks: a strong baseline", IJCNN 2017, as coded in Ismail Fawaz et al.'s dl-4-tsc
// (classifiers/resnet.py). x [L, C] -> probabilities [classes].

import { positiveInt } from '../../layers/args.ts';
import { input } from '../../layers/input.ts';
import { layers } from '../../layers/index.ts';
import { model, type LayersModel } from '../model.ts';
import { addRelu, channels, convBn, projection } from '../blocks.ts';
import { checkZooArgs, type ZooArgs } from './args.ts';

export interface ResNetArgs extends ZooArgs {
  /** Filters of the first block; the second and third have twice as many (default 64). */
  filters?: number;
}

/**
 * Three residual blocks of n, 2n, 2n filters (n = 64): each Conv(k8) -> BN -> ReLU -> Conv(k5)
 * -> BN -> ReLU -> Conv(k3) -> BN, 'same' padding, plus a shortcut (1x1 conv + BN where the
 * channels change, BN alone where they do not, as block 3 of dl-4-tsc), add, ReLU; then global
 * average pooling and a softmax dense layer.
 */
export function resnet(args: ResNetArgs): LayersModel {
  checkZooArgs('models.resnet', args, ['filters']);
  const n = positiveInt('models.resnet', 'filters', args.filters, 64);
  const x = input({ shape: args.inputShape });
  let h = x;
  for (const f of [n, 2 * n, 2 * n]) {
    const y = convBn(convBn(convBn(h, f, { kernelSize: 8 }), f, { kernelSize: 5 }), f, { kernelSize: 3, relu: false });
    h = addRelu(channels(h) === f ? layers.batchNormalization().apply(h) : projection(h, f), y);
  }
  const y = layers.dense({ units: args.classes, activation: 'softmax' }).apply(layers.globalAveragePooling1d().apply(h));
  return model({ inputs: x, outputs: y, name: 'resnet', seed: args.seed });
}
