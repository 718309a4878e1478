// The network of Table 1 of the Cacciari & Ranfagni tutorial (18 samples -> Conv 4x3 sigmoid ->
// avg-pool 2 -> Conv 6x3 sigmoid -> avg-pool 2 -> dense 2 sigmoid, MSE).
// 1. Step for step against the golden case test/golden/cases/networks.json "tutorial-18": the same
//    initial weights and batch, 3 SGD(0.1, momentum 0.9) steps and 3 Adam(1e-3) steps, compared
//    with the golden parameters after them.
// 2. Learning a small regression: from a noisy Gaussian bump, predict its position and width.
//
//   node --import tsx examples/tutorial-18.ts

import { readFileSync } from 'node:fs';
import { models, optimizers, Tensor, type Optimizer } from '../src/index.ts';
import { Random } from '../src/runtime/random.ts';

interface T {
  shape: number[];
  data: number[];
}
const golden = JSON.parse(readFileSync(new URL('../test/golden/cases/networks.json', import.meta.url), 'utf8')).cases.find((c: { name: string }) => c.name === 'tutorial-18');
const initial = Object.values(golden.params as Record<string, T>).map((t) => Float32Array.from(t.data));
const x = Float32Array.from((golden.input as T).data);
const y = Float32Array.from((golden.yTrue as T).data);

function steps(label: string, optimizer: Optimizer, after: Record<string, T>): void {
  const model = models.tutorial18();
  model.compile({ optimizer, loss: 'meanSquaredError' });
  model.setWeights(initial);
  const losses = [1, 2, 3].map(() => model.trainOnBatch(x, y, 3));
  let worst = 0;
  model.getWeights().forEach((w, i) => {
    const expected = Object.values(after)[i].data;
    w.data.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - expected[j]))));
  });
  console.log(`${label}: losses ${losses.map((l) => l.toFixed(6)).join(', ')} (golden initial loss ${golden.loss.toFixed(6)}); max |param - golden| after 3 steps ${worst.toExponential(2)}`);
  model.dispose();
}
steps('SGD(lr 0.1, momentum 0.9)', optimizers.sgd(golden.afterSgd3.config), golden.afterSgd3.params);
steps('Adam(lr 1e-3)', optimizers.adam(golden.afterAdam3.config), golden.afterAdam3.params);

// 2. regression: x = bump(position p, width w) + noise, targets (p/18, w/3) in (0, 1)
function bumps(n: number, seed: number): { x: Tensor; y: Tensor } {
  const rng = new Random(seed);
  const xs = new Float32Array(n * 18);
  const ys = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const p = rng.uniform(3, 15);
    const w = rng.uniform(0.8, 2.5);
    for (let t = 0; t < 18; t++) xs[i * 18 + t] = Math.exp(-((t - p) ** 2) / (2 * w * w)) + 0.05 * rng.normal();
    ys[2 * i] = p / 18;
    ys[2 * i + 1] = w / 3;
  }
  return { x: new Tensor(xs, [n, 18, 1]), y: new Tensor(ys, [n, 2]) };
}
const train = bumps(512, 1);
const test = bumps(128, 2);
const model = models.tutorial18(7);
model.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'meanSquaredError', metrics: ['mae'] });
const before = model.evaluate(test.x, test.y);
const t0 = performance.now();
await model.fit(train.x, train.y, { epochs: 150, batchSize: 32, verbose: 0 });
const after = model.evaluate(test.x, test.y);
console.log(`regression (position, width of a bump): test MSE ${before.loss.toFixed(4)} -> ${after.loss.toFixed(4)}, MAE ${before.mae.toFixed(3)} -> ${after.mae.toFixed(3)} after 150 epochs (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
const pred = model.predict(test.x.slice(0, 3));
for (let i = 0; i < 3; i++) {
  console.log(`  sample ${i}: position ${(test.y.data[2 * i] * 18).toFixed(2)} predicted ${(pred.data[2 * i] * 18).toFixed(2)}, width ${(test.y.data[2 * i + 1] * 3).toFixed(2)} predicted ${(pred.data[2 * i + 1] * 3).toFixed(2)}`);
}
model.dispose();
