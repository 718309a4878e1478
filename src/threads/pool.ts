// The worker threads of one runtime and the dispatch of a parallel kernel call. A dispatch writes
// each part's calls into the control block (worker.ts), bumps GEN and wakes the workers; the
// calling thread then claims parts like any worker (Atomics.add on NEXT) and waits until none is
// left running. Any thread may run any part (the parts of a split are disjoint and each computes
// exactly what the single-thread kernel computes there), so a worker still starting, or not
// scheduled by a busy OS, only means the caller runs more parts itself: no dispatch waits for a
// worker to start. Workers are started lazily, unref'd in Node, and stopped by terminate().

import { ARGS_AT, ARGS_SLOTS, LAYOUT, MAX_PARTS, execute, workerSource, type KernelFn, type WorkerInit } from './worker.ts';

const { GEN, STOP, STARTED, NEXT, NPARTS, REMAINING, ERRORS, WORKER_PARTS, OFFS } = LAYOUT;
const PARKED = 1 << 30;
/** Polls of GEN by an idle worker before it sleeps: the next kernel of a step usually follows
 *  within microseconds; a sleeping worker costs a futex wake-up (tens of microseconds). */
const WORKER_SPIN = 20_000;
/** Polls of REMAINING by the caller before it sleeps (or keeps polling where it cannot sleep). */
const CALLER_SPIN = 20_000;

/** One kernel call of a part: fn(...args), `reps` times, adding incs[i] to args[i] after each. */
export interface Call {
  fn: string;
  args: number[];
  reps?: number;
  incs?: number[];
}
export type Part = Call[];

export interface ThreadStats {
  /** Worker threads created. */
  workers: number;
  /** Workers that have instantiated the kernels and take parts. */
  started: number;
  /** Kernel calls run in parts over the threads. */
  dispatches: number;
  /** Parts run by workers (the rest ran on the calling thread). */
  workerParts: number;
  /** Workers that exited without terminate() (killed from outside, or crashed); each loss stops
   *  the pool, so workers and started read 0 until the next parallel call starts it again. */
  lost: number;
}

interface WorkerHandle {
  terminate(): unknown;
}

type WorkerCtor = new (src: string, opts?: { eval: boolean }) => WorkerHandle & { postMessage(m: unknown): void; unref?(): void; on?(e: string, f: (x: unknown) => void): void; onerror?: unknown };

/** Node's worker_threads.Worker through process.getBuiltinModule (no import of a Node built-in,
 *  so the library bundles for browsers as is), else the browser's Worker, else null. */
function workerKind(): { node: boolean; Worker: WorkerCtor } | null {
  const proc = (globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown } }).process;
  if (proc?.versions?.node && proc.getBuiltinModule) {
    const wt = proc.getBuiltinModule('node:worker_threads') as { Worker: WorkerCtor } | undefined;
    return wt ? { node: true, Worker: wt.Worker } : null;
  }
  const W = (globalThis as { Worker?: WorkerCtor }).Worker;
  return W ? { node: false, Worker: W } : null;
}

/** Whether this environment can start worker threads at all. */
export function canStartWorkers(): boolean {
  return workerKind() !== null;
}

export class ThreadPool {
  private readonly I: Int32Array;
  private readonly F: Float64Array;
  private readonly index = new Map<string, number>();
  private readonly fns: KernelFn[];
  private readonly workers: WorkerHandle[] = [];
  private readonly canWait: boolean;
  private url: string | null = null;
  private failed: unknown = null;

  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly ctrl: number,
    private readonly workerModule: WebAssembly.Module,
    direct: Record<string, unknown>,
  ) {
    this.I = new Int32Array(memory.buffer, ctrl, OFFS + MAX_PARTS);
    this.F = new Float64Array(memory.buffer, ctrl + ARGS_AT, ARGS_SLOTS);
    const names = Object.keys(direct).filter((n) => typeof direct[n] === 'function');
    names.forEach((n, i) => this.index.set(n, i));
    this.fns = names.map((n) => direct[n] as KernelFn);
    this.I.fill(0);
    this.canWait = probeWait(this.I);
  }

  private dispatched = 0;
  private lostWorkers = 0;

  /** Worker threads created (some may still be starting). */
  get size(): number {
    return this.workers.length;
  }

  /** Counters: workers that have instantiated the kernels, dispatches, parts run by workers. */
  get stats(): ThreadStats {
    return { workers: this.workers.length, started: Atomics.load(this.I, STARTED), dispatches: this.dispatched, workerParts: Atomics.load(this.I, WORKER_PARTS), lost: this.lostWorkers };
  }

  /** Starts workers until there are `n`. Throws if none can be started here. */
  grow(n: number): void {
    if (this.workers.length >= n) return;
    const kind = workerKind();
    if (!kind) throw new Error('cnn1d: this environment has no Worker (worker_threads in Node, Web Workers in browsers)');
    const names = [...this.index.keys()];
    const init: WorkerInit = { module: this.workerModule, memory: this.memory, ctrl: this.ctrl, names, spin: WORKER_SPIN, argsAt: ARGS_AT, argsSlots: ARGS_SLOTS };
    if (this.workers.length === 0) Atomics.store(this.I, STARTED, 0);
    Atomics.store(this.I, STOP, 0);
    while (this.workers.length < n) {
      let w: InstanceType<WorkerCtor>;
      if (kind.node) {
        w = new kind.Worker(workerSource(true), { eval: true });
        w.unref?.();
        w.on?.('error', (e) => (this.failed = e));
        w.on?.('exit', () => this.exited(w));
      } else {
        this.url ??= URL.createObjectURL(new Blob([workerSource(false)], { type: 'text/javascript' }));
        w = new kind.Worker(this.url);
        w.onerror = (e: unknown) => (this.failed = e);
      }
      w.postMessage(init);
      this.workers.push(w);
    }
  }

  /** The error a worker reported when it failed to start (it then never claims a part), or null. */
  get startError(): unknown {
    return this.failed;
  }

  /** Runs the parts, the caller taking its share. Returns false (nothing run) when there are more
   *  than MAX_PARTS or they do not fit in the argument area; the caller then runs the kernel itself. */
  run(parts: Part[]): boolean {
    const { I, F } = this;
    if (parts.length > MAX_PARTS) return false;
    Atomics.store(I, NEXT, PARKED); // a late worker of the last dispatch claims nothing meanwhile
    let at = 0;
    for (let p = 0; p < parts.length; p++) {
      I[OFFS + p] = at;
      at = this.encode(parts[p], at);
      if (at < 0) return false;
    }
    Atomics.store(I, NPARTS, parts.length);
    Atomics.store(I, REMAINING, parts.length);
    Atomics.store(I, ERRORS, 0);
    Atomics.store(I, NEXT, 0);
    this.dispatched++;
    Atomics.add(I, GEN, 1);
    Atomics.notify(I, GEN, Math.min(parts.length - 1, this.workers.length));
    for (;;) {
      const p = Atomics.add(I, NEXT, 1);
      if (p >= parts.length) break;
      try {
        execute(this.fns, F, I[OFFS + p]);
      } catch {
        Atomics.add(I, ERRORS, 1);
      }
      Atomics.sub(I, REMAINING, 1);
    }
    let r = Atomics.load(I, REMAINING);
    for (let i = 0; r !== 0 && i < CALLER_SPIN; i++) r = Atomics.load(I, REMAINING);
    while (r !== 0) {
      if (this.canWait) Atomics.wait(I, REMAINING, r);
      r = Atomics.load(I, REMAINING);
    }
    const errors = Atomics.load(I, ERRORS);
    if (errors) throw new Error(`cnn1d: ${errors} of ${parts.length} parts of ${parts[0][0]?.fn ?? 'a kernel'} failed (a kernel trapped)`);
    return true;
  }

  /** Writes one part at f64 index `at`; returns the next free index, or -1 when it does not fit. */
  private encode(part: Part, at: number): number {
    const F = this.F;
    let need = 1;
    for (const c of part) need += 3 + 2 * c.args.length;
    if (at + need > F.length) return -1;
    F[at++] = part.length;
    for (const c of part) {
      const fn = this.index.get(c.fn);
      if (fn === undefined) throw new Error(`cnn1d: no kernel "${c.fn}" to run on a thread`);
      const n = c.args.length;
      F[at] = fn;
      F[at + 1] = n;
      F[at + 2] = c.reps ?? 1;
      at += 3;
      for (let i = 0; i < n; i++) {
        F[at + i] = c.args[i];
        F[at + n + i] = c.incs?.[i] ?? 0;
      }
      at += 2 * n;
    }
    return at;
  }

  /** A worker exited. Unless terminate() removed it first, it was lost (terminated by code
   *  holding its handle, or crashed): the pool stops its other workers too, so that the counts
   *  read 0 rather than a thread that is gone, and the next parallel call (grow) starts a full set
   *  again. (Node only: a browser Worker has no exit event.) It was idle: a dispatch returns only
   *  after every part ran, and nothing else runs on the calling thread meanwhile. */
  private exited(w: WorkerHandle): void {
    if (!this.workers.includes(w)) return;
    this.lostWorkers++;
    this.terminate();
  }

  /** Stops and terminates every worker; the pool can start new ones later. */
  terminate(): void {
    Atomics.store(this.I, STOP, 1);
    Atomics.notify(this.I, GEN);
    for (const w of this.workers.splice(0)) w.terminate();
    Atomics.store(this.I, STARTED, 0);
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = null;
  }
}

/** Whether this thread may block in Atomics.wait (not a browser's main thread). */
function probeWait(I: Int32Array): boolean {
  try {
    Atomics.wait(I, STOP, 12345, 0); // STOP is 0: returns "not-equal" at once where waiting is allowed
    return true;
  } catch {
    return false;
  }
}
