// The built dist/index.js in a real browser (Debian's headless Chromium through playwright-core):
// the page imports the package as an ES module, trains a small model on built-in data and
// predicts, so the embedded wasm, the memory and the training loop work outside Node.
// Needs /usr/bin/chromium (`apt-get install chromium`; .ci/run installs it). Skipped, visibly,
// only outside CI when it is missing.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const dist = fileURLToPath(new URL('../../dist/', import.meta.url));

/** Runs in the page and in Node with the same package: trains, evaluates, predicts. */
async function scenario(lib) {
  const { sequential, layers, data, ready } = lib;
  await ready();
  const train = data.builtin.sines({ n: 128, length: 64, seed: 1 });
  const test = data.builtin.sines({ n: 48, length: 64, seed: 2 });
  const model = sequential({ seed: 3, layers: [
    layers.conv1d({ filters: 8, kernelSize: 5, activation: 'relu', inputShape: [64, 1] }),
    layers.maxPooling1d({ poolSize: 2 }),
    layers.flatten(),
    layers.dropout({ rate: 0.1 }),
    layers.dense({ units: 2, activation: 'softmax' }),
  ] });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const history = await model.fit(train.x, train.y, { epochs: 15, batchSize: 16, verbose: 0 });
  const { accuracy } = model.evaluate(test.x, test.y);
  const probs = model.predict(test.x);
  let pathError = '';
  try { data.loadUCR('/x.tsv'); } catch (e) { pathError = e.message; }
  return { accuracy, loss: history.history.loss, shape: probs.shape, probs: Array.from(probs.data.slice(0, 8)), pathError };
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>cnn1d browser test</title>
<script type="module">
  import * as lib from '/index.js';
  window.result = (${scenario.toString()})(lib).catch((e) => ({ error: String((e && e.stack) || e) }));
</script>`;

test('dist/index.js trains and predicts in headless Chromium', { timeout: 120_000 }, async (ctx) => {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI) assert.fail(`${CHROMIUM} not found; .ci/run must apt-get install chromium`);
    ctx.skip(`${CHROMIUM} not found (apt-get install chromium)`);
  }
  const { chromium } = await import('playwright-core');
  const server = createServer((req, res) => {
    const path = req.url === '/' ? null : req.url.replace(/^\//, '').replace(/\?.*$/, '');
    if (!path) return res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    if (!/^[\w.-]+$/.test(path) || !existsSync(dist + path)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': path.endsWith('.js') ? 'text/javascript' : 'application/octet-stream' }).end(readFileSync(dist + path));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    const result = await page.evaluate(() => window.result);
    assert.deepEqual(errors, []);
    assert.equal(result.error, undefined, result.error);
    assert.deepEqual(result.shape, [48, 2]);
    assert.ok(result.accuracy >= 0.9, `browser test accuracy ${result.accuracy}`);
    assert.match(result.pathError, /needs Node/, 'path readers explain themselves in a browser');
    // the same wasm and the same seed: the browser and Node agree bit for bit
    const inNode = await scenario(await import('../../dist/index.js'));
    assert.deepEqual(result.loss, inNode.loss);
    assert.deepEqual(result.probs, inNode.probs);
    assert.equal(result.accuracy, inNode.accuracy);
  } finally {
    await browser.close();
    server.close();
  }
});
