// Running the built CLI (dist/cli.js) as a user would, and the data it reads for builtin:NAME
// rebuilt through the API, so a CLI run can be compared with the same run written in code.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { data, type Tensor } from 'cnn1d';

export const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export function runCli(...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 240_000 });
}

/** The CLI as a child process, to signal it while it runs. */
export function startCli(...args: string[]) {
  return spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** What `--data builtin:NAME --n N --length L --seed S` trains and tests on: z-normalised series
 *  and labels as indices into the sorted class names (as the CLI numbers them). */
export function builtinAsCli(name: 'cbf' | 'sines', n: number, length: number, seed: number) {
  const split = (s: number) => {
    const d = data.builtin.load(name, { n, length, seed: s });
    const sorted = [...d.classes].sort();
    return { x: data.zNormalize(d.x) as Tensor, y: Int32Array.from(d.y, (c) => sorted.indexOf(d.classes[c])), classes: sorted };
  };
  return { train: split(seed), test: split(seed + 1_000_003) };
}

/** The "test accuracy X" a train run printed. */
export const printedAccuracy = (stdout: string) => /test accuracy ([\d.]+)/.exec(stdout)?.[1];
