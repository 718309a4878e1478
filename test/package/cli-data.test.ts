// `cnn1d data` as installed (dist/cli.js): get a dataset from a local HTTP server into --data-dir,
// dir and list, and one-line errors (exit 1) for a bad name, no server, a wrong checksum.
import { afterAll, beforeAll, test, vi } from 'vitest';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { dataCommand } from '../../src/cli/data-command.ts';
import { FIXTURE_ECG200, FIXTURES } from '../helpers/datasets.ts';
import { buildZip } from '../helpers/zip-writer.ts';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const zip = buildZip(['TRAIN', 'TEST'].map((s) => ({ name: `ECG200/ECG200_${s}.tsv`, data: readFileSync(join(FIXTURE_ECG200, `ECG200_${s}.tsv`)) })));
let server: Server;
let base = '';

/** Runs the CLI without blocking this process (its server answers the CLI's requests). */
function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' }, (e, stdout, stderr) =>
      resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/ECG200.zip') res.writeHead(200, { 'Content-Length': zip.length }).end(zip);
    else res.writeHead(404, 'Not Found').end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

test('data get ucr:ECG200 --url ... --data-dir DIR, then data list and data dir', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cnn1d-cli-data-'));
  try {
    const r = await run(['data', 'get', 'ucr:ECG200', '--url', `${base}/ECG200.zip`, '--data-dir', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), `ucr:ECG200 is in ${join(dir, 'ucr', 'ECG200')}`);
    assert.equal(r.stderr, '', 'no progress bar off a terminal');
    assert.deepEqual(readFileSync(join(dir, 'ucr', 'ECG200', 'ECG200_TEST.tsv')), readFileSync(join(FIXTURE_ECG200, 'ECG200_TEST.tsv')));
    const list = await run(['data', 'list'], { CNN1D_DATA_DIR: dir });
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`^data directory ${dir}\\n  ucr:ECG200\\navailable: fsdd, ucr:<name> for 127 UCR datasets`));
    const where = await run(['data', 'dir'], { CNN1D_DATA_DIR: dir });
    assert.equal(where.stdout, `${dir}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('data errors: one line naming the problem, exit 1; data --help', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cnn1d-cli-data-'));
  try {
    const typo = await run(['data', 'get', 'ucr:ECG20', '--data-dir', dir]);
    assert.equal(typo.code, 1);
    assert.match(typo.stderr, /^cnn1d: download: "ECG20" is not a dataset of the UCR archive \(did you mean "ECG200"\?\)/);
    const wrong = await run(['data', 'get', 'ucr:ECG200', '--url', `${base}/ECG200.zip`, '--data-dir', dir, '--sha256', 'f'.repeat(64)]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /^cnn1d: download: http:\S+ECG200.zip: SHA-256 [0-9a-f]{64}, expected f{64}; the downloaded file was deleted\n$/);
    assert.ok(!existsSync(join(dir, 'ucr', 'ECG200')));
    const missing = await run(['data', 'get', 'ucr:ECG200', '--url', `${base}/gone.zip`, '--data-dir', dir]);
    assert.match(missing.stderr, /^cnn1d: download: GET http:\S+\/gone.zip answered HTTP 404 Not Found\n$/);
    const usage = await run(['data', 'get']);
    assert.equal(usage.code, 1);
    assert.match(usage.stderr, /data get needs one dataset NAME \(fsdd or ucr:<name>\), got 0/);
    assert.match((await run(['data', 'fetch', 'fsdd'])).stderr, /unknown data command "fetch"; the data commands are get, dir, list/);
    const help = await run(['data', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /cnn1d data get NAME \[--data-dir DIR\] \[--url URL\] \[--sha256 HEX\] \[--force\]/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('dataCommand in this process: get, list (fixtures as the data directory), dir, help', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cnn1d-cli-data-'));
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    assert.equal(await dataCommand(['get', 'ucr:ECG200', '--url', `${base}/ECG200.zip`, '--data-dir', dir]), 0);
    assert.equal(log.mock.calls.at(-1)?.[0], `ucr:ECG200 is in ${join(dir, 'ucr', 'ECG200')}`);
    assert.equal(await dataCommand(['list', '--data-dir', FIXTURES]), 0);
    assert.deepEqual(log.mock.calls.slice(-3, -1).map((c) => c[0]), [`data directory ${FIXTURES}`, '  fsdd\n  ucr:ECG200']);
    assert.equal(await dataCommand(['list', '--data-dir', join(dir, 'none')]), 0);
    assert.match(String(log.mock.calls.at(-2)?.[0]), /no datasets yet: cnn1d data get fsdd/);
    assert.equal(await dataCommand(['dir', '--data-dir', dir]), 0);
    assert.equal(log.mock.calls.at(-1)?.[0], dir);
    assert.equal(await dataCommand(['get', '--help']), 0);
    assert.equal(await dataCommand([]), 1, 'no subcommand: the usage, exit 1');
    await assert.rejects(dataCommand(['dir', 'extra']), /data dir takes no arguments but --data-dir/);
  } finally {
    log.mockRestore();
    rmSync(dir, { recursive: true, force: true });
  }
});
