// The web app's bundle (npm run build:web): vite, root examples/web, out examples/web/dist.
// `cnn1d` is imported by name, as an app would: the alias points it at this package's folder,
// so vite resolves it through package.json "exports" (browser/import conditions) to dist/.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const pkg = fileURLToPath(new URL('../../', import.meta.url));

export default defineConfig({
  root,
  base: './',
  resolve: { alias: [{ find: /^cnn1d$/, replacement: pkg }] },
  worker: { format: 'es' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2048 },
  logLevel: 'warn',
});
