// The Monitor's causal beat detector: dilated causal convolutions (receptive field 33 samples,
// 132 ms at 250 Hz) ending in one sigmoid per time step: "an R peak within the last
// DETECT_WINDOW samples". Every layer is causal, so model.stream() can run it sample by sample.
// Trained on windows of a synthetic recording of another seed than the one displayed.
import { input, layers, model as functional, optimizers, Tensor, type LayersModel } from 'cnn1d';
import { beatTargets, syntheticEcg } from './ecg.ts';

/** The untrained detector; input [any length, 1], output [same length, 1]. */
export function detector(seed = 0): LayersModel {
  const conv = (filters: number, kernelSize: number, dilationRate: number, activation: 'relu' | 'sigmoid') =>
    layers.conv1d({ filters, kernelSize, dilationRate, padding: 'causal', activation });
  const x = input({ shape: [null, 1], name: 'ecg' });
  let h = conv(8, 5, 1, 'relu').apply(x);
  for (const d of [2, 4, 8]) h = conv(8, 3, d, 'relu').apply(h);
  return functional({ inputs: x, outputs: conv(1, 1, 1, 'sigmoid').apply(h), name: 'beat_detector', seed });
}

/** Training windows of `length` samples cut from `seconds` of synthetic ECG (half-overlapping):
 *  x [n, length, 1], y [n, length, 1]. */
export function trainingWindows(seconds: number, seed: number, length = 500): { x: Tensor; y: Tensor } {
  const rec = syntheticEcg(seconds, seed);
  const targets = beatTargets(rec);
  const starts: number[] = [];
  for (let s = 0; s + length <= rec.signal.length; s += length / 2) starts.push(s);
  const x = new Float32Array(starts.length * length);
  const y = new Float32Array(starts.length * length);
  starts.forEach((s, i) => {
    x.set(rec.signal.subarray(s, s + length), i * length);
    y.set(targets.subarray(s, s + length), i * length);
  });
  return { x: new Tensor(x, [starts.length, length, 1]), y: new Tensor(y, [starts.length, length, 1]) };
}

/** Compiles and trains the detector; onEpoch reports progress. */
export async function trainDetector(model: LayersModel, epochs: number, onEpoch: (epoch: number, loss: number) => void): Promise<void> {
  const { x, y } = trainingWindows(180, 101);
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'binaryCrossentropy' });
  await model.fit(x, y, { epochs, batchSize: 16, verbose: 0, seed: 1, callbacks: { onEpochEnd: (e, logs) => onEpoch(e, logs.loss) } });
}
