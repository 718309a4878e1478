// The web app's bundle (npm run build:web): vite, root examples/web, out examples/web/dist.
// `cnn1d` is imported by name, as an app would: the alias points it at this package's folder,
// so vite resolves it through package.json "exports" (browser/import conditions) to dist/.
// The two workers are entries of the page's own build (not vite's separate worker bundles), so
// the library is one chunk that the page and both workers load, downloaded and compiled once;
// they keep fixed names (train-worker.js, monitor-worker.js) for src/ui/worker-url.ts.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const pkg = fileURLToPath(new URL('../../', import.meta.url));
const WORKERS: Record<string, string> = {
  'train-worker': fileURLToPath(new URL('./src/train/worker.ts', import.meta.url)),
  'monitor-worker': fileURLToPath(new URL('./src/monitor/worker.ts', import.meta.url)),
};

/** Files under dir, as paths relative to it with '/' separators. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'));
}

/** Emits sw.js (src/offline/sw.js) with the list of the app's files and a hash of their contents. */
function serviceWorker(): Plugin {
  return {
    name: 'cnn1d-service-worker',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const publicDir = join(root, 'public');
      const hash = createHash('sha256');
      const files = ['./'];
      for (const [name, item] of Object.entries(bundle).sort(([a], [b]) => a.localeCompare(b))) {
        if (name.endsWith('.map')) continue;
        files.push(`./${name}`);
        hash.update(name).update(item.type === 'chunk' ? item.code : item.source);
      }
      for (const name of filesUnder(publicDir).sort()) {
        files.push(`./${name}`);
        hash.update(name).update(readFileSync(join(publicDir, name)));
      }
      const source = readFileSync(join(root, 'src/offline/sw.js'), 'utf8');
      const head = `const FILES = ${JSON.stringify(files)};\nconst VERSION = '${hash.digest('hex').slice(0, 16)}';\n`;
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: head + source });
    },
  };
}

export default defineConfig({
  plugins: [serviceWorker()],
  root,
  base: './',
  resolve: { alias: [{ find: /^cnn1d$/, replacement: pkg }] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2048,
    rollupOptions: {
      input: { index: fileURLToPath(new URL('./index.html', import.meta.url)), ...WORKERS },
      preserveEntrySignatures: 'allow-extension',
      output: { entryFileNames: (chunk) => (chunk.name in WORKERS ? '[name].js' : 'assets/[name]-[hash].js') },
    },
  },
  logLevel: 'warn',
});
