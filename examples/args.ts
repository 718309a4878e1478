// Tiny command-line helpers shared by the examples.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { data } from '../src/index.ts';

/** --name value from process.argv, or the fallback. */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

/** CNN1D_DATA_DIR if set, else ../shared/data beside the project root when it is there, else the
 *  library's data directory (~/.cache/cnn1d, filled by `npx cnn1d data get fsdd|ucr:NAME`). */
export function dataDir(): string {
  const shared = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/data');
  return process.env.CNN1D_DATA_DIR ?? (existsSync(shared) ? shared : data.dataDir());
}
