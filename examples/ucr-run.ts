// The training recipe of Ismail Fawaz et al. 2019 (dl-4-tsc) shared by the UCR examples: Adam(1e-3),
// batch 16, learning rate halved after 50 epochs without a lower training loss (floor 1e-4), the
// weights of the lowest training loss kept (their ModelCheckpoint on 'loss'); no test data is
// seen before the final evaluation. Prints each seed's test accuracy and the mean.

import { callbacks, data, optimizers, type LayersModel } from '../src/index.ts';
import { dataDir } from './args.ts';

export async function runUCR(dataset: string, build: (inputShape: [number, number], classes: number, seed: number) => LayersModel, epochs: number, seeds: number[]): Promise<number> {
  const { train, test } = data.loadUCRSplit(`${dataDir()}/ucr/${dataset}`, dataset);
  console.log(`${dataset}: train ${train.x.shape}, test ${test.x.shape}, classes ${train.classes}`);
  const accuracies: number[] = [];
  for (const seed of seeds) {
    const model = build([train.x.shape[1], 1], train.classes.length, seed);
    model.compile({ optimizer: optimizers.adam({ learningRate: 1e-3 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    if (seed === seeds[0]) console.log(`${model.name}: ${model.layers.length} layers, ${model.countParams()} parameters`);
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
  return mean;
}
