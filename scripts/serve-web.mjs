// Serves the built web app (examples/web/dist) on localhost: `npm run web [-- --port N]`
// (default 5173; 0 picks a free port). Prints the URL on its first line of output.
// Every response carries COOP same-origin and COEP require-corp, so the page is cross-origin
// isolated and SharedArrayBuffer is available (for a WASM memory shared with workers).
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.wav': 'audio/wav',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

const HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
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

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  let path;
  try {
    path = normalize(join(dir, decodeURIComponent(url.pathname)));
  } catch {
    path = '';
  }
  if (path !== dir && !path.startsWith(dir + sep)) {
    res.writeHead(403, HEADERS).end('forbidden');
    return;
  }
  if (existsSync(path) && statSync(path).isDirectory()) path = join(path, 'index.html');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, HEADERS).end();
    return;
  }
  if (!existsSync(path)) {
    res.writeHead(404, { ...HEADERS, 'Content-Type': 'text/plain' }).end(`not found: ${url.pathname}`);
    return;
  }
  const body = readFileSync(path);
  res.writeHead(200, { ...HEADERS, 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream', 'Content-Length': body.length });
  res.end(req.method === 'HEAD' ? undefined : body);
});

server.listen(port, host, () => {
  const { port: actual } = server.address();
  console.log(`cnn1d web app: http://${host === '0.0.0.0' ? 'localhost' : host}:${actual}/  (serving ${dir}; Ctrl-C to stop)`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
