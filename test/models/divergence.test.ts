// A diverged fit keeps the weights of its last finite step, and nothing non-finite is saved
// (issue 15, item 6): SGD at learning rate 1e6 on a batch-norm model, fit and fitDataset.
import { afterAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { layers, loadTfjsModel, optimizers, sequential, tensor, toArtifacts, TrainingError, type Sequential } from '../../src/index.ts';
import { twoSines as sines } from './helpers.ts';

/** Noisy sines with their class (0 or 1) as a regression target [n, 1]. */
function twoSines(n: number, length: number, seed: number) {
  const { x, y } = sines(n, length, seed);
  return { x, y: tensor(Float32Array.from(y), [n, 1]) };
}

const dir = mkdtempSync(join(tmpdir(), 'cnn1d-diverge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function net(lr: number): Sequential {
  const m = sequential({
    seed: 7,
    layers: [
      layers.conv1d({ filters: 4, kernelSize: 5, inputShape: [32, 1] }),
      layers.batchNormalization(),
      layers.activation({ activation: 'relu' }),
      layers.globalAveragePooling1d(),
      layers.dense({ units: 1 }),
    ],
  });
  m.compile({ optimizer: optimizers.sgd({ learningRate: lr }), loss: 'meanSquaredError' });
  return m;
}

const flat = (m: Sequential) => m.getWeights().map((w) => Array.from(w.data));

test('a fit that diverges (SGD, learning rate 1e6) leaves the weights after its last finite step, which save and load', async () => {
  const { x, y } = twoSines(64, 32, 1);
  const m = net(1e6);
  const after: number[][][] = [flat(m)]; // after[s]: the weights after step s (0: before training)
  let err: Error | undefined;
  await m.fit(x, y, { epochs: 5, batchSize: 8, shuffle: false, verbose: 0, callbacks: { onBatchEnd: () => void after.push(flat(m)) } }).catch((e: Error) => (err = e));
  assert.ok(err instanceof TrainingError, `expected a TrainingError, got ${err}`);
  const m1 = /\(step (\d+)\); the model keeps (?:the weights after step (\d+)|its weights from before this training)/.exec(err.message);
  assert.ok(m1, err.message);
  const failed = Number(m1[1]);
  const kept = m1[2] === undefined ? 0 : Number(m1[2]);
  assert.equal(kept, failed - 1, err.message);
  console.log(`SGD lr 1e6: ${err.message.slice(0, 160)}...`);
  assert.equal(m.firstNonFiniteWeight(), null);
  assert.deepEqual(flat(m), after[kept], `the weights are those after step ${kept}, bit for bit`);
  const saved = m.save(join(dir, 'kept'));
  assert.ok(saved.bytes > 0);
  const back = loadTfjsModel(join(dir, 'kept'));
  assert.deepEqual(flat(back as Sequential), after[kept]);
  back.dispose();
  m.dispose();
});

test('fitDataset keeps the last finite weights too', async () => {
  const { x, y } = twoSines(64, 32, 2);
  const batches = Array.from({ length: 8 }, (_, b) => ({ xs: tensor(x.data.slice(b * 8 * 32, (b + 1) * 8 * 32), [8, 32, 1]), ys: tensor(y.data.slice(b * 8, (b + 1) * 8), [8, 1]) }));
  const m = net(1e6);
  const after: number[][][] = [flat(m)];
  const err = await m.fitDataset(batches, { epochs: 5, verbose: 0, callbacks: { onBatchEnd: () => void after.push(flat(m)) } }).catch((e: Error) => e);
  assert.ok(err instanceof TrainingError, String(err));
  const kept = /keeps the weights after step (\d+)/.exec(err.message);
  assert.deepEqual(flat(m), after[kept ? Number(kept[1]) : 0], err.message);
  m.dispose();
});

test('save and toArtifacts refuse non-finite weights with the weight and the value; nothing is written', () => {
  const { x, y } = twoSines(8, 32, 3);
  const m = net(1e6);
  // raw engine steps have no divergence guard: drive a weight to NaN/Infinity
  for (let i = 0; i < 20 && m.firstNonFiniteWeight() === null; i++) m.trainOnBatch(x.data, y.data, 8);
  const bad = m.firstNonFiniteWeight();
  assert.ok(bad, 'the weights diverged');
  const pattern = new RegExp(`^save: model "${m.name}" has weight ${bad.name.replace(/[/]/g, '\\/')} = ${bad.value} \\(at index ${bad.index}\\); a model with non-finite weights cannot be loaded, so it is not saved`);
  const target = join(dir, 'bad');
  assert.throws(() => m.save(target, { overwrite: true }), (e: Error) => e instanceof TrainingError && pattern.test(e.message));
  assert.equal(existsSync(target), false, 'nothing was written');
  assert.throws(() => toArtifacts(m), (e: Error) => e instanceof TrainingError && pattern.test(e.message));
  m.dispose();
});

test('fit refuses to start from non-finite weights', async () => {
  const { x, y } = twoSines(8, 32, 3);
  const m = net(1e6);
  for (let i = 0; i < 20 && m.firstNonFiniteWeight() === null; i++) m.trainOnBatch(x.data, y.data, 8);
  await assert.rejects(m.fit(x, y, { verbose: 0 }), /^TrainingError: training refused: weight .* is (NaN|-?Infinity) \(at index \d+\) before training/);
  m.dispose();
});
