// npm run build:web: builds the package first when dist/ is missing or older than its sources
// (the app imports cnn1d's dist by name), then bundles examples/web with vite into
// examples/web/dist.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
await import('./ensure-built.mjs'); // npm run build when dist/ is missing or older than src/, assembly/
const { build } = await import('vite');
await build({ configFile: join(root, 'examples', 'web', 'vite.config.ts') });
console.log(`build:web: ${join(root, 'examples', 'web', 'dist')}`);
