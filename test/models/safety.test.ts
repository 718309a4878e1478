// Issue 6: nothing one model does can hurt another. Each reproducer runs next to a live bystander
// model whose weights and predictions must stay bit-identical, and checks that the arena's bytes
// in use come back to their baseline.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, layers, models, ModelStateError, optimizers, OutOfMemoryError, saveModel, sequential, Tensor, TrainingError, type Sequential } from '../../src/index.ts';
import { runtime } from '../../src/runtime/runtime.ts';
import { Random } from '../../src/runtime/random.ts';

const L = 16;
const samples = (n: number, seed: number, length = L, scale = 1) => new Tensor(new Random(seed).uniformArray(n * length).map((v) => v * scale), [n, length, 1]);

function small(seed: number, name = 'small'): Sequential {
  const m = sequential({ name, seed, layers: [layers.conv1d({ filters: 4, kernelSize: 3, inputShape: [L, 1] }), layers.globalAveragePooling1d(), layers.dense({ units: 3, activation: 'softmax' })] });
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  return m;
}

/** A live model whose weights and predictions are snapshotted now and compared by check(). */
function bystander() {
  const model = small(42, 'bystander');
  const x = samples(6, 43);
  const weights = model.getWeights().map((w) => w.data);
  const out = model.predict(x).data;
  return {
    check(when: string) {
      model.getWeights().forEach((w, i) => assert.deepEqual(w.data, weights[i], `${when}: bystander weight ${w.name} changed`));
      assert.deepEqual(model.predict(x).data, out, `${when}: bystander predictions changed`);
    },
  };
}

test('a caught out-of-memory error leaves the model, other models and the arena intact (reproducer 1)', () => {
  const arena = runtime().arena;
  const other = bystander();
  const m = models.kerasSeed({ inputShape: [128, 1], classes: 3, seed: 1 });
  const few = samples(5, 2, 128);
  const first = m.predict(few).data;
  const baseline = arena.bytesInUse;
  const memory = runtime().memory.buffer.byteLength;
  // 200,000 samples of 128 need about 6.5 GB even with the inference plan's buffer reuse (33 kB
  // a sample at the peak, the convolution's input, pre-activation and output): past the 4 GiB of
  // wasm32, refused at once
  const many = new Tensor(new Float32Array(200_000 * 128), [200_000, 128, 1]);
  assert.throws(
    () => m.predict(many, { batchSize: 200_000 }),
    (e: Error) => {
      assert.ok(e instanceof OutOfMemoryError && e instanceof RangeError, `${e.name}: ${e.message}`);
      assert.match(e.message, /^model "keras_seed": cannot plan working memory for a batch of 200000 samples \(\d{10,} bytes of activations.*use a smaller batchSize$/);
      return true;
    },
  );
  assert.ok(arena.bytesInUse < baseline, 'the failed model keeps no work plan');
  assert.equal(runtime().memory.buffer.byteLength, memory, 'a refused plan does not grow the memory');
  assert.deepEqual(m.predict(few).data, first, 'the next smaller predict re-plans and gives the same outputs');
  assert.equal(arena.bytesInUse, baseline);
  other.check('after the failed predict');
  m.dispose();
});

test('a model whose weights cannot be allocated frees what it got and stays unusable, naming the cause', () => {
  const arena = runtime().arena;
  const other = bystander();
  const baseline = arena.bytesInUse;
  // 4 * 1000 * 2,000,000 floats of kernel = 32 GB: what a model.json with a huge "filters" asks for
  const huge = sequential({ name: 'huge', layers: [layers.conv1d({ filters: 2_000_000, kernelSize: 4, inputShape: [L, 1000] })] });
  assert.throws(() => huge.build(), (e: Error) => e instanceof OutOfMemoryError && /^model "huge": cannot allocate its \d+ weights \(\d+ bytes\)/.test(e.message));
  assert.equal(arena.bytesInUse, baseline);
  for (const call of [() => huge.predict(samples(1, 1, L)), () => huge.countParams(), () => huge.getWeights()]) {
    assert.throws(call, (e: Error) => e instanceof ModelStateError && /model "huge": \w+\(\) on a model that failed to build \(model "huge": cannot allocate/.test(e.message) && e.cause instanceof OutOfMemoryError);
  }
  const misfit = sequential({ name: 'misfit', layers: [layers.conv1d({ filters: 2, kernelSize: 9, inputShape: [5, 1] })] });
  assert.throws(() => misfit.build(), ConfigError);
  assert.throws(() => misfit.summary(() => {}), /model "misfit": summary\(\) on a model that failed to build \(Conv1D layer "conv1d": input length 5 is shorter/);
  huge.dispose();
  misfit.dispose();
  assert.equal(arena.bytesInUse, baseline);
  other.check('after the failed builds');
});

test('the arena keeps working after refused allocations: new models build and train', async () => {
  const arena = runtime().arena;
  const baseline = arena.bytesInUse;
  assert.throws(() => runtime().allocF32(2 ** 31), OutOfMemoryError);
  const m = small(5);
  const h = await m.fit(samples(8, 6), Int32Array.from([0, 1, 2, 0, 1, 2, 0, 1]), { epochs: 2, batchSize: 4, verbose: 0 });
  assert.ok(h.history.loss.every(Number.isFinite));
  m.dispose();
  assert.equal(arena.bytesInUse, baseline);
});

test('trainOnBatch and computeLossAndGrads reject labels out of range before any kernel runs (reproducer 2)', () => {
  const other = bystander();
  const m = small(3, 'victim');
  const x = samples(2, 4).data;
  const before = m.getWeights().map((w) => w.data);
  for (const label of [3, -1, 1.5, NaN, Infinity, 1e9]) {
    const y = Float32Array.from([0, label]);
    for (const method of ['trainOnBatch', 'computeLossAndGrads'] as const) {
      assert.throws(() => m[method](x, y, 2), (e: Error) => e instanceof ConfigError && e.message === `model "victim": ${method} y: label ${label} of sample 1 is out of range: the model has 3 output classes, so labels must be integers 0..2`);
    }
  }
  m.getWeights().forEach((w, i) => assert.deepEqual(w.data, before[i], `victim weight ${w.name} changed`));
  // the engine path that fit uses checks the labels in the target buffer as well
  m.prepare(2);
  m.inputView(2).set(x);
  m.runForward(2, true);
  m.targetView(2).set([0, 7]);
  assert.throws(() => m.runLoss(2, true), /sparseCategoricalCrossentropy targets: label 7 of sample 1 is out of range/);
  assert.ok(Number.isFinite(m.trainOnBatch(x, Float32Array.from([0, 2]), 2)), 'valid labels still train');
  other.check('after the crafted labels');
  m.dispose();
});

test('the engine entry points validate batch sizes, lengths and finiteness', () => {
  const other = bystander();
  const m = small(8, 'engine');
  const x = samples(2, 9).data;
  for (const batch of [0, -1, 1.5, NaN]) assert.throws(() => m.forwardBatch(x, batch, false), new RegExp(`forwardBatch: batch must be a positive integer, got ${batch}`));
  assert.throws(() => m.forwardBatch(x, 3, false), /forwardBatch x: expected 3 samples of shape \[16,1\] \(48 values\), got 32 values/);
  assert.throws(() => m.forwardBatch('abc' as never, 1, false), /forwardBatch x: expected 1 samples .* got "abc"/);
  const bad = Float32Array.from(x);
  bad[16 + 3] = NaN;
  assert.throws(() => m.forwardBatch(bad, 2, false), /model "engine": forwardBatch x: value NaN at sample 1, position 3/);
  m.forwardBatch(x, 2, false);
  assert.throws(() => m.backwardFromOutputGrad(new Float32Array(6), 2), (e: unknown) => e instanceof ModelStateError && /backwardFromOutputGrad: the selected plan is for inference/.test((e as Error).message));
  m.prepare(2);
  m.forwardBatch(x, 2, false); // an inference forward on the training plan
  assert.throws(() => m.backwardFromOutputGrad(new Float32Array(6), 2), /run a forward in training mode on this batch of 2 first \(the last one was not in training mode\)/);
  m.forwardBatch(x, 2, true);
  assert.throws(() => m.backwardFromOutputGrad(new Float32Array(5), 2), /backwardFromOutputGrad dy: expected 6 values \(2 samples of output \[3\]\), got 5 values/);
  assert.throws(() => m.backwardFromOutputGrad(new Float32Array(6).fill(Infinity), 2), /dy: value Infinity at sample 0, position 0/);
  assert.throws(() => m.backwardFromOutputGrad(new Float32Array(3), 1), /on this batch of 1 first \(the last one had 2 samples\)/);
  m.backwardFromOutputGrad(new Float32Array(6).fill(0.5), 2);
  for (const f of [() => m.runForward(3, false), () => m.inputView(3), () => m.outputView(0)]) assert.throws(f, /batch must be an integer in 1..2 \(the planned capacity\)/);
  assert.throws(() => m.targetView(7), /targetView: n must be an integer in 0..6, got 7/);
  const mse = sequential({ name: 'mse', layers: [layers.dense({ units: 2, inputShape: [3] })] });
  mse.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  assert.throws(() => mse.trainOnBatch(new Float32Array(3), Float32Array.from([1, NaN]), 1), /model "mse": trainOnBatch y: value NaN at sample 0, position 1/);
  assert.throws(() => mse.trainOnBatch(new Float32Array(3), new Float32Array(3), 1), /trainOnBatch y: loss meanSquaredError expects 2 target values for 1 samples of output \[2\], got 3 values/);
  assert.throws(() => mse.computeLossAndGrads(new Float32Array(3), new Float32Array(2), 0), /computeLossAndGrads: batch must be a positive integer, got 0/);
  assert.throws(() => sequential({ layers: [layers.dense({ units: 2, inputShape: [3] })] }).runForward(1, false), /runForward: no working memory is planned; call prepare\(batch\)/);
  mse.dispose();
  m.dispose();
  other.check('after the rejected calls');
});

test('setWeights rejects wrong sizes and non-finite values without changing any weight', () => {
  const m = small(10, 'sw');
  const w = m.getWeights().map((v) => v.data);
  const withBad = (value: number) => w.map((d, i) => (i === 2 ? Float32Array.from(d, (v, j) => (j === 5 ? value : v)) : d));
  assert.throws(() => m.setWeights(withBad(NaN)), /setWeights: weight dense\/kernel has value NaN at index 5; weights must be finite numbers/);
  assert.throws(() => m.setWeights(withBad(-Infinity)), /value -Infinity at index 5/);
  assert.throws(() => m.setWeights(w.slice(1)), /the model has 4 weights, got 3 arrays/);
  assert.throws(() => m.setWeights([w[0], w[1], w[2], new Float32Array(2)]), /weight dense\/bias of shape \[3\] needs 3 values, got 2 values/);
  assert.throws(() => m.setWeights([w[0], w[1], w[2], 'abc' as never]), /needs 3 values, got "abc"/);
  assert.throws(() => m.setWeights(null as never), /the model has 4 weights, got null/);
  m.getWeights().forEach((v, i) => assert.deepEqual(v.data, w[i]));
  m.dispose();
});

test('an optimizer step checks its sizes and addresses, and serves one model', async () => {
  const rt = runtime();
  const opt = optimizers.adam();
  const p = rt.allocF32(16); // regions are whole 64-byte lines: 16 floats fill one
  const g = rt.allocF32(16);
  assert.throws(() => opt.step(rt, p, g, 17), /Adam.step: parameters p \(address \d+\) must be 17 floats inside one region allocated by the arena/);
  assert.throws(() => opt.step(rt, p, 0, 8), /Adam.step: gradients g \(address 0\) must be 8 floats/);
  assert.throws(() => opt.step(rt, p + 16, g, 16), /parameters p \(address \d+\) must be 16 floats/, 'runs past the end of its region');
  assert.throws(() => opt.step(rt, p, p + 8, 4), /parameters \(address \d+\) and gradients \(address \d+\) overlap for N = 4/);
  assert.throws(() => opt.step(rt, p, g, -1), /N must be a non-negative integer, got -1/);
  opt.step(rt, p, g, 8);
  assert.throws(() => opt.step(rt, g, p, 8), /holds state for 8 parameters at address \d+, got 8 at \d+; give each model its own optimizer/);
  opt.dispose();
  rt.release(p);
  rt.release(g);
  // two models compiled with one optimizer: the second one's step is refused, the first trains on
  const shared = optimizers.sgd({ learningRate: 0.1 });
  const a = small(11, 'a');
  const b = small(12, 'b');
  a.compile({ optimizer: shared, loss: 'sparseCategoricalCrossentropy' });
  b.compile({ optimizer: shared, loss: 'sparseCategoricalCrossentropy' });
  const x = samples(4, 13);
  const y = Int32Array.from([0, 1, 2, 0]);
  await a.fit(x, y, { verbose: 0 });
  await assert.rejects(b.fit(x, y, { verbose: 0 }), /SGD.step: this optimizer holds state .* give each model its own optimizer/);
  b.dispose(); // does not free the state that belongs to a
  await a.fit(x, y, { verbose: 0 });
  a.dispose();
});

test('a disposed model throws on every method, naming the model and the method (reproducer 3)', async () => {
  const arena = runtime().arena;
  const baseline = arena.bytesInUse;
  const m = small(14, 'gone');
  const x = samples(2, 15);
  const y = Int32Array.from([0, 1]);
  await m.fit(x, y, { verbose: 0 });
  const w = m.getWeights().map((v) => v.data);
  m.dispose();
  assert.equal(arena.bytesInUse, baseline, 'dispose() frees weights, state, work plan and optimizer state');
  m.dispose(); // a second dispose does nothing
  const dir = join(mkdtempSync(join(tmpdir(), 'cnn1d-safety-')), 'model');
  const calls: Record<string, () => unknown> = {
    predict: () => m.predict(x),
    evaluate: () => m.evaluate(x, y),
    getWeights: () => m.getWeights(),
    setWeights: () => m.setWeights(w),
    save: () => m.save(dir),
    summary: () => m.summary(() => {}),
    compile: () => m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' }),
    trainOnBatch: () => m.trainOnBatch(x.data, Float32Array.from(y), 2),
    computeLossAndGrads: () => m.computeLossAndGrads(x.data, Float32Array.from(y), 2),
    countParams: () => m.countParams(),
    build: () => m.build(),
    add: () => m.add(layers.dense({ units: 1 })),
    outputShape: () => m.outputShape,
    weights: () => m.weights,
    prepare: () => m.prepare(2),
    forwardBatch: () => m.forwardBatch(x.data, 2, false),
    runForward: () => m.runForward(2, false),
    inputView: () => m.inputView(2),
    applyOptimizer: () => m.applyOptimizer(),
    weightGradients: () => m.weightGradients(),
    firstNonFiniteWeight: () => m.firstNonFiniteWeight(),
  };
  for (const [method, call] of Object.entries(calls)) {
    assert.throws(call, (e: Error) => e instanceof ModelStateError && e.message.startsWith(`model "gone": ${method}() called after dispose()`), method);
  }
  await assert.rejects(m.fit(x, y, { verbose: 0 }), (e: Error) => e instanceof ModelStateError && e.message.startsWith('model "gone": fit() called after dispose()'));
  assert.throws(() => saveModel(m, dir), ModelStateError, 'saveModel reaches the model through build()');
  assert.equal(existsSync(dir), false, 'nothing was written');
  rmSync(join(dir, '..'), { recursive: true });
  assert.equal(arena.bytesInUse, baseline, 'no call re-allocated anything');
});

test('fit stops with a TrainingError when the batch-norm moving variance overflows (reproducer 5)', async () => {
  const arena = runtime().arena;
  const baseline = arena.bytesInUse;
  const n = 64;
  const x = new Tensor(new Random(3).uniformArray(n * L).map((v) => (v < 0 ? -1e20 : 1e20)), [n, L, 1]);
  const y = Int32Array.from({ length: n }, (_, i) => i % 2);
  const m = sequential({ seed: 2, layers: [layers.conv1d({ filters: 4, kernelSize: 8, inputShape: [L, 1] }), layers.batchNormalization(), layers.globalAveragePooling1d(), layers.dense({ units: 2, activation: 'softmax' })] });
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const epochs: number[] = [];
  await assert.rejects(
    m.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0, callbacks: { onEpochEnd: (e) => void epochs.push(e) } }),
    (e: Error) => e instanceof TrainingError && /^training stopped: weight batch_normalization\/moving_variance became Infinity \(at index \d\) at epoch 1, batch 1 \(step 1\); the model keeps its weights from before this training; /.test(e.message),
  );
  assert.deepEqual(epochs, [], 'the epoch that broke the weights does not reach the callbacks');
  assert.equal(m.firstNonFiniteWeight(), null, 'the weights before the step that overflowed are restored');
  m.dispose();
  // a healthy model passes the same check
  const ok = small(16);
  await ok.fit(samples(8, 17), Int32Array.from([0, 1, 2, 0, 1, 2, 0, 1]), { epochs: 2, batchSize: 4, verbose: 0 });
  assert.equal(ok.firstNonFiniteWeight(), null);
  ok.dispose();
  assert.equal(arena.bytesInUse, baseline);
});

test('trainOnBatch checks the batch before computing any size from it', () => {
  const m = sequential({ seed: 1, layers: [layers.dense({ units: 3, activation: 'softmax', inputShape: [4] })] });
  m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
  for (const bad of [2.5, 0, -1, NaN]) {
    assert.throws(() => m.trainOnBatch(new Float32Array(8), new Float32Array([0, 1]), bad), new RegExp(`trainOnBatch: batch must be a positive integer, got ${bad}`));
  }
  m.dispose();
});
