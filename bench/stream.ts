// Streaming inference (model.stream()) of a causal TCN: samples per second and microseconds per
// push of 1, 32 and 256 samples, beside predict() on the whole signal at once, measured in the
// same run. The streamed outputs are checked against predict() first.
//   node --import tsx bench/stream.ts
import { input, layers, model, Tensor, type LayersModel } from '../src/index.ts';
import { Random } from '../src/runtime/random.ts';
import { time } from './timing.ts';

const C = 1; // one lead, as an ECG
const F = 16;
const L = 4096;

/** Causal TCN: a conv stem, four residual blocks of dilated causal convs (D = 1, 2, 4, 8) with
 *  batch norm, and a per-step softmax head of 2 classes. Receptive field 31 samples. */
function tcn(seed: number): LayersModel {
  const x = input({ shape: [null, C] });
  let h = layers.conv1d({ filters: F, kernelSize: 3, padding: 'causal', activation: 'relu' }).apply(x);
  for (const dilationRate of [1, 2, 4, 8]) {
    const r = layers.conv1d({ filters: F, kernelSize: 3, dilationRate, padding: 'causal', activation: 'relu' }).apply(h);
    h = layers.batchNormalization().apply(layers.add().apply([h, r]));
  }
  const y = layers.conv1d({ filters: 2, kernelSize: 1, activation: 'softmax' }).apply(h);
  const m = model({ inputs: x, outputs: y, seed });
  const rng = new Random(seed);
  m.setWeights(m.weights.map((w) => rng.uniformArray(w.size, -0.3, 0.3).map((v) => (w.name.endsWith('moving_variance') ? 0.5 + Math.abs(v) : v))));
  return m;
}


const m = tcn(7);
const signal = new Random(8).uniformArray(L * C, -1, 1);
const offline = m.predict(new Tensor(signal, [1, L, C])).data;

// correctness: pushes of 1, 32 and 256 samples give predict()'s outputs
for (const n of [1, 32, 256]) {
  const s = m.stream({ maxChunk: 256 });
  const got = new Float32Array(offline.length);
  let at = 0;
  for (let t = 0; t < L; t += n) {
    const y = s.push(signal.subarray(t * C, Math.min(L, t + n) * C));
    got.set(y, at);
    at += y.length;
  }
  for (let i = 0; i < offline.length; i++) {
    if (!(Math.abs(got[i] - offline[i]) <= 1e-5 * (1 + Math.abs(offline[i])))) throw new Error(`pushes of ${n}: value ${i} is ${got[i]}, offline ${offline[i]}`);
  }
  s.dispose();
}

console.log(`causal TCN (${m.countParams()} weights, ${F} filters, receptive field 31), input [n, ${C}], output [n, 2]`);
console.log('push of   us/push   samples/s   x predict(' + L + ')');
const whole = time(() => m.predict(new Tensor(signal, [1, L, C])), 5, 100);
const base = L / whole;
for (const n of [1, 32, 256]) {
  const s = m.stream({ maxChunk: 256 });
  let t = 0;
  const sec = time(() => {
    if (t + n > L) t = 0;
    s.push(signal.subarray(t * C, (t + n) * C));
    t += n;
  }, 7, 100);
  const rate = n / sec;
  console.log(`${String(n).padStart(7)}  ${(sec * 1e6).toFixed(1).padStart(8)}  ${rate.toExponential(2).padStart(10)}  ${(rate / base).toFixed(2).padStart(8)}`);
  s.dispose();
}
console.log(`predict(${L}) at once: ${base.toExponential(2)} samples/s (${((whole / L) * 1e6).toFixed(2)} us/sample)`);
m.dispose();
