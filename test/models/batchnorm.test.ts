// BatchNormalization without learned scale/offset (scale: false, center: false): the constant
// gamma = 1 / beta = 0 buffers stand in for the missing weights across steps and re-plans.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { layers, sequential } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';

test('batch norm with scale and center off normalises every channel, step after step and after a re-plan', () => {
  const model = sequential({ layers: [layers.batchNormalization({ scale: false, center: false, epsilon: 0, inputShape: [6, 3] })] });
  assert.deepEqual(model.weights.map((w) => w.spec.name), ['moving_mean', 'moving_variance']);
  const rng = new Random(3);
  for (const batch of [4, 4, 9]) {
    const x = rng.uniformArray(batch * 18, -5, 7);
    const y = model.forwardBatch(x, batch, true);
    for (let c = 0; c < 3; c++) {
      let mean = 0;
      let sq = 0;
      for (let r = 0; r < batch * 6; r++) mean += y[r * 3 + c] / (batch * 6);
      for (let r = 0; r < batch * 6; r++) sq += (y[r * 3 + c] - mean) ** 2 / (batch * 6);
      assert.ok(Math.abs(mean) < 1e-5 && Math.abs(sq - 1) < 1e-4, `batch ${batch} channel ${c}: mean ${mean}, variance ${sq}`);
    }
  }
  model.dispose();
});
