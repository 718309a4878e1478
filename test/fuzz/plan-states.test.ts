// Fuzz: plan states (issue 15.9). Random small graphs, fixed or variable length, trained by fit
// while random predict / evaluate / stream / dispose calls run from its callbacks (onBatchBegin,
// onBatchEnd, onEpochEnd) and from timers, with random lengths and batch sizes. Every call ends in
// a result or a documented error; a fit whose model was not disposed ends with the weights and
// history of the same fit alone, bit for bit; afterwards the harness checks the arena baseline,
// the prototypes and the sentinel (harness.ts).
import { test } from 'vitest';
import fc from 'fast-check';
import { classify, expect, fuzz, type Lib } from './harness.ts';
import type { LayersModel } from '../../src/index.ts';

const C = 2;
const allowed = ['ConfigError', 'ModelStateError', 'OutOfMemoryError'];

type Block = 'convSame' | 'convCausal' | 'convValid' | 'batchNorm' | 'relu' | 'maxPool' | 'avgPool' | 'layerNorm' | 'branchAdd';
type Call =
  | { op: 'predict'; n: number; length: number; batchSize: number }
  | { op: 'evaluate'; n: number; length: number; batchSize: number }
  | { op: 'stream'; samples: number; maxChunk: number; dispose: boolean }
  | { op: 'dispose' };
interface Attempt {
  variable: boolean;
  /** Output per step (a causal graph that streams), else pooled over the length. */
  perStep: boolean;
  L: number;
  blocks: Block[];
  epochs: number;
  batchSize: number;
  n: number;
  /** Calls made from the callbacks, in turn. */
  calls: Call[];
  /** Calls made from a timer, in turn. */
  timerCalls: Call[];
}

const call: fc.Arbitrary<Call> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('predict' as const), n: fc.integer({ min: 1, max: 7 }), length: fc.integer({ min: 1, max: 40 }), batchSize: fc.integer({ min: 1, max: 8 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('evaluate' as const), n: fc.integer({ min: 1, max: 7 }), length: fc.integer({ min: 1, max: 40 }), batchSize: fc.integer({ min: 1, max: 8 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('stream' as const), samples: fc.integer({ min: 0, max: 30 }), maxChunk: fc.integer({ min: 1, max: 16 }), dispose: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ op: 'dispose' as const }) },
);
const attemptArb: fc.Arbitrary<Attempt> = fc.record({
  variable: fc.boolean(),
  perStep: fc.boolean(),
  L: fc.integer({ min: 8, max: 24 }),
  blocks: fc.array(fc.constantFrom<Block>('convSame', 'convCausal', 'convValid', 'batchNorm', 'relu', 'maxPool', 'avgPool', 'layerNorm', 'branchAdd'), { minLength: 1, maxLength: 4 }),
  epochs: fc.integer({ min: 1, max: 2 }),
  batchSize: fc.integer({ min: 1, max: 5 }),
  n: fc.integer({ min: 2, max: 9 }),
  calls: fc.array(call, { maxLength: 8 }),
  timerCalls: fc.array(call, { maxLength: 4 }),
});

/** The graph of an attempt: its blocks, then softmax over 3 classes per step (convolutions made
 *  causal, so it streams) or after global average pooling. */
function build(lib: Lib, a: Attempt, seed: number): LayersModel {
  const { layers } = lib;
  const x = lib.input({ shape: [a.variable ? null : a.L, C] });
  let h = x;
  for (const b of a.blocks) {
    if (b === 'convSame' && a.perStep) h = layers.conv1d({ filters: 3, kernelSize: 3, padding: 'causal' }).apply(h);
    else if (b === 'convSame') h = layers.conv1d({ filters: 3, kernelSize: 3, padding: 'same' }).apply(h);
    else if (b === 'convCausal') h = layers.conv1d({ filters: 3, kernelSize: 2, padding: 'causal', dilationRate: 2 }).apply(h);
    else if (b === 'convValid') h = layers.conv1d({ filters: 3, kernelSize: 3 }).apply(h);
    else if (b === 'batchNorm') h = layers.batchNormalization().apply(h);
    else if (b === 'relu') h = layers.activation({ activation: 'relu' }).apply(h);
    else if (b === 'maxPool') h = layers.maxPooling1d({ poolSize: 2 }).apply(h);
    else if (b === 'avgPool') h = layers.averagePooling1d({ poolSize: 2 }).apply(h);
    else if (b === 'layerNorm') h = layers.layerNormalization().apply(h);
    else {
      const f = h.shape[h.shape.length - 1];
      h = layers.add().apply([h, layers.conv1d({ filters: f, kernelSize: 3, padding: a.perStep ? 'causal' : 'same' }).apply(h)]);
    }
  }
  const y = a.perStep ? layers.conv1d({ filters: 3, kernelSize: 1, activation: 'softmax' }).apply(h) : layers.dense({ units: 3, activation: 'softmax' }).apply(layers.globalAveragePooling1d().apply(h));
  const m = lib.model({ inputs: x, outputs: y, seed });
  m.compile({ optimizer: 'adam', loss: a.perStep ? 'categoricalCrossentropy' : 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

const data = (lib: Lib, n: number, L: number, seed: number) => lib.tensor(Float32Array.from({ length: n * L * C }, (_, i) => Math.sin(i * 0.37 + seed)), [n, L, C]);
/** Targets of n samples of length L: a class each, or one-hot per output step. */
function targets(lib: Lib, m: LayersModel, n: number, L: number) {
  const out = m.outputShapesAt(L)[0];
  if (out.length === 1) return Array.from({ length: n }, (_, i) => i % 3);
  const T = out[0];
  return lib.tensor(Float32Array.from({ length: n * T * 3 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0)), [n, T, 3]);
}

/** Runs one call on the model; its outcome name. */
function run(lib: Lib, m: LayersModel, c: Call, state: { disposed: boolean }, fixedL: number | null): string {
  const L = (length: number) => fixedL ?? length;
  try {
    if (c.op === 'predict') {
      const out = m.predict(data(lib, c.n, L(c.length), c.length), { batchSize: c.batchSize }).data;
      const per = m.outputShapesAt(L(c.length))[0].reduce((p, d) => p * d, 1);
      expect(out.length === c.n * per && out.every(Number.isFinite), `predict gave ${out.length} values, not ${c.n} x ${per} finite ones`);
    } else if (c.op === 'evaluate') {
      const logs = m.evaluate(data(lib, c.n, L(c.length), c.length), targets(lib, m, c.n, L(c.length)), { batchSize: c.batchSize });
      expect(Number.isFinite(logs.loss), `evaluate gave loss ${logs.loss}`);
    } else if (c.op === 'stream') {
      const s = m.stream({ maxChunk: c.maxChunk });
      s.push(data(lib, 1, c.samples, 1).data);
      if (c.dispose) s.dispose();
    } else {
      m.dispose();
      state.disposed = true;
    }
    return `${c.op} ok`;
  } catch (e) {
    return `${c.op}: ${classify(e, lib, allowed)}`;
  }
}

test('fuzz plan states: predict, evaluate, stream and dispose from fit callbacks and timers on random graphs and lengths', async () => {
  await fuzz({
    name: 'plan states',
    seed: 0x91a75,
    numRuns: 60,
    arb: attemptArb,
    allowed,
    attempt: async (env, a, tally) => {
      const { lib } = env;
      let m: LayersModel;
      let alone: LayersModel;
      try {
        alone = build(lib, a, 1);
        m = build(lib, a, 1);
      } catch (e) {
        return `build: ${classify(e, lib, allowed)}`; // a valid conv or pooling shorter than L
      }
      const x = data(lib, a.n, a.L, 0);
      const y = targets(lib, alone, a.n, a.L);
      const args = { epochs: a.epochs, batchSize: a.batchSize, verbose: 0 as const, seed: 5 };
      const state = { disposed: false };
      const fixedL = a.variable ? null : a.L;
      try {
        const expected = await alone.fit(x, y, args);
        let next = 0;
        const meddle = async () => {
          if (next < a.calls.length && !state.disposed) tally.add(run(lib, m, a.calls[next++], state, fixedL));
          await new Promise((r) => setTimeout(r, 0)); // the timer's calls run here
        };
        let t = 0;
        const timer = setInterval(() => {
          if (t < a.timerCalls.length && !state.disposed) tally.add(`timer ${run(lib, m, a.timerCalls[t++], state, fixedL)}`);
        }, 0);
        let history;
        try {
          history = await m.fit(x, y, { ...args, callbacks: [{ onBatchBegin: meddle, onBatchEnd: meddle, onEpochEnd: meddle }] });
        } catch (e) {
          const name = classify(e, lib, allowed);
          expect(state.disposed && name === 'ModelStateError', `fit failed with ${name} on a model that was not disposed: ${(e as Error).message}`);
          return 'fit ended by dispose';
        } finally {
          clearInterval(timer);
        }
        if (state.disposed) return 'disposed after the last step';
        expect(JSON.stringify(history.history) === JSON.stringify(expected.history), 'fit with calls in its callbacks logged other losses than fit alone');
        const got = m.getWeights();
        const want = alone.getWeights();
        const same = got.every((w, i) => w.data.length === want[i].data.length && w.data.every((v, j) => Object.is(v, want[i].data[j])));
        expect(same, 'fit with calls in its callbacks and timers trained other weights than fit alone');
        return 'trained as alone';
      } finally {
        alone.dispose();
        if (!state.disposed) m.dispose();
      }
    },
  });
}, 120_000);
