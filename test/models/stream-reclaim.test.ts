// Memory dropped without dispose() is reclaimed before it can exhaust the arena (issue 15.2):
// stream sessions dropped in a loop that awaits now and then keep the WASM memory bounded (each
// session carries an untouched buffer of its WASM size, so the collector counts them), and an
// owner already collected is freed by the next allocation that would grow the memory, before its
// FinalizationRegistry callback (a later task) runs. A synchronous loop cannot be served: a
// WeakRef keeps its target alive until the job that made it ends, and finalizers run between
// tasks (docs/guides/plans.md).
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createRuntime, layers, sequential } from '../../src/index.ts';

function causal(rt: ReturnType<typeof createRuntime>) {
  const m = sequential({ runtime: rt, seed: 1, layers: [layers.conv1d({ filters: 16, kernelSize: 5, padding: 'causal', inputShape: [64, 4] }), layers.conv1d({ filters: 16, kernelSize: 5, padding: 'causal' })] });
  m.build();
  return m;
}

test('1,500 stream sessions dropped without dispose(), with an await every 50, keep the memory bounded', async () => {
  const rt = createRuntime({ threads: false });
  const m = causal(rt);
  const base = rt.arena.bytesInUse;
  const first = m.stream({ maxChunk: 1024 });
  const one = rt.arena.bytesInUse - base;
  first.dispose();
  const n = 1500;
  let peak = 0;
  for (let i = 0; i < n; i++) {
    m.stream({ maxChunk: 1024 }).push(new Float32Array(4 * 3));
    peak = Math.max(peak, rt.arena.bytesInUse - base);
    if (i % 50 === 49) await new Promise((r) => setTimeout(r, 0));
  }
  console.log(`stream reclaim: ${n} dropped sessions of ${one} bytes: at most ${peak} bytes in use (${(peak / one).toFixed(0)} sessions), memory ${rt.memory.buffer.byteLength} bytes`);
  assert.ok(peak < (n * one) / 4, `at most ${peak} bytes in use, ${((100 * peak) / (n * one)).toFixed(0)}% of what ${n} sessions hold`);
  m.dispose();
});

test('an allocation that would grow the memory frees the sessions and models already collected, before their finalizers run', async () => {
  setFlagsFromString('--expose-gc'); // the test needs a collection now; the library never does
  const gc = runInNewContext('gc') as () => void;
  const rt = createRuntime({ threads: false });
  const m = causal(rt);
  const base = rt.arena.bytesInUse;
  for (let i = 0; i < 20; i++) m.stream();
  causal(rt); // a model dropped too
  const held = rt.arena.bytesInUse - base;
  assert.ok(held > 0);
  await new Promise((r) => setTimeout(r, 0)); // a new job: the WeakRefs made above no longer keep their targets
  gc();
  const bytes = rt.memory.buffer.byteLength; // more than is free: the allocation must grow the memory
  const big = rt.arena.alloc(bytes);
  assert.equal(rt.arena.bytesInUse - base, bytes, `the ${held} bytes of the dropped sessions and model were freed by the allocation, synchronously`);
  rt.arena.release(big);
  m.dispose();
});
