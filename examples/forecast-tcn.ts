// Forecasting with a causal dilated CNN (TCN: Bai, Kolter & Koltun 2018, after WaveNet's dilated
// causal convolutions), compared with the naive last-value and seasonal-naive forecasts.
//
// The series, stated honestly: the 200 ECG200 heartbeats (UCR archive; 96 samples each, every
// beat z-normalised by the archive) joined end to end in file order, _TRAIN then _TEST, into one
// series of 19,200 samples. It is therefore quasi-periodic with period 96 exactly, and has a
// discontinuity at every join. Split chronologically by beats: beats 0-139 train, 140-169
// validation, 170-199 test; windows never cross a split (each split is windowed on its own).
// Task: from the last `window` samples, forecast the next `horizon` samples.
// Baselines on the same test windows: last value (every step = the window's last sample) and
// seasonal naive (step h = the sample one period, 96 steps, before it).
// Model: causal Conv1D stem, residual blocks of two causal dilated convolutions (kernel 3,
// dilations 1, 2, 4, 8, 16: receptive field 1 + 2*2*31 = 125 samples), the last time step,
// a linear dense head of `horizon` units; Huber loss, Adam, early stopping on the validation MAE.
//
//   node --import tsx examples/forecast-tcn.ts [--window 128] [--horizon 8] [--epochs 15] [--seed 1] [--filters 32]

import { data, input, layers, metrics, model, optimizers, callbacks, tensor, type SymbolicTensor, type Tensor } from '../src/index.ts';
import { arg, dataDir } from './args.ts';

const window = Number(arg('window', '128'));
const horizon = Number(arg('horizon', '8'));
const epochs = Number(arg('epochs', '15'));
const seed = Number(arg('seed', '1'));
const filters = Number(arg('filters', '32'));
const PERIOD = 96;

const { train, test } = data.loadUCRSplit(`${dataDir()}/ucr/ECG200`, 'ECG200');
const series = new Float32Array([...train.x.data, ...test.x.data]);
const beats = (a: number, b: number) => series.subarray(a * PERIOD, b * PERIOD);
const split = { train: beats(0, 140), validation: beats(140, 170), test: beats(170, 200) };
const windows = (s: Float32Array, stride = 1) => data.slidingWindows(s, { window, horizon, stride });
const tr = windows(split.train);
const va = windows(split.validation);
const te = windows(split.test);
console.log(`ECG200 beats joined: ${series.length} samples; windows ${window} -> ${horizon}: train ${tr.x.shape[0]}, validation ${va.x.shape[0]}, test ${te.x.shape[0]}`);

/** Forecasts of the baselines for windows x [N, window, 1]: y [N, horizon]. */
function baseline(x: Tensor, kind: 'last' | 'seasonal'): Tensor {
  const N = x.shape[0];
  const y = new Float32Array(N * horizon);
  for (let i = 0; i < N; i++) {
    for (let h = 0; h < horizon; h++) y[i * horizon + h] = x.data[i * window + (kind === 'last' ? window - 1 : window + h - PERIOD)];
  }
  return tensor(y, [N, horizon]);
}

// TCN residual block: relu(x' + conv(relu(conv(x)))) with causal dilated convs; x' = 1x1 conv where the channels change.
const inp = input({ shape: [window, 1] });
let h: SymbolicTensor = inp;
for (const d of [1, 2, 4, 8, 16]) {
  const c1 = layers.conv1d({ filters, kernelSize: 3, padding: 'causal', dilationRate: d, activation: 'relu' }).apply(h);
  const c2 = layers.conv1d({ filters, kernelSize: 3, padding: 'causal', dilationRate: d }).apply(c1);
  const skip = h.shape[h.shape.length - 1] === filters ? h : layers.conv1d({ filters, kernelSize: 1 }).apply(h);
  h = layers.activation({ activation: 'relu' }).apply(layers.add().apply([skip, c2]));
}
const last = layers.flatten().apply(layers.cropping1d({ cropping: [window - 1, 0] }).apply(h)); // [filters]: the last step
const out = layers.dense({ units: horizon }).apply(last); // linear head
const net = model({ inputs: inp, outputs: out, seed, name: 'tcn' });
net.compile({ optimizer: optimizers.adam({ learningRate: 1e-3 }), loss: 'huber', metrics: ['mae', 'rmse'] });
console.log(`${net.name}: ${net.countParams()} parameters`);

const t0 = performance.now();
const history = await net.fit(tr.x, tr.y, {
  epochs,
  batchSize: 64,
  seed,
  verbose: 2,
  validationData: [va.x, va.y],
  callbacks: [callbacks.earlyStopping({ monitor: 'val_mae', patience: 4, restoreBestWeights: true })],
});
const seconds = (performance.now() - t0) / 1000;
console.log(`training ${seconds.toFixed(0)} s, ${history.epoch.length} epochs`);

const pred = net.predict<Tensor>(te.x);
const rows: [string, Tensor][] = [['TCN', pred], ['last value', baseline(te.x, 'last')], ['seasonal naive (96)', baseline(te.x, 'seasonal')]];
console.log(`test split (beats 170-199, ${te.x.shape[0]} windows, horizon ${horizon}):`);
console.log('  forecast               MAE     RMSE');
for (const [name, p] of rows) console.log(`  ${name.padEnd(20)} ${metrics.mae(te.y, p).toFixed(4)}  ${metrics.rmse(te.y, p).toFixed(4)}`);
const logs = net.evaluate(te.x, te.y);
console.log(`evaluate (TCN): ${Object.entries(logs).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ')}`);
net.dispose();
