import { test } from 'vitest';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFSDD, loadWavFolder } from '../../src/data/index.ts';
import { FIXTURES, FIXTURE_RECORDINGS, withDataset } from '../helpers/datasets.ts';
import { buildWav } from './wav-bytes.ts';

withDataset('fsdd', (FSDD) => {
  test('loadFSDD: 450 train / 50 test (index 0-4) recordings a speaker, 10 balanced digit classes, [n, 8000, 1]', () => {
    const RECORDINGS = `${FSDD}/recordings`;
    const t0 = performance.now();
    const { train, test: testSet } = loadFSDD(FSDD);
    const n = train.files.length + testSet.files.length;
    console.log(`loadFSDD: ${n} files in ${(performance.now() - t0).toFixed(0)} ms`);
    // ../shared/data holds 5 speakers (2500 files), the download of the pinned commit 6 (3000)
    const speakers = new Set([...train.files, ...testSet.files].map((f) => f.split('_')[1])).size;
    assert.deepEqual(train.x.shape, [450 * speakers, 8000, 1]);
    assert.deepEqual(testSet.x.shape, [50 * speakers, 8000, 1]); // 10 digits x 5 recordings a speaker
    assert.deepEqual(train.classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    assert.deepEqual(testSet.classes, train.classes);
    for (let c = 0; c < 10; c++) {
      assert.equal(testSet.y.filter((v) => v === c).length, 5 * speakers);
      assert.equal(train.y.filter((v) => v === c).length, 45 * speakers);
    }
    assert.ok(testSet.files.every((f) => /_[0-4]\.wav$/.test(f)));
    assert.ok(train.files.every((f) => !/_[0-4]\.wav$/.test(f)));
    testSet.files.forEach((f, i) => assert.equal(testSet.classes[testSet.y[i]], f[0]));
    // The recordings/ folder itself works as well; length 100 crops every recording.
    const again = loadFSDD(RECORDINGS, { length: 100 });
    assert.deepEqual(again.test.x.shape, [50 * speakers, 100, 1]);
    assert.deepEqual(again.test.x.data.subarray(0, 100), testSet.x.data.subarray(0, 100));
    // loadFSDD() without a folder reads the same copy from the data directory
    assert.deepEqual(loadFSDD({ length: 100 }).test.files, again.test.files);
  });
});

test('loadFSDD on the 20 fixture clips: split by index, by folder and, with the fixtures as the data directory, by default', () => {
  const { train, test: testSet } = loadFSDD(FIXTURE_RECORDINGS, { length: 2000 });
  assert.deepEqual(testSet.x.shape, [10, 2000, 1]);
  assert.deepEqual(train.x.shape, [10, 2000, 1]);
  assert.deepEqual(testSet.files.map((f) => f[0]), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.deepEqual(Array.from(testSet.y), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const saved = process.env.CNN1D_DATA_DIR;
  process.env.CNN1D_DATA_DIR = FIXTURES;
  try {
    const byDefault = loadFSDD({ length: 2000 });
    assert.deepEqual(byDefault.train.files, train.files);
    assert.deepEqual(byDefault.test.x.data, testSet.x.data);
    process.env.CNN1D_DATA_DIR = '/nonexistent/cnn1d-data';
    assert.throws(() => loadFSDD(), /loadFSDD: fsdd is not in the data directory \/nonexistent\/cnn1d-data .*get it with `npx cnn1d data get fsdd`/);
  } finally {
    if (saved === undefined) delete process.env.CNN1D_DATA_DIR;
    else process.env.CNN1D_DATA_DIR = saved;
  }
});

test('loadWavFolder: sorted files, labels before the first "_", pad/crop, custom labels, errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cnn1d-wav-'));
  try {
    writeFileSync(join(dir, 'b_2.wav'), buildWav({ format: 1, bits: 16, channels: [[0.5, 0.25, 0.125]] }));
    writeFileSync(join(dir, 'a_10.wav'), buildWav({ format: 1, bits: 16, channels: [[-0.5]] }));
    writeFileSync(join(dir, 'a_9.wav'), buildWav({ format: 3, bits: 32, channels: [[0.75, 0.5]] }));
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    const d = loadWavFolder(dir, { length: 2 });
    assert.deepEqual(d.files, ['a_9.wav', 'a_10.wav', 'b_2.wav'], 'natural order');
    assert.deepEqual(d.classes, ['a', 'b']);
    assert.deepEqual([...d.y], [0, 0, 1]);
    assert.deepEqual(d.x.shape, [3, 2, 1]);
    assert.deepEqual([...d.x.data], [0.75, 0.5, -0.5, 0, 0.5, 0.25]);
    const e = loadWavFolder(dir, { length: 2, align: 'end', labelFrom: (f) => (f.includes('10') ? 'ten' : 'other') });
    assert.deepEqual(e.classes, ['other', 'ten']);
    assert.deepEqual([...e.y], [0, 1, 0]);
    assert.deepEqual([...e.x.data], [0.75, 0.5, 0, -0.5, 0.25, 0.125]);
    assert.throws(() => loadWavFolder(dir, { length: 2, sampleRate: 16000 }), /a_9.wav has sample rate 8000 Hz, expected 16000 Hz/);
    assert.throws(() => loadWavFolder(dir, { length: 0 }), /length must be a positive integer, got 0/);
    assert.throws(() => loadWavFolder(dir, { length: 2, lenght: 3 } as never), /unknown option "lenght"/);
    assert.throws(() => loadWavFolder(join(dir, 'missing'), { length: 2 }), /no such file or directory: .*missing/);
    writeFileSync(join(dir, 'c_1.wav'), 'garbage');
    assert.throws(() => loadWavFolder(dir, { length: 2 }), /c_1.wav: not a RIFF\/WAVE file/);
  } finally {
    rmSync(dir, { recursive: true });
  }
});
