// optimizerFromConfig: the optimizer_config that toArtifacts writes (and Keras 3 writes) gives back
// an optimizer with the same configuration; bad configs are ConfigErrors.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { ConfigError, layers, optimizers, sequential, toArtifacts, type Optimizer } from '../../src/index.ts';
import { optimizerFromConfig } from '../../src/optimizers/index.ts';

test('every optimizer (schedules and clipping included) is restored from the optimizer_config toArtifacts writes', () => {
  const all: Optimizer[] = [
    optimizers.sgd({ learningRate: 0.2, momentum: 0.5, nesterov: true, clipvalue: 2 }),
    optimizers.adam({ beta1: 0.8, epsilon: 1e-6 }),
    optimizers.adamw({ learningRate: optimizers.schedules.oneCycle({ maxLearningRate: 0.1, totalSteps: 100 }), weightDecay: 0.01, clipnorm: 1 }),
    optimizers.rmsprop({ learningRate: optimizers.schedules.cosineDecay({ initialLearningRate: 0, decaySteps: 9, warmupTarget: 0.01, warmupSteps: 3 }), rho: 0.8, momentum: 0.9, centered: true }),
    optimizers.adagrad({ initialAccumulatorValue: 0, epsilon: 1e-8 }),
    optimizers.adamax({ learningRate: optimizers.schedules.piecewiseConstantDecay({ boundaries: [10], values: [0.01, 0.001] }), beta2: 0.9 }),
    optimizers.nadam({ learningRate: optimizers.schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 5, decayRate: 0.9 }), momentumDecay: 0.01 }),
  ];
  for (const opt of all) {
    const m = sequential({ layers: [layers.dense({ units: 2, inputShape: [3] })] });
    m.compile({ optimizer: opt, loss: 'meanSquaredError' });
    const saved = JSON.parse(JSON.stringify(toArtifacts(m).modelJson.trainingConfig)).optimizer_config;
    const back = optimizerFromConfig(saved.class_name, saved.config);
    assert.equal(back.className, opt.className);
    assert.deepEqual(back.getConfig(), opt.getConfig(), `${opt.className} from ${JSON.stringify(saved)}`);
    m.dispose();
  }
});

test('a Keras 3 optimizer config is read: unset (null) options and EMA bookkeeping skipped, global_clipnorm is clipnorm', () => {
  const adamw = optimizerFromConfig('AdamW', {
    name: 'adamw', learning_rate: 0.002, weight_decay: 0.01, clipnorm: null, global_clipnorm: 1.5, clipvalue: null, use_ema: false, ema_momentum: 0.99,
    ema_overwrite_frequency: null, loss_scale_factor: null, gradient_accumulation_steps: null, beta_1: 0.85, beta_2: 0.99, epsilon: 1e-7, amsgrad: false,
  });
  assert.deepEqual(adamw.getConfig(), { learningRate: 0.002, beta1: 0.85, beta2: 0.99, epsilon: 1e-7, weightDecay: 0.01, clipnorm: 1.5 });
  const rms = optimizerFromConfig('RMSprop', {
    name: 'rmsprop', learning_rate: { module: 'keras.optimizers.schedules', class_name: 'ExponentialDecay', config: { initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.5, staircase: false, name: 'ExponentialDecay' }, registered_name: null },
    rho: 0.9, momentum: 0.0, epsilon: 1e-7, centered: false,
  });
  assert.equal(rms.learningRate, 0.1);
  assert.equal(rms.schedule && 'rate' in rms.schedule ? rms.schedule.rate(10) : NaN, 0.05);
});

test('bad saved configs are ConfigErrors naming what is wrong', () => {
  const cases: [() => unknown, RegExp][] = [
    [() => optimizerFromConfig('Adadelta', {}), /optimizers.fromConfig: class_name must be one of SGD, Adam, AdamW, RMSprop, Adagrad, Adamax, Nadam, got "Adadelta"/],
    [() => optimizerFromConfig('Adam', 'x'), /config of Adam must be an object, got "x"/],
    [() => optimizerFromConfig('Adam', { use_ema: true }), /optimizers.adam: unknown option "useEma"/],
    [() => optimizerFromConfig('SGD', { weight_decay: 0.1 }), /optimizers.sgd: unknown option "weightDecay"/],
    [() => optimizerFromConfig('Nadam', { beta_1: 1 }), /optimizers.nadam: beta1 must be a finite number in \[0, 1\), got 1/],
  ];
  for (const [fn, re] of cases) assert.throws(fn, (e: unknown) => e instanceof ConfigError && re.test(e.message), String(re));
});
