// The web app's bundle (npm run build:web): vite, root examples/web, out examples/web/dist.
// `cnn1d` is imported by name, as an app would: the alias points it at this package's folder,
// so vite resolves it through package.json "exports" (browser/import conditions) to dist/.
// The two workers are entries of the page's own build (not vite's separate worker bundles), so
// the library is one chunk that the page and both workers load, downloaded and compiled once;
// they keep fixed names (train-worker.js, monitor-worker.js) for src/ui/worker-url.ts.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const pkg = fileURLToPath(new URL('../../', import.meta.url));
const WORKERS: Record<string, string> = {
  'train-worker': fileURLToPath(new URL('./src/train/worker.ts', import.meta.url)),
  'monitor-worker': fileURLToPath(new URL('./src/monitor/worker.ts', import.meta.url)),
};

export default defineConfig({
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
