// cnn1d/lite (dist/lite.js, package.json "exports" ./lite): inference only, the
// same outputs as the full build for the web app's digit model, loaded from bytes and from a URL;
// and the package's weight: dist/index.js and dist/lite.js gzipped may grow at most 10 % past the
// sizes recorded here (minified by esbuild in rollup.config.mjs; measured with gzip level 9, the
// figures of docs/guides/web-app.md). Shrinking below a recorded size: lower it here.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as full from 'cnn1d';

const root = fileURLToPath(new URL('../../', import.meta.url));
const MODEL = join(root, 'examples/web/public/models/fsdd');
/** gzip -9 bytes of each entry with its static chunks when last measured. History of index.js:
 *  196,132 unminified; 136,195 minified; 153,391 after the round that added the Keras layer classes
 *  (relu_general in both embedded wasm builds), the Winograd kernels, per-purpose plans, the
 *  divergence guard and data downloads (lite.js 118,388 -> 126,727 with the same kernels). */
const RECORDED_GZIP = { 'dist/index.js': 153_391, 'dist/lite.js': 126_727 };

/** The file and every chunk it imports statically (not the on-demand `import()` chunks, such as the
 *  Keras readers): what a user's `import` loads before the first line runs. */
function staticClosure(file: string, seen = new Set<string>()): Buffer[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const code = readFileSync(join(root, file));
  const imports = [...code.toString('utf8').matchAll(/(?:from|import)\s*["'](\.\.?\/[^"']+)["']/g)].map((m) => join(dirname(file), m[1]));
  return [code, ...imports.flatMap((f) => staticClosure(f, seen))];
}
/** dist/lite.js as a user imports it (built by `npm run build`, which type-checks before rollup
 *  writes dist/, so the import is typed by src/lite.ts instead of being resolved by tsc). */
const importLite = (): Promise<typeof import('../../src/lite.ts')> => import(/* @vite-ignore */ join(root, 'dist/lite.js'));
const gzipped = (file: string) => gzipSync(Buffer.concat(staticClosure(file)), { level: 9 }).length;

describe('package weight', () => {
  for (const [file, recorded] of Object.entries(RECORDED_GZIP)) {
    test(`${file} gzipped stays within 10 % of ${recorded} bytes`, () => {
      const size = gzipped(file);
      console.log(`${file} with its static chunks: ${Buffer.concat(staticClosure(file)).length} bytes, ${size} gzipped (recorded ${recorded})`);
      expect(size).toBeLessThanOrEqual(Math.round(recorded * 1.1));
    });
  }
});

describe('cnn1d/lite', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      const name = (req.url ?? '').slice(1);
      if (name !== 'model.json' && name !== 'weights.bin') return void res.writeHead(404).end();
      res.writeHead(200).end(readFileSync(join(MODEL, name)));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  test('offers inference only: no training or data-loading entry points', async () => {
    const lite = await importLite();
    expect(Object.keys(lite).sort()).toEqual(['ConfigError', 'ModelFormatError', 'Tensor', 'fromArtifacts', 'loadModelFromUrl', 'ready', 'tensor']);
  });

  test('predicts as the full build does, from bytes and from a URL', async () => {
    const lite = await importLite();
    await lite.ready();
    await full.ready();
    const modelJson = JSON.parse(readFileSync(join(MODEL, 'model.json'), 'utf8'));
    const weightData = new Uint8Array(readFileSync(join(MODEL, 'weights.bin')));
    const L = 8000;
    const x = Float32Array.from({ length: 2 * L }, (_, i) => Math.sin(i * 0.05) * Math.exp(-(((i % L) - 4000) ** 2) / 2e6));
    const reference = full.fromArtifacts({ modelJson, weightData });
    const want = reference.predict(new full.Tensor(x.slice(), [2, L, 1]));
    reference.dispose();
    for (const model of [lite.fromArtifacts({ modelJson, weightData }), await lite.loadModelFromUrl(`${base}model.json`)]) {
      const got = model.predict(new lite.Tensor(x.slice(), [2, L, 1]));
      expect(got.shape).toEqual(want.shape);
      expect(Array.from(got.data)).toEqual(Array.from(want.data));
      model.dispose();
    }
    await expect(lite.loadModelFromUrl(`${base}missing.json`)).rejects.toThrow(/missing\.json answered 404/);
  });
});
