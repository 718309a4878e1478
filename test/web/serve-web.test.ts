// scripts/serve-web.mjs over raw sockets: malformed and random request lines get 400 (never a
// crash: the server answers a normal request afterwards), a foreign Host header gets 403, every
// response has nosniff and the isolation headers, and files go out brotli- or gzip-compressed
// when accepted, decompressing to the file's bytes.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { connect } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { ChildProcess } from 'node:child_process';
import { serve } from './harness.ts';

let dir = '';
let server: ChildProcess | undefined;
let port = 0;
const JS = `export const words = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `word${i % 37}`))};\n`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cnn1d-serve-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(dir, 'app.js'), JS);
  const started = await serve(dir);
  server = started.server;
  port = Number(new URL(started.url).port);
});
afterAll(() => {
  server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Sends `raw` on a fresh connection and reads until the server closes it (at most 5 s). */
function rawRequest(raw: string | Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error(`no complete answer in 5 s to ${JSON.stringify(String(raw).slice(0, 80))}`)), 5000);
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', (e) => (clearTimeout(timer), reject(e)));
    socket.on('close', () => {
      clearTimeout(timer);
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      const head = all.subarray(0, end < 0 ? all.length : end).toString('latin1').split('\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head[0] ?? '')?.[1] ?? NaN);
      const headers: Record<string, string> = {};
      for (const line of head.slice(1)) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({ status, headers, body: all.subarray(end + 4) });
    });
    socket.end(raw);
  });
}

const request = (line: string, headers: Record<string, string> = {}) =>
  rawRequest(`${line}\r\n${Object.entries({ Host: `127.0.0.1:${port}`, Connection: 'close', ...headers }).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`);

describe('serve-web', () => {
  test('serves files with nosniff and the isolation headers, and answers the page\'s own host names only', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      const r = await request('GET /app.js HTTP/1.1', { Host: host });
      expect(r.status, host).toBe(200);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['cross-origin-embedder-policy']).toBe('require-corp');
      expect(r.body.toString()).toBe(JS);
    }
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, 'localhost', '']) {
      const r = await request('GET / HTTP/1.1', { Host: host });
      expect(r.status, `Host: ${host}`).toBe(403);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    }
    expect((await request('GET /missing.js HTTP/1.1')).status).toBe(404);
    expect((await request('POST / HTTP/1.1', { 'Content-Length': '0' })).status).toBe(405);
    expect((await request('GET /../../etc/passwd HTTP/1.1')).status).not.toBe(200);
  });

  test('compresses with brotli or gzip as accepted', async () => {
    const br = await request('GET /app.js HTTP/1.1', { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(brotliDecompressSync(br.body).toString()).toBe(JS);
    expect(br.body.length).toBeLessThan(JS.length / 4);
    const gz = await request('GET /app.js HTTP/1.1', { 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(JS);
    const none = await request('GET /app.js HTTP/1.1', { 'Accept-Encoding': 'br;q=0, gzip;q=0' });
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(none.body.toString()).toBe(JS);
  });

  test('malformed request lines get 400, and the server keeps serving', async () => {
    for (const line of ['GET http://[ HTTP/1.1', 'GET /%E0%A4%A HTTP/1.1', 'GET //evil.example/ HTTP/1.1', 'GET * HTTP/1.1', 'GET /a\0b HTTP/1.1', 'GARBAGE', 'GET / HTTP/9.9']) {
      const r = await request(line);
      expect(r.status, JSON.stringify(line)).toBe(400);
    }
    expect((await request('GET / HTTP/1.1')).status).toBe(200);
  });

  test('random request lines are answered with a status, never a crash', async () => {
    const printable = fc.string({ unit: fc.constantFrom(...' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~'.split('')), maxLength: 40 });
    const target = fc.oneof(printable, printable.map((s) => `/${s}`), printable.map((s) => `http://${s}`), printable.map((s) => `/%${s}`));
    const line = fc.tuple(fc.constantFrom('GET', 'HEAD', 'POST', 'G E T', '', 'get'), target, fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2', '')).map(([m, t, v]) => `${m} ${t} ${v}`);
    await fc.assert(
      fc.asyncProperty(line, async (l) => {
        const r = await request(l);
        expect([200, 400, 403, 404, 405], `${JSON.stringify(l)} -> ${r.status}`).toContain(r.status);
      }),
      { numRuns: 150, seed: 20 },
    );
    expect((await request('GET /app.js HTTP/1.1')).status).toBe(200);
    expect(server!.exitCode).toBeNull();
  }, 60_000);
});
