// The CommonJS entry as a user gets it: a .cjs file inside the package requires 'cnn1d' by name
// (Node self-reference through the "require" condition of "exports"), in a subprocess, and runs the
// app of app-scenario.mjs; its run must equal the ESM build's in this process bit for bit. Both
// conditions' declarations are checked by tsc under node16 resolution (.cts and .mts files).
// The ESM and CJS builds are two module instances: each has its own wasm runtime and classes, and
// a value of one copy is refused by the other (the dual-package hazard the README documents).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as cnn1d from 'cnn1d';
import { APP_IMPORTS, appScenario } from './app-scenario.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
let dir; // inside the package, so that 'cnn1d' resolves to it by self-reference

beforeAll(() => {
  dir = mkdtempSync(join(root, 'runs-pkg-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs a .cjs source in a fresh Node; returns the JSON it prints. */
function runCjs(name, source) {
  const file = join(dir, name);
  writeFileSync(file, source);
  const r = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

test("require('cnn1d') loads dist/index.cjs and trains, predicts and reloads as the ESM build does", async () => {
  const result = runCjs('app.cjs', `const { ${APP_IMPORTS.join(', ')} } = require('cnn1d');
(${appScenario})({ ${APP_IMPORTS.join(', ')} }).then((r) => {
  process.stdout.write(JSON.stringify({ ...r, resolved: require.resolve('cnn1d') }));
});
`);
  // on Node >= 20.19 require() also loads ESM, so check that the CJS build is what was loaded
  expect(result.resolved).toBe(join(root, 'dist', 'index.cjs'));
  expect(result.accuracy).toBeGreaterThanOrEqual(0.9);
  expect(result.reloadedProbs).toEqual(result.probs);
  const esm = await appScenario(cnn1d);
  expect(result.loss).toEqual(esm.loss);
  expect(result.probs).toEqual(esm.probs);
});

test('the CJS and ESM copies in one process each have their own runtime and refuse values of the other', () => {
  const r = runCjs('both.cjs', `const cjs = require('cnn1d');
import('cnn1d').then(async (esm) => {
  const out = { sameRuntime: (await cjs.ready()) === (await esm.ready()) };
  const model = cjs.sequential({ seed: 1, layers: [cjs.layers.dense({ units: 2, inputShape: [3] })] });
  out.ownTensor = model.predict(cjs.tensor(new Float32Array(6), [2, 3])).shape;
  try { model.predict(esm.tensor(new Float32Array(6), [2, 3])); } catch (e) { out.otherTensor = e.message; }
  try { cjs.layers.dense({ units: -1 }); } catch (e) { out.errorClass = [e instanceof cjs.ConfigError, e instanceof esm.ConfigError]; }
  model.dispose();
  process.stdout.write(JSON.stringify(out));
});
`);
  expect(r.sameRuntime).toBe(false);
  expect(r.ownTensor).toEqual([2, 2]);
  expect(r.otherTensor).toMatch(/^predict x: expected a Tensor/);
  expect(r.errorClass).toEqual([true, false]);
});

test('the types resolve for both conditions under node16 module resolution', () => {
  const use = (ns) => `const model: ${ns}Sequential = ${ns}sequential({ layers: [${ns}layers.dense({ units: 2, inputShape: [3] })] });
export const params: number = model.countParams();
// @ts-expect-error a misspelt export: the declarations are really read, not typed as any
${ns}sequentail;
`;
  writeFileSync(join(dir, 'app.cts'), `import cnn1d = require('cnn1d');\n${use('cnn1d.')}`);
  writeFileSync(join(dir, 'app.mts'), `import * as cnn1d from 'cnn1d';\n${use('cnn1d.')}`);
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022', '--types', 'node', '--skipLibCheck', join(dir, 'app.cts'), join(dir, 'app.mts')], {
    cwd: dir,
    encoding: 'utf8',
  });
  expect(r.stdout + r.stderr).toBe('');
  expect(r.status).toBe(0);
});
