// Training with Winograd convolutions against direct ones: the FCN of examples/ecg200-fcn.ts
// (models.fcn's layers, its recipe from examples/ucr-run.ts) on ECG200, each seed once per
// algorithm. Kernels 8/5/3: the first layer (K = 8, one channel) stays direct under 'winograd'
// ('auto' there), layers 2 and 3 run F(m, 5) and F(m, 3).
//   node --import tsx bench/winograd-accuracy.ts [--epochs 500] [--seeds 1,2,3] [--algorithms direct,winograd]
import { layers, sequential, type Layer } from '../src/index.ts';
import type { ConvAlgorithm } from '../src/layers/conv-winograd.ts';
import { arg } from '../examples/args.ts';
import { runUCR } from '../examples/ucr-run.ts';

const epochs = Number(arg('epochs', '500'));
const seeds = arg('seeds', '1,2,3').split(',').map(Number);
const algorithms = arg('algorithms', 'direct,winograd').split(',') as ConvAlgorithm[];

function fcn(inputShape: [number, number], classes: number, seed: number, algorithm: ConvAlgorithm) {
  const body: Layer[] = [];
  ([[128, 8], [256, 5], [128, 3]] as const).forEach(([filters, kernelSize], i) => {
    const alg = algorithm === 'winograd' && kernelSize === 8 ? 'auto' : algorithm;
    body.push(layers.conv1d({ filters, kernelSize, padding: 'same', algorithm: alg, ...(i === 0 ? { inputShape } : {}) }));
    body.push(layers.batchNormalization());
    body.push(layers.activation({ activation: 'relu' }));
  });
  return sequential({ seed, name: 'fcn', layers: [...body, layers.globalAveragePooling1d(), layers.dense({ units: classes, activation: 'softmax' })] });
}

const means: string[] = [];
for (const algorithm of algorithms) {
  console.log(`\nalgorithm ${algorithm}, ${epochs} epochs`);
  const mean = await runUCR('ECG200', (shape, classes, seed) => fcn(shape, classes, seed, algorithm), epochs, seeds);
  means.push(`${algorithm} ${mean.toFixed(3)}`);
}
console.log(`\nmean test accuracy, seeds ${seeds.join(', ')}, ${epochs} epochs: ${means.join(', ')}`);
