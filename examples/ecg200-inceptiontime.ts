// ECG200 (UCR) with one InceptionTime network of Ismail Fawaz et al. 2020 (models.inceptionTime:
// depth 6, 32 filters per branch, bottleneck 32, kernels 40/20/10, residual every 3 modules),
// trained with the recipe of ucr-run.ts. Published figure (InceptionTime ensemble): 0.91.
//
//   node --import tsx examples/ecg200-inceptiontime.ts [--epochs 250] [--seeds 1,2,3]

import { models } from '../src/index.ts';
import { arg } from './args.ts';
import { runUCR } from './ucr-run.ts';

const epochs = Number(arg('epochs', '250'));
const seeds = arg('seeds', '1,2,3').split(',').map(Number);
await runUCR('ECG200', (inputShape, classes, seed) => models.inceptionTime({ inputShape, classes, seed }), epochs, seeds);
