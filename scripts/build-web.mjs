// npm run build:web: builds the package first when dist/ is missing or older than its sources
// (the app imports cnn1d's dist by name), then bundles examples/web with vite into
// examples/web/dist.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Newest modification time of the files under dir (0 if it does not exist). */
function newest(dir) {
  if (!existsSync(dir)) return 0;
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? (name === 'generated' ? 0 : newest(p)) : s.mtimeMs);
  }
  return t;
}

const dist = join(root, 'dist', 'index.js');
const sources = Math.max(newest(join(root, 'src')), newest(join(root, 'assembly')));
if (!existsSync(dist) || statSync(dist).mtimeMs < sources) {
  console.log('build:web: dist/ is missing or older than src/, running npm run build');
  execSync('npm run build', { cwd: root, stdio: 'inherit' });
}
const { build } = await import('vite');
await build({ configFile: join(root, 'examples', 'web', 'vite.config.ts') });
console.log(`build:web: ${join(root, 'examples', 'web', 'dist')}`);
