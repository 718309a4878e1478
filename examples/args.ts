// Tiny command-line helpers shared by the examples.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** --name value from process.argv, or the fallback. */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

/** ../shared/data beside the project root (override with CNN1D_DATA_DIR). */
export function dataDir(): string {
  return process.env.CNN1D_DATA_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/data');
}
