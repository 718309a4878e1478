// The cost of splitting a kernel over threads, to place Runtime.parallelThreshold:
//   node --import tsx bench/threads.ts [threads]
// 1. a dispatch of a near-empty split call (relu over 64 floats), workers spinning (back to back)
//    and asleep (2 ms apart: their spin has run out), against the direct call;
// 2. GEMMs [n, n] @ [n, n] on 1 and `threads` threads: the estimated single-thread time of each
//    size (splits.ts) next to the measured speedup, and the CPU time the process got per second
//    of wall time on 1 and on `threads` threads (process.cpuUsage counts every thread): on an idle
//    machine it follows the thread count; where it does not, the OS gave the process no more cores.
import { loadavg } from 'node:os';
import { createRuntime } from '../src/index.ts';
import { SPLITS } from '../src/threads/splits.ts';

const threads = Number(process.argv[2] ?? 2);
const rt = createRuntime();
rt.parallelThreshold = 0;
if ((await rt.startThreads(threads)) < threads - 1) throw new Error(`bench/threads: ${threads} threads unavailable here`);
const k = rt.kernelsFor(threads);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
console.log(`node ${process.version}, ${threads} threads, load average ${loadavg().map((v) => v.toFixed(2)).join(', ')}`);

const x = rt.allocF32(64);
const time = (f: () => void, n: number) => {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) f();
  return ((performance.now() - t0) / n) * 1000;
};
for (let round = 0; round < 2; round++) {
  const direct = time(() => rt.direct.activation_forward(1, x, x, 64, 0), 20000);
  const spinning = time(() => k.activation_forward(1, x, x, 64, 0), 20000);
  const asleep: number[] = [];
  for (let i = 0; i < 50; i++) {
    await sleep(2);
    asleep.push(time(() => k.activation_forward(1, x, x, 64, 0), 1));
  }
  asleep.sort((a, b) => a - b);
  console.log(`dispatch of an empty call: direct ${direct.toFixed(2)} us, split with workers spinning ${spinning.toFixed(2)} us, asleep (median of 50) ${asleep[25].toFixed(1)} us`);
}

console.log('GEMM [n, n] @ [n, n]: estimated 1-thread us (splits.ts), measured 1-thread us, speedup');
for (const n of [16, 32, 48, 64, 96, 128, 192, 256, 384]) {
  const a = rt.allocF32(n * n);
  const c = rt.allocF32(n * n);
  const est = SPLITS.gemm_f32([n, n, n, a, n, 1, a, n, c, n], threads)!.ns / 1000;
  const reps = Math.max(3, Math.ceil(3e7 / (2 * n * n * n)));
  let one = Infinity;
  let many = Infinity;
  const cpu = [0, 0];
  const wall = [0, 0];
  const timed = (i: number, f: () => void) => {
    const u = process.cpuUsage();
    const t0 = performance.now();
    const us = time(f, reps);
    wall[i] += performance.now() - t0;
    const d = process.cpuUsage(u);
    cpu[i] += (d.user + d.system) / 1000;
    return us;
  };
  for (let r = 0; r < 5; r++) {
    one = Math.min(one, timed(0, () => rt.direct.gemm_f32(n, n, n, a, n, 1, a, n, c, n)));
    many = Math.min(many, timed(1, () => k.gemm_f32(n, n, n, a, n, 1, a, n, c, n)));
  }
  const st = rt.threadStats;
  console.log(`  n ${String(n).padStart(3)}: est ${est.toFixed(1).padStart(8)}  1 thread ${one.toFixed(1).padStart(8)}  ${threads} threads ${many.toFixed(1).padStart(8)}  ${(one / many).toFixed(2)}x;  cpu/wall ${(cpu[0] / wall[0]).toFixed(2)} and ${(cpu[1] / wall[1]).toFixed(2)}; parts run by workers so far ${st.workerParts}`);
  rt.release(a);
  rt.release(c);
}
rt.terminateThreads();
