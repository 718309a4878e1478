// InceptionTime, one network of the ensemble of Ismail Fawaz et al., "InceptionTime: finding
// AlexNet for time series classification", DMKD 2020, as coded in hfawaz/InceptionTime
// (classifiers/inception.py). x [L, C] -> probabilities [classes].

import { ConfigError, boolean, positiveInt, showValue } from '../../layers/args.ts';
import { input } from '../../layers/input.ts';
import { layers } from '../../layers/index.ts';
import type { SymbolicTensor } from '../../engine/symbolic.ts';
import { model, type LayersModel } from '../model.ts';
import { addRelu, channels, projection } from '../blocks.ts';
import { checkZooArgs, type ZooArgs } from './args.ts';

export interface InceptionTimeArgs extends ZooArgs {
  /** Number of inception modules (default 6). */
  depth?: number;
  /** Filters of each of the four branches; a module outputs 4 * filters channels (default 32). */
  filters?: number;
  /** Filters of the 1x1 bottleneck in front of the long convolutions (default 32). */
  bottleneck?: number;
  /** Kernel sizes of the three long convolutions (default [40, 20, 10]: the original code's
   *  kernel_size 41 - 1 = 40, halved twice; the paper's text says 40/20/10 too). */
  kernels?: number[];
  /** A shortcut (1x1 conv + BN, add, ReLU) around every third module (default true). */
  residual?: boolean;
}

const OWNER = 'models.inceptionTime';

/**
 * `depth` inception modules, each: a bottleneck Conv(1x1, `bottleneck`, no bias, linear) when
 * the input has more than one channel; three Conv(k, `filters`, 'same', no bias, linear) on it
 * for k in `kernels`; MaxPool(3, stride 1, 'same') on the module's input followed by
 * Conv(1x1, `filters`, no bias); the four concatenated on channels -> BN -> ReLU. Every third
 * module adds a shortcut from the last residual point; global average pooling; softmax.
 */
export function inceptionTime(args: InceptionTimeArgs): LayersModel {
  checkZooArgs(OWNER, args, ['depth', 'filters', 'bottleneck', 'kernels', 'residual']);
  const depth = positiveInt(OWNER, 'depth', args.depth, 6);
  const filters = positiveInt(OWNER, 'filters', args.filters, 32);
  const bottleneck = positiveInt(OWNER, 'bottleneck', args.bottleneck, 32);
  const kernels = args.kernels ?? [40, 20, 10];
  if (!Array.isArray(kernels) || kernels.length === 0) throw new ConfigError(`${OWNER}: kernels must be a non-empty array of kernel sizes, got ${showValue(kernels)}`);
  kernels.forEach((k, i) => positiveInt(OWNER, `kernels[${i}]`, k));
  const residual = boolean(OWNER, 'residual', args.residual, true);

  const module = (x: SymbolicTensor): SymbolicTensor => {
    const b = channels(x) > 1 ? layers.conv1d({ filters: bottleneck, kernelSize: 1, useBias: false }).apply(x) : x;
    const branches = kernels.map((k) => layers.conv1d({ filters, kernelSize: k, padding: 'same', useBias: false }).apply(b));
    const pooled = layers.maxPooling1d({ poolSize: 3, strides: 1, padding: 'same' }).apply(x);
    branches.push(layers.conv1d({ filters, kernelSize: 1, useBias: false }).apply(pooled));
    const y = layers.batchNormalization().apply(layers.concatenate().apply(branches));
    return layers.activation({ activation: 'relu' }).apply(y);
  };

  const x = input({ shape: args.inputShape });
  let h = x;
  let res = x;
  for (let d = 0; d < depth; d++) {
    h = module(h);
    if (residual && d % 3 === 2) {
      h = addRelu(projection(res, channels(h), false), h);
      res = h;
    }
  }
  const y = layers.dense({ units: args.classes, activation: 'softmax' }).apply(layers.globalAveragePooling1d().apply(h));
  return model({ inputs: x, outputs: y, name: 'inception_time', seed: args.seed });
}
