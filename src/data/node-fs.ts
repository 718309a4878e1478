// NODE ONLY. The file-system access of the path-taking loaders (loadUCR, loadUCRSplit,
// readWav(path), loadWavFolder, loadFSDD, fromUCRFile, fromWavFolder). It never imports 'node:fs'
// statically: it asks process.getBuiltinModule (Node >= 20.16) at call time, so this module, and
// the package index that reaches it, bundle and load in browsers; there the path-taking functions
// throw a clear error and the byte/text cores (readWav(bytes), parseUCR(text)) remain usable.
// Readers read regular files only: a file is opened with O_NONBLOCK (a FIFO cannot block the
// open), checked on the open descriptor (a device or pipe is refused, and so is a file swapped
// for one after a listing), its size checked against a limit before anything is read, and then
// exactly that many bytes are read. Folders are listed as the platform's bytes, so a file name
// that is not UTF-8 (Latin-1, say) is still opened by its own bytes; symbolic links are
// followed only to regular files inside the folder. Every fs error is a DataError naming the file.

import type * as fs from 'node:fs';
import { DataError } from './errors.ts';

type FS = typeof fs;
/** A path as fs takes it: text, or the platform's bytes of a name that is not UTF-8. */
export type FsPath = string | Buffer;

/** Largest file read whole into memory (a Node Buffer is at most 2^31 - 1 bytes on 32-bit
 *  engines; larger data sets stream with fromWavFolder / fromUCRFile). */
export const MAX_FILE_BYTES = 2 ** 31 - 1;
/** Largest text file read whole: V8's longest string (2^29 - 24 UTF-16 units on 64-bit). */
export const MAX_TEXT_BYTES = 2 ** 29 - 24;

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

/** A DataError naming the file for an fs error (ENOENT, ELOOP, EACCES, ...). */
export function fsError(caller: string, path: string, e: unknown): DataError {
  if (e instanceof DataError) return e;
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return new DataError(`${caller}: no such file or directory: ${path} (or a symbolic link to nothing)`);
  if (code === 'ENOTDIR') return new DataError(`${caller}: not a directory: ${path}`);
  if (code === 'EISDIR') return new DataError(`${caller}: expected a file, got a directory: ${path}`);
  if (code === 'ELOOP') return new DataError(`${caller}: ${path}: symbolic links loop (too many levels of links)`);
  if (code === 'EACCES' || code === 'EPERM') return new DataError(`${caller}: permission denied: ${path}`);
  return new DataError(`${caller}: cannot read ${path}: ${code ?? (e as Error).message}`);
}

function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isFIFO()) return 'a pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The open descriptor's file must be regular and at most `max` bytes; returns its size. */
function checkRegular(st: fs.Stats, shown: string, caller: string, max: number): number {
  if (!st.isFile()) throw new DataError(`${caller}: ${shown} is ${kindOf(st)}; expected a regular file`);
  if (st.size > max) throw new DataError(`${caller}: ${shown} has ${st.size} bytes, more than the ${max} read whole into memory; stream it with fromUCRFile / fromWavFolder`);
  return st.size;
}

const openFlags = (fsm: FS) => fsm.constants.O_RDONLY | (fsm.constants.O_NONBLOCK ?? 0);

/** NODE ONLY. The whole regular file as bytes (at most `max`). `shown` names it in errors. */
export function readFileBytes(path: FsPath, caller: string, max = MAX_FILE_BYTES, shown = String(path)): Uint8Array {
  const fsm = nodeFs(caller);
  let fd: number;
  try {
    fd = fsm.openSync(path, openFlags(fsm));
  } catch (e) {
    throw fsError(caller, shown, e);
  }
  try {
    const size = checkRegular(fsm.fstatSync(fd), shown, caller, max);
    const out = new Uint8Array(size);
    let o = 0;
    while (o < size) {
      const n = fsm.readSync(fd, out, o, size - o, o);
      if (n === 0) break;
      o += n;
    }
    if (o !== size) throw new DataError(`${caller}: ${shown} ended after ${o} of its ${size} bytes (it changed while being read)`);
    return out;
  } catch (e) {
    throw fsError(caller, shown, e);
  } finally {
    fsm.closeSync(fd);
  }
}

/** NODE ONLY. The whole regular file as UTF-8 text. */
export function readFileText(path: string, caller: string): string {
  return new TextDecoder().decode(readFileBytes(path, caller, MAX_TEXT_BYTES));
}

/** NODE ONLY. A regular file opened for reading (async), for the streaming readers. */
export async function openRegular(path: FsPath, caller: string, shown = String(path)): Promise<fs.promises.FileHandle> {
  const fsm = nodeFs(caller);
  let handle: fs.promises.FileHandle;
  try {
    handle = await fsm.promises.open(path, openFlags(fsm));
  } catch (e) {
    throw fsError(caller, shown, e);
  }
  try {
    checkRegular(await handle.stat(), shown, caller, Number.MAX_SAFE_INTEGER);
  } catch (e) {
    await handle.close();
    throw fsError(caller, shown, e);
  }
  return handle;
}

/** NODE ONLY. The whole regular file as bytes, read asynchronously (at most `max`). */
export async function readFileBytesAsync(path: FsPath, caller: string, max = MAX_FILE_BYTES, shown = String(path)): Promise<Uint8Array> {
  const handle = await openRegular(path, caller, shown);
  try {
    const size = checkRegular(await handle.stat(), shown, caller, max);
    const out = new Uint8Array(size);
    let o = 0;
    while (o < size) {
      const { bytesRead } = await handle.read(out, o, size - o, o);
      if (bytesRead === 0) break;
      o += bytesRead;
    }
    if (o !== size) throw new DataError(`${caller}: ${shown} ended after ${o} of its ${size} bytes (it changed while being read)`);
    return out;
  } catch (e) {
    throw fsError(caller, shown, e);
  } finally {
    await handle.close();
  }
}

/** A file of a folder listing. */
export interface FolderFile {
  /** The name decoded as UTF-8 (a byte that is not UTF-8 shows as U+FFFD), for labels and messages. */
  name: string;
  /** dir/name, for messages. */
  shown: string;
  /** The path to open: text, or the platform's bytes when the name is not UTF-8. */
  path: FsPath;
  /** Its size in bytes. */
  size: number;
}

const utf8 = new TextEncoder();

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Whether the real path `real` is inside the real folder `root` (both from realpath). */
function inside(real: string, root: string): boolean {
  const sep = root.includes('/') ? '/' : '\\';
  return real.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * NODE ONLY. The regular files of `dir` whose decoded names pass `accept`. A symbolic link is
 * followed only to a regular file inside `dir`; a link out of it, to nothing, in a loop, or an
 * entry that is a device, a pipe, a socket or a folder is a DataError naming it.
 */
export function listFiles(dir: string, caller: string, accept: (name: string) => boolean): FolderFile[] {
  const fsm = nodeFs(caller);
  let entries: fs.Dirent<Buffer>[];
  let root: string;
  try {
    entries = fsm.readdirSync(dir, { encoding: 'buffer', withFileTypes: true });
    root = fsm.realpathSync(dir);
  } catch (e) {
    throw fsError(caller, dir, e);
  }
  const dirBytes = Buffer.from(/[\\/]$/.test(dir) ? dir : `${dir}/`);
  const out: FolderFile[] = [];
  for (const entry of entries) {
    const raw = entry.name;
    const name = new TextDecoder().decode(raw);
    if (!accept(name)) continue;
    const shown = joinPath(dir, name);
    const path: FsPath = sameBytes(utf8.encode(name), raw) ? shown : (Buffer.concat([dirBytes, raw]) as Buffer);
    try {
      if (entry.isSymbolicLink()) {
        const real = fsm.realpathSync(path);
        if (!inside(real, root)) throw new DataError(`${caller}: ${shown} is a symbolic link to ${real}, outside ${dir}; links out of the folder are not followed`);
      } else if (!entry.isFile()) {
        throw new DataError(`${caller}: ${shown} is ${kindOf(fsm.lstatSync(path))}; expected a regular file`);
      }
      const st = fsm.statSync(path);
      if (!st.isFile()) throw new DataError(`${caller}: ${shown} is a symbolic link to ${kindOf(st)}; expected a regular file`);
      out.push({ name, shown, path, size: st.size });
    } catch (e) {
      throw fsError(caller, shown, e);
    }
  }
  return out;
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
