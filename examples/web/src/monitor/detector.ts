// The Monitor's causal beat classifier: dilated causal convolutions (receptive field 65 samples,
// 260 ms at 250 Hz) ending in a softmax per time step over BEAT_CLASSES: "no R peak / a normal /
// an ectopic beat's R peak within the last DETECT_WINDOW samples". Every layer is causal, so
// model.stream() can run it sample by sample.
// Trained on windows of a synthetic recording of another seed than the one displayed.
import { input, layers, model as functional, optimizers, Tensor, type LayersModel } from 'cnn1d';
import { BEAT_CLASSES, beatTargets, syntheticEcg } from './ecg.ts';

/** The untrained detector; input [any length, 1], output [same length, 3]. */
export function detector(seed = 0): LayersModel {
  const conv = (filters: number, kernelSize: number, dilationRate: number, activation: 'relu' | 'softmax') =>
    layers.conv1d({ filters, kernelSize, dilationRate, padding: 'causal', activation });
  const x = input({ shape: [null, 1], name: 'ecg' });
  let h = conv(12, 5, 1, 'relu').apply(x);
  for (const d of [2, 4, 8, 16]) h = conv(12, 3, d, 'relu').apply(h);
  return functional({ inputs: x, outputs: conv(BEAT_CLASSES.length, 1, 1, 'softmax').apply(h), name: 'beat_detector', seed });
}

/** Training windows of `length` samples cut from `seconds` of synthetic ECG (half-overlapping):
 *  x [n, length, 1], y [n, length, 3] one-hot classes (per-step class indices are not taken by
 *  the sparse loss, which wants one label per sample). */
export function trainingWindows(seconds: number, seed: number, length = 500): { x: Tensor; y: Tensor } {
  const rec = syntheticEcg(seconds, seed);
  const targets = beatTargets(rec);
  const starts: number[] = [];
  for (let s = 0; s + length <= rec.signal.length; s += length / 2) starts.push(s);
  const x = new Float32Array(starts.length * length);
  const K = BEAT_CLASSES.length;
  const y = new Float32Array(starts.length * length * K);
  starts.forEach((s, i) => {
    x.set(rec.signal.subarray(s, s + length), i * length);
    for (let t = 0; t < length; t++) y[(i * length + t) * K + targets[s + t]] = 1;
  });
  return { x: new Tensor(x, [starts.length, length, 1]), y: new Tensor(y, [starts.length, length, K]) };
}

/** Compiles and trains the detector; onEpoch reports progress. */
export async function trainDetector(model: LayersModel, epochs: number, onEpoch: (epoch: number, loss: number) => void): Promise<void> {
  const { x, y } = trainingWindows(180, 101);
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy' });
  await model.fit(x, y, { epochs, batchSize: 16, verbose: 0, seed: 1, callbacks: { onEpochEnd: (e, logs) => onEpoch(e, logs.loss) } });
}
