// ECG200 (UCR) with the ResNet of Wang et al. 2017 (models.resnet: 64/128/128 filters, kernels
// 8/5/3, BN, shortcuts, global average pooling), trained with the recipe of ucr-run.ts.
// Published ResNet figure (Ismail Fawaz et al. 2019, mean of 10 runs): 0.874.
//
//   node --import tsx examples/ecg200-resnet.ts [--epochs 250] [--seeds 1,2,3]

import { models } from '../src/index.ts';
import { arg } from './args.ts';
import { runUCR } from './ucr-run.ts';

const epochs = Number(arg('epochs', '250'));
const seeds = arg('seeds', '1,2,3').split(',').map(Number);
await runUCR('ECG200', (inputShape, classes, seed) => models.resnet({ inputShape, classes, seed }), epochs, seeds);
