// npm run bench: whole models of bench/workloads.ts and fcn-ecg on cnn1d, its plain-TS reference,
// TF.js (cpu, wasm) and PyTorch, outputs checked against cnn1d's first, ratios from the same run.
//   npm run bench -- [--quick] [--workloads a,b] [--systems a,b] [--rounds N] [--budget S] [--json] [--relaxed]
// Systems cnn1d-winograd and cnn1d-auto (not in the default list) run cnn1d with Conv1D algorithm
// 'winograd' (where it can run; elsewhere 'auto') and 'auto' (docs/guides/winograd.md).
// --relaxed: cnn1d runs its relaxed-SIMD build (bench/relaxed.ts re-runs node with the V8 flag).
import { loadavg } from 'node:os';
import { relaxedArgs } from './relaxed.ts';
import { wasmBuild } from '../src/generated/kernels.ts';
import { runWorkload, type Options, type Result } from './run.ts';
import { targetLines, twoThreadLines, workloadTable } from './report.ts';
import { Cnn1dSystem } from './systems/cnn1d.ts';
import { TorchSystem, torchUnavailable, PYTHON } from './systems/torch.ts';
import type { System } from './systems/types.ts';
import { findWorkload, TINY, WORKLOADS } from './workloads.ts';

const SYSTEMS = ['cnn1d', 'cnn1d-2t', 'cnn1d-winograd', 'cnn1d-auto', 'reference', 'tfjs-cpu', 'tfjs-wasm', 'torch', 'torch-2t'];
const DEFAULT_SYSTEMS = SYSTEMS.filter((s) => !['torch-2t', 'cnn1d-winograd', 'cnn1d-auto'].includes(s));

function parse(argv: string[]): { workloads: string[]; systems: string[]; json: boolean; options: Omit<Options, 'log'> } {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick' || a === '--json') flags.set(a, '');
    else if (['--workloads', '--systems', '--rounds', '--budget'].includes(a) && i + 1 < argv.length) flags.set(a, argv[++i]);
    else throw new Error(`bench: unknown or incomplete argument ${JSON.stringify(a)}; expected --quick, --json, --relaxed, --workloads a,b, --systems a,b, --rounds N, --budget seconds`);
  }
  const quick = flags.has('--quick');
  const list = (k: string, all: string[], dflt: string[]) => {
    const v = flags.get(k)?.split(',').filter(Boolean) ?? dflt;
    for (const x of v) if (!all.includes(x)) throw new Error(`bench: ${k}: unknown name ${JSON.stringify(x)}; expected some of ${all.join(', ')}`);
    return v;
  };
  const workloads = list('--workloads', [...WORKLOADS, ...TINY].map((w) => w.id), WORKLOADS.map((w) => w.id)); // tiny-*: the smoke test's
  const systems = list('--systems', SYSTEMS, DEFAULT_SYSTEMS);
  const count = (k: string, dflt: number) => {
    const v = Number(flags.get(k) ?? dflt);
    if (!Number.isInteger(v) || v < 1) throw new Error(`bench: ${k} must be a positive integer, got ${JSON.stringify(flags.get(k))}`);
    return v;
  };
  return { workloads, systems, json: flags.has('--json'), options: { rounds: count('--rounds', quick ? 2 : 5), budgetS: count('--budget', quick ? 2 : 15), targetMs: quick ? 50 : 400 } };
}

async function makeSystems(names: string[], log: (s: string) => void): Promise<System[]> {
  const out: System[] = [new Cnn1dSystem()]; // always: the baseline every peer is checked against
  for (const name of names) {
    if (name === 'cnn1d-2t') out.push(new Cnn1dSystem(2));
    if (name === 'cnn1d-winograd' || name === 'cnn1d-auto') out.push(new Cnn1dSystem(1, name === 'cnn1d-winograd' ? 'winograd' : 'auto'));
    if (name === 'reference') out.push(new (await import('./systems/reference.ts')).ReferenceSystem());
    if (name === 'tfjs-cpu' || name === 'tfjs-wasm') out.push(new (await import('./systems/tfjs.ts')).TfjsSystem(name === 'tfjs-cpu' ? 'cpu' : 'wasm'));
    if (name === 'torch' || name === 'torch-2t') {
      const why = torchUnavailable();
      if (why) log(`${name}: skipped: ${why} (install Debian's python3-torch, or set BENCH_PYTHON)`);
      else out.push(new TorchSystem(name === 'torch' ? 1 : 2));
    }
  }
  return out;
}

const args = parse(relaxedArgs(process.argv.slice(2)));
const log = (line: string) => process.stderr.write(`${line}\n`);
const load = () => loadavg().map((v) => v.toFixed(2)).join(', ');
const t0 = performance.now();
log(`bench: node ${process.version}, cnn1d ${wasmBuild} build, load average ${load()}; rounds ${args.options.rounds}, chunks of ${args.options.targetMs} ms, at most ${args.options.budgetS} s per system and figure`);
log('cnn1d runs on 1 thread and, as cnn1d-2t, on 2 (threads over one shared memory). TF.js cpu and wasm run on 1 thread, PyTorch with torch.set_num_threads(1) (torch-2t: 2).');
const systems = await makeSystems(args.systems, log);
const results: Result[] = [];
try {
  for (const id of args.workloads) {
    const rs = await runWorkload(findWorkload(id), systems, { ...args.options, log });
    results.push(...rs);
    if (args.json) for (const r of rs) console.log(JSON.stringify(r));
    else console.log(['', ...workloadTable(rs)].join('\n'));
  }
} finally {
  for (const s of systems) await s.close();
}
if (!args.json) {
  const torch = systems.find((s): s is TorchSystem => s instanceof TorchSystem);
  console.log(`\nIssue 8 one-thread targets (ratios of this run):\n${targetLines(results).join('\n') || '  (no peer results to compare)'}`);
  console.log(`\nIssue 8 two-thread targets (cnn1d on 2 threads over 1, same run):\n${twoThreadLines(results).join('\n') || '  (run with --systems cnn1d-2t,...)'}`);
  console.log('  not measured here: large convolutions at 80% of the f32x4 peak (npm run bench:kernels)');
  console.log(`\nnode ${process.version}, cnn1d ${wasmBuild} build${torch ? `, PyTorch ${torch.version} (${PYTHON})` : ''}, TF.js 4.22; figures: best of up to ${args.options.rounds} alternating rounds; ${((performance.now() - t0) / 1000).toFixed(0)} s; load average at the end ${load()}`);
}
