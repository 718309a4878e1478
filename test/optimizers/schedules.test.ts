// Learning-rate schedules: values hand-computed from the Keras / PyTorch formulas (Keras docstring
// examples where they exist), the saved form, and the errors of bad arguments.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { ConfigError, optimizers } from '../../src/index.ts';

const { schedules } = optimizers;
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: ${a}, expected ${b}`);

test('exponentialDecay: lr0 * rate^(step/decaySteps), floored exponent with staircase', () => {
  const smooth = schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 100000, decayRate: 0.96 });
  const stair = schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 100000, decayRate: 0.96, staircase: true });
  close(smooth.rate(0), 0.1, 'step 0');
  close(smooth.rate(50000), 0.1 * Math.sqrt(0.96), 'half a decay');
  close(stair.rate(99999), 0.1, 'staircase before the first boundary');
  close(stair.rate(100000), 0.096, 'staircase at it');
  close(stair.rate(250000), 0.1 * 0.96 * 0.96, 'two whole decays');
});

test('piecewiseConstantDecay: values[i] up to and including boundaries[i] (Keras docstring example)', () => {
  const s = schedules.piecewiseConstantDecay({ boundaries: [100000, 110000], values: [1.0, 0.5, 0.1] });
  assert.deepEqual([0, 100000, 100001, 110000, 110001, 1e9].map((t) => s.rate(t)), [1, 1, 0.5, 0.5, 0.1, 0.1]);
});

test('cosineDecay: cosine from the start rate to alpha*start, held after decaySteps; linear warm-up first', () => {
  const s = schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 1000 });
  close(s.rate(0), 0.1, 'start');
  close(s.rate(500), 0.05, 'half way');
  close(s.rate(1000), 0, 'end');
  close(s.rate(5000), 0, 'held');
  const a = schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 1000, alpha: 0.1 });
  close(a.rate(1000), 0.01, 'alpha floor');
  close(a.rate(500), 0.1 * (0.9 * 0.5 + 0.1), 'alpha half way');
  const w = schedules.cosineDecay({ initialLearningRate: 0, decaySteps: 1000, warmupTarget: 0.1, warmupSteps: 1000 });
  close(w.rate(0), 0, 'warm-up start');
  close(w.rate(250), 0.025, 'warm-up quarter');
  close(w.rate(1000), 0.1, 'warm-up end = decay start');
  close(w.rate(1500), 0.05, 'decay half way');
  close(w.rate(2000), 0, 'decay end');
  close(w.rate(9000), 0, 'held');
});

test('oneCycle: PyTorch OneCycleLR phases (cos and linear, two and three phases), held after the cycle', () => {
  // max 1, T 10, pctStart 0.3: start 1/25 = 0.04, final 0.04/1e4; phase 1 ends at step 2, phase 2 at 9
  const s = schedules.oneCycle({ maxLearningRate: 1, totalSteps: 10 });
  close(s.rate(0), 0.04, 'start');
  close(s.rate(1), 0.52, 'cos midpoint of phase 1');
  close(s.rate(2), 1, 'peak');
  close(s.rate(2 + 3.5), (1 + 4e-6) / 2, 'cos midpoint of phase 2');
  close(s.rate(9), 4e-6, 'final');
  close(s.rate(50), 4e-6, 'held');
  const lin = schedules.oneCycle({ maxLearningRate: 1, totalSteps: 10, annealStrategy: 'linear' });
  close(lin.rate(3), 1 - (1 - 4e-6) / 7, 'linear, a seventh into phase 2');
  const three = schedules.oneCycle({ maxLearningRate: 1, totalSteps: 10, threePhase: true });
  // phases end at 2, 4 (back to the start rate), 9 (final)
  close(three.rate(3), 0.52, 'three-phase: midpoint of the way down');
  close(three.rate(4), 0.04, 'three-phase: back at the start rate');
  close(three.rate(9), 4e-6, 'three-phase: final');
});

test('a schedule saves as {className, config} and is read back, also from Keras snake_case', () => {
  for (const s of [
    schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 3, decayRate: 0.5, staircase: true }),
    schedules.piecewiseConstantDecay({ boundaries: [2, 5], values: [0.3, 0.2, 0.1] }),
    schedules.cosineDecay({ initialLearningRate: 0, decaySteps: 8, alpha: 0.2, warmupTarget: 0.1, warmupSteps: 4 }),
    schedules.oneCycle({ maxLearningRate: 0.5, totalSteps: 20, pctStart: 0.25, annealStrategy: 'linear', threePhase: true }),
  ]) {
    const back = schedules.deserialize(JSON.parse(JSON.stringify({ className: s.className, config: s.getConfig() })));
    assert.equal(back.className, s.className);
    assert.deepEqual(back.getConfig(), s.getConfig());
    for (const t of [0, 1, 3, 7, 30]) assert.equal(back.rate(t), s.rate(t), `${s.className} step ${t}`);
  }
  const keras = schedules.deserialize({ class_name: 'CosineDecay', config: { initial_learning_rate: 0.1, decay_steps: 10, alpha: 0, name: 'CosineDecay', warmup_target: null, warmup_steps: 0 } });
  close(keras.rate(5), 0.05, 'Keras-saved cosine decay');
});

test('bad schedule arguments are ConfigErrors naming the schedule, the option, the value and what is allowed', () => {
  const cases: [() => unknown, RegExp][] = [
    [() => schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.9 }), /exponentialDecay: decaySteps must be a finite number in \[1, Infinity\], got 0/],
    [() => schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 2.5, decayRate: 0.9 }), /exponentialDecay: decaySteps must be a positive integer, got 2.5/],
    [() => schedules.exponentialDecay({ decaySteps: 10, decayRate: 0.9 } as never), /exponentialDecay: initialLearningRate is required/],
    [() => schedules.exponentialDecay({ initialLearningRate: -1, decaySteps: 10, decayRate: 0.9 }), /initialLearningRate must be a finite number in \[0, Infinity\], got -1/],
    [() => schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9, decay: 1 } as never), /exponentialDecay: unknown option "decay"/],
    [() => schedules.piecewiseConstantDecay({ boundaries: [5, 2], values: [1, 2, 3] }), /boundaries must be a non-empty array of strictly increasing finite numbers, got \[5, 2\]/],
    [() => schedules.piecewiseConstantDecay({ boundaries: [5], values: [1] }), /values must be 2 finite numbers >= 0 \(one more than boundaries\), got \[1\]/],
    [() => schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 10, alpha: 2 }), /cosineDecay: alpha must be a finite number in \[0, 1\], got 2/],
    [() => schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 10, warmupSteps: 5 }), /cosineDecay: warmupSteps 5 needs warmupTarget/],
    [() => schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 10, warmupTarget: NaN, warmupSteps: 5 }), /warmupTarget must be a finite number in \[0, Infinity\], got NaN/],
    [() => schedules.oneCycle({ maxLearningRate: 1, totalSteps: 3 }), /oneCycle: pctStart 0.3 with totalSteps 3 leaves a phase without steps; need 1 < pctStart\*totalSteps < totalSteps/],
    [() => schedules.oneCycle({ maxLearningRate: 1, totalSteps: 10, annealStrategy: 'cosine' as never }), /annealStrategy must be one of "cos", "linear", got "cosine"/],
    [() => schedules.deserialize({ className: 'CosineDecy', config: {} }), /className must be one of .*, got "CosineDecy" \(did you mean "CosineDecay"\?\)/],
    [() => schedules.deserialize({ className: 'OneCycle', config: 3 }), /config of OneCycle must be an object, got 3/],
  ];
  for (const [fn, re] of cases) assert.throws(fn, (e: unknown) => e instanceof ConfigError && re.test(e.message), String(re));
});
