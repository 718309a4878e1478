// The kernel table the layers call: the same names and signatures as the module's exports; an
// entry of splits.ts runs over the pool when there are several threads and the call is large
// enough to repay a dispatch, every other call (and every call on one thread) goes straight to
// the instance.

import type { ThreadPool } from './pool.ts';
import { SPLITS } from './splits.ts';
import { MAX_PARTS } from './worker.ts';

/** Estimated single-thread nanoseconds below which a call stays on the calling thread: a
 *  dispatch costs a few microseconds when the workers are spinning and tens when they sleep
 *  (bench: `node --import tsx bench/threads.ts`, docs/guides/threads.md). */
export const MIN_PARALLEL_NS = 40_000;
/** Calls estimated above FINE_NS are cut into FINE parts per thread: threads claim parts as they
 *  come free, so a thread the OS runs late (a busy machine) leaves its share to the others
 *  instead of holding up the call. */
export const FINE_NS = 400_000;
export const FINE = 4;

/** What a kernel table asks its runtime at each call. */
export interface Dispatch {
  /** Threads for this call. */
  threads(): number;
  /** Estimated nanoseconds below which a call runs on the calling thread. */
  minNs(): number;
  /** The pool with at least n - 1 workers, or null (then the call runs on the calling thread). */
  pool(n: number): ThreadPool | null;
}

export function parallelKernels<K extends object>(direct: K, ctl: Dispatch): K {
  const table: Record<string, unknown> = {};
  const d = direct as Record<string, unknown>;
  for (const name of Object.keys(d)) {
    const fn = d[name];
    const split = SPLITS[name];
    if (typeof fn !== 'function' || !split) {
      table[name] = fn;
      continue;
    }
    table[name] = (...args: number[]) => {
      const n = ctl.threads();
      if (n > 1) {
        let plan = split(args, n);
        if (plan && plan.ns >= ctl.minNs()) {
          if (plan.ns >= FINE_NS && n * FINE <= MAX_PARTS) plan = split(args, n * FINE) ?? plan;
          const parts = plan.parts(); // made only now: small calls pay for the estimate alone
          const p = parts.length > 1 ? ctl.pool(n) : null;
          if (p && p.run(parts)) return;
        }
      }
      return (fn as (...a: number[]) => unknown)(...args);
    };
  }
  return table as K;
}
