// One path sets the thread count of every kernel call of a model (issue 16.4): its `threads`
// option, else the runtime's, through the model's one kernel table; training steps, the
// optimizer and the weight constraints, the weight check and stream sessions all use it.
// (The weight check's counting kernel has no split, so only the others are counted.)
// Counted by the thread pool's dispatches (every call split: parallelThreshold 0).

import { afterAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { createRuntime, layers, sequential, Tensor, type Runtime } from '../../src/index.ts';

const rt: Runtime = createRuntime();
afterAll(() => rt.terminateThreads());

function net(threads: number | undefined) {
  const m = sequential({
    runtime: rt,
    seed: 2,
    threads,
    layers: [layers.conv1d({ filters: 8, kernelSize: 3, padding: 'causal', inputShape: [32, 2], activation: 'relu', kernelConstraint: 'maxNorm' }), layers.conv1d({ filters: 4, kernelSize: 2, padding: 'causal' })],
  });
  m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  return m;
}

const dispatches = (fn: () => void): number => {
  const before = rt.threadStats.dispatches;
  fn();
  return rt.threadStats.dispatches - before;
};

test.skipIf(!rt.threadsAvailable)('a model with threads: 2 on a one-thread runtime splits its steps, optimizer and stream pushes; with threads: 1 on a two-thread runtime, none', async () => {
  rt.parallelThreshold = 0;
  const x = new Tensor(Float32Array.from({ length: 4 * 32 * 2 }, (_, i) => Math.sin(i)), [4, 32, 2]);
  const y = new Tensor(new Float32Array(4 * 32 * 4).fill(0.1), [4, 32, 4]);
  const signal = x.data.subarray(0, 32 * 2);
  const outs: Float32Array[] = [];
  for (const [runtimeThreads, modelThreads, split] of [[1, 2, true], [2, 1, false], [1, undefined, false], [2, undefined, true]] as const) {
    rt.threads = runtimeThreads;
    const m = net(modelThreads);
    m.trainOnBatch(x.data, y.data, 4); // plans, and starts the optimizer's state
    const step = dispatches(() => m.trainOnBatch(x.data, y.data, 4));
    const optimizer = dispatches(() => m.applyOptimizer());
    const s = m.stream({ maxChunk: 32 });
    const push = dispatches(() => outs.push(s.push(signal)));
    s.dispose();
    m.dispose();
    const what = `runtime threads ${runtimeThreads}, model threads ${modelThreads}`;
    for (const [name, n] of [['a training step', step], ['the optimizer step', optimizer], ['a stream push', push]] as const) {
      assert.equal(n > 0, split, `${what}: ${name} made ${n} parallel dispatches`);
    }
  }
  outs.forEach((o) => assert.deepEqual(o, outs[0], 'every thread count streams the same bits'));
});
