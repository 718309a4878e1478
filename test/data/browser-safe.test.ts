// The data module is reachable from the package index, which rollup bundles for browsers: no
// module of src/data may import a Node built-in at run time (type-only imports are erased).
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { data, loadUCR, readWav } from '../../src/data/index.ts';
import { FIXTURE_ECG200 } from '../helpers/datasets.ts';

test('src/data has no runtime imports of Node built-ins', () => {
  const dir = fileURLToPath(new URL('../../src/data/', import.meta.url));
  for (const f of readdirSync(dir)) {
    const src = readFileSync(dir + f, 'utf8');
    for (const line of src.split('\n')) {
      if (/^\s*import\s/.test(line) && !/^\s*import\s+type\s/.test(line)) assert.doesNotMatch(line, /['"](node:|fs|path|os|url)['"]/, `${f}: ${line}`);
    }
    assert.doesNotMatch(src, /\brequire\(|await import\(/, f);
  }
});

test('without process.getBuiltinModule (a browser), path readers fail clearly and byte readers work', () => {
  const proc = process as { getBuiltinModule?: unknown };
  const saved = proc.getBuiltinModule;
  proc.getBuiltinModule = undefined;
  try {
    assert.throws(() => loadUCR(`${FIXTURE_ECG200}/ECG200_TRAIN.tsv`), /loadUCR: reading files by path needs Node >= 20.16 \(process.getBuiltinModule\)/);
    assert.throws(() => readWav('x.wav'), /readWav: reading files by path needs Node/);
    assert.equal(data.parseUCR('1\t2\t3\n').x.size, 2);
  } finally {
    proc.getBuiltinModule = saved;
  }
  assert.equal(loadUCR(`${FIXTURE_ECG200}/ECG200_TRAIN.tsv`).x.shape[0], 20);
});
