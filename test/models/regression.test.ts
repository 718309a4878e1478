import { test } from 'vitest';
import assert from 'node:assert/strict';
import { data, layers, metrics, optimizers, sequential, tensor, type Tensor } from '../../src/index.ts';

// A noisy-free two-tone series in [-0.8, 0.8]: every head (linear, sigmoid on a shifted target,
// tanh) can represent the next two steps from the last 16.
const T = 600;
const series = Float32Array.from({ length: T }, (_, t) => 0.5 * Math.sin(t / 5) + 0.3 * Math.sin(t / 13));
const { x, y } = data.slidingWindows(series, { window: 16, horizon: 2, stride: 2 });

for (const [activation, loss] of [['linear', 'meanSquaredError'], ['linear', 'huber'], ['tanh', 'meanAbsoluteError'], ['tanh', 'logCosh'], ['sigmoid', 'mse']] as const) {
  test(`a ${activation} regression head learns the forecast with ${loss}; evaluate's mae/rmse/mape equal the metric functions on predict`, async () => {
    const target = activation === 'sigmoid' ? tensor(y.data.map((v) => (v + 1) / 2), y.shape) : y; // sigmoid: targets in (0, 1)
    const m = sequential({
      seed: 2,
      layers: [layers.conv1d({ filters: 8, kernelSize: 4, activation: 'tanh', inputShape: [16, 1] }), layers.flatten(), layers.dense({ units: 2, activation })],
    });
    m.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss, metrics: ['mae', 'rmse', 'mape'] });
    const before = m.evaluate(x, target);
    const h = await m.fit(x, target, { epochs: 30, batchSize: 32, verbose: 0 });
    const after = m.evaluate(x, target, { batchSize: 10 });
    assert.ok(after.mae < 0.25 * before.mae, `${activation}/${loss}: mae ${before.mae} -> ${after.mae}`);
    assert.ok(h.history.loss[29] < h.history.loss[0]);
    const p = m.predict<Tensor>(x);
    assert.ok(Math.abs(after.mae - metrics.mae(target, p)) < 1e-6);
    assert.ok(Math.abs(after.rmse - metrics.rmse(target, p)) < 1e-6);
    assert.ok(Math.abs(after.mape - metrics.mape(target, p)) < 1e-4 * metrics.mape(target, p));
    m.dispose();
  });
}
