// Models whose input is declared [null, C]: one set of weights, planned and run at the length of
// the data of each call (re-planned when the length changes), equal to models built for each
// fixed length with the same weights; training; refusals at build; memory safety of re-plans.

import { test } from 'vitest';
import assert from 'node:assert/strict';
import { ConfigError, input, layers, model, OutOfMemoryError, Tensor, type LayersModel } from '../../src/index.ts';
import { runtime } from '../../src/runtime/runtime.ts';
import { Random } from '../../src/runtime/random.ts';

/** The FCN of Wang et al. 2017 (smaller): three conv + BN + ReLU blocks, global average pooling, softmax. */
function fcn(length: number | null, seed: number): LayersModel {
  const x = input({ shape: [length, 1] });
  let h = x;
  for (const [filters, kernelSize] of [[8, 8], [12, 5], [8, 3]]) {
    h = layers.conv1d({ filters, kernelSize, padding: 'same' }).apply(h);
    h = layers.activation({ activation: 'relu' }).apply(layers.batchNormalization().apply(h));
  }
  h = layers.maxPooling1d({ poolSize: 2 }).apply(h);
  h = layers.conv1d({ filters: 8, kernelSize: 3, activation: 'tanh' }).apply(h); // "valid": needs length >= 6
  const y = layers.dense({ units: 3, activation: 'softmax' }).apply(layers.globalAveragePooling1d().apply(h));
  return model({ inputs: x, outputs: y, seed });
}

/** Two classes of noisy sines of period 32 or 12 samples (whatever the length), random phase. x [n, length, 1]. */
function periods(n: number, length: number, seed: number): { x: Tensor; y: Int32Array } {
  const rng = new Random(seed);
  const x = new Float32Array(n * length);
  const y = Int32Array.from({ length: n }, (_, i) => i % 2);
  for (let i = 0; i < n; i++) {
    const phase = rng.uniform(0, 2 * Math.PI);
    for (let t = 0; t < length; t++) x[i * length + t] = Math.sin((2 * Math.PI * t) / (y[i] ? 12 : 32) + phase) + 0.3 * rng.normal();
  }
  return { x: new Tensor(x, [n, length, 1]), y };
}

const signals = (n: number, length: number, seed: number) => new Tensor(new Random(seed).uniformArray(n * length, -1, 1), [n, length, 1]);

test('an FCN with input [null, 1] predicts on lengths 96 and 140 with one set of weights, as models built for each length', () => {
  const any = fcn(null, 1);
  const fixed = [96, 140].map((L) => fcn(L, 2));
  try {
    assert.equal(any.variableLength, true);
    const weights = any.getWeights().map((w) => w.data);
    const at: Record<number, Float32Array> = {};
    for (const m of fixed) {
      const L = m.inputShape[0];
      m.setWeights(weights);
      const x = signals(5, L, L);
      const expected = m.predict(x).data;
      at[L] = any.predict(x).data;
      assert.equal(any.workBytes > 0, true);
      assert.deepEqual(at[L], expected, `length ${L}: the variable-length model predicts what the model built for ${L} does`);
    }
    assert.notDeepEqual(at[96], at[140]);
    const bytes140 = any.workBytes;
    assert.deepEqual(any.predict(signals(5, 96, 96)).data, at[96], 'back to length 96 (re-planned) gives the same outputs');
    assert.ok(any.workBytes < bytes140, `the plan for length 96 (${any.workBytes} bytes) is smaller than for 140 (${bytes140})`);
    assert.deepEqual(any.outputShapesAt(96), [[3]]);
    const table = any.summary(() => {});
    assert.match(table, /input \(InputLayer\)\s+\[null, null, 1\]/);
    assert.match(table, /max_pooling1d \(MaxPooling1D\)\s+\[null, null, 8\]/);
    assert.match(table, /global_average_pooling1d \(GlobalAveragePooling1D\)\s+\[null, 8\]/);
    assert.equal(any.getWeights().length, weights.length);
  } finally {
    any.dispose();
    for (const m of fixed) m.dispose();
  }
});

test('a variable-length FCN trains on one length (as the model built for it, bit for bit) and evaluates on another', async () => {
  const m = fcn(null, 3);
  const fixed = fcn(64, 3);
  try {
    for (const k of [m, fixed]) k.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const train = periods(96, 64, 5);
    const test = periods(48, 100, 6);
    const before = m.evaluate(test.x, test.y);
    const h = await m.fit(train.x, train.y, { epochs: 25, batchSize: 16, verbose: 0, validationData: [test.x, test.y] });
    const hFixed = await fixed.fit(train.x, train.y, { epochs: 25, batchSize: 16, verbose: 0 });
    assert.deepEqual(h.history.loss, hFixed.history.loss, 'training at length 64 matches the model built for 64');
    const after = m.evaluate(test.x, test.y);
    assert.equal(h.history.val_loss.length, 25);
    assert.ok(after.loss < 0.6 * before.loss, `loss at length 100: ${before.loss} before, ${after.loss} after training at length 64`);
    assert.ok(after.accuracy >= 0.9, `accuracy at length 100: ${after.accuracy}`);
    // the engine path too: trainOnBatch at a third length
    const x = signals(4, 50, 7);
    assert.ok(Number.isFinite(m.trainOnBatch(x.data, Float32Array.from([0, 1, 2, 0]), 4)));
  } finally {
    m.dispose();
    fixed.dispose();
  }
});

test('layers that need a fixed length are refused at build, naming the layer and the shape', () => {
  const build = (make: (h: ReturnType<typeof input>) => ReturnType<typeof input>) => {
    const x = input({ shape: [null, 2] });
    return () => model({ inputs: x, outputs: make(layers.conv1d({ filters: 4, kernelSize: 3, name: 'c' }).apply(x)) });
  };
  const err = (f: () => unknown, re: RegExp) => assert.throws(f, (e: unknown) => e instanceof ConfigError && re.test(e.message), `expected ${re}`);
  err(
    build((h) => layers.dense({ units: 2, name: 'd' }).apply(layers.flatten({ name: 'f' }).apply(h))),
    /Flatten layer "f" reads c output of shape \[null, 4\], whose length is that of the input.*Flatten needs a fixed length. Pool over the length first/,
  );
  err(build((h) => layers.dense({ units: 2, name: 'd' }).apply(h)), /Dense layer "d" reads c output of shape \[null, 4\].*Dense needs a fixed length/);
  err(build((h) => layers.prelu({ name: 'p' }).apply(h)), /the weight p\/alpha of PReLU layer "p" depends on the input length/);
  err(() => input({ shape: [null, 0] }), /input: shape \[null, channels\] needs channels a positive integer, got \[null, 0\]/);
  assert.equal(input({ batchShape: [null, null, 3] }).shape[1], 3, 'batchShape [null, null, C] is a sequence of any length too');
  // the same layers on a fixed length, or after pooling over the length, are fine
  const ok = build((h) => layers.dense({ units: 2 }).apply(layers.globalMaxPooling1d().apply(h)))();
  ok.dispose();
});

test('a length a layer does not fit is a clear error and leaves the model working; a length too large for memory leaves no plan', () => {
  const m = fcn(null, 4);
  try {
    const first = m.predict(signals(2, 40, 1)).data;
    assert.throws(() => m.predict(signals(2, 5, 2)), (e: unknown) => e instanceof ConfigError && /model "model.*": inputs of length 5 do not fit: Conv1D layer "conv1d_3": input length 2 is shorter than the kernel span 3/.test((e as Error).message));
    assert.deepEqual(m.predict(signals(2, 40, 1)).data, first, 'the model still predicts at length 40');
    const arena = runtime().arena;
    const inUse = arena.bytesInUse;
    assert.throws(() => m.prepare(4, false, false, 200_000_000), (e: unknown) => e instanceof OutOfMemoryError && /batch of 4 samples of length 200000000/.test((e as Error).message));
    assert.equal(m.workBytes, 0, 'a failed plan leaves no plan');
    assert.ok(arena.bytesInUse < inUse, 'the old plan is released and nothing is allocated');
    assert.deepEqual(m.predict(signals(2, 40, 1)).data, first, 'a fitting length works again');
    assert.equal(arena.bytesInUse, inUse);
    assert.throws(() => m.predict(new Tensor(new Float32Array(8), [8])), /predict x: expected shape \[n, L, 1\] \(n samples of any length L\), got \[8\]/);
  } finally {
    m.dispose();
  }
});

test('two inputs of unknown length must share one length in a call', () => {
  const a = input({ shape: [null, 1], name: 'a' });
  const b = input({ shape: [null, 1], name: 'b' });
  const pool = (x: typeof a) => layers.globalAveragePooling1d().apply(layers.conv1d({ filters: 2, kernelSize: 3 }).apply(x));
  const m = model({ inputs: [a, b], outputs: layers.add().apply([pool(a), pool(b)]) });
  try {
    const p = m.predict([signals(3, 20, 1), signals(3, 20, 2)]);
    assert.deepEqual(p.shape, [3, 2]);
    assert.throws(() => m.predict([signals(3, 20, 1), signals(3, 21, 2)]), /predict x\["b"\]: length 21, but a has length 20; the inputs of one call share one length/);
  } finally {
    m.dispose();
  }
});

test('a layer without weights shared by two models runs at each model\'s length, whichever ran last', () => {
  const act = layers.activation({ activation: 'tanh' });
  const make = (length: number | null) => {
    const x = input({ shape: [length, 2] });
    const h = act.apply(layers.conv1d({ filters: 3, kernelSize: 3, padding: 'same' }).apply(x));
    return model({ inputs: x, outputs: layers.globalAveragePooling1d().apply(h), seed: 9 });
  };
  const any = make(null);
  const other = make(null);
  try {
    const at = (n: number, L: number, seed: number) => new Tensor(signals(n, 2 * L, seed).data, [n, L, 2]);
    const built = act.inputShape;
    const first = any.predict(at(2, 30, 1)).data;
    other.predict(at(4, 50, 2));
    assert.deepEqual(any.predict(at(2, 30, 1)).data, first, 'after the other model ran the shared layer at length 50');
    other.forwardBatch(at(4, 50, 2).data, 4, true); // a training plan at length 50
    assert.deepEqual(any.predict(at(2, 30, 1)).data, first, 'again, with a training forward of the other model at length 50 in between');
    assert.equal(act.inputShape, built, 'the layer keeps the shapes it was built with: each plan holds its own (issue 16.1)');
  } finally {
    any.dispose();
    other.dispose();
  }
});
