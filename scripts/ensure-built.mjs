// npm start's and npm run build:web's first step: runs `npm run build` when dist/ is missing or older than its sources
// (src/, assembly/), so `npm ci && npm start` works on a fresh clone and costs nothing after.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Newest modification time of the files under dir (0 if it does not exist; src/generated is built). */
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

const cli = join(root, 'dist', 'cli.js');
if (!existsSync(cli) || statSync(cli).mtimeMs < Math.max(newest(join(root, 'src')), newest(join(root, 'assembly')))) {
  console.log('dist/ is missing or older than the sources: npm run build');
  execSync('npm run build', { cwd: root, stdio: 'inherit' });
}
