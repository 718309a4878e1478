// model.stream() refusals (layers that need the future or the whole signal, each named), bad
// pushes, and the session's memory: planned once, freed by its dispose() or the model's, and a
// session of a disposed model failing clearly.

import { test } from 'vitest';
import assert from 'node:assert/strict';
import { ConfigError, input, layers, model, ModelStateError, sequential, Tensor, type SymbolicTensor } from '../../src/index.ts';
import { runtime } from '../../src/runtime/runtime.ts';

/** A model of input [null, 2]: a causal conv, then `head` applied to it. */
function withHead(head: (h: SymbolicTensor) => SymbolicTensor, length: number | null = null) {
  const x = input({ shape: [length, 2] });
  return model({ inputs: x, outputs: head(layers.conv1d({ filters: 3, kernelSize: 2, padding: 'causal' }).apply(x)) });
}

const refusals: [string, () => ReturnType<typeof withHead>, RegExp][] = [
  ['conv padding "same"', () => withHead((h) => layers.conv1d({ filters: 2, kernelSize: 5, padding: 'same', name: 'ahead' }).apply(h)), /Conv1D layer "ahead": cannot stream.*"same".*2 future steps.*"causal"/],
  ['pool padding "same"', () => withHead((h) => layers.maxPooling1d({ poolSize: 2, padding: 'same', name: 'sp' }).apply(h)), /MaxPooling1D layer "sp": cannot stream.*"same"/],
  ['global pooling', () => withHead((h) => layers.globalAveragePooling1d({ name: 'gap' }).apply(h)), /GlobalAveragePooling1D layer "gap": cannot stream.*whole signal/],
  ['flatten', () => withHead((h) => layers.flatten({ name: 'flat' }).apply(h), 8), /Flatten layer "flat": cannot stream/],
  ['concatenate on the length', () => withHead((h) => layers.concatenate({ axis: 1, name: 'cat' }).apply([h, h])), /Concatenate layer "cat": cannot stream.*along the length \(axis 1\)/],
  ['PReLU slopes along the length', () => withHead((h) => layers.prelu({ name: 'pr' }).apply(h), 8), /PReLU layer "pr": cannot stream.*sharedAxes \[1\]/],
  // at length 1 both branches have one step offline, but stream at 1/2 and 1 step per sample
  ['a merge of different rates', () => withHead((h) => layers.add({ name: 'mix' }).apply([layers.conv1d({ filters: 3, kernelSize: 1, strides: 2, padding: 'causal' }).apply(h), h]), 1), /Add layer "mix" merges streams of different rates \(one step per 2, 1 input samples\)/],
];

for (const [what, make, message] of refusals) {
  test(`stream() refuses ${what}, naming the layer`, () => {
    const m = make();
    m.build();
    const before = runtime().arena.bytesInUse;
    assert.throws(() => m.stream(), (e: unknown) => e instanceof ConfigError && message.test(e.message) && e.message.startsWith(`model "${m.name}": stream(): `));
    assert.equal(runtime().arena.bytesInUse, before, 'a refused session allocates nothing');
    m.dispose();
  });
}

test('stream() refuses a model of several inputs', () => {
  const a = input({ shape: [null, 1] });
  const b = input({ shape: [null, 1] });
  const two = model({ inputs: [a, b], outputs: layers.add().apply([a, b]) });
  assert.throws(() => two.stream(), /streams a model of one input and one output, got 2 inputs and 1 outputs/);
  two.dispose();
});

test('push checks its chunk; maxChunk is checked', () => {
  const m = withHead((h) => h);
  assert.throws(() => m.stream({ maxChunk: 0 }), /maxChunk must be an integer in 1\.\.1048576, got 0/);
  const s = m.stream();
  assert.throws(() => s.push(new Float32Array(3)), /expected a Float32Array of n samples x 2 channels \(a multiple of 2 values\), got 3 values/);
  assert.throws(() => s.push([1, 2] as unknown as Float32Array), /expected a Float32Array of n samples x 2 channels.*got \[1, 2\]|got .*1.*2/);
  assert.equal(s.push(new Float32Array(4)).length, 6, 'two samples, two steps of 3 channels');
  m.dispose();
});

test("a session's memory is planned once, freed by its dispose() and by the model's; later use fails clearly", () => {
  const rt = runtime();
  const m = withHead((h) => layers.dense({ units: 2 }).apply(h), 16); // streams past its declared length
  m.build();
  const base = rt.arena.bytesInUse;
  const s = m.stream({ maxChunk: 64 });
  const planned = rt.arena.bytesInUse;
  assert.ok(planned > base, 'the session holds its queues in the arena');
  for (const n of [1, 5, 64, 200, 0, 3]) s.push(new Float32Array(2 * n).fill(0.5));
  assert.equal(rt.arena.bytesInUse, planned, 'pushes of any size allocate nothing');
  s.dispose();
  s.dispose(); // once
  assert.equal(rt.arena.bytesInUse, base, "dispose() frees the session's memory");
  assert.throws(() => s.push(new Float32Array(2)), (e: unknown) => e instanceof ModelStateError && /stream session push\(\) after its dispose\(\)/.test(e.message));
  const t = m.stream();
  const u = m.stream();
  m.dispose();
  assert.throws(() => t.push(new Float32Array(2)), (e: unknown) => e instanceof ModelStateError && /stream session push\(\) after the model was disposed/.test(e.message));
  assert.throws(() => u.reset(), ModelStateError);
  u.dispose(); // harmless after the model freed it
  assert.throws(() => m.stream(), ModelStateError);
});

test('a Sequential streams too: its steps equal predict() on the whole signal', () => {
  const m = sequential({ layers: [layers.conv1d({ inputShape: [12, 1], filters: 2, kernelSize: 3, padding: 'causal', activation: 'tanh' }), layers.averagePooling1d({ poolSize: 2 }), layers.dense({ units: 1 })] });
  const x = Float32Array.from({ length: 12 }, (_, i) => Math.sin(i));
  const want = m.predict(new Tensor(x, [1, 12, 1])).data;
  const s = m.stream();
  const got = [...s.push(x.subarray(0, 5)), ...s.push(x.subarray(5))];
  assert.equal(got.length, 6);
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= 1e-5 * (1 + Math.abs(want[i])), `step ${i}: ${v} vs ${want[i]}`));
  m.dispose();
});
