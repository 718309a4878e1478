// The README's usage example, run as written against the built package: a newcomer's script
// that trains, evaluates, saves, reloads and predicts.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('the README example runs as written', { timeout: 300_000 }, () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(code?.includes("from 'cnn1d'"), 'README has a ts example importing cnn1d');
  // a module inside the package so that 'cnn1d' resolves to this package (self-reference)
  const dir = mkdtempSync(join(root, 'runs-readme-'));
  const file = join(dir, 'example.mjs');
  writeFileSync(file, code);
  const r = spawnSync(process.execPath, [file], { cwd: root, encoding: 'utf8' });
  spawnSync('rm', ['-rf', dir]);
  assert.equal(r.status, 0, r.stderr);
  const acc = Number(/accuracy: ([\d.]+)/.exec(r.stdout.split('\n').find((l) => l.startsWith('{')) ?? '')?.[1]);
  assert.ok(acc >= 0.75, `README example test accuracy ${acc}\n${r.stdout.slice(-2000)}`);
  assert.match(r.stdout, /Total params: \d+/);
  assert.match(r.stdout, /\[\s*\[\s*[\d.e-]+,\s*[\d.e-]+\s*\]/, 'predictions printed');
});
