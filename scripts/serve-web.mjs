// Serves the built web app (examples/web/dist) on localhost: `npm run web [-- --port N]`
// (default 5173; 0 picks a free port). Prints the URL on its first line of output.
// Every response carries COOP same-origin and COEP require-corp, so the page is cross-origin
// isolated and SharedArrayBuffer is available (for a WASM memory shared with workers), and
// X-Content-Type-Options: nosniff. Text, JavaScript, JSON and WebAssembly go out brotli- or
// gzip-compressed when the client accepts it (compressed once per file version, kept in memory).
// A development server, hardened as one that a browser on this machine talks to:
//   - the Host header must name this server (localhost, 127.0.0.1 or [::1] with its port), so a
//     page from elsewhere cannot reach it through DNS rebinding: 403 otherwise;
//   - a request it cannot parse (request line, URL, percent-encoding) gets 400, and nothing a
//     client sends can throw out of the handler (an unexpected failure is a 500 and a log line).
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.wav': 'audio/wav',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};
/** Worth compressing (float32 weights and audio gain little). */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.webmanifest', '.map', '.wasm', '.svg']);

const HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-cache',
};

function argValue(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const dir = resolve(argValue('dir', fileURLToPath(new URL('../examples/web/dist/', import.meta.url))));
const port = Number(argValue('port', process.env.PORT ?? '5173'));
const host = argValue('host', '127.0.0.1');
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`serve-web: --port must be an integer in 0..65535, got "${argValue('port', process.env.PORT)}"`);
  process.exit(2);
}
if (!existsSync(join(dir, 'index.html'))) {
  console.error(`serve-web: ${join(dir, 'index.html')} not found; run \`npm run build:web\` first`);
  process.exit(1);
}

/** The names this server answers to, with the port it listens on (set once listening). */
let allowedHosts = new Set();

/** path -> { mtimeMs, size, raw, br, gz }: each file read and compressed once per version. */
const cache = new Map();

function load(path, stat) {
  const hit = cache.get(path);
  if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit;
  const raw = readFileSync(path);
  const entry = { mtimeMs: stat.mtimeMs, size: stat.size, raw, br: null, gz: null };
  if (COMPRESSIBLE.has(extname(path)) && raw.length > 256) {
    entry.br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } });
    entry.gz = gzipSync(raw, { level: 9 });
  }
  cache.set(path, entry);
  return entry;
}

/** The encodings a request accepts (q=0 excluded). */
function accepted(header) {
  const out = new Set();
  for (const part of String(header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name || params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p))) continue;
    out.add(name);
  }
  return out;
}

function send(res, status, text) {
  res.writeHead(status, { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function handle(req, res) {
  if (!allowedHosts.has(String(req.headers.host ?? '').toLowerCase())) {
    return send(res, 403, `forbidden: Host "${req.headers.host ?? ''}" is not this server (${[...allowedHosts].join(', ')})`);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...HEADERS, Allow: 'GET, HEAD' }).end();
    return;
  }
  // origin-form targets only ("/path?query"); anything else, or a bad %-escape, is malformed
  const target = req.url ?? '';
  if (!target.startsWith('/') || target.startsWith('//')) return send(res, 400, 'bad request: the request target must be a path');
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(target, 'http://localhost').pathname);
  } catch {
    return send(res, 400, 'bad request: the path is not a valid URL');
  }
  if (pathname.includes('\0')) return send(res, 400, 'bad request: NUL in path');
  let path = normalize(join(dir, pathname));
  if (path !== dir && !path.startsWith(dir + sep)) return send(res, 403, 'forbidden');
  let stat = existsSync(path) ? statSync(path) : null;
  if (stat?.isDirectory()) {
    path = join(path, 'index.html');
    stat = existsSync(path) ? statSync(path) : null;
  }
  if (!stat?.isFile()) return send(res, 404, `not found: ${pathname}`);
  const file = load(path, stat);
  const accepts = accepted(req.headers['accept-encoding']);
  const [encoding, body] = file.br && accepts.has('br') ? ['br', file.br] : file.gz && accepts.has('gzip') ? ['gzip', file.gz] : [null, file.raw];
  const headers = { ...HEADERS, 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream', 'Content-Length': body.length };
  if (file.br) headers.Vary = 'Accept-Encoding';
  if (encoding) headers['Content-Encoding'] = encoding;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

const server = createServer((req, res) => {
  try {
    handle(req, res);
  } catch (e) {
    console.error(`serve-web: ${req.method} ${JSON.stringify(req.url)}: ${e?.stack ?? e}`);
    if (!res.headersSent) send(res, 500, 'internal error');
    else res.destroy();
  }
});
// requests Node's parser rejects (bad request line, header, or size) never reach the handler
server.on('clientError', (err, socket) => {
  if (socket.writable && !socket.destroyed) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\nX-Content-Type-Options: nosniff\r\n\r\n');
  else socket.destroy();
});

server.listen(port, host, () => {
  const { port: actual } = server.address();
  allowedHosts = new Set(['localhost', '127.0.0.1', '[::1]'].map((h) => `${h}:${actual}`));
  console.log(`cnn1d web app: http://${host === '0.0.0.0' ? 'localhost' : host}:${actual}/  (serving ${dir}; Ctrl-C to stop)`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
