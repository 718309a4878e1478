// Where a training step (or an inference batch) of a workload goes, kernel by kernel: every entry
// of the runtime's kernel tables is wrapped with a timer, the step is run `--steps` times after a
// warm-up, and the table prints each kernel's milliseconds per step, its share, its calls, and the
// time spent outside any kernel (TypeScript: planning, copies, the optimizer loop, dispatch).
//
//   node --import tsx bench/profile.ts [workload=fcn-500] [--threads N] [--steps N] [--infer] [--sizes] [--algorithm direct|winograd|auto]
//
// --sizes: one row per kernel and size (its arguments under 65536, i.e. not addresses).
//
// With --threads 2 a split kernel's time is the wall time of the whole parallel call, so the
// table compares directly with --threads 1: a kernel that does not get faster is not split, or
// is memory-bound.
import { runtime } from '../src/index.ts';
import { buildCnn1d } from './systems/cnn1d.ts';
import type { ConvAlgorithm } from '../src/layers/conv-winograd.ts';
import { INFER_BATCH, WORKLOADS, batches } from './workloads.ts';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const id = argv.find((a, i) => !a.startsWith('--') && !['--threads', '--steps', '--algorithm'].includes(argv[i - 1])) ?? 'fcn-500';
const algorithm = (argv.includes('--algorithm') ? argv[argv.indexOf('--algorithm') + 1] : 'direct') as ConvAlgorithm;
if (argv.includes('--algorithm') && !['direct', 'winograd', 'auto'].includes(algorithm)) throw new Error(`--algorithm: direct, winograd or auto, got ${algorithm}`);
const threads = opt('--threads', 1);
const steps = opt('--steps', 30);
const infer = argv.includes('--infer');
const bySize = argv.includes('--sizes');
const w = WORKLOADS.find((x) => x.id === id);
if (!w) throw new Error(`no workload ${id}; one of ${WORKLOADS.map((x) => x.id).join(', ')}`);

process.stdout.on('error', () => {}); // a closed pipe (| head) ends the output, not the run
const rt = runtime();
if (threads > 1) await rt.startThreads(threads);

const stats = new Map<string, { ms: number; calls: number }>();
let depth = 0;
function wrap(table: Record<string, unknown>): void {
  for (const name of Object.keys(table)) {
    const fn = table[name];
    if (typeof fn !== 'function' || name === 'memory') continue;
    table[name] = (...args: unknown[]) => {
      if (depth++ > 0) {
        try {
          return (fn as (...a: unknown[]) => unknown)(...args);
        } finally {
          depth--;
        }
      }
      const t0 = performance.now();
      try {
        return (fn as (...a: unknown[]) => unknown)(...args);
      } finally {
        depth--;
        const key = bySize ? `${name}(${(args as number[]).filter((a) => a < 65536).join(',')})` : name;
        const s = stats.get(key) ?? { ms: 0, calls: 0 };
        s.ms += performance.now() - t0;
        s.calls++;
        stats.set(key, s);
      }
    };
  }
}
wrap(rt.kernels as unknown as Record<string, unknown>);
wrap(rt.kernelsFor(threads) as unknown as Record<string, unknown>);

const model = buildCnn1d(w, 1, threads, algorithm);
const d = batches(w); // the bench's batches (labels or regression targets as the loss needs)
const B = infer ? INFER_BATCH : w.batch;
const step = () => (infer ? model.forwardBatch(d.xInfer, B, false) : model.trainOnBatch(d.xTrain, d.yTrain, B));
for (let i = 0; i < 5; i++) step();
stats.clear();
const t0 = performance.now();
for (let i = 0; i < steps; i++) step();
const total = (performance.now() - t0) / steps;

const rows = [...stats.entries()].map(([name, s]) => ({ name, ms: s.ms / steps, calls: s.calls / steps })).sort((a, b) => b.ms - a.ms);
const inKernels = rows.reduce((a, r) => a + r.ms, 0);
console.log(`${w.id} ${infer ? `inference, batch ${B}` : `training step, batch ${B}`}, ${threads} thread(s), ${steps} steps: ${total.toFixed(3)} ms per step (${((B * 1000) / total).toFixed(0)} samples/s)`);
console.log('kernel'.padEnd(bySize ? 64 : 34) + 'ms/step'.padStart(9) + 'share'.padStart(8) + 'calls'.padStart(7));
for (const r of rows) console.log(r.name.padEnd(bySize ? 64 : 34) + r.ms.toFixed(3).padStart(9) + `${((100 * r.ms) / total).toFixed(1)}%`.padStart(8) + String(r.calls).padStart(7));
console.log('(outside kernels)'.padEnd(bySize ? 64 : 34) + (total - inKernels).toFixed(3).padStart(9) + `${((100 * (total - inKernels)) / total).toFixed(1)}%`.padStart(8));
model.dispose();
rt.terminateThreads();
