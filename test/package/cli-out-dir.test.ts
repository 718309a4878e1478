// The CLI's --out writer: a failed write removes its temporaries (the end-to-end cases are in
// cli-out.test.mjs; a rename that fails cannot be provoked through the CLI, which refuses such a
// folder up front).
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../src/cli/datasets.ts';
import { prepareOut, writeOut } from '../../src/cli/out-dir.ts';

test('writeOut renames every file into place, or removes its temporaries when one fails', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cnn1d-out-'));
  const out = prepareOut(join(dir, 'a'), false);
  writeOut(out, [{ name: 'weights.bin', data: new Uint8Array([1, 2]) }, { name: 'model.json', data: '{}' }]);
  assert.deepEqual(readdirSync(out.path).sort(), ['model.json', 'weights.bin']);
  const blocked = prepareOut(join(dir, 'b'), false);
  mkdirSync(join(blocked.path, 'model.json', 'inside'), { recursive: true }); // a rename onto it fails
  writeFileSync(join(blocked.path, 'cnn1d-meta.json'), 'old');
  assert.throws(
    () => writeOut(blocked, [{ name: 'cnn1d-meta.json', data: 'new' }, { name: 'model.json', data: '{}' }, { name: 'weights.bin', data: 'w' }]),
    (e: Error) => e instanceof UsageError && /cannot write .*model\.json \((EISDIR|ENOTEMPTY|EEXIST)\)/.test(e.message),
  );
  assert.deepEqual(readdirSync(blocked.path).filter((f) => f.includes('.tmp-')), []);
  assert.equal(readFileSync(join(blocked.path, 'cnn1d-meta.json'), 'utf8'), 'new', 'files renamed before the failure stay renamed');
});
