// NODE ONLY. `cnn1d data`: the datasets of the data directory (CNN1D_DATA_DIR, default ~/.cache/cnn1d).
//   cnn1d data get NAME [--data-dir DIR] [--url URL] [--sha256 HEX] [--force]   NAME: fsdd | ucr:<UCR name>
//   cnn1d data dir                                                             prints the data directory
//   cnn1d data list                                                            the datasets there, and the names

import { parseArgs } from 'node:util';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { data, type DatasetName } from '../index.ts';
import { UsageError } from './datasets.ts';

export const DATA_USAGE = `usage: cnn1d data get NAME | dir | list
  cnn1d data get NAME [--data-dir DIR] [--url URL] [--sha256 HEX] [--force]
      NAME: fsdd (Free Spoken Digit Dataset) or ucr:<name> (a UCR archive dataset, e.g. ucr:ECG200)
      fetches it from its public home into the data directory, where data.loadFSDD() and
      data.loadUCR(name) find it; --url fetches the same archive from elsewhere (a mirror),
      --sha256 pins the archive's checksum, --force downloads again
  cnn1d data dir     prints the data directory (CNN1D_DATA_DIR, default ~/.cache/cnn1d)
  cnn1d data list    lists the datasets in the data directory`;

function list(dir: string): void {
  console.log(`data directory ${dir}${existsSync(dir) ? '' : ' (does not exist yet)'}`);
  const have: string[] = [];
  if (existsSync(join(dir, 'fsdd', 'recordings'))) have.push('fsdd');
  const ucr = join(dir, 'ucr');
  if (existsSync(ucr)) for (const n of readdirSync(ucr).sort()) if (existsSync(join(ucr, n, `${n}_TRAIN.tsv`))) have.push(`ucr:${n}`);
  console.log(have.length ? have.map((n) => `  ${n}`).join('\n') : '  (no datasets yet: cnn1d data get fsdd, cnn1d data get ucr:ECG200)');
  console.log(`available: fsdd, ucr:<name> for ${data.UCR_NAMES.length} UCR datasets (${data.UCR_NAMES.slice(0, 4).join(', ')}, ...)`);
}

/** Runs `cnn1d data ...` (argv after "data"); returns the exit code. */
export async function dataCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === 'help') {
    console.log(DATA_USAGE);
    return sub ? 0 : 1;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    strict: true,
    allowPositionals: true,
    options: { 'data-dir': { type: 'string' }, url: { type: 'string' }, sha256: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    console.log(DATA_USAGE);
    return 0;
  }
  const dir = values['data-dir'] ?? data.dataDir();
  if (sub === 'dir' || sub === 'list') {
    if (positionals.length || values.url || values.sha256 || values.force) throw new UsageError(`data ${sub} takes no arguments but --data-dir`, true);
    if (sub === 'dir') console.log(dir);
    else list(dir);
    return 0;
  }
  if (sub !== 'get') throw new UsageError(`unknown data command "${sub}"; the data commands are get, dir, list`, true);
  if (positionals.length !== 1) throw new UsageError(`data get needs one dataset NAME (fsdd or ucr:<name>), got ${positionals.length}`, true);
  const name = positionals[0] as DatasetName;
  const path = await data.download(name, {
    dataDir: dir,
    ...(values.url !== undefined ? { url: values.url } : {}),
    ...(values.sha256 !== undefined ? { sha256: values.sha256 } : {}),
    ...(values.force ? { force: true } : {}),
  });
  console.log(`${name} is in ${path}`);
  return 0;
}
