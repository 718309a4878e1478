// The built package as a user gets it: `import ... from 'cnn1d'` resolves dist/ through the
// package's own "exports" (Node self-reference), with the wasm embedded, no path configuration.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { layers, sequential, ready } from 'cnn1d';

test('dist imports by package name and runs a model', async () => {
  await ready();
  const model = sequential({
    seed: 3,
    layers: [layers.conv1d({ filters: 2, kernelSize: 3, activation: 'relu', inputShape: [8, 1] }), layers.flatten(), layers.dense({ units: 2, activation: 'softmax' })],
  });
  const out = model.forwardBatch(new Float32Array(8).fill(0.5), 1, false);
  assert.equal(out.length, 2);
  assert.ok(Math.abs(out[0] + out[1] - 1) < 1e-6, `softmax output sums to 1, got ${out[0] + out[1]}`);
  model.dispose();
});

test('dist has no Node built-in imports, so browser bundlers can take it as is', () => {
  const js = readFileSync(new URL('../../dist/index.js', import.meta.url), 'utf8');
  assert.doesNotMatch(js, /from ['"](node:|fs|path|url)['"]|require\(/);
  const dts = readFileSync(new URL('../../dist/index.d.ts', import.meta.url), 'utf8');
  assert.match(dts, /declare function sequential/);
});
