// The README's usage example, run as written against the built package: a newcomer's script
// that trains, evaluates, saves, reloads and predicts.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withDataset } from '../helpers/datasets.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Runs a README code block as a module inside the package ('cnn1d' resolves by self-reference). */
function runBlock(code) {
  const dir = mkdtempSync(join(root, 'runs-readme-'));
  const file = join(dir, 'example.mjs');
  writeFileSync(file, code);
  const r = spawnSync(process.execPath, [file], { cwd: root, encoding: 'utf8' });
  spawnSync('rm', ['-rf', dir]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

const blocks = () => [...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

// the first example reads ECG200 from the data directory (CNN1D_DATA_DIR), as a user's would
withDataset('ucr:ECG200', () => {
  test('the README example runs as written', { timeout: 300_000 }, () => {
    const code = blocks()[0];
    assert.ok(code?.includes("from 'cnn1d'"), 'README has a ts example importing cnn1d');
    const out = runBlock(code);
    const acc = Number(/accuracy: ([\d.]+)/.exec(out.split('\n').find((l) => l.startsWith('{')) ?? '')?.[1]);
    assert.ok(acc >= 0.75, `README example test accuracy ${acc}\n${out.slice(-2000)}`);
    assert.match(out, /Total params: \d+/);
    assert.match(out, /\[\s*\[\s*[\d.e-]+,\s*[\d.e-]+\s*\]/, 'predictions printed');
  });
});

test('the README functional example (SE-ResNet block) trains, saves, reloads and runs on another length', { timeout: 300_000 }, () => {
  const code = blocks()[1];
  assert.ok(code?.includes('blocks.squeezeExcite') && code.includes('loadModel'), 'README has the functional example');
  const out = runBlock(code.replaceAll('runs/se-block', `runs-readme-se-${process.pid}`));
  spawnSync('rm', ['-rf', join(root, `runs-readme-se-${process.pid}`)]);
  assert.match(out, /multiply \(Multiply\)/);
  const acc = Number(/accuracy: ([\d.]+)/.exec(out.trim().split('\n').pop() ?? '')?.[1]);
  assert.ok(acc >= 0.9, `README functional example accuracy ${acc}\n${out.slice(-2000)}`);
});
