// One input check for predict, evaluate, fit and stream.push (issue 15, item 7): the same
// finite-value check and option-name check everywhere; float32 max accepted; an output that
// overflows float32 on finite inputs is a ConfigError naming the layer where it became non-finite.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { ConfigError, input, layers, model, sequential, tensor, type Sequential } from '../../src/index.ts';

const F32_MAX = 3.4028235e38; // np.finfo(np.float32).max as numpy prints it

/** x [n, 2] -> dense d1 (1 unit) -> dense d2 (1 unit), weights set by hand. */
function twoDense(w1: number): Sequential {
  const m = sequential({ seed: 1, layers: [layers.dense({ units: 1, inputShape: [2], name: 'd1' }), layers.dense({ units: 1, name: 'd2' })] });
  m.setWeights([[w1, w1], [0], [1], [0]]);
  m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  return m;
}

function isConfig(pattern: RegExp) {
  return (e: unknown) => e instanceof ConfigError && pattern.test((e as Error).message);
}

test('float32 max is accepted by predict; an overflow on finite inputs names the layer and the sample', () => {
  const m = twoDense(1e-3);
  const y = (m.predict(tensor([1, 2, F32_MAX, 0, -F32_MAX, 0], [3, 2])) as { data: Float32Array }).data;
  assert.ok(Math.abs(y[0] - 3e-3) < 1e-9, `${y[0]}`);
  assert.ok(Math.abs(y[1] / (1e-3 * F32_MAX) - 1) < 1e-6 && Math.abs(y[2] / (-1e-3 * F32_MAX) - 1) < 1e-6, `${y[1]}, ${y[2]}`);
  m.setWeights([[1, 1], [0], [1], [0]]);
  const overflow = /^model "sequential(_\d+)?": predict: the output of layer "d1" became Infinity for sample 3 \(position 0\) although the inputs are finite: float32 overflowed/;
  const x = tensor(new Float32Array([1, 2, 3, 4, 5, 6, F32_MAX, F32_MAX]), [4, 2]);
  assert.throws(() => m.predict(x, { batchSize: 3 }), isConfig(overflow), 'sample 3 is in the second batch');
  assert.throws(() => m.evaluate(x, tensor(new Float32Array(4), [4, 1])), isConfig(/evaluate: the output of layer "d1" became Infinity for sample 3/));
  // finite but large weights: the second layer overflows
  m.setWeights([[1, 1], [0], [1e30], [0]]);
  assert.throws(() => m.predict(tensor(new Float32Array([1e10, 0]), [1, 2])), isConfig(/the output of layer "d2" became Infinity for sample 0/));
  m.dispose();
});

test('predict, evaluate, fit and stream.push refuse NaN and Infinity with the same message', async () => {
  const m = twoDense(1);
  const bad = new Float32Array([1, 2, 3, NaN]);
  const msg = /value NaN at sample 1, position 1; inputs must be finite/;
  assert.throws(() => m.predict(tensor(bad, [2, 2])), isConfig(msg));
  assert.throws(() => m.evaluate(tensor(bad, [2, 2]), tensor(new Float32Array(2), [2, 1])), isConfig(msg));
  await assert.rejects(m.fit(tensor(bad, [2, 2]), tensor(new Float32Array(2), [2, 1]), { verbose: 0 }), isConfig(msg));
  m.dispose();

  const x = input({ shape: [null, 2] });
  const s = model({ inputs: x, outputs: layers.conv1d({ filters: 3, kernelSize: 2 }).apply(x) as never });
  const session = s.stream();
  assert.throws(() => session.push(bad), isConfig(/stream push: value NaN at sample 1, position 1; inputs must be finite/));
  assert.throws(() => session.push(new Float32Array([Infinity, 0])), isConfig(/stream push: value Infinity at sample 0, position 0; inputs must be finite/));
  assert.equal(session.push(new Float32Array([0, 1, 2, 3])).length, 3, 'the session still works after a refused chunk');
  s.dispose();
});

test('model.stream options are checked like predict\'s, with "did you mean"', () => {
  const x = input({ shape: [null, 1] });
  const m = model({ inputs: x, outputs: layers.conv1d({ filters: 1, kernelSize: 1 }).apply(x) as never });
  assert.throws(() => m.stream({ maxChunck: 64 } as never), isConfig(/stream\(\): unknown option "maxChunck" \(did you mean "maxChunk"\?\); allowed options are maxChunk/));
  assert.throws(() => m.predict(tensor(new Float32Array(4), [1, 4, 1]), { batchSzie: 2 } as never), isConfig(/predict: unknown option "batchSzie" \(did you mean "batchSize"\?\)/));
  assert.throws(() => m.stream(null as never), isConfig(/stream\(\): expected an options object, got null/));
  assert.throws(() => m.stream({ maxChunk: 2.5 }), isConfig(/maxChunk must be an integer in 1\.\.1048576, got 2\.5/));
  m.dispose();
});

test('stream.push outputs that overflow float32 on finite inputs say so; reset() starts over', () => {
  const x = input({ shape: [null, 1] });
  const m = model({ inputs: x, outputs: layers.conv1d({ filters: 1, kernelSize: 1 }).apply(x) as never });
  m.setWeights([[2], [0]]);
  const s = m.stream();
  assert.deepEqual([...s.push(new Float32Array([1, F32_MAX / 4]))], [2, Math.fround(F32_MAX / 2)], 'float32 max / 2 is finite');
  assert.throws(
    () => s.push(new Float32Array([3, F32_MAX])),
    isConfig(/stream push: output step 3 \(channel 0\) became Infinity although the inputs are finite: float32 overflowed .*the session has consumed the chunk, reset\(\) starts over/),
  );
  s.reset();
  assert.deepEqual([...s.push(new Float32Array([1.5]))], [3]);
  m.dispose();
});
