// Threads in a browser page: the test server sends COOP/COEP (vitest.config.ts), so the page is
// cross-origin isolated, the memory is shared and Web Workers (from a Blob URL) take parts of the
// kernels. The page's main thread cannot Atomics.wait: it polls while the workers finish.
// 1 and 2 threads give bit-identical predictions, losses and weights.
import { test, expect } from 'vitest';
import * as lib from 'cnn1d';

const data = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + seed) + (((i * 7919 + seed) % 13) - 6) / 13);

function run(rt: lib.Runtime, threads: number) {
  const m = lib.sequential({
    seed: 4, runtime: rt, threads, layers: [
      lib.layers.conv1d({ inputShape: [40, 2], filters: 12, kernelSize: 5, padding: 'same' }),
      lib.layers.batchNormalization(),
      lib.layers.activation({ activation: 'relu' }),
      lib.layers.maxPooling1d({ poolSize: 2 }),
      lib.layers.conv1d({ filters: 8, kernelSize: 3, dilationRate: 2 }),
      lib.layers.globalAveragePooling1d(),
      lib.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const pred = Array.from(m.forwardBatch(data(9 * 80, 1), 9, false));
  const losses = [0, 1, 2].map((s) => m.trainOnBatch(data(12 * 80, s), Float32Array.from({ length: 12 }, (_, i) => i % 3), 12));
  const weights = m.getWeights().map((w) => Array.from(w.data));
  m.dispose();
  return { pred, losses, weights };
}

test('a cross-origin isolated page runs kernels on Web Workers over one shared memory, bit-identical to one thread', async () => {
  expect(typeof window).toBe('object');
  expect(globalThis.crossOriginIsolated, 'COOP/COEP headers from the test server').toBe(true);
  const rt = lib.createRuntime();
  expect(rt.memory.buffer instanceof SharedArrayBuffer).toBe(true);
  expect(rt.threadsAvailable).toBe(true);
  expect(lib.getThreads()).toBe(Math.min(navigator.hardwareConcurrency, lib.MAX_THREADS));
  rt.parallelThreshold = 0;
  expect(await rt.startThreads(2), 'the worker started while the page awaited').toBe(1);
  const one = run(rt, 1);
  const two = run(rt, 2);
  expect(rt.threadStats.dispatches).toBeGreaterThan(20);
  expect(rt.threadStats.workerParts, 'the Web Worker ran parts').toBeGreaterThan(0);
  expect(two.pred).toEqual(one.pred);
  expect(two.losses).toEqual(one.losses);
  expect(two.weights).toEqual(one.weights);
  rt.terminateThreads();
  expect(rt.threadStats.workers).toBe(0);
});

test('an unshared memory in the page runs on one thread with the same results', () => {
  const plain = lib.createRuntime({ threads: false });
  expect(plain.memory.buffer instanceof SharedArrayBuffer).toBe(false);
  expect(plain.threadsAvailable).toBe(false);
  const shared = lib.createRuntime();
  const a = run(plain, 2);
  const b = run(shared, 1);
  expect(plain.threadStats.dispatches).toBe(0);
  expect(a).toEqual(b);
});
