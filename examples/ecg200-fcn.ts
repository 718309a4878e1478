// ECG200 (UCR) with the FCN of Wang et al. 2017, as in Fawaz et al. 2019: Adam(1e-3), batch 16,
// learning rate halved on a training-loss plateau, the weights of the lowest training loss kept.
// Prints the test accuracy of each seed and their mean (published FCN figure: 0.889).
//
//   node --import tsx examples/ecg200-fcn.ts [--epochs 500] [--seeds 1,2,3]

import { callbacks, data, models, optimizers } from '../src/index.ts';
import { arg, dataDir } from './args.ts';

const epochs = Number(arg('epochs', '500'));
const seeds = arg('seeds', '1,2,3').split(',').map(Number);
const { train, test } = data.loadUCRSplit(`${dataDir()}/ucr/ECG200`, 'ECG200');
console.log(`ECG200: train ${train.x.shape}, test ${test.x.shape}, classes ${train.classes}`);

const accuracies: number[] = [];
for (const seed of seeds) {
  const model = models.fcn({ inputShape: [train.x.shape[1], 1], classes: train.classes.length, seed });
  model.compile({ optimizer: optimizers.adam({ learningRate: 1e-3 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const t0 = performance.now();
  await model.fit(train.x, train.y, {
    epochs,
    batchSize: 16,
    verbose: 0,
    callbacks: [
      callbacks.reduceLROnPlateau({ monitor: 'loss', factor: 0.5, patience: 50, minLr: 1e-4 }),
      callbacks.earlyStopping({ monitor: 'loss', patience: epochs, restoreBestWeights: true }),
    ],
  });
  const seconds = (performance.now() - t0) / 1000;
  const { accuracy, loss } = model.evaluate(test.x, test.y);
  accuracies.push(accuracy);
  console.log(`seed ${seed}: test accuracy ${accuracy.toFixed(3)} (loss ${loss.toFixed(4)}), ${epochs} epochs in ${seconds.toFixed(0)} s (${((epochs * train.x.shape[0]) / seconds).toFixed(0)} samples/s)`);
  model.dispose();
}
const mean = accuracies.reduce((a, b) => a + b, 0) / accuracies.length;
console.log(`mean test accuracy over seeds ${seeds.join(', ')}: ${mean.toFixed(3)}`);
