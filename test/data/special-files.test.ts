// Readers on special files, made for real in a temp dir: /dev/zero and a FIFO (directly and
// through *.wav / *.tsv symlinks), dangling and looping symlinks, links out of the folder, a
// folder named like a file, and a Latin-1 file name. Every case is a DataError naming the file,
// never a hang (each test has a timeout) or a raw ENOENT/ELOOP; the Latin-1 file is read.
import { afterAll, beforeAll, describe, test } from 'vitest';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError, fromUCRFile, fromWavFolder, loadUCR, loadUCRSplit, loadWavFolder, loadFSDD, readWav } from '../../src/data/index.ts';
import { buildWav } from './wav-bytes.ts';

const T = 5000; // ms; a reader that blocks on a device or a FIFO fails here instead of hanging
let root = '';
let fifo = '';

const wav = () => buildWav({ format: 1, bits: 16, channels: [[0.5, -0.25]] });

/** A folder holding one good recording and the entry `name` made by `make(path)`. */
function folderWith(name: string, make: (path: string) => void): string {
  const dir = mkdtempSync(join(root, 'f-'));
  writeFileSync(join(dir, '0_a_1.wav'), wav());
  make(join(dir, name));
  return dir;
}

function isDataError(pattern: RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof DataError, `expected a DataError, got ${(e as Error)?.name}: ${(e as Error)?.message}`);
    assert.match((e as Error).message, pattern);
    return true;
  };
}

async function rejectsData(run: () => Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(run, isDataError(pattern));
}

async function drain(ds: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const _ of ds) n++;
  return n;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cnn1d-special-'));
  fifo = join(root, 'pipe');
  execFileSync('mkfifo', [fifo]);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('single-file readers refuse devices, pipes and folders', () => {
  test('readWav, loadUCR, fromUCRFile on /dev/zero', { timeout: T }, async () => {
    assert.throws(() => readWav('/dev/zero'), isDataError(/readWav: \/dev\/zero is a device; expected a regular file/));
    assert.throws(() => loadUCR('/dev/zero'), isDataError(/loadUCR: \/dev\/zero is a device; expected a regular file/));
    await rejectsData(() => drain(fromUCRFile('/dev/zero', { classes: [1] })), /fromUCRFile: \/dev\/zero is a device/);
  });

  test('readWav, loadUCR, fromUCRFile on a FIFO with no writer', { timeout: T }, async () => {
    assert.throws(() => readWav(fifo), isDataError(/is a pipe \(FIFO\); expected a regular file/));
    assert.throws(() => loadUCR(fifo), isDataError(/is a pipe \(FIFO\); expected a regular file/));
    await rejectsData(() => drain(fromUCRFile(fifo, { classes: [1] })), /is a pipe \(FIFO\)/);
  });

  test('a directory, a dangling and a looping symlink', { timeout: T }, async () => {
    const dangling = join(root, 'dangling.tsv');
    const loop = join(root, 'loop.tsv');
    symlinkSync(join(root, 'nothing-here'), dangling);
    symlinkSync(loop, loop);
    assert.throws(() => loadUCR(root), isDataError(/is a directory; expected a regular file/));
    assert.throws(() => loadUCR(dangling), isDataError(/no such file or directory: .*dangling\.tsv/));
    assert.throws(() => readWav(loop), isDataError(/loop\.tsv: symbolic links loop/));
    await rejectsData(() => drain(fromUCRFile(loop, { classes: [1] })), /loop\.tsv: symbolic links loop/);
    const split = mkdtempSync(join(root, 'split-'));
    symlinkSync('/dev/zero', join(split, 'X_TRAIN.tsv'));
    assert.throws(() => loadUCRSplit(split, 'X'), isDataError(/X_TRAIN\.tsv is a device/));
  });
});

describe('folder readers walk the folder without following links out of it', () => {
  const cases: [string, (p: string) => void, RegExp][] = [
    ['a symlink to /dev/zero', (p) => symlinkSync('/dev/zero', p), /1_b_1\.wav is a symbolic link to \/dev\/zero, outside/],
    ['a symlink to a FIFO in the folder', (p) => (execFileSync('mkfifo', [`${p}.fifo`]), symlinkSync(`${p}.fifo`, p)), /1_b_1\.wav is a symbolic link to a pipe \(FIFO\); expected a regular file/],
    ['a FIFO', (p) => execFileSync('mkfifo', [p]), /1_b_1\.wav is a pipe \(FIFO\); expected a regular file/],
    ['a dangling symlink', (p) => symlinkSync(`${p}.gone`, p), /no such file or directory: .*1_b_1\.wav/],
    ['a looping symlink', (p) => symlinkSync(p, p), /1_b_1\.wav: symbolic links loop/],
    ['a folder', (p) => mkdirSync(p), /1_b_1\.wav is a directory; expected a regular file/],
    ['a symlink to a WAV outside the folder', (p) => (writeFileSync(join(root, 'outside.wav'), wav()), symlinkSync(join(root, 'outside.wav'), p)), /is a symbolic link to .*outside\.wav, outside .*; links out of the folder are not followed/],
  ];
  for (const [what, make, pattern] of cases) {
    test(`loadWavFolder, loadFSDD, fromWavFolder refuse ${what}`, { timeout: T }, async () => {
      const dir = folderWith('1_b_1.wav', make);
      assert.throws(() => loadWavFolder(dir, { length: 4 }), isDataError(pattern));
      assert.throws(() => loadFSDD(dir, { length: 4 }), isDataError(pattern));
      assert.throws(() => fromWavFolder(dir, { length: 4 }), isDataError(pattern));
    });
  }

  test('a symlink to a regular file inside the folder is read', { timeout: T }, async () => {
    const dir = folderWith('1_b_1.wav', (p) => symlinkSync(join(p, '..', '0_a_1.wav'), p));
    const d = loadWavFolder(dir, { length: 2 });
    assert.deepEqual(d.files, ['0_a_1.wav', '1_b_1.wav']);
    assert.deepEqual([...d.x.data], [0.5, -0.25, 0.5, -0.25]);
  });

  test('a file swapped for a FIFO after the listing is refused when read, not waited on', { timeout: T }, async () => {
    const dir = folderWith('1_b_1.wav', (p) => writeFileSync(p, wav()));
    const ds = fromWavFolder(dir, { length: 2, batchSize: 2 });
    rmSync(join(dir, '1_b_1.wav'));
    execFileSync('mkfifo', [join(dir, '1_b_1.wav')]);
    await rejectsData(() => drain(ds), /fromWavFolder: .*1_b_1\.wav is a pipe \(FIFO\); expected a regular file/);
  });

  test('a Latin-1 file name is read by its own bytes; the name shows U+FFFD', { timeout: T }, async () => {
    const dir = mkdtempSync(join(root, 'latin1-'));
    writeFileSync(join(dir, '0_a_1.wav'), wav());
    // "1_caf\xe9_2.wav": \xe9 is é in Latin-1 and not UTF-8
    const name = Buffer.concat([Buffer.from(`${dir}/1_caf`), Buffer.from([0xe9]), Buffer.from('_2.wav')]);
    writeFileSync(name, buildWav({ format: 1, bits: 16, channels: [[0.75]] }));
    const d = loadWavFolder(dir, { length: 1 });
    assert.deepEqual(d.files, ['0_a_1.wav', '1_caf\ufffd_2.wav']);
    assert.deepEqual(d.classes, ['0', '1']);
    assert.deepEqual([...d.x.data], [0.5, 0.75]);
    const ds = fromWavFolder(dir, { length: 1, batchSize: 2 });
    for await (const b of ds) assert.deepEqual([...b.xs.data, ...b.ys], [0.5, 0.75, 0, 1]);
  });
});

describe('sizes are checked before reading', () => {
  test('a sparse 3 GiB WAV and a 600 MiB UCR file are refused unread', { timeout: T }, async () => {
    const big = join(root, 'big.wav');
    const text = join(root, 'big.tsv');
    execFileSync('truncate', ['-s', '3G', big]);
    execFileSync('truncate', ['-s', '600M', text]);
    assert.throws(() => readWav(big), isDataError(/readWav: .*big\.wav has 3221225472 bytes, more than the 2147483647 read whole into memory; stream it with fromUCRFile \/ fromWavFolder/));
    assert.throws(() => loadUCR(text), isDataError(/loadUCR: .*big\.tsv has 629145600 bytes, more than the 536870888 read whole/));
  });
});
