// Plans know what they are for (issue 15.1): the raw entry points refuse a plan that does not fit
// the call with a ModelStateError, and predict / evaluate / stream / save / dispose run from fit's
// callbacks and from timers during fit, on fixed and variable input lengths and on 1 and 2
// threads, leave fit's training bit for bit what it is alone. After each case a sentinel model
// predicts bit for bit as before, the module's static data is unchanged (a write through a
// released slot lands at address 0, there), and the arena is back at its baseline.

import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { input, layers, model, ModelStateError, runtime, sequential, Tensor, type LayersModel } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';

const rt = runtime();
const bytesOf = (a: Float32Array) => new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
const signals = (n: number, L: number, C: number, seed: number) => new Tensor(new Random(seed).uniformArray(n * L * C, -1, 1), [n, L, C]);

/** Causal conv + BN + ReLU, causal conv, softmax over 3 classes per step: on [length, 2] (null:
 *  any length), so it also streams. No dropout: its forward draws from the model's random numbers
 *  in inference mode too (today's behaviour), so a predict during fit would change later masks. */
function net(length: number | null, threads: number, seed = 3): LayersModel {
  const x = input({ shape: [length, 2] });
  let h = layers.conv1d({ filters: 6, kernelSize: 3, padding: 'causal' }).apply(x);
  h = layers.activation({ activation: 'relu' }).apply(layers.batchNormalization().apply(h));
  h = layers.conv1d({ filters: 5, kernelSize: 3, padding: 'causal', activation: 'relu' }).apply(h);
  const y = layers.conv1d({ filters: 3, kernelSize: 1, activation: 'softmax' }).apply(h);
  const m = model({ inputs: x, outputs: y, seed, threads });
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

/** One-hot targets [n, L, 3] of the per-step classes. */
const targets = (n: number, L: number) => new Tensor(Float32Array.from({ length: n * L * 3 }, (_, i) => (i % 3 === Math.floor(i / 3 + i / (3 * L)) % 3 ? 1 : 0)), [n, L, 3]);

let sentinel: LayersModel;
let sentinelOut: Uint8Array;
const SENTINEL_X = signals(3, 24, 2, 99);
let staticData: Uint8Array;
let baseline = 0;
let threshold = 0;

beforeAll(async () => {
  threshold = rt.parallelThreshold;
  rt.parallelThreshold = 0; // two-thread models split every call that has a split
  sentinel = sequential({ seed: 7, layers: [layers.conv1d({ filters: 4, kernelSize: 3, inputShape: [24, 2], activation: 'relu' }), layers.flatten(), layers.dense({ units: 3, activation: 'softmax' })] });
  sentinel.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
  await sentinel.fit(SENTINEL_X, [0, 1, 2], { epochs: 1, verbose: 0 });
  sentinelOut = bytesOf(sentinel.predict(SENTINEL_X).data);
  staticData = new Uint8Array(rt.memory.buffer, 0, rt.direct.heapBase()).slice();
  baseline = rt.arena.bytesInUse;
});

afterAll(() => {
  rt.parallelThreshold = threshold;
  sentinel.dispose();
});

/** Nothing outside the models under test changed. */
function checkUntouched(what: string): void {
  assert.deepEqual(bytesOf(sentinel.predict(SENTINEL_X).data), sentinelOut, `${what}: the sentinel predicts as before`);
  assert.deepEqual(new Uint8Array(rt.memory.buffer, 0, rt.direct.heapBase()), staticData, `${what}: the module's static data is unchanged`);
  assert.equal(rt.arena.bytesInUse, baseline, `${what}: the arena is back at its baseline`);
}

const isPlanError = (method: string) => (e: unknown) => e instanceof ModelStateError && new RegExp(`${method}: the selected plan is for inference`).test((e as Error).message);

test('issue 15 reproducer: after forwardBatch(x, 8, false), runForward(8, true), runLoss(8, true), backward and applyOptimizer are refused', () => {
  for (const length of [16, null]) {
    const m = net(length, 1);
    const x = signals(8, 16, 2, 1).data;
    const before = m.getWeights();
    m.forwardBatch(x, 8, false);
    assert.throws(() => m.runForward(8, true), isPlanError('runForward'));
    assert.throws(() => m.runLoss(8, true), isPlanError('runLoss'));
    assert.throws(() => m.backwardFromOutputGrad(new Float32Array(8 * 16 * 3), 8), isPlanError('backwardFromOutputGrad'));
    assert.throws(() => m.applyOptimizer(), isPlanError('applyOptimizer'));
    m.targetView(8 * 16 * 3).set(targets(8, 16).data);
    assert.ok(Number.isFinite(m.runLoss(8, false)), 'a loss without backward is served by the inference plan');
    assert.deepEqual(m.getWeights(), before, 'the refused calls changed no weight');
    // a training plan selected, the same calls run
    m.prepare(8, false, true, length === null ? 16 : undefined);
    m.runForward(8, true);
    assert.ok(Number.isFinite(m.runLoss(8, true)));
    m.applyOptimizer();
    m.dispose();
    checkUntouched(`length ${length}`);
  }
});

test('predict on another length from onBatchEnd (issue 15 reproducer) trains as fit alone does', async () => {
  const x = signals(12, 20, 2, 5);
  const y = targets(12, 20);
  const alone = net(null, 1);
  await alone.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0, seed: 1 });
  const m = net(null, 1);
  const seen: number[] = [];
  await m.fit(x, y, {
    epochs: 2,
    batchSize: 4,
    verbose: 0,
    seed: 1,
    callbacks: [{ onBatchEnd: () => void seen.push(m.predict(signals(5, 33, 2, seen.length)).shape[0]) }],
  });
  assert.equal(seen.length, 6);
  assert.deepEqual(m.getWeights(), alone.getWeights(), 'the same weights, bit for bit');
  alone.dispose();
  m.dispose();
  checkUntouched('predict in onBatchEnd');
});

for (const threads of [1, 2]) {
  for (const length of [20, null]) {
    test(`predict, evaluate, stream and save from callbacks and timers during fit leave training as it is alone (${threads} thread${threads > 1 ? 's' : ''}, ${length ? 'fixed length' : 'any length'})`, async () => {
      const x = signals(10, 20, 2, 5);
      const y = targets(10, 20);
      const args = { epochs: 3, batchSize: 4, verbose: 0 as const, seed: 2, validationSplit: 0.2 };
      const alone = net(length, threads);
      const expected = await alone.fit(x, y, args);
      const m = net(length, threads);
      const L = (k: number) => (length ?? 13 + 7 * (k % 3)); // other lengths for a variable-length model
      const dir = mkdtempSync(join(tmpdir(), 'cnn1d-plans-'));
      const other = net(length, threads, 11); // a model the interference must not touch either
      const otherOut = bytesOf(other.predict(signals(2, L(0), 2, 4)).data);
      const meddle = (k: number) => {
        switch (k % 5) {
          case 0:
            m.predict(signals(k % 4 === 0 ? 9 : 2, L(k), 2, k), { batchSize: 3 + (k % 7) });
            break;
          case 1:
            m.evaluate(signals(6, L(k), 2, k), targets(6, L(k)), { batchSize: 6 });
            break;
          case 2: {
            const s = m.stream({ maxChunk: 4 });
            s.push(signals(1, 9, 2, k).data);
            if (k % 2) s.dispose(); // else dropped: the model's dispose frees it
            break;
          }
          case 3:
            m.save(join(dir, `m${k}`));
            break;
          default:
            m.predict(signals(1, L(k), 2, k));
        }
      };
      let fromCallbacks = 0; // every kind of call in turn, from the callbacks and from the timer
      let timer = 1000;
      const timerErrors: unknown[] = [];
      const interval = setInterval(() => {
        try {
          meddle(timer++);
        } catch (e) {
          timerErrors.push(e);
        }
      }, 0);
      try {
        const history = await m.fit(x, y, {
          ...args,
          callbacks: [
            {
              onBatchBegin: async () => {
                meddle(fromCallbacks++);
                await new Promise((r) => setTimeout(r, 1)); // the timer runs here
              },
              onBatchEnd: async () => {
                meddle(fromCallbacks++);
                await new Promise((r) => setTimeout(r, 1));
              },
              onEpochEnd: () => meddle(fromCallbacks++),
            },
          ],
        });
        assert.deepEqual(history.history, expected.history, 'the same losses, metrics and validation');
      } finally {
        clearInterval(interval);
        rmSync(dir, { recursive: true, force: true });
      }
      assert.deepEqual(timerErrors, [], 'the calls from the timer all succeeded');
      assert.ok(timer > 1000 && fromCallbacks >= 15, `the timer ran ${timer - 1000} times, the callbacks ${fromCallbacks}`);
      assert.deepEqual(m.getWeights(), alone.getWeights(), 'the same weights, bit for bit');
      assert.deepEqual(bytesOf(other.predict(signals(2, L(0), 2, 4)).data), otherOut, 'another model of the same runtime predicts as before');
      for (const mm of [alone, m, other]) mm.dispose();
      checkUntouched(`${threads} threads, length ${length}`);
    });
  }
}

test('a model disposed from a callback or a timer during fit ends fit with a ModelStateError and frees everything', async () => {
  for (const from of ['onBatchEnd', 'timer'] as const) {
    for (const length of [20, null]) {
      const m = net(length, 2);
      const x = signals(12, 20, 2, 5);
      const y = targets(12, 20);
      let batches = 0;
      const timer = from === 'timer' ? setTimeout(() => m.dispose(), 0) : undefined;
      await assert.rejects(
        m.fit(x, y, {
          epochs: 5,
          batchSize: 2,
          verbose: 0,
          callbacks: [
            {
              onBatchEnd: async () => {
                if (from === 'onBatchEnd' && ++batches === 2) m.dispose();
                await new Promise((r) => setTimeout(r, 1));
              },
            },
          ],
        }),
        (e: unknown) => e instanceof ModelStateError && /after dispose\(\)/.test((e as Error).message),
      );
      clearTimeout(timer);
      checkUntouched(`dispose from ${from}, length ${length}`);
    }
  }
});

test('a model keeps its training and inference plans apart: predict on another length does not re-plan training', () => {
  const m = net(null, 1);
  const x = signals(4, 20, 2, 1).data;
  m.prepare(4, false, true, 20);
  const trainBytes = m.workBytes;
  m.predict(signals(3, 31, 2, 2));
  const inferBytes = m.workBytes;
  assert.ok(inferBytes > 0 && inferBytes < trainBytes, `the inference plan (${inferBytes} bytes) is selected, smaller than the training plan (${trainBytes})`);
  const inUse = rt.arena.bytesInUse;
  m.forwardBatch(x, 4, true); // selects the held training plan: nothing is allocated
  assert.equal(m.workBytes, trainBytes);
  assert.equal(rt.arena.bytesInUse, inUse, 'both plans held, none re-made');
  m.predict(signals(3, 31, 2, 2));
  assert.equal(rt.arena.bytesInUse, inUse, 'the inference plan is selected again, not re-made');
  m.dispose();
  checkUntouched('two plans');
});
