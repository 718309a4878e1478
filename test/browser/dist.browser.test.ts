// The built dist/index.js in a real browser (vitest browser mode, Debian's headless Chromium through
// the playwright provider): the page imports the package as an ES module, trains a small model on
// built-in data and predicts, so the embedded wasm, the memory and the training loop work outside
// Node, and agree with Node bit for bit.
import { test, expect, inject } from 'vitest';
import * as lib from 'cnn1d';
import { scenario } from './scenario.ts';

test('dist/index.js trains and predicts in headless Chromium, bit-identical to Node', async () => {
  expect(typeof window).toBe('object'); // really in the page, not in Node
  const result = await scenario(lib);
  expect(result.shape).toEqual([48, 2]);
  expect(result.accuracy).toBeGreaterThanOrEqual(0.9);
  expect(result.pathError, 'path readers explain themselves in a browser').toMatch(/needs Node/);
  const inNode = inject('nodeScenario');
  expect(result.loss).toEqual(inNode.loss);
  expect(result.probs).toEqual(inNode.probs);
  expect(result.accuracy).toBe(inNode.accuracy);
});
