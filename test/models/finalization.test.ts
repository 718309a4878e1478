// Reproducer 7 of issue 6: models dropped without dispose() give their memory back once they are
// garbage collected (the FinalizationRegistry safety net of src/models/ownership.ts).
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { layers, sequential, Tensor, type Layer } from '../../src/index.ts';
import { runtime } from '../../src/runtime/runtime.ts';

// gc() without --expose-gc on the worker: the flag is read when a context is created.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const L = 24;
const x = new Tensor(Float32Array.from({ length: 8 * L }, (_, i) => Math.sin(i)), [8, L, 1]);
const y = Int32Array.from({ length: 8 }, (_, i) => i % 2);

/** A model with all four kinds of memory: weights, batch-norm state, a work plan, Adam state. */
async function trainedModel(seed: number) {
  const m = sequential({ seed, layers: [layers.conv1d({ filters: 8, kernelSize: 3, inputShape: [L, 1] }), layers.batchNormalization(), layers.globalAveragePooling1d(), layers.dense({ units: 2, activation: 'softmax' })] });
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  await m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
  m.predict(x);
  return m;
}

async function collect(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10)); // finalizers run as later tasks
  }
}

test('200 models dropped without dispose() give their arena memory back after garbage collection', async () => {
  const arena = runtime().arena;
  await collect();
  const baseline = arena.bytesInUse;
  const one = await trainedModel(0);
  const perModel = arena.bytesInUse - baseline;
  one.dispose();
  assert.equal(arena.bytesInUse, baseline, 'dispose() frees everything');
  const models: unknown[] = [];
  for (let i = 0; i < 200; i++) models.push(await trainedModel(i + 1));
  const held = arena.bytesInUse - baseline;
  models.length = 0; // dropped without dispose()
  await collect();
  const left = arena.bytesInUse - baseline;
  console.log(`finalization: ${perModel} bytes per model; ${held} bytes held by dropped models before gc, ${left} after`);
  assert.equal(held, 200 * perModel, 'the 200 live models hold their memory');
  assert.ok(left <= 2 * perModel, `after gc ${left} bytes (${(left / perModel).toFixed(1)} models) are still in use`);
});

test('a disposed model that is then collected is not freed twice', async () => {
  const arena = runtime().arena;
  await collect();
  const baseline = arena.bytesInUse;
  for (let i = 0; i < 20; i++) (await trainedModel(i)).dispose();
  assert.equal(arena.bytesInUse, baseline);
  await collect(); // a second release would throw "not an allocated region" in the finalizer
  assert.equal(arena.bytesInUse, baseline);
  const kept = await trainedModel(99); // the regions freed above are handed out again and stay valid
  assert.ok(arena.bytesInUse > baseline);
  kept.dispose();
  assert.equal(arena.bytesInUse, baseline);
});

test('a model whose layers are still referenced is collected and gives its memory back; the layers may then join a new model', async () => {
  const arena = runtime().arena;
  await collect();
  const baseline = arena.bytesInUse;
  const one = await trainedModel(0);
  const perModel = arena.bytesInUse - baseline;
  one.dispose();
  const kept: Layer[][] = [];
  const refs: WeakRef<object>[] = [];
  for (let i = 0; i < 20; i++) {
    const m = await trainedModel(i + 1);
    kept.push([...m.layers]); // the user keeps the layer objects, not the model
    refs.push(new WeakRef(m));
  }
  assert.equal(arena.bytesInUse - baseline, 20 * perModel, 'the live models hold their memory');
  await collect();
  const alive = refs.filter((r) => r.deref() !== undefined).length;
  const left = arena.bytesInUse - baseline;
  assert.ok(alive <= 2, `${alive} of 20 models are still alive: a kept layer keeps its model from being collected`);
  assert.ok(left <= 2 * perModel, `after gc ${left} bytes (${(left / perModel).toFixed(1)} models) are still in use`);
  // the owner of a kept layer is released memory, so the layer is free to join another model
  const again = sequential({ seed: 1, layers: kept[0] });
  assert.equal(again.predict(x).shape.join(), '8,2');
  again.dispose();
  assert.equal(arena.bytesInUse, left + baseline);
  assert.equal(kept.length, 20); // the layers stay referenced up to here
});
