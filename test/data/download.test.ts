// data.download against a local HTTP server (node:http on 127.0.0.1) serving zips built from the
// fixtures: checksums, a connection dropped mid-file and resumed with Range (within a call and by
// the next call), a server that ignores Range, redirects, a wrong checksum refused and deleted,
// a page that is not a zip, HTTP errors and no server at all. No request leaves this machine.
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { data } from '../../src/index.ts';
import { tsToTsv } from '../../src/data/download.ts';
import { unzipEntry, zipEntries } from '../../src/data/zip.ts';
import { FIXTURE_ECG200, FIXTURE_RECORDINGS } from '../helpers/datasets.ts';
import { buildZip } from '../helpers/zip-writer.ts';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const wavNames = readdirSync(FIXTURE_RECORDINGS).sort();
const fsddZip = buildZip([
  { name: 'free-spoken-digit-dataset-abc/README.md', data: '# FSDD\n' },
  ...wavNames.map((n, i) => ({ name: `free-spoken-digit-dataset-abc/recordings/${n}`, data: readFileSync(join(FIXTURE_RECORDINGS, n)), method: (i % 2 ? 0 : 8) as 0 | 8 })),
]);
// the contents' checksum as download.json records it: sorted "<file> <sha256>\n" lines
const fsddContent = sha(wavNames.map((n) => `${n} ${sha(readFileSync(join(FIXTURE_RECORDINGS, n)))}\n`).join(''));

/** The ECG200 fixture in the .ts format of timeseriesclassification.com's zips. */
function tsFile(split: string): string {
  const rows = readFileSync(join(FIXTURE_ECG200, `ECG200_${split}.tsv`), 'utf8').trim().split('\n').map((l) => l.split('\t'));
  return `#ECG200\n@problemName ECG200\n@timeStamps false\n@univariate true\n@classLabel true -1 1\n@data\n${rows.map((r) => `${r.slice(1).join(',')}:${r[0]}`).join('\n')}\n`;
}
const ucrTsZip = buildZip([{ name: 'ECG200_TRAIN.ts', data: tsFile('TRAIN') }, { name: 'ECG200_TEST.ts', data: tsFile('TEST') }, { name: 'ECG200_TRAIN.arff', data: '@relation x\n' }]);
const ucrTxtZip = buildZip(['TRAIN', 'TEST'].map((s) => ({ name: `ECG200/ECG200_${s}.txt`, data: readFileSync(join(FIXTURE_ECG200, `ECG200_${s}.tsv`), 'utf8').replaceAll('\t', '  ') })));

interface Hit {
  path: string;
  range: string | undefined;
}
const hits: Hit[] = [];
let base = '';
let server: Server;
let dropNext = 0; // how many more /flaky.zip responses to cut short

/** The file, honouring "Range: bytes=N-" with 206 unless `ignoreRange`; `cut` sends only that many bytes, then drops the connection. */
function sendFile(req: IncomingMessage, res: ServerResponse, bytes: Uint8Array, opts: { ignoreRange?: boolean; cut?: number } = {}): void {
  const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const start = m && !opts.ignoreRange ? Number(m[1]) : 0;
  if (start > bytes.length) {
    res.writeHead(416, { 'Content-Range': `bytes */${bytes.length}` }).end();
    return;
  }
  const body = bytes.subarray(start);
  res.writeHead(start ? 206 : 200, { 'Content-Type': 'application/zip', 'Content-Length': body.length, ...(start ? { 'Content-Range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` } : {}) });
  if (opts.cut === undefined) {
    res.end(body);
    return;
  }
  res.write(body.subarray(0, opts.cut), () => setTimeout(() => res.destroy(), 20));
}

const ROUTES: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/fsdd.zip': (req, res) => sendFile(req, res, fsddZip),
  '/flaky.zip': (req, res) => sendFile(req, res, fsddZip, dropNext-- > 0 ? { cut: Math.floor(fsddZip.length / 3) } : {}),
  '/norange.zip': (req, res) => sendFile(req, res, fsddZip, { ignoreRange: true }),
  '/moved': (_req, res) => res.writeHead(301, { Location: '/moved-again' }).end(),
  '/moved-again': (_req, res) => res.writeHead(302, { Location: `${base}/fsdd.zip` }).end(),
  '/ecg-ts.zip': (req, res) => sendFile(req, res, ucrTsZip),
  '/ecg-txt.zip': (req, res) => sendFile(req, res, ucrTxtZip),
  '/page.zip': (_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!DOCTYPE html>\n<html><body>Not found</body></html>'),
};

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push({ path: req.url ?? '', range: req.headers.range });
    const route = ROUTES[req.url ?? ''];
    if (route) route(req, res);
    else res.writeHead(404, 'Not Found').end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const fresh = () => mkdtempSync(join(tmpdir(), 'cnn1d-dl-'));
const hitsOf = (path: string) => hits.filter((h) => h.path === path);

test('fsdd: fetched, checked against its SHA-256, unpacked into <dir>/fsdd/recordings, then found by loadFSDD()', async () => {
  const dir = fresh();
  const progress: [number, number][] = [];
  try {
    const path = await data.download('fsdd', { dataDir: dir, url: `${base}/fsdd.zip`, sha256: sha(fsddZip).toUpperCase(), onProgress: (r, t) => progress.push([r, t]) });
    assert.equal(path, join(dir, 'fsdd'));
    assert.deepEqual(readdirSync(join(path, 'recordings')).sort(), wavNames);
    for (const n of wavNames) assert.deepEqual(readFileSync(join(path, 'recordings', n)), readFileSync(join(FIXTURE_RECORDINGS, n)), n);
    const record = JSON.parse(readFileSync(join(path, 'download.json'), 'utf8'));
    expect(record).toMatchObject({ dataset: 'fsdd', url: `${base}/fsdd.zip`, archiveSha256: sha(fsddZip), bytes: fsddZip.length, files: 20, contentSha256: fsddContent });
    assert.deepEqual(progress.at(-1), [fsddZip.length, fsddZip.length]);
    assert.ok(progress.every(([r, t], i) => t === fsddZip.length && (i === 0 || r > progress[i - 1][0])), 'received grows towards the total');
    assert.deepEqual(readdirSync(join(dir, '.downloads')), [], 'the archive is deleted once unpacked');
    const saved = process.env.CNN1D_DATA_DIR;
    process.env.CNN1D_DATA_DIR = dir;
    try {
      assert.deepEqual(data.loadFSDD({ length: 100 }).test.files, data.loadFSDD(FIXTURE_RECORDINGS, { length: 100 }).test.files);
    } finally {
      if (saved === undefined) delete process.env.CNN1D_DATA_DIR;
      else process.env.CNN1D_DATA_DIR = saved;
    }
    // already there: no request; force: downloaded again
    const before = hitsOf('/fsdd.zip').length;
    assert.equal(await data.download('fsdd', { dataDir: dir, url: `${base}/fsdd.zip` }), path);
    assert.equal(hitsOf('/fsdd.zip').length, before);
    await data.download('fsdd', { dataDir: dir, url: `${base}/fsdd.zip`, force: true });
    assert.equal(hitsOf('/fsdd.zip').length, before + 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('on a terminal, without onProgress, a progress bar is redrawn in place on stderr and ends with a newline', async () => {
  const dir = fresh();
  const stderr = process.stderr as { isTTY?: boolean };
  const wasTTY = stderr.isTTY;
  const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  stderr.isTTY = true;
  try {
    await data.download('fsdd', { dataDir: dir, url: `${base}/fsdd.zip` });
    const out = write.mock.calls.map((c) => String(c[0])).join('');
    const mb = (fsddZip.length / 1e6).toFixed(1);
    assert.match(out, new RegExp(`\\rfsdd: http:\\S+/fsdd.zip \\[#{30}\\] 100% ${mb} / ${mb} MB\\n$`));
  } finally {
    stderr.isTTY = wasTTY;
    write.mockRestore();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('redirects are followed (301 then 302)', async () => {
  const dir = fresh();
  try {
    await data.download('fsdd', { dataDir: dir, url: `${base}/moved`, sha256: sha(fsddZip) });
    assert.equal(readdirSync(join(dir, 'fsdd', 'recordings')).length, 20);
    assert.deepEqual(hits.slice(-3).map((h) => h.path), ['/moved', '/moved-again', '/fsdd.zip']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a connection dropped mid-file is resumed with a Range request, within the call and by the next call', async () => {
  const dir = fresh();
  try {
    dropNext = 1;
    const n0 = hitsOf('/flaky.zip').length;
    await data.download('fsdd', { dataDir: dir, url: `${base}/flaky.zip`, sha256: sha(fsddZip) });
    const calls = hitsOf('/flaky.zip').slice(n0);
    assert.equal(calls.length, 2);
    assert.equal(calls[0].range, undefined);
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(calls[1].range ?? '')?.[1]);
    assert.ok(resumedAt > 0 && resumedAt <= Math.floor(fsddZip.length / 3), `resumed at byte ${resumedAt}`);
    assert.equal(readdirSync(join(dir, 'fsdd', 'recordings')).length, 20);

    // no retries: the call fails, keeps the part file, and the next call resumes from it
    rmSync(join(dir, 'fsdd'), { recursive: true });
    dropNext = 1;
    await expect(data.download('fsdd', { dataDir: dir, url: `${base}/flaky.zip`, retries: 0 })).rejects.toThrow(/download: http:\S+\/flaky.zip stopped at \d+ of \d+ bytes \(\w+\) after 0 resumed attempts; \S+fsdd\.zip\.part is kept and the next call resumes from it/);
    const part = join(dir, '.downloads', 'fsdd.zip.part');
    const kept = readFileSync(part).length;
    assert.ok(kept > 0 && kept < fsddZip.length);
    await data.download('fsdd', { dataDir: dir, url: `${base}/flaky.zip`, sha256: sha(fsddZip) });
    assert.equal(hitsOf('/flaky.zip').at(-1)!.range, `bytes=${kept}-`);
    assert.ok(!existsSync(part));
    assert.equal(readdirSync(join(dir, 'fsdd', 'recordings')).length, 20);
  } finally {
    dropNext = 0;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a server that ignores Range (200 instead of 206) gets the whole file again, from byte 0', async () => {
  const dir = fresh();
  try {
    mkdirSync(join(dir, '.downloads'), { recursive: true });
    writeFileSync(join(dir, '.downloads', 'fsdd.zip.part'), fsddZip.subarray(0, 1000));
    await data.download('fsdd', { dataDir: dir, url: `${base}/norange.zip`, sha256: sha(fsddZip) });
    assert.equal(hitsOf('/norange.zip').at(-1)!.range, 'bytes=1000-');
    assert.equal(readdirSync(join(dir, 'fsdd', 'recordings')).length, 20);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a wrong checksum is refused: the downloaded file is deleted and nothing is unpacked', async () => {
  const dir = fresh();
  try {
    const wrong = '0'.repeat(64);
    await expect(data.download('fsdd', { dataDir: dir, url: `${base}/fsdd.zip`, sha256: wrong })).rejects.toThrow(
      new RegExp(`download: http:\\S+/fsdd.zip: SHA-256 ${sha(fsddZip)}, expected ${wrong}; the downloaded file was deleted`),
    );
    assert.deepEqual(readdirSync(join(dir, '.downloads')), []);
    assert.ok(!existsSync(join(dir, 'fsdd')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ucr:NAME: a zip of .ts files (or .txt) becomes <dir>/ucr/NAME/NAME_{TRAIN,TEST}.tsv, found by loadUCR(NAME)', async () => {
  for (const route of ['/ecg-ts.zip', '/ecg-txt.zip']) {
    const dir = fresh();
    const saved = process.env.CNN1D_DATA_DIR;
    try {
      const path = await data.download('ucr:ECG200', { dataDir: dir, url: `${base}${route}` });
      assert.equal(path, join(dir, 'ucr', 'ECG200'));
      assert.deepEqual(readdirSync(path).sort(), ['ECG200_TEST.tsv', 'ECG200_TRAIN.tsv', 'download.json']);
      process.env.CNN1D_DATA_DIR = dir;
      const got = data.loadUCR('ECG200');
      const want = data.loadUCRSplit(FIXTURE_ECG200, 'ECG200');
      assert.deepEqual(got.train.x.data, want.train.x.data, route);
      assert.deepEqual(Array.from(got.test.y), Array.from(want.test.y), route);
      assert.deepEqual(got.classes, [-1, 1]);
      assert.match(JSON.parse(readFileSync(join(path, 'download.json'), 'utf8')).archiveSha256, /^[0-9a-f]{64}$/);
    } finally {
      if (saved === undefined) delete process.env.CNN1D_DATA_DIR;
      else process.env.CNN1D_DATA_DIR = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('a page that is not a zip, an HTTP error and an unreachable server give errors naming the URL', async () => {
  const dir = fresh();
  try {
    await expect(data.download('ucr:GunPoint', { dataDir: dir, url: `${base}/page.zip` })).rejects.toThrow(
      /page.zip: not a zip archive \(it starts "<!DOCTYPE html> <html><body>Not found.*"\): is GunPoint a dataset that timeseriesclassification.com serves\?; the downloaded file was deleted/,
    );
    assert.deepEqual(readdirSync(join(dir, '.downloads')), []);
    await expect(data.download('ucr:GunPoint', { dataDir: dir, url: `${base}/nothing.zip` })).rejects.toThrow(/download: GET http:\S+\/nothing.zip answered HTTP 404 Not Found/);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await expect(data.download('fsdd', { dataDir: dir, url: `http://127.0.0.1:${port}/fsdd.zip` })).rejects.toThrow(
      new RegExp(`download: cannot reach http://127.0.0.1:${port}/fsdd.zip \\(ECONNREFUSED\\): no network here\\? Download it elsewhere and unpack it into ${dir}/fsdd, or set CNN1D_DATA_DIR`),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad names and options are named, with the nearest UCR name', async () => {
  await expect(data.download('ucr:ECG20' as never)).rejects.toThrow(/download: "ECG20" is not a dataset of the UCR archive \(did you mean "ECG200"\?\)/);
  await expect(data.download('mnist' as never)).rejects.toThrow(/download: dataset must be 'fsdd' or 'ucr:NAME' \(e.g. 'ucr:ECG200'\), got "mnist"/);
  await expect(data.download('fsdd', { sha256: 'abc' })).rejects.toThrow(/download: sha256 must be 64 hexadecimal digits, got "abc"/);
  await expect(data.download('fsdd', { retries: -1 })).rejects.toThrow(/download: retries must be an integer >= 0, got -1/);
  await expect(data.download('fsdd', { dataDir: '' })).rejects.toThrow(/download: dataDir must be a non-empty string, got ""/);
  await expect(data.download('fsdd', { onProgress: 3 } as never)).rejects.toThrow(/download: onProgress must be a function/);
  await expect(data.download('fsdd', { sha: 'x' } as never)).rejects.toThrow(/download: unknown option "sha"; allowed options are dataDir, url, sha256, force, onProgress, retries/);
  assert.ok(data.UCR_NAMES.includes('ECG200') && data.UCR_NAMES.length === 127);
});

test('the data directory: CNN1D_DATA_DIR, else $XDG_CACHE_HOME/cnn1d, else ~/.cache/cnn1d', () => {
  const saved = { d: process.env.CNN1D_DATA_DIR, x: process.env.XDG_CACHE_HOME };
  try {
    process.env.CNN1D_DATA_DIR = '/data/here';
    assert.equal(data.dataDir(), '/data/here');
    delete process.env.CNN1D_DATA_DIR;
    process.env.XDG_CACHE_HOME = '/cache';
    assert.equal(data.dataDir(), '/cache/cnn1d');
    delete process.env.XDG_CACHE_HOME;
    assert.match(data.dataDir(), /\/\.cache\/cnn1d$/);
  } finally {
    for (const [k, v] of [['CNN1D_DATA_DIR', saved.d], ['XDG_CACHE_HOME', saved.x]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});

test('zip reader: entries stored and deflated; a damaged archive, a bad CRC and an unknown method are named', () => {
  const zip = buildZip([{ name: 'a.txt', data: 'hello hello hello', method: 8 }, { name: 'b/c.bin', data: new Uint8Array([1, 2, 3]), method: 0 }]);
  const entries = zipEntries(zip, 'x.zip');
  assert.deepEqual(entries.map((e) => [e.name, e.method, e.size]), [['a.txt', 8, 17], ['b/c.bin', 0, 3]]);
  assert.equal(new TextDecoder().decode(unzipEntry(zip, entries[0], 'x.zip')), 'hello hello hello');
  assert.deepEqual([...unzipEntry(zip, entries[1], 'x.zip')], [1, 2, 3]);
  assert.throws(() => zipEntries(new Uint8Array(100), 'y.zip'), /y.zip: not a zip archive \(no end of central directory record\)/);
  assert.throws(() => unzipEntry(zip, { ...entries[1], crc32: entries[1].crc32 ^ 1 }, 'x.zip'), /x.zip: b\/c.bin: CRC-32 mismatch/);
  assert.throws(() => unzipEntry(zip, { ...entries[1], method: 12 }, 'x.zip'), /compression method 12, expected 0 \(stored\) or 8 \(deflate\)/);
  assert.throws(() => unzipEntry(zip, { ...entries[0], flags: 1 }, 'x.zip'), /a.txt is encrypted/);
  assert.throws(() => unzipEntry(zip.subarray(0, 40), entries[0], 'x.zip'), /a.txt: truncated/);
});

test('.ts files: headers skipped, "?" as NaN, variable lengths padded with NaN, multivariate refused', () => {
  assert.equal(tsToTsv('@problemName t\n@data\n1,2,3:a\n4,?:b\n', 'f.ts'), 'a\t1\t2\t3\nb\t4\tNaN\tNaN\n');
  assert.throws(() => tsToTsv('@data\n1,2:3,4:a\n', 'f.ts'), /f.ts, line 2: expected "values:label" \(one dimension\), got 2 dimensions/);
  assert.throws(() => tsToTsv('@problemName t\n', 'f.ts'), /f.ts: no @data section with series/);
});
