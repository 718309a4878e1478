// The installed CLI (dist/cli.js) never writes over a user's files: --out is checked before any
// data is read, and every user error is one `cnn1d: ...` line on stderr with exit code 1.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const run = (...args) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
const tmp = () => mkdtempSync(join(tmpdir(), 'cnn1d-cli-out-'));
const quick = ['train', '--data', 'builtin:sines', '--n', '20', '--length', '32', '--model', 'keras-seed', '--epochs', '1', '--verbose', '0'];

/** Exit code 1, exactly one stderr line `cnn1d: ...` matching `pattern`, no stack trace, and
 *  nothing on stdout (refused before any data was read). */
function refused(r, pattern) {
  assert.equal(r.status, 1, `exit code\n${r.stderr}`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line expected:\n${r.stderr}`);
  assert.match(lines[0], /^cnn1d: /);
  assert.match(lines[0], pattern);
  assert.equal(r.stdout, '', 'refused before loading data or training');
}

test('a folder holding only a user weights.bin or cnn1d-meta.json is refused, the file untouched', () => {
  for (const name of ['weights.bin', 'cnn1d-meta.json']) {
    const out = tmp();
    writeFileSync(join(out, name), 'user data');
    refused(run(...quick, '--out', out), new RegExp(`--out .* already holds ${name.replace('.', '\\.')}; pass --overwrite to replace it`));
    assert.equal(readFileSync(join(out, name), 'utf8'), 'user data');
    assert.deepEqual(readdirSync(out), [name]);
  }
});

test('a non-empty folder that is not a cnn1d model is refused unless --overwrite, which keeps the other files', () => {
  const out = tmp();
  writeFileSync(join(out, 'notes.txt'), 'keep me');
  refused(run(...quick, '--out', out), /is not empty and is not a cnn1d model folder \(it holds notes\.txt\); give a new or empty directory, or pass --overwrite/);
  const ok = run(...quick, '--out', out, '--overwrite');
  assert.equal(ok.status, 0, ok.stderr);
  assert.deepEqual(readdirSync(out).sort(), ['cnn1d-meta.json', 'model.json', 'notes.txt', 'run.json', 'weights.bin']);
  assert.equal(readFileSync(join(out, 'notes.txt'), 'utf8'), 'keep me');
});

test('--out that is a file, below a file, a model file that is a directory, or unwritable is refused before training', () => {
  const dir = tmp();
  const file = join(dir, 'file.txt');
  writeFileSync(file, 'x');
  refused(run(...quick, '--out', file), /--out .*file\.txt is a file, not a directory/);
  refused(run(...quick, '--out', join(file, 'sub')), /--out .*file\.txt\/sub: cannot create the directory \(ENOTDIR\)/);
  assert.equal(readFileSync(file, 'utf8'), 'x');
  const blocked = join(dir, 'blocked');
  mkdirSync(join(blocked, 'model.json'), { recursive: true });
  refused(run(...quick, '--out', blocked, '--overwrite'), /model\.json exists and is not a regular file/);
  if (process.getuid?.() !== 0) {
    // root writes through permissions, so this case only runs as another user
    const ro = join(dir, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o500);
    refused(run(...quick, '--out', ro), /--out .*ro is not writable \(EACCES\)/);
    chmodSync(ro, 0o700);
  }
  assert.deepEqual(readdirSync(dir).sort(), ['blocked', 'file.txt', ...(process.getuid?.() !== 0 ? ['ro'] : [])]);
});

test('a run that fails after creating --out removes it and leaves no temporaries', () => {
  const dir = tmp();
  const out = join(dir, 'new', 'model');
  const r = run('train', '--data', join(dir, 'missing_TRAIN.tsv'), '--out', out);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^cnn1d: .*missing_TRAIN\.tsv/);
  assert.ok(!r.stderr.includes('    at '), r.stderr);
  assert.deepEqual(readdirSync(dir), [], 'the directories made for --out are removed again');
  const ok = run(...quick, '--out', out);
  assert.equal(ok.status, 0, ok.stderr);
  assert.deepEqual(readdirSync(out).sort(), ['cnn1d-meta.json', 'model.json', 'run.json', 'weights.bin']);
});

test('numeric options are parsed strictly and refused before any data is read', () => {
  const cases = [
    ['--epochs', 'abc', /--epochs must be an integer from 1 to 1000000, got "abc"/],
    ['--epochs', '0', /--epochs must be an integer from 1 to 1000000, got "0"/],
    ['--batch-size', '2.5', /--batch-size must be an integer from 1 to 1000000, got "2.5"/],
    ['--lr=-1', null, /--lr must be a positive number such as 0\.001 or 1e-3, got "-1"/],
    ['--lr', 'fast', /--lr must be a positive number/],
    ['--seed', '1e3', /--seed must be an integer from 0 to 2147483647, got "1e3"/],
    ['--n', '', /--n must be an integer from 1 to 10000000, got ""/],
    ['--length=-5', null, /--length must be an integer from 1 to 10000000, got "-5"/],
    ['--verbose', '3', /--verbose must be an integer from 0 to 2, got "3"/],
  ];
  for (const [flag, value, pattern] of cases) refused(run('train', '--data', 'builtin:sines', flag, ...(value === null ? [] : [value])), pattern);
  refused(run('predict', '--model-dir', 'x', '--data', 'y', '--limit', 'all'), /--limit must be an integer >= 0, got "all"/);
  const wrong = run('evaluate', '--model-dir', 'x', '--data', 'y', '--epochs', '3');
  assert.equal(wrong.status, 1);
  assert.match(wrong.stderr, /^cnn1d: evaluate does not take --epochs \(it takes --model-dir, --data\)\nusage: cnn1d evaluate/);
  const unknown = run('tran');
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /^cnn1d: unknown command "tran" \(did you mean "train"\?\); the commands are train, evaluate, predict, data, inspect, convert\nusage:/);
});

test('evaluate and predict on a corrupt model folder or meta file: one line, exit 1', () => {
  const dir = tmp();
  const out = join(dir, 'm');
  const data = join(dir, 'x_TRAIN.tsv');
  const row = (i) => [1 + (i % 2), ...Array.from({ length: 32 }, (_, t) => Math.sin((1 + (i % 2)) * t + i).toFixed(3))].join('\t');
  writeFileSync(data, Array.from({ length: 10 }, (_, i) => row(i)).join('\n') + '\n');
  const t = run('train', '--data', data, '--model', 'keras-seed', '--epochs', '1', '--verbose', '0', '--out', out);
  assert.equal(t.status, 0, t.stderr);
  const evaluate = () => run('evaluate', '--model-dir', out, '--data', data);
  assert.equal(evaluate().status, 0, evaluate().stderr);
  const weights = readFileSync(join(out, 'weights.bin'));
  writeFileSync(join(out, 'weights.bin'), weights.subarray(0, weights.length - 4));
  refused(evaluate(), /^cnn1d: loadModel .*model\.json: weightsManifest\[0\] describes \d+ bytes of float32 weights, the weight data has \d+ bytes in weights\.bin/);
  writeFileSync(join(out, 'weights.bin'), weights);
  const meta = JSON.parse(readFileSync(join(out, 'cnn1d-meta.json'), 'utf8'));
  writeFileSync(join(out, 'cnn1d-meta.json'), JSON.stringify({ ...meta, classes: ['a'] }));
  refused(evaluate(), /the model outputs \[\d+\], cnn1d-meta\.json lists 1 classes/);
  writeFileSync(join(out, 'cnn1d-meta.json'), JSON.stringify({ ...meta, length: 'long' }));
  refused(evaluate(), /cnn1d-meta\.json: "length" must be a positive integer, got "long"/);
  writeFileSync(join(out, 'cnn1d-meta.json'), 'null');
  refused(evaluate(), /cnn1d-meta\.json: "\(the file\)" must be an object/);
  assert.ok(existsSync(join(out, 'model.json')));
});
