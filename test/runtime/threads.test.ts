// Threads: results are bit-identical for 1, 2 and 3 threads (predict outputs, training losses and
// weights after several steps) on models that reach every split of src/threads/splits.ts; the
// workers do take parts; the single-thread fallback (unshared memory) gives the same results.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createRuntime, getThreads, layers, optimizers, sequential, setThreads, ConfigError, type Runtime, type Sequential } from '../../src/index.ts';
import { SPLITS, chunks, ROW_ALIGN, COL_ALIGN } from '../../src/threads/splits.ts';
import { ThreadPool } from '../../src/threads/pool.ts';
import { CONTROL_BYTES, MAX_PARTS } from '../../src/threads/worker.ts';

let rt: Runtime;
beforeAll(async () => {
  rt = createRuntime();
  rt.parallelThreshold = 0; // split every call that has a split, however small
  expect(await rt.startThreads(3)).toBe(2);
});
afterAll(() => rt.terminateThreads());

const bits = (a: ArrayLike<number>) => Array.from(a, (v) => (Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : String(v)));
function sameBits(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  expect(a.length, what).toBe(b.length);
  const x = bits(a);
  const y = bits(b);
  const i = x.findIndex((v, j) => v !== y[j]);
  expect(i, `${what}: first difference at ${i}: ${x[i]} vs ${y[i]}`).toBe(-1);
}

const data = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + seed) + (((i * 7919 + seed) % 13) - 6) / 13);

// conv (same/causal, stride, dilation), batch norm, pooling (max, avg, global), dense
function convNet(runtime: Runtime, threads: number): Sequential {
  const m = sequential({
    seed: 5, runtime, threads, layers: [
      layers.conv1d({ inputShape: [61, 3], filters: 16, kernelSize: 8, padding: 'same' }),
      layers.batchNormalization(),
      layers.activation({ activation: 'relu' }),
      layers.conv1d({ filters: 12, kernelSize: 5, strides: 2, activation: 'tanh' }),
      layers.maxPooling1d({ poolSize: 3 }),
      layers.conv1d({ filters: 9, kernelSize: 3, dilationRate: 2, padding: 'causal' }),
      layers.batchNormalization(),
      layers.averagePooling1d({ poolSize: 2 }),
      layers.globalAveragePooling1d(),
      layers.dense({ units: 5, activation: 'softmax' }),
    ],
  });
  m.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy' });
  return m;
}

function denseNet(runtime: Runtime, threads: number): Sequential {
  const m = sequential({
    seed: 9, runtime, threads, layers: [
      layers.conv1d({ inputShape: [20, 2], filters: 6, kernelSize: 3, activation: 'relu' }),
      layers.globalMaxPooling1d(),
      layers.dense({ units: 37, activation: 'relu' }),
      layers.dense({ units: 19, activation: 'sigmoid' }),
      layers.dense({ units: 3 }),
    ],
  });
  m.compile({ optimizer: optimizers.sgd({ learningRate: 0.05, momentum: 0.9 }), loss: 'meanSquaredError' });
  return m;
}

// a one-channel, 3-tap first layer (its own loops, split by filter columns, a 4-column tail),
// strided; batch norm over several chunks of rows
function firstLayerNet(runtime: Runtime, threads: number): Sequential {
  const m = sequential({
    seed: 3, runtime, threads, layers: [
      layers.conv1d({ inputShape: [600, 1], filters: 20, kernelSize: 3, strides: 2 }),
      layers.batchNormalization(),
      layers.activation({ activation: 'relu' }),
      layers.conv1d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
      layers.globalAveragePooling1d(),
      layers.dense({ units: 4, activation: 'softmax' }),
    ],
  });
  m.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy' });
  return m;
}

/** Predictions at several batch sizes (samples split, rows split, batch 1), then training steps. */
function trace(make: (rt: Runtime, threads: number) => Sequential, runtime: Runtime, threads: number, inLen: number, yOf: (b: number) => Float32Array) {
  const m = make(runtime, threads);
  const preds = [1, 3, 7, 12].map((b) => m.forwardBatch(data(b * inLen, b), b, false).slice());
  const losses: number[] = [];
  for (const b of [12, 7, 12, 12]) losses.push(m.trainOnBatch(data(b * inLen, 100 + losses.length), yOf(b), b));
  const weights = m.getWeights().map((w) => w.data);
  const after = m.forwardBatch(data(12 * inLen, 1), 12, false).slice();
  m.dispose();
  return { preds, losses, weights, after };
}

const models = [
  { name: 'conv + batch norm + pooling + dense', make: convNet, inLen: 61 * 3, y: (b: number) => Float32Array.from({ length: b }, (_, i) => i % 5) },
  { name: 'conv + global max pool + dense stack', make: denseNet, inLen: 20 * 2, y: (b: number) => data(b * 3, 7) },
  { name: 'one-channel first layer + batch norm over many rows', make: firstLayerNet, inLen: 600, y: (b: number) => Float32Array.from({ length: b }, (_, i) => i % 4) },
];

for (const { name, make, inLen, y } of models) {
  test(`${name}: 1, 2 and 3 threads give bit-identical predictions, losses and weights`, () => {
    const before = rt.threadStats;
    const one = trace(make, rt, 1, inLen, y);
    expect(rt.threadStats.dispatches, 'one thread dispatches nothing').toBe(before.dispatches);
    for (const n of [2, 3]) {
      const d0 = rt.threadStats.dispatches;
      const many = trace(make, rt, n, inLen, y);
      expect(rt.threadStats.dispatches - d0, `${n} threads split kernels`).toBeGreaterThan(20);
      one.preds.forEach((p, i) => sameBits(many.preds[i], p, `${n} threads, prediction ${i}`));
      sameBits(many.losses, one.losses, `${n} threads, losses`);
      one.weights.forEach((w, i) => sameBits(many.weights[i], w, `${n} threads, weight ${i}`));
      sameBits(many.after, one.after, `${n} threads, prediction after training`);
    }
    expect(one.losses.every(Number.isFinite)).toBe(true);
  });
}

test('the workers take parts (on a busy machine the caller may take them all for a small call)', () => {
  const k = rt.kernelsFor(3);
  const a = rt.upload(data(256 * 256, 1));
  const c = rt.allocF32(256 * 256);
  const before = rt.threadStats.workerParts;
  const t0 = Date.now();
  while (rt.threadStats.workerParts === before && Date.now() - t0 < 20_000) {
    rt.f32(c, 256 * 256).fill(0);
    k.gemm_f32(256, 256, 256, a, 256, 1, a, 256, c, 256); // large: FINE parts per thread
  }
  expect(rt.threadStats.workerParts).toBeGreaterThan(before);
  const want = rt.allocF32(256 * 256);
  rt.direct.gemm_f32(256, 256, 256, a, 256, 1, a, 256, want, 256);
  sameBits(rt.f32(c, 256 * 256), rt.f32(want, 256 * 256), 'gemm 256^3 in fine parts');
  for (const p of [a, c, want]) rt.release(p);
});

test('GEMM splits over a grid of sizes hitting every tile edge match one thread bit for bit', () => {
  const k = rt.kernelsFor(3);
  const a = rt.upload(data(40 * 40, 1));
  const b = rt.upload(data(40 * 40, 2));
  const bias = rt.upload(data(40, 3));
  const c1 = rt.allocF32(3200); // [40, 40] twice: gemm_f32 writes the first, gemm_bias_f32 the second
  const c2 = rt.allocF32(3200);
  let splitCalls = 0;
  for (const M of [1, 3, 4, 5, 8, 9, 17, 33]) {
    for (const N of [1, 3, 4, 7, 8, 9, 17, 33]) {
      for (const [rsa, csa] of [[40, 1], [1, 40]]) {
        const init = data(3200, M * N);
        rt.f32(c1, 3200).set(init);
        rt.f32(c2, 3200).set(init);
        const d0 = rt.threadStats.dispatches;
        rt.direct.gemm_f32(M, N, 11, a, rsa, csa, b, 40, c1, 40);
        k.gemm_f32(M, N, 11, a, rsa, csa, b, 40, c2, 40);
        rt.direct.gemm_bias_f32(M, N, 6, a, rsa, csa, b, 40, c1 + 4 * 1600, 40, bias);
        k.gemm_bias_f32(M, N, 6, a, rsa, csa, b, 40, c2 + 4 * 1600, 40, bias);
        splitCalls += rt.threadStats.dispatches - d0;
        sameBits(rt.f32(c2, 3200), rt.f32(c1, 3200), `gemm M ${M} N ${N} rsa ${rsa}`);
      }
    }
  }
  expect(splitCalls).toBeGreaterThan(150);
  // rows of C that overlap (ldc < N, the col2im scatter-add) are never split
  const d0 = rt.threadStats.dispatches;
  k.gemm_f32(16, 24, 4, a, 40, 1, b, 40, c2, 3);
  expect(rt.threadStats.dispatches).toBe(d0);
  for (const p of [a, b, bias, c1, c2]) rt.release(p);
});

test('chunks: at most `parts` chunks covering [0, n), boundaries at multiples of align', () => {
  for (const n of [1, 3, 4, 5, 8, 17, 100]) {
    for (const parts of [1, 2, 3, 7]) {
      for (const align of [1, ROW_ALIGN, COL_ALIGN]) {
        const cs = chunks(n, parts, align);
        expect(cs.length).toBeLessThanOrEqual(parts);
        expect(cs[0][0]).toBe(0);
        expect(cs[cs.length - 1][1]).toBe(n);
        cs.forEach(([s, e], i) => {
          expect(e).toBeGreaterThan(s);
          expect(s % align).toBe(0);
          if (i > 0) expect(s).toBe(cs[i - 1][1]);
        });
      }
    }
  }
});

test('every split names a kernel of the module, and every call it makes exists', () => {
  for (const name of Object.keys(SPLITS)) expect(typeof (rt.direct as unknown as Record<string, unknown>)[name], name).toBe('function');
});

test('a kernel that traps on a worker throws on the calling thread, and the pool keeps working', () => {
  const k = rt.kernelsFor(2);
  const top = rt.memory.buffer.byteLength;
  expect(() => k.gemm_f32(64, 64, 8, top - 64, 8, 1, top - 64, 64, top - 64, 64)).toThrow(/2 of 2 parts of gemm_f32 failed/);
  const c = rt.allocF32(64 * 64);
  const a = rt.upload(data(64 * 8, 4));
  k.gemm_f32(64, 64, 8, a, 8, 1, a, 64, c, 64);
  const want = rt.allocF32(64 * 64);
  rt.direct.gemm_f32(64, 64, 8, a, 8, 1, a, 64, want, 64);
  sameBits(rt.f32(c, 4096), rt.f32(want, 4096), 'after a trap');
  for (const p of [a, c, want]) rt.release(p);
});

test('terminateThreads stops the workers; the next parallel call starts them again', async () => {
  const other = createRuntime();
  other.parallelThreshold = 0;
  expect(await other.startThreads(2)).toBe(1);
  expect(other.threadStats.workers).toBe(1);
  other.terminateThreads();
  expect(other.threadStats.workers).toBe(0);
  const one = trace(denseNet, other, 1, 40, (b) => data(b * 3, 7));
  const two = trace(denseNet, other, 2, 40, (b) => data(b * 3, 7));
  expect(other.threadStats.workers).toBe(1);
  sameBits(two.after, one.after, 'after a restart');
  other.terminateThreads();
});

test('single-thread fallback: an unshared memory runs every kernel on one thread, with the same results', () => {
  const plain = createRuntime({ threads: false });
  expect(plain.memory.buffer instanceof SharedArrayBuffer).toBe(false);
  expect(plain.threadsAvailable).toBe(false);
  plain.threads = 4;
  expect(plain.threads).toBe(1);
  const fallback = trace(convNet, plain, 3, 61 * 3, models[0].y);
  expect(plain.threadStats.dispatches).toBe(0);
  const threaded = trace(convNet, rt, 3, 61 * 3, models[0].y);
  sameBits(fallback.losses, threaded.losses, 'losses');
  fallback.weights.forEach((w, i) => sameBits(w, threaded.weights[i], `weight ${i}`));
});

test('a page that is not cross-origin isolated gets the unshared memory and one thread', () => {
  const g = globalThis as { crossOriginIsolated?: boolean };
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'crossOriginIsolated');
  g.crossOriginIsolated = false;
  try {
    const page = createRuntime();
    expect(page.memory.buffer instanceof SharedArrayBuffer).toBe(false);
    expect(page.threadsAvailable).toBe(false);
    expect(page.threads).toBe(1);
  } finally {
    if (saved) Object.defineProperty(globalThis, 'crossOriginIsolated', saved);
    else delete g.crossOriginIsolated;
  }
});

test('thread counts are checked: setThreads, the model option, Runtime.threads', () => {
  const before = getThreads();
  expect(before).toBeGreaterThanOrEqual(1);
  for (const bad of [0, 1.5, -2, 257, NaN]) {
    expect(() => setThreads(bad)).toThrow(ConfigError);
    expect(() => sequential({ name: 'm', threads: bad, layers: [layers.dense({ inputShape: [2], units: 1 })] })).toThrow(/model "m": threads must be an integer in 1\.\.256, got/);
    expect(() => (rt.threads = bad)).toThrow(/Runtime.threads: threads must be an integer in 1\.\.256/);
  }
  setThreads(1);
  expect(getThreads()).toBe(1);
  setThreads(before);
  expect(getThreads()).toBe(before);
});

test('a dispatch that cannot be written (too many parts, or calls past the argument area) is refused, to run on the calling thread', () => {
  const ctrl = rt.arena.alloc(CONTROL_BYTES);
  const pool = new ThreadPool(rt.memory, ctrl, new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])), rt.direct as unknown as Record<string, unknown>);
  const x = rt.upload(data(64, 1));
  const relu = (s: number) => ({ fn: 'activation_forward', args: [1, x + 4 * s, x + 4 * s, 16, 0] });
  expect(pool.run(Array.from({ length: MAX_PARTS + 1 }, () => [relu(0)]))).toBe(false);
  expect(pool.run([Array.from({ length: 2000 }, () => relu(0))])).toBe(false);
  expect(() => pool.run([[{ fn: 'no_such_kernel', args: [] }]])).toThrow(/no kernel "no_such_kernel"/);
  const want = Array.from(rt.f32(x, 64), (v) => Math.max(v, 0));
  expect(pool.run([[relu(0), relu(16)], [relu(32)], [{ ...relu(48), reps: 1, incs: [0, 0, 0, 0, 0] }]])).toBe(true); // no worker: the caller runs them all
  expect(Array.from(rt.f32(x, 64))).toEqual(want);
  expect(pool.stats).toEqual({ workers: 0, started: 0, dispatches: 1, workerParts: 0, lost: 0 });
  rt.release(x);
  rt.arena.release(ctrl);
});

test("a model's threads option governs every kernel of its steps, the optimizer update included", () => {
  const saved = rt.threads;
  rt.threads = 3;
  const m1 = denseNet(rt, 1);
  const d0 = rt.threadStats.dispatches;
  m1.trainOnBatch(data(12 * 40, 1), data(12 * 3, 2), 12);
  expect(rt.threadStats.dispatches, 'threads: 1 splits nothing on a 3-thread runtime').toBe(d0);
  m1.dispose();
  rt.threads = 1;
  const m2 = denseNet(rt, 2);
  m2.forwardBatch(data(12 * 40, 1), 12, true); // plan and warm up
  const table = rt.kernelsFor(2); // the model's kernel table (one per thread count)
  const plain = table.sgd_update;
  let optimizerSplit = false;
  (table as { sgd_update: typeof plain }).sgd_update = (...a) => {
    const before = rt.threadStats.dispatches;
    plain(...a);
    optimizerSplit = rt.threadStats.dispatches > before;
  };
  try {
    m2.trainOnBatch(data(12 * 40, 1), data(12 * 3, 2), 12);
  } finally {
    (table as { sgd_update: typeof plain }).sgd_update = plain;
    rt.threads = saved;
  }
  expect(optimizerSplit, 'the optimizer ran on the model\'s 2 threads').toBe(true);
  m2.dispose();
});

test('a worker terminated from outside is noticed: the counts drop to 0, the next parallel call restarts the pool, results unchanged', { timeout: 30_000 }, async () => {
  const other = createRuntime();
  other.parallelThreshold = 0;
  expect(await other.startThreads(3)).toBe(2);
  const one = trace(denseNet, other, 1, 40, (b) => data(b * 3, 7));
  // the pool's own handles: what code that found a worker (or a crash) would end
  const pool = (other as unknown as { pool: { workers: { terminate(): Promise<number> }[] } }).pool;
  await pool.workers[0].terminate();
  const t0 = Date.now();
  while (other.threadStats.lost === 0 && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 5));
  expect(other.threadStats).toMatchObject({ workers: 0, started: 0, lost: 1 });
  const three = trace(denseNet, other, 3, 40, (b) => data(b * 3, 7));
  expect(other.threadStats.workers, 'restarted with a full set').toBe(2);
  sameBits(three.after, one.after, 'after a lost worker');
  expect(await other.startThreads(3)).toBe(2);
  other.terminateThreads();
  expect(other.threadStats.lost, 'terminateThreads is not a loss').toBe(1);
});
