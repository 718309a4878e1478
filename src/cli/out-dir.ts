// NODE ONLY. The --out folder of `cnn1d train`: checked before any data is read or any epoch is
// run, written at the end through temporaries that are renamed together (removed on failure), and
// never written over without --overwrite.

import { mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from './datasets.ts';

export const META = 'cnn1d-meta.json';
/** The whole run, to repeat it: `cnn1d train --config DIR/run.json`. */
export const RUN_CONFIG = 'run.json';
export const MODEL_FILES = ['model.json', 'weights.bin', META, RUN_CONFIG] as const;

export interface OutDir {
  path: string;
  /** The first directory this run created (removed again if the run fails), if any. */
  created: string | undefined;
}

const code = (e: unknown) => (e as { code?: string }).code ?? (e as Error).message;

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** Checks (and creates if missing) the --out directory: a directory, empty unless --overwrite
 *  (then its model files must be regular files), and writable. */
export function prepareOut(path: string, overwrite: boolean): OutDir {
  const st = statOrNull(path);
  if (st && !st.isDirectory()) throw new UsageError(`--out ${path} is a file, not a directory; give a new or empty directory for ${MODEL_FILES.join(', ')}`);
  let created: string | undefined;
  if (st) {
    const entries = readdirSync(path);
    if (entries.length > 0 && !overwrite) {
      if (entries.includes('model.json')) throw new UsageError(`--out ${path} already holds a model; pass --overwrite to replace it`);
      const others = entries.filter((f) => !(MODEL_FILES as readonly string[]).includes(f));
      if (others.length === 0) throw new UsageError(`--out ${path} already holds ${entries.join(', ')}; pass --overwrite to replace ${entries.length === 1 ? 'it' : 'them'}`);
      const shown = others.slice(0, 5).join(', ') + (others.length > 5 ? `, ... (${others.length} files)` : '');
      throw new UsageError(`--out ${path} is not empty and is not a cnn1d model folder (it holds ${shown}); give a new or empty directory, or pass --overwrite to write ${MODEL_FILES.join(', ')} into it`);
    }
    for (const f of MODEL_FILES) {
      const s = statOrNull(join(path, f));
      if (s && !s.isFile()) throw new UsageError(`--out ${path}: ${f} exists and is not a regular file; it cannot be replaced`);
    }
  } else {
    try {
      created = mkdirSync(path, { recursive: true });
    } catch (e) {
      throw new UsageError(`--out ${path}: cannot create the directory (${code(e)})`);
    }
  }
  const probe = join(path, `.cnn1d-write-test-${process.pid}`);
  try {
    writeFileSync(probe, '', { flag: 'wx' });
    unlinkSync(probe);
  } catch (e) {
    discardOut({ path, created });
    throw new UsageError(`--out ${path} is not writable (${code(e)})`);
  }
  return { path, created };
}

/** Removes the directories prepareOut created, when they are still empty; true if it removed any. */
export function discardOut(out: OutDir): boolean {
  if (!out.created) return false;
  const stop = resolve(out.created);
  let removed = false;
  for (let dir = resolve(out.path); ; dir = dirname(dir)) {
    try {
      rmdirSync(dir);
      removed = true;
    } catch {
      return removed;
    }
    if (dir === stop || dirname(dir) === dir) return removed;
  }
}

/** Writes every file to a temporary in `out`, then renames them all; on failure the temporaries
 *  are removed and a UsageError names the file. */
export function writeOut(out: OutDir, files: { name: string; data: Uint8Array | string }[]): void {
  const tag = `.tmp-${process.pid}-${Date.now().toString(36)}`;
  const temps = new Set<string>();
  let current = out.path;
  try {
    for (const f of files) {
      current = join(out.path, f.name);
      writeFileSync(current + tag, f.data, { flag: 'wx' });
      temps.add(current + tag);
    }
    for (const f of files) {
      current = join(out.path, f.name);
      renameSync(current + tag, current);
      temps.delete(current + tag);
    }
  } catch (e) {
    for (const t of temps) rmSync(t, { force: true });
    throw new UsageError(`cannot write ${current} (${code(e)})`);
  }
}
