// ECG200 (UCR) with the FCN of Wang et al. 2017 (models.fcn), trained with the recipe of
// ucr-run.ts (Fawaz et al. 2019: Adam 1e-3, batch 16, learning rate halved on a training-loss
// plateau, the weights of the lowest training loss kept). Published FCN figure: 0.889.
//
//   node --import tsx examples/ecg200-fcn.ts [--epochs 500] [--seeds 1,2,3]

import { models } from '../src/index.ts';
import { arg } from './args.ts';
import { runUCR } from './ucr-run.ts';

const epochs = Number(arg('epochs', '500'));
const seeds = arg('seeds', '1,2,3').split(',').map(Number);
await runUCR('ECG200', (inputShape, classes, seed) => models.fcn({ inputShape, classes, seed }), epochs, seeds);
