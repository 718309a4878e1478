// The optimizers through their public API: names for compile, clipping semantics, schedules as
// learningRate (and their conflict with learning-rate callbacks), state memory, saved configs and
// the errors of bad options.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { callbacks, ConfigError, layers, optimizers, runtime, sequential, type Optimizer } from '../../src/index.ts';
import { twoSines } from '../models/helpers.ts';

const NAMES = ['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad', 'adamax', 'nadam'] as const;
const CLASS = { sgd: 'SGD', adam: 'Adam', adamw: 'AdamW', rmsprop: 'RMSprop', adagrad: 'Adagrad', adamax: 'Adamax', nadam: 'Nadam' };

function net(seed = 1) {
  return sequential({
    seed,
    layers: [layers.conv1d({ filters: 4, kernelSize: 5, activation: 'relu', inputShape: [32, 1] }), layers.globalAveragePooling1d(), layers.dense({ units: 2, activation: 'softmax' })],
  });
}

/** One step of `opt` on parameters p0 with gradient g; returns the new parameters and the gradient block after the step. */
function stepOnce(opt: Optimizer, p0: number[], g: number[]): { p: Float32Array; g: Float32Array } {
  const rt = runtime();
  const p = rt.upload(p0);
  const gp = rt.upload(g);
  try {
    opt.step(rt, p, gp, p0.length);
    return { p: rt.download(p, p0.length), g: rt.download(gp, g.length) };
  } finally {
    opt.dispose();
    rt.release(p);
    rt.release(gp);
  }
}

test('compile accepts every optimizer by name (any case) and each one lowers the training loss', async () => {
  const { x, y } = twoSines(32, 32, 4);
  for (const name of NAMES) {
    const m = net();
    m.compile({ optimizer: name.toUpperCase() as never, loss: 'sparseCategoricalCrossentropy' });
    assert.equal(m.optimizer!.className, CLASS[name]);
    // rates the defaults would take long to show: set a larger one per optimizer
    m.optimizer!.learningRate = name === 'sgd' ? 0.1 : name === 'adagrad' ? 0.1 : 0.01;
    const h = await m.fit(x, y, { epochs: 6, batchSize: 8, verbose: 0 });
    const loss = h.history.loss;
    assert.ok(loss[loss.length - 1] < loss[0], `${name}: loss ${loss[0]} -> ${loss[loss.length - 1]}`);
    m.dispose();
  }
});

test('clipnorm scales the whole gradient block to the global norm (not per weight); clipvalue clamps; g is not modified', () => {
  // g = [3, 4 | 0, 12] (two "weights"), ||g|| = 13; per-weight clipping would give [0.6, 0.8 | 0, 1]
  const g = [3, 4, 0, 12];
  const sgd = (extra: object) => optimizers.sgd({ learningRate: 1, ...extra });
  const norm = stepOnce(sgd({ clipnorm: 1 }), [0, 0, 0, 0], g);
  [3, 4, 0, 12].forEach((v, i) => assert.ok(Math.abs(norm.p[i] + v / 13) < 1e-7, `clipnorm element ${i}: ${norm.p[i]}`));
  assert.deepEqual([...norm.g], g, 'the gradient block is left as it was');
  const under = stepOnce(sgd({ clipnorm: 20 }), [0, 0, 0, 0], g);
  assert.deepEqual([...under.p], [-3, -4, 0, -12], 'a norm below clipnorm leaves g unscaled');
  const value = stepOnce(sgd({ clipvalue: 3.5 }), [0, 0, 0, 0], [3, -4, 0.5, 12]);
  assert.deepEqual([...value.p], [-3, 3.5, -0.5, -3.5]);
  const nan = stepOnce(sgd({ clipnorm: 1 }), [1, 1], [Infinity, 0]);
  assert.ok(nan.p.every(Number.isNaN), `a non-finite norm makes the update NaN: ${nan.p}`);
});

test('every optimizer clips: the step with clipnorm c on g equals the step without it on g*c/||g||', () => {
  const g = [0.5, -2, 1.5, 3, -0.25];
  const n = Math.hypot(...g);
  for (const name of NAMES) {
    const a = stepOnce(optimizers[name]({ learningRate: 0.1, clipnorm: 1 }), [1, 2, 3, 4, 5], g).p;
    const b = stepOnce(optimizers[name]({ learningRate: 0.1 }), [1, 2, 3, 4, 5], g.map((v) => v / n)).p;
    a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-6, `${name} element ${i}: ${v} vs ${b[i]}`));
    const c = stepOnce(optimizers[name]({ learningRate: 0.1, clipvalue: 1 }), [1, 2, 3, 4, 5], g).p;
    const d = stepOnce(optimizers[name]({ learningRate: 0.1 }), [1, 2, 3, 4, 5], g.map((v) => Math.max(-1, Math.min(1, v)))).p;
    c.forEach((v, i) => assert.ok(Math.abs(v - d[i]) < 1e-6, `${name} clipvalue element ${i}: ${v} vs ${d[i]}`));
  }
});

test('adagrad starts its accumulator at initialAccumulatorValue', () => {
  const { p } = stepOnce(optimizers.adagrad({ learningRate: 0.5, initialAccumulatorValue: 7, epsilon: 0 }), [1], [3]);
  assert.ok(Math.abs(p[0] - (1 - (0.5 * 3) / 4)) < 1e-7, `p = 1 - 0.5*3/sqrt(7 + 9), got ${p[0]}`);
});

test('a schedule as learningRate advances with every update; learningRate reads the next update rate', () => {
  const schedule = optimizers.schedules.piecewiseConstantDecay({ boundaries: [0, 1], values: [1, 0.5, 0.25] });
  const opt = optimizers.sgd({ learningRate: schedule });
  const rt = runtime();
  const p = rt.upload([0]);
  const g = rt.upload([1]);
  const seen: number[] = [];
  for (let i = 0; i < 4; i++) {
    seen.push(opt.learningRate);
    opt.step(rt, p, g, 1);
  }
  assert.deepEqual(seen, [1, 0.5, 0.25, 0.25]);
  assert.equal(rt.download(p, 1)[0], -2, 'p = -(1 + 0.5 + 0.25 + 0.25)');
  // a function schedule, checked at every step
  const fn = optimizers.adam({ learningRate: (step) => (step < 1 ? 0.1 : -1) });
  fn.step(rt, p, g, 1);
  assert.throws(() => fn.step(rt, p, g, 1), /Adam: the learningRate schedule function gave -1 at step 1; expected a finite number >= 0/);
  fn.dispose();
  opt.dispose();
  rt.release(p);
  rt.release(g);
});

test('a scheduled rate cannot be changed by a learning-rate callback or by assignment', async () => {
  const { x, y } = twoSines(16, 32, 5);
  const cosine = () => optimizers.schedules.cosineDecay({ initialLearningRate: 0.01, decaySteps: 10 });
  for (const cb of [callbacks.exponentialDecay({ decayRate: 0.5 }), callbacks.stepDecay({ factor: 0.5, every: 1 }), callbacks.reduceLROnPlateau({ monitor: 'loss', patience: 0, minDelta: 100 })]) {
    const m = net();
    m.compile({ optimizer: optimizers.rmsprop({ learningRate: cosine() }), loss: 'sparseCategoricalCrossentropy' });
    await assert.rejects(m.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0, callbacks: [cb] }), (e: unknown) => e instanceof ConfigError && /RMSprop: learningRate follows the schedule CosineDecay and cannot be set to .*; use either a schedule as learningRate or a learning-rate callback/.test(e.message));
    m.dispose();
  }
  const opt = optimizers.adam({ learningRate: cosine() });
  assert.throws(() => (opt.learningRate = 0.1), /Adam: learningRate follows the schedule CosineDecay and cannot be set to 0.1/);
  // the same callbacks still drive a constant rate
  const m = net();
  m.compile({ optimizer: optimizers.nadam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy' });
  await m.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0, callbacks: [callbacks.stepDecay({ factor: 0.5, every: 1 })] });
  assert.ok(Math.abs(m.optimizer!.learningRate - 0.0025) < 1e-12, `stepDecay on nadam: ${m.optimizer!.learningRate}`);
  m.dispose();
});

test('optimizer state comes from the arena (one buffer per moment) and dispose() returns it', () => {
  const rt = runtime();
  const N = 37;
  const p = rt.allocF32(N);
  const g = rt.allocF32(N);
  const buffers: [Optimizer, number][] = [
    [optimizers.sgd(), 1], [optimizers.adam(), 2], [optimizers.adamw(), 2], [optimizers.rmsprop(), 1], [optimizers.rmsprop({ centered: true }), 2],
    [optimizers.rmsprop({ momentum: 0.9 }), 2], [optimizers.rmsprop({ momentum: 0.9, centered: true }), 3], [optimizers.adagrad(), 1], [optimizers.adamax(), 2], [optimizers.nadam(), 2],
  ];
  for (const [opt, count] of buffers) {
    const before = rt.arena.bytesInUse;
    opt.step(rt, p, g, N);
    assert.ok(rt.arena.bytesInUse - before >= count * 4 * N && rt.arena.bytesInUse - before < (count + 1) * 4 * N, `${opt.className} ${JSON.stringify(opt.getConfig())}: ${rt.arena.bytesInUse - before} bytes of state`);
    assert.throws(() => opt.step(rt, g, p, N), new RegExp(`${opt.className}.step: this optimizer holds state for ${N} parameters`));
    assert.throws(() => opt.step(rt, p, p + 8, 4), /overlap for N = 4/);
    opt.dispose();
    assert.equal(rt.arena.bytesInUse, before, `${opt.className}: dispose() releases the state`);
    assert.equal(opt.stateOwner, 0);
  }
  rt.release(p);
  rt.release(g);
});

test('getConfig round-trips through the constructors, schedules as {className, config}', () => {
  const all: Optimizer[] = [
    optimizers.sgd({ learningRate: 0.2, momentum: 0.5, nesterov: true, clipvalue: 2 }),
    optimizers.adamw({ learningRate: optimizers.schedules.oneCycle({ maxLearningRate: 0.1, totalSteps: 100 }), weightDecay: 0.01, clipnorm: 1 }),
    optimizers.rmsprop({ rho: 0.8, momentum: 0.9, centered: true, epsilon: 1e-6 }),
    optimizers.adagrad({ initialAccumulatorValue: 0, epsilon: 1e-8 }),
    optimizers.adamax({ beta1: 0.8, beta2: 0.9 }),
    optimizers.nadam({ learningRate: optimizers.schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 5, decayRate: 0.9 }), momentumDecay: 0.01 }),
  ];
  for (const opt of all) {
    const name = opt.className.toLowerCase() as keyof typeof CLASS;
    const config = JSON.parse(JSON.stringify(opt.getConfig()));
    const back = optimizers[name](config);
    assert.deepEqual(back.getConfig(), opt.getConfig(), opt.className);
  }
  assert.deepEqual(optimizers.adamw().getConfig(), { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.004 });
  assert.equal(optimizers.sgd({ learningRate: () => 0.3 }).getConfig().learningRate, 0.3, 'a function schedule saves its next rate');
});

test('bad options are ConfigErrors naming the optimizer, the option, the value and what is allowed', () => {
  const cases: [() => unknown, RegExp][] = [
    [() => optimizers.rmsprop({ learningRate: -0.1 }), /optimizers.rmsprop: learningRate must be a finite number >= 0, an optimizers.schedules.\* object or a function step => rate, got -0.1/],
    [() => optimizers.adamw({ learningRate: Infinity }), /optimizers.adamw: learningRate must be a finite number >= 0.*got Infinity/],
    [() => optimizers.nadam({ learningRate: 'fast' as never }), /optimizers.nadam: learningRate must be .*got "fast"/],
    [() => optimizers.adam({ beta1: 1 }), /optimizers.adam: beta1 must be a finite number in \[0, 1\), got 1/],
    [() => optimizers.adamax({ beta2: -0.1 }), /optimizers.adamax: beta2 must be a finite number in \[0, 1\), got -0.1/],
    [() => optimizers.nadam({ beta1: NaN }), /optimizers.nadam: beta1 must be a finite number in \[0, 1\), got NaN/],
    [() => optimizers.rmsprop({ rho: 1 }), /optimizers.rmsprop: rho must be a finite number in \[0, 1\), got 1/],
    [() => optimizers.rmsprop({ momentum: 2 }), /optimizers.rmsprop: momentum must be a finite number in \[0, 1\], got 2/],
    [() => optimizers.adagrad({ initialAccumulatorValue: -1 }), /optimizers.adagrad: initialAccumulatorValue must be a finite number in \[0, Infinity\], got -1/],
    [() => optimizers.adamw({ weightDecay: -0.01 }), /optimizers.adamw: weightDecay must be a finite number in \[0, Infinity\], got -0.01/],
    [() => optimizers.sgd({ clipnorm: -1 }), /optimizers.sgd: clipnorm must be a finite number > 0, got -1/],
    [() => optimizers.adam({ clipvalue: 0 }), /optimizers.adam: clipvalue must be a finite number > 0, got 0/],
    [() => optimizers.adagrad({ clipvalue: NaN }), /optimizers.adagrad: clipvalue must be a finite number > 0, got NaN/],
    [() => optimizers.adam({ clipnorm: 1, clipvalue: 1 }), /optimizers.adam: clipnorm \(1\) and clipvalue \(1\) cannot both be set/],
    [() => optimizers.rmsprop({ alpha: 0.9 } as never), /optimizers.rmsprop: unknown option "alpha"; allowed options are learningRate, clipnorm, clipvalue, rho, momentum, epsilon, centered/],
    [() => optimizers.adamw({ weight_decay: 0.1 } as never), /optimizers.adamw: unknown option "weight_decay" \(did you mean "weightDecay"\?\)/],
    [() => optimizers.sgd({ learningRate: { className: 'Cosine', config: {} } as never }), /className must be one of .*got "Cosine"/],
  ];
  for (const [fn, re] of cases) assert.throws(fn, (e: unknown) => e instanceof ConfigError && re.test(e.message), String(re));
  const opt = optimizers.sgd();
  assert.throws(() => (opt.learningRate = -1), /SGD: learningRate must be a finite number >= 0.*got -1/);
});
