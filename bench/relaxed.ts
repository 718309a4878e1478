// `--relaxed` for the bench scripts: Node 20 validates relaxed SIMD only with
// --experimental-wasm-relaxed-simd, a V8 flag that must be set when the process starts, so the
// script runs itself again in a child node with the flag (Chromium and Node >= 22-ish need none).
import { spawnSync } from 'node:child_process';

export const RELAXED_FLAG = '--experimental-wasm-relaxed-simd';

/** When argv asks for --relaxed and this node runs without the flag, re-runs the script with it
 *  (same loader, other arguments unchanged) and exits with the child's status. Returns argv
 *  without --relaxed otherwise. */
export function relaxedArgs(argv: string[]): string[] {
  const rest = argv.filter((a) => a !== '--relaxed');
  if (rest.length === argv.length || process.execArgv.includes(RELAXED_FLAG)) return rest;
  const child = spawnSync(process.execPath, [RELAXED_FLAG, ...process.execArgv, process.argv[1], ...rest], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}
