import { test } from 'vitest';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { data, layers, sequential } from '../../src/index.ts';
import { FIXTURE_RECORDINGS as RECORDINGS } from '../helpers/datasets.ts';

const isTest = (f: string) => parseInt(f.split('_')[2], 10) <= 4;

test('fromWavFolder streams the test split of the FSDD fixtures in batches equal to loadFSDD, holding one batch of files', async () => {
  const ref = data.loadFSDD(RECORDINGS, { length: 4000 }).test;
  const ds = data.fromWavFolder(RECORDINGS, { length: 4000, batchSize: 4, sampleRate: 8000, filter: isTest });
  assert.equal(ds.files.length, 10);
  assert.deepEqual(ds.files, ref.files);
  assert.deepEqual(ds.classes, ref.classes);
  const biggest = Math.max(...ds.files.map((f) => statSync(`${RECORDINGS}/${f}`).size));
  assert.equal(ds.bufferBound, 4 * biggest);
  const xs: Float32Array[] = [];
  const ys: number[] = [];
  for await (const b of ds) {
    assert.deepEqual(b.xs.shape.slice(1), [4000, 1]);
    xs.push(b.xs.data);
    ys.push(...b.ys);
  }
  assert.deepEqual(xs.map((x) => x.length / 4000), [4, 4, 2]);
  const flat = new Float32Array(10 * 4000);
  let at = 0;
  for (const x of xs) flat.set(x, (at += x.length) - x.length);
  assert.deepEqual(flat, ref.x.data);
  assert.deepEqual(ys, Array.from(ref.y));
  assert.ok(ds.maxBufferedBytes > 0 && ds.maxBufferedBytes <= ds.bufferBound && ds.bufferedBytes === 0);

  const shuffled = data.fromWavFolder(RECORDINGS, { length: 4000, batchSize: 3, filter: isTest, shuffle: true, seed: 4 });
  const passes: number[][] = [];
  for (let p = 0; p < 2; p++) {
    const labels: number[] = [];
    for await (const b of shuffled) labels.push(...b.ys);
    passes.push(labels);
  }
  assert.notDeepEqual(passes[0], ys, 'shuffled');
  assert.notDeepEqual(passes[0], passes[1], 'reshuffled every pass');
  assert.deepEqual([...passes[0]].sort(), [...ys].sort(), 'the same files');
});

test('fitDataset trains on a streamed WAV folder', async () => {
  const ds = data.fromWavFolder(RECORDINGS, { length: 800, batchSize: 50, filter: (f) => /^[12]_/.test(f) });
  const m = sequential({ seed: 1, layers: [layers.conv1d({ filters: 4, kernelSize: 9, strides: 4, activation: 'relu', inputShape: [800, 1] }), layers.globalMaxPooling1d(), layers.dense({ units: 10, activation: 'softmax' })] });
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const h = await m.fitDataset(ds, { epochs: 2, verbose: 0 });
  assert.equal(h.history.loss.length, 2);
  assert.ok(h.history.loss[1] < h.history.loss[0], `loss falls: ${h.history.loss}`);
  m.dispose();
});

test('fromWavFolder options are checked', () => {
  assert.throws(() => data.fromWavFolder(RECORDINGS, { length: 0 }), /fromWavFolder: length must be a positive integer, got 0/);
  assert.throws(() => data.fromWavFolder(RECORDINGS, { length: 8, filter: () => false }), /no \.wav files in .* pass the filter/);
  assert.throws(() => data.fromWavFolder(RECORDINGS, { length: 8, classes: ['1', '2'] }), /0_\w+_\d+\.wav has label "0", which is not one of the classes \[1, 2\]/);
  assert.throws(() => data.fromWavFolder(RECORDINGS, { length: 8, batchsize: 3 } as never), /unknown option "batchsize" \(did you mean "batchSize"\?\)/);
});
