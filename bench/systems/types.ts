// What the bench asks of each system: load a workload with given weights, show its outputs, train
// a few steps from those weights, and time one of the three figures.
import type { Batches, Workload } from '../workloads.ts';

export type Metric = 'train' | 'infer' | 'latency';

export interface System {
  readonly name: string;
  readonly threads: number;
  /** Metrics the system can run (tfjs-wasm: inference only). */
  readonly metrics: Metric[];
  /** Builds the workload with these initial weights (getWeights() order) and keeps the batches. */
  load(w: Workload, weights: Float32Array[], data: Batches): Promise<void>;
  /** Inference outputs on data.xInfer, [INFER_BATCH, outputs]. */
  inferOutputs(): Promise<Float32Array>;
  /** From the initial weights and a fresh Adam: the loss of each of `steps` training steps on
   *  xTrain, and the seconds each step took (a slow system's last one is its first timed round). */
  trainLosses(steps: number): Promise<Steps>;
  /** train: seconds for n steps at the training batch; infer: n batches of INFER_BATCH;
   *  latency: the median seconds of n single-sample calls. */
  time(what: Metric, n: number): Promise<number>;
  unload(): Promise<void>;
  close(): Promise<void>;
}

export interface Steps {
  losses: number[];
  seconds: number[];
}

/** Runs fn (one training step returning its loss) `steps` times, timing each. */
export async function timedSteps(steps: number, fn: () => number | Promise<number>): Promise<Steps> {
  const out: Steps = { losses: [], seconds: [] };
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    out.losses.push(await fn());
    out.seconds.push((performance.now() - t0) / 1000);
  }
  return out;
}

/** Seconds for n calls of fn (latency: the median of n individually timed calls). Synchronous
 *  systems pass a function returning a non-promise and are timed without an await per call. */
export async function timeCalls(what: Metric, n: number, fn: () => unknown, isAsync = false): Promise<number> {
  const ts: number[] = [];
  const t00 = performance.now();
  for (let i = 0; i < n; i++) {
    const t0 = what === 'latency' ? performance.now() : 0;
    if (isAsync) await fn();
    else fn();
    if (what === 'latency') ts.push((performance.now() - t0) / 1000);
  }
  if (what !== 'latency') return (performance.now() - t00) / 1000;
  ts.sort((a, b) => a - b);
  return ts[ts.length >> 1];
}
