// The cnn1d command line as installed (dist/cli.js): train on built-in data, save, evaluate and
// predict from the saved directory, and clear errors for bad arguments.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const run = (...args) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

/** A UCR-format file of noisy sines: label 1 = 2 cycles, label 2 = 5 cycles. */
function ucr(path, n, phase) {
  const rows = [];
  for (let i = 0; i < n; i++) {
    const label = 1 + (i % 2);
    const cycles = label === 1 ? 2 : 5;
    const values = Array.from({ length: 64 }, (_, t) => Math.sin((2 * Math.PI * cycles * t) / 64 + i * phase) + 0.2 * Math.sin(7.3 * t * i));
    rows.push([label, ...values.map((v) => v.toFixed(5))].join('\t'));
  }
  writeFileSync(path, rows.join('\n') + '\n');
}

test('train on built-in data with a progress line per epoch and a final test accuracy', () => {
  const t = run('train', '--data', 'builtin:sines', '--n', '120', '--length', '64', '--model', 'keras-seed', '--epochs', '8', '--verbose', '2', '--validation-split', '0.2');
  assert.equal(t.status, 0, t.stderr);
  assert.match(t.stdout, /Epoch 8\/8 - [\d.]+s - \d+ samples\/s - loss: [\d.]+ - accuracy: [\d.]+ - val_loss/);
  const acc = Number(/test accuracy ([\d.]+)/.exec(t.stdout)?.[1]);
  assert.ok(acc >= 0.9, `test accuracy ${acc}\n${t.stdout}`);
});

test('train on a UCR file (its _TEST sibling is the test set), save, then evaluate and predict', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cnn1d-cli-'));
  ucr(join(dir, 'Sines_TRAIN.tsv'), 100, 0.37);
  ucr(join(dir, 'Sines_TEST.tsv'), 40, 0.71);
  const out = join(dir, 'model');
  const t = run('train', '--data', join(dir, 'Sines_TRAIN.tsv'), '--model', 'keras-seed', '--epochs', '10', '--verbose', '0', '--out', out);
  assert.equal(t.status, 0, t.stderr);
  assert.match(t.stdout, /100 training and 40 test series of length 64, 2 classes \(1, 2\)/);
  for (const f of ['model.json', 'weights.bin', 'cnn1d-meta.json']) assert.ok(existsSync(join(out, f)), f);
  const testAcc = Number(/test accuracy ([\d.]+)/.exec(t.stdout)?.[1]);
  const e = run('evaluate', '--model-dir', out, '--data', join(dir, 'Sines_TEST.tsv'));
  assert.equal(e.status, 0, e.stderr);
  assert.equal(Number(/accuracy ([\d.]+) on 40 series/.exec(e.stdout)?.[1]), testAcc, 'the saved model evaluates as the trained one did');
  const p = run('predict', '--model-dir', out, '--data', join(dir, 'Sines_TEST.tsv'), '--limit', '3');
  assert.equal(p.status, 0, p.stderr);
  assert.match(p.stdout, /^0\tpredicted [12] \(p=[\d.]+\)\tlabel 1/m);
  assert.match(p.stdout, new RegExp(`40 predictions, ${Math.round(testAcc * 40)} match the file's labels`));
  const again = run('train', '--data', join(dir, 'Sines_TRAIN.tsv'), '--model', 'keras-seed', '--epochs', '1', '--verbose', '0', '--out', out);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /already holds a model; pass --overwrite to replace it/);
});

test('bad arguments give a clear message and the usage', () => {
  const a = run('train', '--data', 'builtin:cbff', '--model', 'fcn');
  assert.equal(a.status, 1);
  assert.match(a.stderr, /cbff/);
  const b = run('train', '--data', 'builtin:cbf', '--model', 'resnett');
  assert.match(b.stderr, /--model: unknown model "resnett" \(did you mean "resnet"\?\); give one of fcn, kerasSeed, sampleCnn, resnet, inceptionTime, tutorial18 \(models\.\*\), or the path of a saved model/);
  const c = run('train', '--dta', 'x');
  assert.equal(c.status, 1);
  assert.match(c.stderr, /^cnn1d: train does not take --dta \(did you mean --data\?\) \(it takes --config, --data, /);
  assert.match(c.stderr, /usage: cnn1d train/);
  const d = run('evaluate', '--model-dir', '/nonexistent', '--data', 'x.tsv');
  assert.match(d.stderr, /cnn1d-meta.json not found/);
});
