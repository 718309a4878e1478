// One WebAssembly.Memory, the kernel instance that imports it, the arena that plans it, and the
// worker threads that share it (src/threads). Views over memory.buffer go stale after
// memory.grow (an unshared memory's buffer is detached; a shared one's keeps its old length), so
// they are made on demand by f32()/i32() and never cached by callers across an allocation.
//
// Threads: where SharedArrayBuffer is available (Node; browsers on a cross-origin isolated page)
// the memory is shared and `kernels` runs the large GEMM, convolution, pooling, elementwise and
// optimizer calls over `threads` threads (splits.ts); elsewhere it is unshared and one thread
// runs everything. The control block of the threads sits between the module's static data and
// the arena.

import { wasmBase64, type KernelExports } from '../generated/kernels.ts';
import { ConfigError, showValue } from '../layers/args.ts';
import { MIN_PARALLEL_NS, parallelKernels } from '../threads/parallel.ts';
import { canStartWorkers, ThreadPool, type ThreadStats } from '../threads/pool.ts';
import { CONTROL_BYTES, MAX_PARTS } from '../threads/worker.ts';
import { passiveData, unshareMemory } from '../threads/wasm-patch.ts';
import { Arena } from './arena.ts';

export type { KernelExports };

/** Most threads a runtime runs a kernel on. */
export const MAX_THREADS = MAX_PARTS;

export interface RuntimeThreadsOptions {
  /** The kernel module compiled for workers (passive data segments, shared memory import). */
  workerModule: WebAssembly.Module;
  /** Byte address of CONTROL_BYTES reserved for the threads' control block. */
  control: number;
}

/** The cnn1d runtime: memory, kernels, arena, threads. */
export class Runtime {
  readonly arena: Arena;
  /** The kernels: calls go to the instance, or are split over the threads (src/threads/splits.ts). */
  readonly kernels: KernelExports;
  /** The instance's exports themselves: every call on the calling thread. */
  readonly direct: KernelExports;
  private requested = 1;
  private pool: ThreadPool | null = null;
  private usable: boolean;
  private readonly fixed = new Map<number, KernelExports>();
  /** Estimated single-thread nanoseconds below which a kernel call is not split (the dispatch
   *  would cost more than it saves); 0 splits every call that has a split. */
  parallelThreshold = MIN_PARALLEL_NS;

  constructor(
    readonly memory: WebAssembly.Memory,
    kernels: KernelExports,
    private readonly threading?: RuntimeThreadsOptions,
  ) {
    this.direct = kernels;
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    this.usable = Boolean(threading) && shared && canStartWorkers();
    this.arena = new Arena(memory, threading && shared ? threading.control + CONTROL_BYTES : kernels.heapBase());
    this.kernels = parallelKernels(kernels, { threads: () => this.threads, minNs: () => this.parallelThreshold, pool: (n) => this.poolFor(n) });
    if (this.usable) this.requested = defaultThreads();
  }

  /** Whether kernels can run on several threads here: a shared memory (SharedArrayBuffer; in a
   *  browser, a cross-origin isolated page) and workers that can be started. */
  get threadsAvailable(): boolean {
    return this.usable;
  }

  /** Threads the kernels run on (1 where threadsAvailable is false, whatever was set). */
  get threads(): number {
    return this.usable ? this.requested : 1;
  }

  set threads(n: number) {
    this.requested = checkThreads('Runtime.threads', n);
  }

  /** A kernel table running on `n` threads whatever `threads` is (1 where threads are unavailable). */
  kernelsFor(n: number): KernelExports {
    n = checkThreads('Runtime.kernelsFor', n);
    let k = this.fixed.get(n);
    if (!k) this.fixed.set(n, (k = parallelKernels(this.direct, { threads: () => (this.usable ? n : 1), minNs: () => this.parallelThreshold, pool: (m) => this.poolFor(m) })));
    return k;
  }

  /** Starts the workers for `n` threads (default: threads) and resolves once they have all
   *  instantiated the kernels (or after `timeoutMs`), to the number started. Optional: kernels
   *  never wait for a worker (parts it has not taken run on the calling thread), but timing and
   *  browser pages, whose workers start only while the main thread is idle, call it first. */
  async startThreads(n = this.threads, timeoutMs = 10_000): Promise<number> {
    n = checkThreads('Runtime.startThreads', n);
    const pool = n > 1 ? this.poolFor(n) : null;
    if (!pool) return 0;
    const t0 = Date.now();
    while (pool.stats.started < n - 1 && Date.now() - t0 < timeoutMs && !pool.startError) await new Promise((r) => setTimeout(r, 5));
    return pool.stats.started;
  }

  /** Counters of the worker threads (all 0 before any parallel call). */
  get threadStats(): ThreadStats {
    return this.pool?.stats ?? { workers: 0, started: 0, dispatches: 0, workerParts: 0, lost: 0 };
  }

  /** Stops the worker threads (started again by the next parallel call). Kernel results do not
   *  depend on it: it only gives the threads back. */
  terminateThreads(): void {
    this.pool?.terminate();
  }

  /** The pool with n - 1 workers, or null (threads unavailable, or workers failed to start). */
  private poolFor(n: number): ThreadPool | null {
    if (!this.usable || !this.threading) return null;
    try {
      this.pool ??= new ThreadPool(this.memory, this.threading.control, this.threading.workerModule, this.direct as unknown as Record<string, unknown>);
      this.pool.grow(n - 1);
    } catch {
      this.usable = false; // e.g. a Content-Security-Policy without worker-src blob:
      return null;
    }
    return this.pool;
  }

  /** A fresh Float32Array view of `n` floats at byte address `ptr`. */
  f32(ptr: number, n: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, n);
  }

  /** A fresh Int32Array view of `n` ints at byte address `ptr`. */
  i32(ptr: number, n: number): Int32Array {
    return new Int32Array(this.memory.buffer, ptr, n);
  }

  /** Allocates n floats (zeroed) and returns the byte address. */
  allocF32(n: number): number {
    return this.arena.alloc(n * 4);
  }

  /** Allocates n floats and copies `data` in. */
  upload(data: ArrayLike<number>): number {
    const ptr = this.allocF32(data.length);
    this.f32(ptr, data.length).set(data);
    return ptr;
  }

  /** Copies n floats out of memory. */
  download(ptr: number, n: number): Float32Array {
    return this.f32(ptr, n).slice();
  }

  release(ptr: number): void {
    this.arena.release(ptr);
  }
}

let bytes: Uint8Array<ArrayBuffer> | undefined;
const modules = new Map<string, WebAssembly.Module>();
let current: Runtime | undefined;

function wasmBytes(): Uint8Array<ArrayBuffer> {
  if (!bytes) {
    const bin = atob(wasmBase64);
    bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  }
  return bytes;
}

/** The module as built (shared memory import), unshared for the fallback, or for workers. */
function variant(kind: 'shared' | 'unshared' | 'worker'): Uint8Array<ArrayBuffer> {
  const b = wasmBytes();
  return kind === 'shared' ? b : kind === 'unshared' ? unshareMemory(b) : passiveData(b);
}

function compiled(kind: 'shared' | 'unshared' | 'worker'): WebAssembly.Module {
  let m = modules.get(kind);
  if (!m) modules.set(kind, (m = new WebAssembly.Module(variant(kind))));
  return m;
}

async function compiledAsync(kind: 'shared' | 'unshared' | 'worker'): Promise<WebAssembly.Module> {
  let m = modules.get(kind);
  if (!m) modules.set(kind, (m = await WebAssembly.compile(variant(kind))));
  return m;
}

function imports(memory: WebAssembly.Memory): WebAssembly.Imports {
  return {
    env: {
      memory,
      abort: () => {
        throw new Error('cnn1d: kernel abort');
      },
    },
  };
}

const INITIAL_PAGES = 16;
/** The module declares 65536 pages (4 GiB) at most; a shared memory reserves its maximum up front,
 *  so smaller maxima are tried where an engine refuses that much address space. */
const SHARED_MAXIMA = [65536, 16384, 4096];

/** Whether a shared memory can be made and handed to workers: SharedArrayBuffer exists (in a
 *  browser only on a cross-origin isolated page) and threads are not turned off. */
function sharingAllowed(): boolean {
  const g = globalThis as { crossOriginIsolated?: boolean; SharedArrayBuffer?: unknown };
  return typeof g.SharedArrayBuffer === 'function' && g.crossOriginIsolated !== false && canStartWorkers();
}

function newMemory(share = true): WebAssembly.Memory {
  if (share && sharingAllowed()) {
    for (const maximum of SHARED_MAXIMA) {
      try {
        return new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum, shared: true });
      } catch {
        // next maximum, then unshared
      }
    }
  }
  return new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: 65536 });
}

const isShared = (m: WebAssembly.Memory) => typeof SharedArrayBuffer !== 'undefined' && m.buffer instanceof SharedArrayBuffer;

function make(memory: WebAssembly.Memory, instance: WebAssembly.Instance, workerModule: WebAssembly.Module | null): Runtime {
  const kernels = instance.exports as unknown as KernelExports;
  const control = Math.ceil(kernels.heapBase() / 64) * 64;
  return new Runtime(memory, kernels, workerModule ? { workerModule, control } : undefined);
}

/** A new runtime with its own memory (the shared one is runtime()): `threads: false` makes its
 *  memory unshared, as where SharedArrayBuffer is unavailable (the single-thread fallback). */
export function createRuntime(options: { threads?: boolean } = {}): Runtime {
  const memory = newMemory(options.threads !== false);
  const shared = isShared(memory);
  const instance = new WebAssembly.Instance(compiled(shared ? 'shared' : 'unshared'), imports(memory));
  return make(memory, instance, shared ? compiled('worker') : null);
}

/** The shared runtime, instantiated synchronously on first use (Node, workers, browsers for a
 *  module of this size). Call `ready()` first in a browser main thread to compile asynchronously. */
export function runtime(): Runtime {
  if (!current) {
    current = createRuntime();
  }
  return current;
}

/** Compiles and instantiates the kernels asynchronously; resolves to the shared runtime. */
export async function ready(): Promise<Runtime> {
  if (!current) {
    const memory = newMemory();
    const shared = isShared(memory);
    const module = await compiledAsync(shared ? 'shared' : 'unshared');
    const workerModule = shared ? await compiledAsync('worker') : null;
    const instance = await WebAssembly.instantiate(module, imports(memory));
    current ??= make(memory, instance, workerModule);
  }
  return current;
}

/** Number of cores: os.availableParallelism() in Node, navigator.hardwareConcurrency in browsers. */
export function defaultThreads(): number {
  const g = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown }; navigator?: { hardwareConcurrency?: number } };
  const os = g.process?.getBuiltinModule?.('node:os') as { availableParallelism?: () => number } | undefined;
  const n = os?.availableParallelism?.() ?? g.navigator?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(MAX_THREADS, Math.floor(n)));
}

/** n if it is a thread count (an integer in 1..MAX_THREADS), else a ConfigError naming `where`. */
export function checkThreads(where: string, n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) throw new ConfigError(`${where}: threads must be an integer in 1..${MAX_THREADS}, got ${showValue(n)}`);
  return n;
}

/** Sets the threads of the shared runtime (default: the number of cores where threads are
 *  available, else 1; see docs/guides/threads.md). */
export function setThreads(n: number): void {
  runtime().threads = checkThreads('setThreads', n);
}

/** Threads the shared runtime's kernels run on (1 where threads are unavailable). */
export function getThreads(): number {
  return runtime().threads;
}

/** Starts the shared runtime's worker threads and resolves when they are ready (Runtime.startThreads). */
export function startThreads(n?: number): Promise<number> {
  return runtime().startThreads(n);
}

/** Stops the shared runtime's worker threads (they start again on the next parallel kernel call). */
export function terminateThreads(): void {
  current?.terminateThreads();
}
