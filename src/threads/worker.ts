// The code every worker thread runs, and the part decoder of the calling thread. Workers know
// nothing of the kernels: a task is a list of calls of kernel exports by index, with number
// arguments, written into the control block (layout below) by the calling thread.
// The worker's code is a plain JavaScript string (WORKER_JS), not Function.prototype.toString of
// TypeScript: transpilers and coverage tools insert helpers (esbuild's __name, istanbul counters)
// that a worker does not have. Its `execute` is the one below, written twice; the thread-count
// tests run parts on workers and on the caller against one thread.
//
// Control block at byte address `ctrl` of the shared memory (Int32 indices; 64-byte lines apart):
//   GEN 0        generation, bumped once per dispatch (workers Atomics.wait on it)
//   STOP 1       1: workers return
//   STARTED 2    workers that have instantiated the kernels
//   NEXT 16      next part to claim (Atomics.add); parked at 2^30 while a dispatch is written
//   NPARTS 17    parts of the current dispatch
//   REMAINING 32 parts not yet finished (the caller waits for 0)
//   ERRORS 33    parts that threw
//   WORKER_PARTS 48  parts run by workers, ever (for tests and tuning)
//   OFFS 64..    f64 index of each part's calls in the argument area
// Argument area (f64, at byte ctrl + ARGS_AT): per part [ncalls, then per call: fn index, nargs,
// reps, args[nargs], incs[nargs]]: the call runs `reps` times, adding incs[i] to args[i] after
// each run (a loop over the batch in one entry). Every i32 and f32 argument is exact in f64.

export const LAYOUT = { GEN: 0, STOP: 1, STARTED: 2, NEXT: 16, NPARTS: 17, REMAINING: 32, ERRORS: 33, WORKER_PARTS: 48, OFFS: 64 } as const;
/** Parts (threads) one dispatch can have. */
export const MAX_PARTS = 256;
/** Byte offset of the argument area in the control block. */
export const ARGS_AT = 4 * (64 + MAX_PARTS);
/** f64 slots of the argument area. */
export const ARGS_SLOTS = 8192;
/** Bytes of the control block. */
export const CONTROL_BYTES = ARGS_AT + 8 * ARGS_SLOTS;

export type KernelFn = (...args: number[]) => unknown;

/** Runs the calls of one part, starting at f64 index `at` of F. */
export function execute(fns: readonly KernelFn[], F: Float64Array, at: number): void {
  const n = F[at++];
  for (let c = 0; c < n; c++) {
    const fn = fns[F[at]];
    const nargs = F[at + 1];
    const reps = F[at + 2];
    at += 3;
    const args = Array.from(F.subarray(at, at + nargs));
    const incs = at + nargs;
    for (let r = 0; r < reps; r++) {
      fn(...args);
      for (let i = 0; i < nargs; i++) args[i] += F[incs + i];
    }
    at += 2 * nargs;
  }
}

export interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Byte address of the control block. */
  ctrl: number;
  /** Kernel export names, by index. */
  names: string[];
  /** Atomics.load polls of GEN before a worker sleeps in Atomics.wait. */
  spin: number;
  argsAt: number;
  argsSlots: number;
}

/** A worker's life (serve): instantiate the kernels over the shared memory (passive data:
 *  nothing is written), then claim and run parts of each dispatch until STOP. */
const WORKER_JS = `'use strict';
function execute(fns, F, at) {
  const n = F[at++];
  for (let c = 0; c < n; c++) {
    const fn = fns[F[at]], nargs = F[at + 1], reps = F[at + 2];
    at += 3;
    const args = Array.from(F.subarray(at, at + nargs));
    const incs = at + nargs;
    for (let r = 0; r < reps; r++) {
      fn(...args);
      for (let i = 0; i < nargs; i++) args[i] += F[incs + i];
    }
    at += 2 * nargs;
  }
}
function serve(init) {
  const { module, memory, ctrl, names, spin } = init;
  const GEN = ${LAYOUT.GEN}, STOP = ${LAYOUT.STOP}, STARTED = ${LAYOUT.STARTED}, NEXT = ${LAYOUT.NEXT}, NPARTS = ${LAYOUT.NPARTS};
  const REMAINING = ${LAYOUT.REMAINING}, ERRORS = ${LAYOUT.ERRORS}, WORKER_PARTS = ${LAYOUT.WORKER_PARTS}, OFFS = ${LAYOUT.OFFS};
  const abort = () => { throw new Error('cnn1d: kernel abort'); };
  const instance = new WebAssembly.Instance(module, { env: { memory, abort } });
  const fns = names.map((n) => instance.exports[n]);
  const I = new Int32Array(memory.buffer, ctrl, OFFS + ${MAX_PARTS});
  const F = new Float64Array(memory.buffer, ctrl + init.argsAt, init.argsSlots);
  let seen = Atomics.load(I, GEN);
  Atomics.add(I, STARTED, 1);
  for (;;) {
    let g = Atomics.load(I, GEN);
    for (let i = 0; g === seen && i < spin; i++) g = Atomics.load(I, GEN);
    while (g === seen && Atomics.load(I, STOP) === 0) {
      Atomics.wait(I, GEN, seen);
      g = Atomics.load(I, GEN);
    }
    if (Atomics.load(I, STOP) !== 0) return;
    seen = g;
    for (;;) {
      const p = Atomics.add(I, NEXT, 1);
      if (p >= Atomics.load(I, NPARTS)) break;
      try {
        execute(fns, F, I[OFFS + p]);
      } catch {
        Atomics.add(I, ERRORS, 1);
      }
      Atomics.add(I, WORKER_PARTS, 1);
      if (Atomics.sub(I, REMAINING, 1) === 1) Atomics.notify(I, REMAINING);
    }
  }
}
`;

/** The worker's source: WORKER_JS and the environment's way to receive the init message. */
export function workerSource(node: boolean): string {
  const receive = node
    ? `process.getBuiltinModule('node:worker_threads').parentPort.once('message', (m) => serve(m));`
    : `self.onmessage = (e) => { self.onmessage = null; serve(e.data); };`;
  return `${WORKER_JS}${receive}\n`;
}
