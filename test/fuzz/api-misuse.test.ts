// Fuzz: random sequences of API misuse on a small conv1d + batchNormalization + maxPooling1d +
// dense model: wrong shapes, NaN/Infinity, labels out of range (also through trainOnBatch and
// forwardBatch with raw Float32Arrays), unknown option names, wrong option types, huge, zero,
// negative and fractional batch sizes, fit before compile, calls after dispose(), bad layer
// arguments and topologies too big for memory. Every call ends in a clean documented error or a
// checked result; the harness checks the arena, the prototypes and the sentinel after each attempt.
import { test } from 'vitest';
import fc from 'fast-check';
import { classify, expect, fuzz, Violation, type Lib } from './harness.ts';
import type { Sequential, Tensor } from '../../src/index.ts';

const L = 16;
const C = 2;
const CLASSES = 4;
const PER = L * C;
const allowed = ['ConfigError', 'TrainingError', 'ModelStateError', 'OutOfMemoryError', 'RangeError'];

type Fill = 'finite' | 'NaN' | 'Infinity' | '-Infinity' | 'huge';
type XSpec = { kind: 'tensor'; shape: 'ok' | 'noChannel' | 'swapped' | 'flat' | 'rank4'; n: number; fill: Fill } | { kind: 'garbage'; value: unknown };

const fill = fc.oneof({ weight: 4, arbitrary: fc.constant<Fill>('finite') }, { weight: 1, arbitrary: fc.constantFrom<Fill>('NaN', 'Infinity', '-Infinity', 'huge') });
const xSpec: fc.Arbitrary<XSpec> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('tensor' as const), shape: fc.oneof({ weight: 4, arbitrary: fc.constant('ok' as const) }, { weight: 1, arbitrary: fc.constantFrom('noChannel' as const, 'swapped' as const, 'flat' as const, 'rank4' as const) }), n: fc.integer({ min: 0, max: 5 }), fill }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('garbage' as const), value: fc.constantFrom<unknown>(null, undefined, 'x', 42, {}, [[1, 2], [3]], [NaN], new Float64Array(4)) }) },
);
const label = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: CLASSES - 1 }) }, { weight: 1, arbitrary: fc.constantFrom(CLASSES, -1, 1.5, NaN, Infinity, 1e9, -1e9, 2 ** 31) });
type YSpec = { kind: 'labels'; labels: number[]; typed: boolean } | { kind: 'oneHot' } | { kind: 'garbage'; value: unknown };
const ySpec: fc.Arbitrary<YSpec> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('labels' as const), labels: fc.array(label, { maxLength: 6 }), typed: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('oneHot' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('garbage' as const), value: fc.constantFrom<unknown>(null, 'y', 3, [[0, 1]]) }) },
);
const batchSize = fc.constantFrom<unknown>(1, 2, 3, 32, 1e9, 0, -2, 0.5, '8', NaN, Infinity, null, [2]);
const evalArgs = fc.oneof(fc.constant(undefined), fc.record({ batchSize }, { requiredKeys: [] }), fc.constantFrom<unknown>({ batch_size: 2 }, { batchsize: 2 }, 'fast', null, []));
const fitArgs = fc.oneof(
  fc.record(
    {
      epochs: fc.constantFrom<unknown>(1, 2, 0, -1, 1.5, '1', NaN, Infinity, null),
      batchSize,
      shuffle: fc.constantFrom<unknown>(true, false, 'yes', 0),
      validationSplit: fc.constantFrom<unknown>(0.25, 0.5, 0, 1, -0.1, 2, NaN, '0.2'),
      validationData: fc.constantFrom<unknown>(null, [1], 'val', [[], []]),
      seed: fc.constantFrom<unknown>(1, 2 ** 40, -3, 'seed'),
      initialEpoch: fc.constantFrom<unknown>(0, 1, 5, -1, 0.5),
      callbacks: fc.constantFrom<unknown>([], [null], 5, 'earlyStopping', [{ onEpochEnd: () => undefined }]),
      verbose: fc.constantFrom<unknown>(0, 0, 3, '1', -1), // 1 and 2 would print
    },
    { requiredKeys: [] },
  ),
  fc.constantFrom<unknown>({ epoch: 1 }, { batch_size: 2 }, { learningRate: 0.1 }, { verbos: 0 }, 'epochs', null, []),
);
const compileArgs = fc.constantFrom<unknown>(
  { optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] },
  { optimizer: 'sgd', loss: 'categoricalCrossentropy' },
  { optimizer: 'adam', loss: 'meanSquaredError' },
  { optimizer: 'adamm', loss: 'sparseCategoricalCrossentropy' },
  { optimizer: 'adam', loss: 'crossentropy' },
  { optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: 'accuracy' },
  { optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['acc2'] },
  { optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', lr: 0.1 },
  { optimizer: {}, loss: 5 },
  { loss: 'meanSquaredError' },
  null,
  'adam',
);
const rawBatch = fc.constantFrom(1, 2, 3, 0, -1, 1.5, 2.5, NaN, 1e9);
const layerKind = fc.constantFrom('conv1d', 'dense', 'maxPooling1d', 'batchNormalization', 'dropout');
const layerValue = fc.constantFrom<unknown>(1, 2, 3, 0, -1, 1.5, NaN, Infinity, '3', null, [2], [2, 2], 'same', 'smae', true, 1e9);
const layerField = fc.constantFrom('filters', 'kernelSize', 'strides', 'padding', 'units', 'poolSize', 'rate', 'momentum', 'epsilon', 'activation', 'dilationRate', 'useBias', 'kernel_size', 'filter', 'inputShape');

type Action =
  | { op: 'predict'; x: XSpec; args: unknown }
  | { op: 'evaluate'; x: XSpec; y: YSpec; args: unknown }
  | { op: 'fit'; x: XSpec; y: YSpec; args: unknown }
  | { op: 'trainOnBatch'; batch: number; xExtra: number; labels: number[]; fill: Fill }
  | { op: 'forwardBatch'; batch: number; xExtra: number; fill: Fill }
  | { op: 'compile'; args: unknown }
  | { op: 'dispose' }
  | { op: 'setWeights'; drop: number; extra: number }
  | { op: 'layer'; kind: string; field: string; value: unknown }
  | { op: 'tooBig'; what: 'activations' | 'dense' | 'conv'; scale: number };

const okEvalArgs = fc.constantFrom<unknown>(undefined, { batchSize: 2 }, { batchSize: 1e9 });
const okFitArgs = fc.constantFrom<unknown>({ epochs: 1, verbose: 0 }, { epochs: 2, batchSize: 3, verbose: 0 }, { validationSplit: 0.5, verbose: 0 });

/** The calls; `wild` draws options from the misuse pools, otherwise options are well formed (so a
 *  theme about disposal or memory is not stopped by an options bug another theme finds). */
const actionArbs = (wild: boolean): Record<Action['op'], fc.Arbitrary<Action>> => ({
  predict: fc.record({ op: fc.constant('predict' as const), x: xSpec, args: wild ? evalArgs : okEvalArgs }),
  evaluate: fc.record({ op: fc.constant('evaluate' as const), x: xSpec, y: ySpec, args: wild ? evalArgs : okEvalArgs }),
  fit: fc.record({ op: fc.constant('fit' as const), x: xSpec, y: ySpec, args: wild ? fitArgs : okFitArgs }),
  trainOnBatch: fc.record({ op: fc.constant('trainOnBatch' as const), batch: rawBatch, xExtra: fc.constantFrom(0, 0, 0, 1, -1), labels: fc.array(label, { maxLength: 4 }), fill }),
  forwardBatch: fc.record({ op: fc.constant('forwardBatch' as const), batch: rawBatch, xExtra: fc.constantFrom(0, 0, 1, -1), fill }),
  compile: fc.record({ op: fc.constant('compile' as const), args: compileArgs }),
  dispose: fc.record({ op: fc.constant('dispose' as const) }),
  setWeights: fc.record({ op: fc.constant('setWeights' as const), drop: fc.constantFrom(0, 1), extra: fc.constantFrom(0, 1, -1) }),
  layer: fc.record({ op: fc.constant('layer' as const), kind: layerKind, field: layerField, value: layerValue }),
  tooBig: fc.record({ op: fc.constant('tooBig' as const), what: fc.constantFrom('activations' as const, 'dense' as const, 'conv' as const), scale: fc.integer({ min: 1, max: 4 }) }),
});

/** A victim model (compiled or not) and 1-4 calls drawn from `ops`. */
const attempts = (ops: Action['op'][], wild: boolean) => {
  const arbs = actionArbs(wild);
  return fc.record({ compiled: fc.constantFrom<unknown>(null, 'sparse', 'categorical', 'mse'), actions: fc.array(fc.oneof(...ops.map((o) => arbs[o])), { minLength: 1, maxLength: 4 }) });
};

function values(n: number, f: Fill, seed = 1): Float32Array {
  const v = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.9 + seed));
  const bad = { finite: 0, NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, huge: 1e20 }[f];
  if (f === 'huge') v.forEach((x, i) => (v[i] = x * bad));
  else if (f !== 'finite' && n > 0) v[Math.floor(n / 2)] = bad;
  return v;
}

function makeX(lib: Lib, s: XSpec): unknown {
  if (s.kind === 'garbage') return s.value;
  const shape = { ok: [s.n, L, C], noChannel: [s.n, L], swapped: [s.n, C, L], flat: [s.n * PER], rank4: [s.n, L, C, 1] }[s.shape];
  return lib.tensor(values(s.n * PER, s.fill), shape);
}

function makeY(lib: Lib, s: YSpec, n: number): unknown {
  if (s.kind === 'garbage') return s.value;
  if (s.kind === 'oneHot') return lib.tensor(Float32Array.from({ length: n * CLASSES }, (_, i) => (i % CLASSES === (i / CLASSES) % 2 ? 1 : 0)), [n, CLASSES]);
  // the labels list, cycled to n samples (or left short/long when it has n +- 1 entries)
  const labels = s.labels.length === 0 ? [] : s.labels.length === n + 1 || s.labels.length === n - 1 ? s.labels : Array.from({ length: n }, (_, i) => s.labels[i % s.labels.length]);
  return s.typed && labels.every((v) => Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31) ? Int32Array.from(labels) : labels;
}

function victim(lib: Lib, compiled: unknown): Sequential {
  const { layers, sequential } = lib;
  const m = sequential({
    seed: 11,
    layers: [
      layers.conv1d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [L, C] }),
      layers.batchNormalization(),
      layers.maxPooling1d({ poolSize: 2 }),
      layers.flatten(),
      layers.dense({ units: CLASSES, activation: 'softmax' }),
    ],
  });
  if (compiled === 'sparse') m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  if (compiled === 'categorical') m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
  if (compiled === 'mse') m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  return m;
}

/** A model in a good state: finite weights, non-negative moving variances, finite predictions. */
function checkHealthy(lib: Lib, m: Sequential, after: string): void {
  for (const w of m.getWeights()) {
    const bad = w.data.find((v) => !Number.isFinite(v));
    expect(bad === undefined, `${after} succeeded but left ${w.name} with the value ${bad}`);
    if (w.name.endsWith('moving_variance')) expect(w.data.every((v) => v >= 0), `${after} succeeded but left a negative moving variance`);
  }
  const y = m.predict(lib.tensor(values(2 * PER, 'finite', 5), [2, L, C])).data;
  expect(y.every(Number.isFinite), `${after} succeeded but the model now predicts [${[...y.slice(0, 4)]}]`);
}

const isTensor = (lib: Lib, v: unknown): v is Tensor => v instanceof lib.Tensor;

/** Runs one action; a success is checked against what the call was given. */
async function run(lib: Lib, m: Sequential, a: Action, state: { disposed: boolean; tainted: boolean }): Promise<void> {
  const name = a.op;
  const refuseAfterDispose = () => expect(!state.disposed, `${name} succeeded on a disposed model (it must throw, naming the method)`);
  switch (a.op) {
    case 'predict': {
      const x = makeX(lib, a.x);
      const out = m.predict(x as Tensor, a.args as undefined);
      refuseAfterDispose();
      const n = isTensor(lib, x) ? x.shape[0] : -1;
      expect(out.shape.join() === [n, CLASSES].join(), `predict returned shape [${out.shape}] for input [${(x as Tensor).shape}]`);
      if (a.x.kind === 'tensor' && !state.tainted) expect(out.data.every(Number.isFinite), `predict on finite inputs (${a.x.fill}) returned [${[...out.data.slice(0, 4)]}]`);
      return;
    }
    case 'evaluate': {
      const x = makeX(lib, a.x);
      const logs = m.evaluate(x as Tensor, makeY(lib, a.y, isTensor(lib, x) ? x.shape[0] : 0) as number[], a.args as undefined);
      refuseAfterDispose();
      if (!state.tainted) expect(Number.isFinite(logs.loss), `evaluate returned loss ${logs.loss}`);
      return;
    }
    case 'fit': {
      const x = makeX(lib, a.x);
      const args = a.args && typeof a.args === 'object' && !Array.isArray(a.args) ? { verbose: 0, ...a.args } : a.args;
      const h = await m.fit(x as Tensor, makeY(lib, a.y, isTensor(lib, x) ? x.shape[0] : 0) as number[], args as undefined);
      refuseAfterDispose();
      for (const v of h.history.loss ?? []) expect(Number.isFinite(v), `fit finished with a loss of ${v}`);
      checkHealthy(lib, m, 'fit');
      return;
    }
    case 'trainOnBatch':
    case 'forwardBatch': {
      const b = a.batch;
      // the right length for the batch (+- xExtra); a short array for batches too big to build
      const len = Number.isFinite(b) && b * PER <= 1e6 ? Math.max(0, Math.round(b * PER) + a.xExtra) : 4;
      const x = values(len, a.fill);
      if (a.op === 'forwardBatch') {
        const y = m.forwardBatch(x, b, false);
        refuseAfterDispose();
        expect(Number.isInteger(b) && b >= 1, `forwardBatch accepted batch ${b}`);
        expect(y.length === b * CLASSES, `forwardBatch returned ${y.length} values for batch ${b}`);
        if (a.fill === 'finite' && !state.tainted) expect(y.every(Number.isFinite), `forwardBatch on finite inputs returned [${[...y.slice(0, 4)]}]`);
        return;
      }
      const labels = Float32Array.from({ length: Number.isFinite(b) && b > 0 && b <= 1e6 ? Math.ceil(b) : 1 }, (_, i) => a.labels[i % Math.max(a.labels.length, 1)] ?? 0);
      const loss = m.trainOnBatch(x, labels, b);
      refuseAfterDispose();
      expect(Number.isInteger(b) && b >= 1, `trainOnBatch accepted batch ${b}`);
      const sparse = m.loss?.sparse;
      if (sparse) {
        const bad = [...labels].find((v) => !Number.isInteger(v) || v < 0 || v >= CLASSES);
        expect(bad === undefined, `trainOnBatch accepted the label ${bad} for ${CLASSES} classes`);
      }
      // non-finite or huge inputs may give a non-finite loss (the caller sees it) and weights
      // (trainOnBatch does not check values, only sizes and labels); finite ones may not
      if (a.fill !== 'finite' || state.tainted) {
        state.tainted = true;
        return;
      }
      expect(Number.isFinite(loss), `trainOnBatch returned a loss of ${loss}`);
      checkHealthy(lib, m, 'trainOnBatch');
      return;
    }
    case 'compile':
      m.compile(a.args as never);
      refuseAfterDispose();
      return;
    case 'dispose':
      m.dispose();
      state.disposed = true;
      return;
    case 'setWeights': {
      const ws = m.getWeights();
      refuseAfterDispose();
      const arrays = ws.slice(a.drop).map((w, i) => new Float32Array(i === 0 ? Math.max(0, w.data.length + a.extra) : w.data.length).fill(0.5));
      m.setWeights(arrays);
      expect(a.drop === 0 && a.extra === 0, `setWeights accepted ${arrays.length} arrays (first of ${arrays[0]?.length} values) for ${ws.length} weights`);
      return;
    }
    case 'layer': {
      const { layers, sequential } = lib;
      const base: Record<string, Record<string, unknown>> = { conv1d: { filters: 2, kernelSize: 3 }, dense: { units: 3 }, maxPooling1d: { poolSize: 2 }, batchNormalization: {}, dropout: { rate: 0.5 } };
      const args = { ...base[a.kind], [a.field]: a.value };
      const layer = (layers as unknown as Record<string, (args: unknown) => import('../../src/index.ts').Layer>)[a.kind](args);
      const extra = sequential({ seed: 1, layers: [layers.conv1d({ filters: 2, kernelSize: 1, inputShape: [L, C] }), layer, layers.flatten(), layers.dense({ units: 2 })] });
      try {
        extra.build();
        const out = extra.predict(lib.tensor(values(PER, 'finite'), [1, L, C]));
        expect(out.data.every(Number.isFinite), `a model with ${a.kind}(${JSON.stringify(args)}) predicts [${[...out.data]}]`);
      } finally {
        extra.dispose();
      }
      return;
    }
    case 'tooBig': {
      // sizes far beyond the 4 GiB of wasm32 memory, so a failed allocation commits nothing
      const { layers, sequential } = lib;
      const big = 2 ** (32 + a.scale);
      let extra: Sequential;
      let x: Tensor;
      let before: Float32Array | null = null;
      const one = lib.tensor(Float32Array.from({ length: 1024 }, (_, i) => Math.cos(i)), [1, 1024, 1]);
      if (a.what === 'activations') {
        // 4 MiB of activations a sample: one sample runs first, then a batch too big for memory
        extra = sequential({ seed: 2, layers: [layers.conv1d({ filters: 1024, kernelSize: 1, inputShape: [1024, 1] })] });
        before = extra.predict(one).data;
        const n = big / (1024 * 1024 * 4) + 1;
        x = lib.tensor(new Float32Array(n * 1024), [n, 1024, 1]);
      } else {
        extra = sequential({ layers: a.what === 'dense' ? [layers.dense({ units: big / 64, inputShape: [16] })] : [layers.conv1d({ filters: big / 64, kernelSize: 1, inputShape: [4, 16] })] });
        x = lib.tensor(new Float32Array(a.what === 'dense' ? 16 : 64), a.what === 'dense' ? [1, 16] : [1, 4, 16]);
      }
      try {
        try {
          extra.predict(x, { batchSize: x.shape[0] });
        } catch (e) {
          classify(e, lib, allowed);
          // then the model either refuses cleanly or still predicts exactly as before; it never
          // runs on buffers it failed to allocate
          if (before) {
            let again: Float32Array | null = null;
            try {
              again = extra.predict(one).data;
            } catch (e2) {
              classify(e2, lib, allowed);
            }
            const i = again ? again.findIndex((v, j) => !Object.is(v, before![j])) : -1;
            expect(i < 0, `after a failed allocation the model predicts ${again?.[i]} at output ${i}, before ${before[i]}`);
          } else {
            try {
              extra.predict(x);
            } catch (e2) {
              classify(e2, lib, allowed);
            }
          }
          throw e;
        }
        expect(false, `${a.what}: a model needing ${big} bytes or more ran`);
      } finally {
        try {
          extra.dispose();
        } catch (e) {
          classify(e, lib, allowed);
        }
      }
      return;
    }
  }
}

// one property per theme, so each failing theme reports its own counterexample
const themes: [string, Action['op'][], boolean, number, number][] = [
  ['inputs and options', ['predict', 'evaluate', 'fit', 'compile', 'setWeights', 'layer'], true, 200, 0x617069],
  ['raw engine calls', ['trainOnBatch', 'forwardBatch', 'predict'], false, 150, 0x726177],
  ['after dispose', ['dispose', 'predict', 'fit', 'evaluate', 'trainOnBatch', 'forwardBatch', 'setWeights', 'compile'], false, 150, 0x646973],
  ['too big for memory', ['tooBig', 'predict', 'fit'], false, 20, 0x626967],
];

for (const [theme, ops, wild, numRuns, seed] of themes) {
  test(`fuzz API misuse (${theme}): every call ends in a documented error or a checked result`, async () => {
    await fuzz({
      name: `API misuse, ${theme} (outcomes per call)`,
      seed,
      numRuns,
      arb: attempts(ops, wild),
      allowed,
      attempt: async (env, { compiled, actions: calls }, tally) => {
        const { lib } = env;
        let m: Sequential;
        try {
          m = victim(lib, compiled);
        } catch (e) {
          throw new Violation(`building a small model failed after earlier attempts: ${(e as Error).name}: ${(e as Error).message}`);
        }
        const state = { disposed: false, tainted: false };
        try {
          for (const a of calls) {
            let outcome = 'ok';
            try {
              await run(lib, m, a, state);
            } catch (e) {
              outcome = classify(e, lib, allowed);
            }
            tally.add(outcome);
          }
        } finally {
          if (!state.disposed) m.dispose();
        }
        return '';
      },
    });
  });
}
