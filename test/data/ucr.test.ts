import { test } from 'vitest';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadUCR, loadUCRSplit, parseUCR } from '../../src/data/index.ts';
import { FIXTURE_ECG200, FIXTURES, withDataset } from '../helpers/datasets.ts';

const counts = (y: Int32Array, k: number) => Array.from({ length: k }, (_, c) => y.filter((v) => v === c).length);

withDataset('ucr:ECG200', (ECG200) => {
  test('ECG200 loads as [100, 96, 1] with classes [-1, 1] and the file\'s class counts', () => {
    const train = loadUCR(`${ECG200}/ECG200_TRAIN.tsv`);
    assert.deepEqual(train.x.shape, [100, 96, 1]);
    assert.deepEqual(train.classes, [-1, 1]);
    assert.deepEqual(counts(train.y, 2), [31, 69]); // counted with `cut -f1 | sort | uniq -c`
    assert.equal(train.y[0], 0, 'first row is labelled -1');
    assert.ok(Math.abs(train.x.data[0] - 0.50205548) < 1e-6, 'first sample of the first row');
    const split = loadUCRSplit(ECG200, 'ECG200');
    assert.deepEqual(split.classes, [-1, 1]);
    assert.deepEqual(split.test.x.shape, [100, 96, 1]);
    assert.deepEqual(counts(split.test.y, 2), [36, 64]);
    assert.deepEqual(split.train.x.data, train.x.data);
  });
  test('loadUCR(\'ECG200\') finds it in the data directory: both splits', () => {
    const byName = loadUCR('ECG200');
    assert.deepEqual(byName.classes, [-1, 1]);
    assert.deepEqual(byName.train.x.data, loadUCR(`${ECG200}/ECG200_TRAIN.tsv`).x.data);
    assert.deepEqual(byName.test.x.shape, [100, 96, 1]);
  });
});

test('the ECG200 fixture (20 + 20 rows) loads by path and, with the fixtures as the data directory, by name', () => {
  const train = loadUCR(`${FIXTURE_ECG200}/ECG200_TRAIN.tsv`);
  assert.deepEqual(train.x.shape, [20, 96, 1]);
  assert.deepEqual(train.classes, [-1, 1]);
  assert.deepEqual(counts(train.y, 2), [8, 12]); // counted with `cut -f1 | sort | uniq -c`
  assert.ok(Math.abs(train.x.data[0] - 0.50205548) < 1e-6, 'first sample of the first row, as in the full file');
  const saved = process.env.CNN1D_DATA_DIR;
  process.env.CNN1D_DATA_DIR = FIXTURES;
  try {
    const byName = loadUCR('ECG200');
    assert.deepEqual(byName.train.x.data, train.x.data);
    assert.deepEqual(byName.test.x.shape, [20, 96, 1]);
    assert.deepEqual(counts(byName.test.y, 2), [7, 13]);
    process.env.CNN1D_DATA_DIR = '/nonexistent/cnn1d-data';
    assert.throws(() => loadUCR('GunPoint'), /loadUCR: ucr:GunPoint is not in the data directory \/nonexistent\/cnn1d-data \(set by CNN1D_DATA_DIR, default ~\/.cache\/cnn1d\); get it with `npx cnn1d data get ucr:GunPoint`/);
  } finally {
    if (saved === undefined) delete process.env.CNN1D_DATA_DIR;
    else process.env.CNN1D_DATA_DIR = saved;
  }
});

test('labels map to 0..k-1 in ascending order of value; tab, comma and space separators', () => {
  for (const sep of ['\t', ',', ' ', '  ']) {
    const d = parseUCR(['3', '1', '2', '-4'].map((l, i) => [l, i, i + 0.5].join(sep)).join('\n') + '\n');
    assert.deepEqual(d.classes, [-4, 1, 2, 3]);
    assert.deepEqual([...d.y], [3, 1, 2, 0]);
    assert.deepEqual(d.x.shape, [4, 2, 1]);
    assert.deepEqual([...d.x.data], [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5]);
  }
  assert.deepEqual(parseUCR('1.0\t1e-3\t-2\r\n2\t4\t5\r\n').classes, [1, 2], 'CRLF and float labels');
});

test('malformed rows give errors naming the line (and column)', () => {
  assert.throws(() => parseUCR('1\t1\t2\t3\n\n2\t1\t2\n'), /line 3: has 2 samples but line 1 \(the first series\) has 3/);
  assert.throws(() => parseUCR('1\t1\t2\n2\t1\tabc\n'), /line 2, column 3: not a number: "abc"/);
  assert.throws(() => parseUCR('1\t1\t2\t3\n2\t1\t\t3\n'), /line 2, column 3: not a number: ""/);
  assert.throws(() => parseUCR('x\t1\t2\n'), /line 1, column 1: the class label must be a finite number, got "x"/);
  assert.throws(() => parseUCR('1\t1\t2\n2\t1\tNaN\n'), /line 2, column 3: missing value \(NaN\).*\{missing: 'interpolate'\}/);
  assert.throws(() => parseUCR(''), /empty file/);
  assert.throws(() => parseUCR('\n  \n'), /empty file/);
  assert.throws(() => parseUCR('1\t2\n', { missing: 'drop' as never }), /missing must be one of "error", "interpolate", got "drop"/);
});

test('samples beyond the float32 range are refused, not stored as Infinity (found by the fuzz suite)', () => {
  assert.throws(() => parseUCR('1\t0.5\t1e39\n'), /line 1, column 3: 1e39 is beyond the float32 range/);
  assert.throws(() => parseUCR('1,-3.5e38,0\n'), /line 1, column 2: -3.5e38 is beyond the float32 range/);
  assert.equal(parseUCR('1\t3.4e38\n').x.data[0], Math.fround(3.4e38));
  // float32 max as numpy prints it (np.finfo(np.float32).max -> 3.4028235e+38) is float32 max
  const max = parseUCR('1\t3.4028235e38\t-3.4028235e+38\n').x.data;
  assert.deepEqual([...max], [3.4028234663852886e38, -3.4028234663852886e38]);
  // the first double that rounds to Infinity in float32: max + half an ulp
  assert.throws(() => parseUCR('1\t3.4028235677973366e38\n'), /is beyond the float32 range/);
});

test("missing: 'interpolate' fills NaN runs linearly and holds the ends", () => {
  const d = parseUCR('1\tNaN\t1\tNaN\tNaN\t4\tNaN\n', { missing: 'interpolate' });
  assert.deepEqual([...d.x.data], [1, 1, 2, 3, 4, 4]);
  assert.throws(() => parseUCR('1\tNaN\tNaN\n', { missing: 'interpolate' }), /line 1: every sample is NaN/);
});

test('missing files name the path; split files share one class mapping', () => {
  assert.throws(() => loadUCR(`${FIXTURE_ECG200}/NOPE_TRAIN.tsv`), (e: Error) => e.message.includes(`no such file or directory: ${FIXTURE_ECG200}/NOPE_TRAIN.tsv`));
  const dir = mkdtempSync(join(tmpdir(), 'cnn1d-ucr-'));
  try {
    writeFileSync(join(dir, 'Toy_TRAIN.tsv'), '2\t0\t0\n1\t0\t0\n');
    writeFileSync(join(dir, 'Toy_TEST.tsv'), '3\t0\t0\n2\t0\t0\n');
    const s = loadUCRSplit(dir, 'Toy');
    assert.deepEqual(s.classes, [1, 2, 3]);
    assert.deepEqual([...s.train.y], [1, 0]);
    assert.deepEqual([...s.test.y], [2, 1], 'label 2 is class 1 in both files');
    assert.deepEqual(s.test.classes, s.train.classes);
    writeFileSync(join(dir, 'Bad_TRAIN.tsv'), '1\t0\t0\n');
    writeFileSync(join(dir, 'Bad_TEST.tsv'), '1\t0\n');
    assert.throws(() => loadUCRSplit(dir, 'Bad'), /series of length 2 but .*Bad_TEST.tsv has 1/);
  } finally {
    rmSync(dir, { recursive: true });
  }
});
