import { test, afterAll } from 'vitest';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { data, layers, optimizers, sequential, tensor, ConfigError, DataError, type Batch, type Sequential } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';

const dir = mkdtempSync(join(tmpdir(), 'cnn1d-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A UCR text of n two-class series of length L (2 or 5 noisy cycles, labels -1 and 1). */
function ucrText(n: number, L: number, seed: number, eol = '\n'): string {
  const rng = new Random(seed);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 3 === 0 ? 1 : -1;
    const cycles = label === 1 ? 5 : 2;
    const phase = rng.uniform(0, 6.28);
    const row = Array.from({ length: L }, (_, t) => (Math.sin((6.283185 * cycles * t) / L + phase) + 0.3 * rng.normal()).toFixed(6));
    lines.push([label, ...row].join('\t'));
  }
  return lines.join(eol) + eol;
}

function net(seed: number): Sequential {
  const m = sequential({
    seed,
    layers: [
      layers.conv1d({ filters: 4, kernelSize: 5, activation: 'relu', inputShape: [64, 1] }),
      layers.globalAveragePooling1d(),
      layers.dense({ units: 2, activation: 'softmax' }),
    ],
  });
  m.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

test('fitDataset on a UCR file 100x larger than the reader may hold matches fit on the file loaded in memory', async () => {
  const path = join(dir, 'BIG_TRAIN.tsv');
  writeFileSync(path, ucrText(6000, 64, 1));
  const fileBytes = statSync(path).size;
  const stream = data.fromUCRFile(path, { batchSize: 50, chunkBytes: 8192, maxLineBytes: 4096 });
  assert.equal(stream.bufferBound, 2 * 8192 + 4096);
  assert.ok(fileBytes > 100 * stream.bufferBound, `file ${fileBytes} B, bound ${stream.bufferBound} B`);

  const streamed = net(3);
  const h1 = await streamed.fitDataset(stream, { epochs: 2, verbose: 0 });
  assert.ok(stream.maxBufferedBytes > 0 && stream.maxBufferedBytes <= stream.bufferBound, `held at most ${stream.maxBufferedBytes} B of ${stream.bufferBound}`);
  assert.equal(stream.bytesRead, 3 * fileBytes, 'one label pass, then one pass per epoch');
  assert.deepEqual(stream.classes, [-1, 1]);

  const whole = data.loadUCR(path);
  const inMemory = net(3);
  const h2 = await inMemory.fit(whole.x, whole.y, { epochs: 2, batchSize: 50, shuffle: false, verbose: 0 });
  for (const k of ['loss', 'accuracy']) {
    h1.history[k].forEach((v, e) => assert.ok(Math.abs(v - h2.history[k][e]) < 1e-5, `${k} epoch ${e}: ${v} vs ${h2.history[k][e]}`));
  }
  assert.ok(h1.history.accuracy[1] > 0.9, `learns: accuracy ${h1.history.accuracy[1]}`);
  const w1 = streamed.getWeights();
  inMemory.getWeights().forEach((w, i) => w.data.forEach((v, j) => assert.ok(Math.abs(v - w1[i].data[j]) < 1e-5, `${w.name}[${j}]`)));

  const ev = await streamed.evaluateDataset(stream);
  const ref = streamed.evaluate(whole.x, whole.y, { batchSize: 50 });
  assert.ok(Math.abs(ev.loss - ref.loss) < 1e-5 && ev.accuracy === ref.accuracy, `${JSON.stringify(ev)} vs ${JSON.stringify(ref)}`);
  assert.equal((await streamed.evaluateDataset(stream, { batches: 2 })).accuracy !== undefined, true);
  streamed.dispose();
  inMemory.dispose();
});

test('fromUCRFile splits lines across any chunk size, with \\n, \\r\\n and \\r endings, as loadUCR reads them', async () => {
  for (const eol of ['\n', '\r\n', '\r']) {
    const path = join(dir, `eol${eol.length}${eol === '\r' ? 'cr' : ''}.tsv`);
    writeFileSync(path, ucrText(7, 5, 2, eol));
    const ref = data.loadUCR(path);
    for (const chunkBytes of [1, 2, 3, 7, 13, 64, 4096]) {
      const xs: number[] = [];
      const ys: number[] = [];
      for await (const b of data.fromUCRFile(path, { batchSize: 3, chunkBytes, maxLineBytes: 200 })) {
        xs.push(...b.xs.data);
        ys.push(...b.ys);
        assert.ok(b.xs.shape[0] === 3 || b.xs.shape[0] === 1);
      }
      assert.deepEqual(xs, Array.from(ref.x.data), `eol ${JSON.stringify(eol)} chunk ${chunkBytes}`);
      assert.deepEqual(ys, Array.from(ref.y));
    }
  }
});

test('fromUCRFile errors name the file and the line', async () => {
  const drain = async (it: AsyncIterable<unknown>) => {
    for await (const _ of it) void _;
  };
  const bad = join(dir, 'bad.tsv');
  writeFileSync(bad, '1\t0.5\t0.25\n-1\t0.1\t0.2\n\n1\t0.3\tabc\n');
  await assert.rejects(drain(data.fromUCRFile(bad, { chunkBytes: 4 })), new RegExp(`${bad.replace(/[.\\/]/g, '\\$&')}, line 4, column 3: not a number: "abc"`));
  const short = join(dir, 'short.tsv');
  writeFileSync(short, '1\t0.5\t0.25\n-1\t0.1\n');
  await assert.rejects(drain(data.fromUCRFile(short)), /short\.tsv, line 2: has 1 samples but line 1 \(the first series\) has 2/);
  await assert.rejects(drain(data.fromUCRFile(bad, { classes: [1, 2] })), /bad\.tsv, line 2, column 1: label -1 is not one of the classes \[1, 2\]/);
  const long = join(dir, 'long.tsv');
  writeFileSync(long, `1\t${'0.5\t'.repeat(100)}1\n`);
  await assert.rejects(drain(data.fromUCRFile(long, { chunkBytes: 16, maxLineBytes: 64 })), /long\.tsv, line 1: longer than maxLineBytes \(64\)/);
  await assert.rejects(drain(data.fromUCRFile(join(dir, 'none.tsv'))), DataError);
  assert.throws(() => data.fromUCRFile(bad, { batchSize: 0 }), /fromUCRFile: batchSize must be a positive integer, got 0/);
  assert.throws(() => data.fromUCRFile(bad, { classes: [1, 1] }), /distinct/);
});

/** n batches of 4 random series [4, 64, 1] with labels; records when each is requested. */
function recorded(n: number, events: string[], failAt = -1): { opened: number; returned: number } & AsyncIterable<Batch> {
  const rng = new Random(9);
  const batches = Array.from({ length: n }, () => ({ xs: tensor(rng.uniformArray(4 * 64), [4, 64, 1]), ys: Int32Array.from({ length: 4 }, () => rng.int(2)) }));
  const self = {
    opened: 0,
    returned: 0,
    [Symbol.asyncIterator]() {
      self.opened++;
      let i = 0;
      return {
        async next(): Promise<IteratorResult<Batch>> {
          events.push(`request ${i}`);
          await new Promise((r) => setTimeout(r, 1));
          if (i === failAt) throw new Error(`reader failed at batch ${i}`);
          return i < n ? { done: false, value: batches[i++] } : { done: true, value: undefined };
        },
        async return(): Promise<IteratorResult<Batch>> {
          self.returned++;
          return { done: true, value: undefined };
        },
      };
    },
  };
  return self;
}

test('fitDataset prefetches the next batch before training the current one; batchesPerEpoch runs one iterator on', async () => {
  const events: string[] = [];
  const ds = recorded(7, events);
  const m = net(1);
  const h = await m.fitDataset(ds, { epochs: 2, verbose: 0, callbacks: { onBatchEnd: (b: number) => void events.push(`trained ${b}`) } });
  assert.equal(ds.opened, 2, 'a new pass per epoch');
  assert.ok(events.indexOf('request 1') < events.indexOf('trained 0'), events.join(', '));
  assert.equal(events.filter((e) => e.startsWith('trained')).length, 14);
  assert.equal(h.history.loss.length, 2);

  const ds2 = recorded(7, []);
  const trained: number[] = [];
  await m.fitDataset(ds2, { epochs: 2, batchesPerEpoch: 3, verbose: 0, callbacks: { onBatchEnd: (b: number) => void trained.push(b) } });
  assert.equal(ds2.opened, 1, 'batchesPerEpoch: one iterator across epochs');
  assert.equal(ds2.returned, 1, 'the unfinished iterator is closed at the end');
  assert.deepEqual(trained, [0, 1, 2, 0, 1, 2]);

  const val = recorded(3, []);
  const hv = await m.fitDataset(recorded(2, []), { epochs: 1, verbose: 0, validationData: val, validationBatches: 2 });
  const arrays: Batch[] = [];
  for await (const b of recorded(3, [])) arrays.push(b);
  const ref = await m.evaluateDataset(arrays.slice(0, 2));
  assert.ok(Math.abs(hv.history.val_loss[0] - ref.loss) < 1e-6, 'validation over validationBatches batches, and an array of batches works as a dataset');
  m.dispose();
});

test('fitDataset and evaluateDataset reject what is not a dataset of {xs, ys} batches', async () => {
  const m = net(2);
  await assert.rejects(m.fitDataset(42 as never), /fitDataset: dataset must be an async iterable or iterable of \{xs, ys\} batches/);
  await assert.rejects(m.fitDataset([{ x: 1 }] as never, { verbose: 0 }), /fitDataset: batch 1 must be \{xs, ys\}/);
  await assert.rejects(m.fitDataset([], { verbose: 0 }), /fitDataset: the dataset yielded no batches in epoch 1/);
  await assert.rejects(m.fitDataset([{ xs: tensor(new Float32Array(64 * 2), [2, 32, 2]), ys: new Int32Array(2) }], { verbose: 0 }), /fitDataset batch 1 x: expected shape \[n, 64, 1\]/);
  await assert.rejects(m.fitDataset([], { epoch: 2 } as never), ConfigError);
  await assert.rejects(m.evaluateDataset([]), /evaluateDataset: the dataset yielded no batches/);
  // the reader fails on the batch prefetched while the current one is refused: one error, no unhandled rejection
  const failing = recorded(5, [], 2);
  await assert.rejects(m.fitDataset(failing, { verbose: 0 }), /reader failed at batch 2/);
  assert.equal(failing.returned, 1);
  const both = recorded(5, [], 1);
  await assert.rejects(m.fitDataset(both, { verbose: 0, callbacks: { onBatchEnd: () => { throw new Error('callback failed'); } } }), /callback failed/);
  await new Promise((r) => setTimeout(r, 20));
  await assert.rejects(m.fitDataset([], { validationData: 5 } as never), /validationData must be a dataset of \{xs, ys\} batches or \[x, y\], got 5/);
  m.dispose();
});

test('fitDataset: arrays as validationData, a dataset that runs out under batchesPerEpoch, initialEpoch and the epoch line', async () => {
  const m = net(4);
  const batches: Batch[] = [];
  for await (const b of recorded(3, [])) batches.push(b);
  const warnings: string[] = [];
  const lines: string[] = [];
  const [warn, log] = [console.warn, console.log];
  console.warn = (s: string) => void warnings.push(s);
  console.log = (s: string) => void lines.push(s);
  try {
    const val = batches[2];
    const h = await m.fitDataset(batches.slice(0, 2), { epochs: 3, batchesPerEpoch: 1, initialEpoch: 1, validationData: [val.xs, val.ys], validationBatchSize: 3, verbose: 2 });
    assert.deepEqual(h.epoch, [1, 2], 'epochs 2 and 3 of 3, one batch each');
    const ref = m.evaluate(val.xs as never, val.ys as never);
    assert.ok(Math.abs(h.history.val_loss[1] - ref.loss) < 1e-6);
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^Epoch 2\/3 - [\d.]+s - 1 batches, \d+ samples\/s - loss: [\d.]+ - accuracy: [\d.]+ - val_loss: [\d.]+ - val_accuracy: [\d.]+$/);
    const short = await m.fitDataset(batches.slice(0, 3), { epochs: 3, batchesPerEpoch: 2, verbose: 0 });
    assert.deepEqual(short.epoch, [0, 1], 'the second epoch got one batch, the third none');
    assert.match(warnings[0], /batchesPerEpoch is 2 but the dataset ran out after 1 batches in epoch 2/);
    assert.match(warnings[1], /ran out after 2 epochs; with batchesPerEpoch 2 it must give at least batchesPerEpoch \* epochs = 6 batches/);
  } finally {
    console.warn = warn;
    console.log = log;
  }
  m.dispose();
});

test('fitDataset asks for the next batch only after the current one is copied: a generator reusing one buffer gives fit()\'s weights bit for bit', async () => {
  const n = 96;
  const B = 16;
  const L = 64;
  const text = ucrText(n, L, 5);
  const whole = data.parseUCR(text);
  const reference = net(4);
  const hRef = await reference.fit(whole.x, whole.y, { epochs: 2, batchSize: B, shuffle: false, verbose: 0 });
  // one xs and one ys buffer, overwritten in place for every batch (sync and async generators)
  function* reusing(): Generator<Batch> {
    const xs = new Float32Array(B * L);
    const ys = new Int32Array(B);
    for (let s = 0; s < n; s += B) {
      xs.set(whole.x.data.subarray(s * L, (s + B) * L));
      ys.set(whole.y.subarray(s, s + B));
      yield { xs: tensor(xs, [B, L, 1]), ys };
    }
  }
  async function* reusingAsync(): AsyncGenerator<Batch> {
    for (const b of reusing()) {
      await new Promise((r) => setTimeout(r, 1));
      yield b;
    }
  }
  for (const make of [() => ({ [Symbol.iterator]: reusing }), () => ({ [Symbol.asyncIterator]: reusingAsync })]) {
    const m = net(4);
    const h = await m.fitDataset(make(), { epochs: 2, verbose: 0 });
    assert.deepEqual(h.history.loss, hRef.history.loss);
    const w = m.getWeights();
    reference.getWeights().forEach((r, i) => assert.deepEqual(w[i].data, r.data, `weight ${i} differs from fit's`));
    const ev = await m.evaluateDataset(make());
    assert.equal(ev.loss, (await reference.evaluate(whole.x, whole.y, { batchSize: B })).loss);
    m.dispose();
  }
  reference.dispose();
});
