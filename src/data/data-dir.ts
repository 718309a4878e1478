// NODE ONLY. The data directory: where data.download puts datasets and where data.loadUCR(NAME) and
// data.loadFSDD() find them. CNN1D_DATA_DIR if set, else $XDG_CACHE_HOME/cnn1d, else
// ~/.cache/cnn1d (%LOCALAPPDATA%\cnn1d on Windows). Layout, the same as the project's ../shared/data:
//   <dir>/fsdd/recordings/{digit}_{speaker}_{index}.wav
//   <dir>/ucr/<NAME>/<NAME>_TRAIN.tsv, <NAME>_TEST.tsv
// Like node-fs.ts it imports no node: module statically (process.getBuiltinModule at call time).

import { ConfigError, showValue, suggest } from '../layers/args.ts';
import { DataError } from './errors.ts';
import { isDirectory, joinPath } from './node-fs.ts';
import { isUCRName, UCR_NAMES } from './ucr-names.ts';

/** A dataset data.download knows: 'fsdd' or 'ucr:NAME' with NAME one of UCR_NAMES. */
export type DatasetName = 'fsdd' | `ucr:${string}`;

/** A dataset name taken apart. */
export type Dataset = { kind: 'fsdd' } | { kind: 'ucr'; name: string };

type Env = Record<string, string | undefined>;

function env(): Env {
  return (globalThis as { process?: { env?: Env } }).process?.env ?? {};
}

/** NODE ONLY. The data directory (see the file header); nothing is created. */
export function dataDir(): string {
  const e = env();
  if (e.CNN1D_DATA_DIR) return e.CNN1D_DATA_DIR;
  if (e.XDG_CACHE_HOME) return joinPath(e.XDG_CACHE_HOME, 'cnn1d');
  const proc = (globalThis as { process?: { platform?: string; getBuiltinModule?: (id: string) => unknown } }).process;
  if (proc?.platform === 'win32' && e.LOCALAPPDATA) return joinPath(e.LOCALAPPDATA, 'cnn1d');
  const os = proc?.getBuiltinModule?.('node:os') as { homedir(): string } | undefined;
  if (!os) throw new DataError('dataDir: the data directory is a folder on disk and needs Node >= 20.16 (process.getBuiltinModule)');
  return joinPath(joinPath(os.homedir(), '.cache'), 'cnn1d');
}

/** 'fsdd' | 'ucr:NAME' checked; a wrong name gets the list (or the nearest UCR name). */
export function parseDataset(owner: string, name: unknown): Dataset {
  if (name === 'fsdd') return { kind: 'fsdd' };
  if (typeof name === 'string' && name.startsWith('ucr:')) {
    const ucr = name.slice(4);
    if (isUCRName(ucr)) return { kind: 'ucr', name: ucr };
    throw new ConfigError(`${owner}: "${ucr}" is not a dataset of the UCR archive${suggest(ucr, UCR_NAMES)}; the names are data.UCR_NAMES (e.g. ECG200, GunPoint, FordA)`);
  }
  throw new ConfigError(`${owner}: dataset must be 'fsdd' or 'ucr:NAME' (e.g. 'ucr:ECG200'), got ${showValue(name)}`);
}

/** The canonical name of a dataset ('fsdd', 'ucr:ECG200'). */
export function datasetName(d: Dataset): DatasetName {
  return d.kind === 'fsdd' ? 'fsdd' : `ucr:${d.name}`;
}

/** NODE ONLY. Where a dataset lives under `dir` (default dataDir()). */
export function datasetPath(d: Dataset, dir = dataDir()): string {
  return d.kind === 'fsdd' ? joinPath(dir, 'fsdd') : joinPath(joinPath(dir, 'ucr'), d.name);
}

/** NODE ONLY. The dataset's folder if it is in the data directory, else a DataError saying how to
 *  get it. */
export function requireDataset(owner: string, d: Dataset): string {
  const dir = dataDir();
  const path = datasetPath(d, dir);
  const marker = d.kind === 'fsdd' ? joinPath(path, 'recordings') : path;
  if (isDirectory(marker, owner)) return path;
  const name = datasetName(d);
  throw new DataError(
    `${owner}: ${name} is not in the data directory ${dir} (set by CNN1D_DATA_DIR, default ~/.cache/cnn1d); ` +
      `get it with \`npx cnn1d data get ${name}\` or \`await data.download('${name}')\``,
  );
}
