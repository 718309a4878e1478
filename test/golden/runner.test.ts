// The golden runner itself: a case it does not understand, or a malformed file, fails the run
// (it is never skipped), and a correct case in a new directory passes.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const runner = join(here, 'golden.test.ts');

function run(files: Record<string, string>): { code: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cnn1d-golden-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  // a nested vitest run of the golden file alone, without coverage, reading the new directory
  const root = resolve(here, '../..');
  const vitest = join(root, 'node_modules/vitest/vitest.mjs');
  const r = spawnSync(process.execPath, [vitest, 'run', runner, '--coverage.enabled=false', '--reporter=verbose', '--silent=false'], { env: { ...process.env, CNN1D_GOLDEN_DIR: dir }, encoding: 'utf8', cwd: root });
  return { code: r.status, out: r.stdout + r.stderr };
}

test('an unknown op fails the run and is named', () => {
  const r = run({ 'x.json': JSON.stringify({ cases: [{ name: 'mystery', op: 'conv2d', config: {} }] }) });
  assert.notEqual(r.code, 0);
  assert.match(r.out, /op "conv2d", which the runner does not know/);
});

test('malformed files and cases fail the run with the file and field named', () => {
  assert.match(run({ 'a.json': '{"cases": [' }).out, /a.json: not valid JSON/);
  assert.match(run({ 'b.json': '{"tests": []}' }).out, /b.json: expected \{"cases": \[...\]\}/);
  const badShape = { cases: [{ name: 'short', op: 'dense', config: { units: 2 }, input: { shape: [1, 3], data: [1, 2] }, params: {}, output: { shape: [1, 2], data: [0, 0] } }] };
  const r = run({ 'c.json': JSON.stringify(badShape) });
  assert.notEqual(r.code, 0);
  assert.match(r.out, /input has 2 values for shape \[1,3\]/);
});

test('a case with a wrong expected value fails; the same case with the right value passes', () => {
  const shared = JSON.parse(readFileSync(resolve(here, 'extra/dense.json'), 'utf8'));
  const good = { cases: [shared.cases[0]] };
  const ok = run({ 'dense.json': JSON.stringify(good) });
  assert.equal(ok.code, 0, ok.out);
  assert.match(ok.out, /golden dense.json: ran 1 of 1 cases \(dense 1\)/);
  const bad = structuredClone(good);
  bad.cases[0].output.data[0] += 0.01;
  const r = run({ 'dense.json': JSON.stringify(bad) });
  assert.notEqual(r.code, 0);
  assert.match(r.out, /output: element 0 is/);
});
