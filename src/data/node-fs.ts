// NODE ONLY. The file-system access of the path-taking loaders (loadUCR, loadUCRSplit,
// readWav(path), loadWavFolder, loadFSDD). It never imports 'node:fs' statically: it asks
// process.getBuiltinModule (Node >= 20.16) at call time, so this module, and the package index
// that reaches it, bundle and load in browsers; there the path-taking functions throw a clear
// error and the byte/text cores (readWav(bytes), parseUCR(text)) remain usable.

import type * as fs from 'node:fs';
import { DataError } from './errors.ts';

type FS = typeof fs;

/** NODE ONLY. The node:fs module, or a clear error outside Node. */
export function nodeFs(caller: string): FS {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const mod = proc?.getBuiltinModule?.('node:fs') as FS | undefined;
  if (!mod) {
    throw new DataError(
      `${caller}: reading files by path needs Node >= 20.16 (process.getBuiltinModule). ` +
        'In a browser, fetch the file yourself and pass its bytes to readWav(bytes) or its text to parseUCR(text).',
    );
  }
  return mod;
}

function fsError(caller: string, path: string, e: unknown): DataError {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return new DataError(`${caller}: no such file or directory: ${path}`);
  if (code === 'ENOTDIR') return new DataError(`${caller}: not a directory: ${path}`);
  if (code === 'EISDIR') return new DataError(`${caller}: expected a file, got a directory: ${path}`);
  return new DataError(`${caller}: cannot read ${path}: ${(e as Error).message}`);
}

/** NODE ONLY. The whole file as bytes. */
export function readFileBytes(path: string, caller: string): Uint8Array {
  const fsm = nodeFs(caller);
  try {
    return fsm.readFileSync(path);
  } catch (e) {
    throw fsError(caller, path, e);
  }
}

/** NODE ONLY. The whole file as UTF-8 text. */
export function readFileText(path: string, caller: string): string {
  const fsm = nodeFs(caller);
  try {
    return fsm.readFileSync(path, 'utf8');
  } catch (e) {
    throw fsError(caller, path, e);
  }
}

/** NODE ONLY. The names (not paths) of the entries of a directory. */
export function listDir(path: string, caller: string): string[] {
  const fsm = nodeFs(caller);
  try {
    return fsm.readdirSync(path);
  } catch (e) {
    throw fsError(caller, path, e);
  }
}

/** NODE ONLY. Whether a path exists and is a directory. */
export function isDirectory(path: string, caller: string): boolean {
  const fsm = nodeFs(caller);
  try {
    return fsm.statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Joins a directory and a file name with '/', without node:path (also fine on Windows). */
export function joinPath(dir: string, name: string): string {
  return /[\\/]$/.test(dir) ? dir + name : `${dir}/${name}`;
}
