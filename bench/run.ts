// The bench machinery: per workload, every system gets cnn1d's initial weights and the same
// batches, its outputs (and its losses over two training steps) are checked against cnn1d's, and
// only then are the three figures timed, in alternating rounds cnn1d, peer, cnn1d, peer, ...
// Each system's figure is its best round (noise on a shared host only ever slows a round down).
import { initialWeights } from './systems/cnn1d.ts';
import type { Metric, System } from './systems/types.ts';
import { batches, flops, INFER_BATCH, type Workload } from './workloads.ts';

export interface Options {
  rounds: number;
  /** Length of one timed chunk (calls are repeated up to it). */
  targetMs: number;
  /** Most seconds one system spends timing one metric of one workload (at least one round runs). */
  budgetS: number;
  log: (line: string) => void;
}

export interface Result {
  system: string;
  workload: string;
  threads: number;
  train_sps: number | null;
  infer_sps: number | null;
  latency_b1_ms: number | null;
  train_gflops: number | null;
  infer_gflops: number | null;
  /** Timed rounds per metric (fewer than asked when a system is slow, see Options.budgetS). */
  rounds: Partial<Record<Metric, number>>;
  /** Why the system was not timed on this workload (load failure or disagreement with cnn1d). */
  error?: string;
}

/** First element where got and want differ beyond float32 tolerance, as a message, or null. */
export function disagreement(what: string, got: ArrayLike<number>, want: ArrayLike<number>, rtol = 1e-3, atol = 1e-4): string | null {
  if (got.length !== want.length) return `${what}: ${got.length} values, cnn1d has ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= atol + rtol * Math.abs(want[i]))) return `${what}: element ${i} is ${got[i]}, cnn1d has ${want[i]} (tolerance ${atol} + ${rtol} x |cnn1d|)`;
  }
  return null;
}

const CHECK_STEPS = 2; // the second loss is the loss after one Adam step

/** Loads the workload into every system and checks each peer against systems[0] (cnn1d).
 *  Returns the error of each system that cannot be timed, and the seconds of each one's last check step. */
async function check(w: Workload, systems: System[]): Promise<{ errors: Map<System, string>; stepSeconds: Map<System, number> }> {
  const errors = new Map<System, string>();
  const stepSeconds = new Map<System, number>();
  const weights = initialWeights(w);
  const data = batches(w);
  for (const s of systems) {
    try {
      await s.load(w, weights, data);
    } catch (e) {
      errors.set(s, `could not load: ${(e as Error).message}`);
    }
  }
  const [base, ...peers] = systems;
  if (errors.has(base)) throw new Error(`bench ${w.id}: ${base.name}: ${errors.get(base)}`);
  const out = await base.inferOutputs();
  const { losses, seconds } = await base.trainLosses(CHECK_STEPS);
  stepSeconds.set(base, seconds[CHECK_STEPS - 1]);
  for (const s of peers) {
    if (errors.has(s)) continue;
    try {
      let err = disagreement(`inference outputs at batch ${INFER_BATCH}`, await s.inferOutputs(), out);
      if (!err && s.metrics.includes('train')) {
        const steps = await s.trainLosses(CHECK_STEPS);
        stepSeconds.set(s, steps.seconds[CHECK_STEPS - 1]);
        err = disagreement(`losses of ${CHECK_STEPS} training steps from the same weights`, steps.losses, losses);
      }
      if (err) errors.set(s, `disagrees with cnn1d, not timed: ${err}`);
    } catch (e) {
      errors.set(s, `failed the check: ${(e as Error).message}`);
    }
  }
  return { errors, stepSeconds };
}

/** One figure from one timed chunk: samples/s, or milliseconds for latency. */
function figure(w: Workload, what: Metric, n: number, seconds: number): number {
  if (what === 'latency') return seconds * 1e3;
  return (n * (what === 'train' ? w.batch : INFER_BATCH)) / seconds;
}

const better = (what: Metric, a: number, b: number) => (what === 'latency' ? Math.min(a, b) : Math.max(a, b));

/** Times one metric on every system in alternating rounds; returns each system's best figure. */
async function timeMetric(w: Workload, what: Metric, systems: System[], o: Options, stepSeconds: Map<System, number>): Promise<Map<System, { value: number; rounds: number }>> {
  if (systems.length === 0) return new Map();
  const plan = new Map<System, { n: number; rounds: number; best: number; done: number; warm: boolean }>();
  for (const s of systems) {
    // calibration: a first call (which also warms up), then n calls fill one chunk of targetMs;
    // a training step slower than a chunk was already timed by the check (its second step)
    const known = what === 'train' ? stepSeconds.get(s) : undefined;
    const per = known !== undefined && known * 1e3 >= o.targetMs ? known : what === 'latency' ? await s.time(what, 5) : await s.time(what, 1);
    const n = Math.max(what === 'latency' ? 5 : 1, Math.min(1 << 16, Math.round(o.targetMs / 1e3 / per)));
    const chunk = n * per;
    const rounds = Math.max(1, Math.min(o.rounds, Math.floor(o.budgetS / chunk)));
    const slow = what !== 'latency' && per * 1e3 >= o.targetMs;
    // a slow system's calibration call is already a full chunk: it counts as its first round
    plan.set(s, { n, rounds, best: slow ? figure(w, what, 1, per) : NaN, done: slow ? 1 : 0, warm: per < 0.2 });
  }
  const [base, ...peers] = systems;
  if (base) plan.get(base)!.rounds *= Math.max(1, peers.length); // one cnn1d chunk beside each peer chunk
  const chunk = async (s: System) => {
    const p = plan.get(s)!;
    if (p.done >= p.rounds) return;
    if (p.warm) await s.time(what, 1); // the first call after another system ran is not timed
    const v = figure(w, what, p.n, await s.time(what, p.n));
    p.best = Number.isNaN(p.best) ? v : better(what, p.best, v);
    p.done++;
  };
  for (let r = 0; r < o.rounds; r++) {
    if (peers.length === 0) await chunk(base);
    for (const s of peers) {
      if (plan.get(s)!.done >= plan.get(s)!.rounds) continue;
      await chunk(base);
      await chunk(s);
    }
  }
  if (plan.get(base)!.done === 0) await chunk(base); // every peer was timed by its calibration alone
  return new Map(systems.map((s) => [s, { value: plan.get(s)!.best, rounds: plan.get(s)!.done }]));
}

/** Checks, then times one workload on all systems (systems[0] must be cnn1d, the baseline). */
export async function runWorkload(w: Workload, systems: System[], o: Options): Promise<Result[]> {
  const { errors, stepSeconds } = await check(w, systems);
  for (const [s, e] of errors) o.log(`${w.id}: ${s.name} ${e}`);
  const ok = systems.filter((s) => !errors.has(s));
  const results = new Map<System, Result>(
    systems.map((s) => [s, { system: s.name, workload: w.id, threads: s.threads, train_sps: null, infer_sps: null, latency_b1_ms: null, train_gflops: null, infer_gflops: null, rounds: {}, ...(errors.has(s) ? { error: errors.get(s) } : {}) }]),
  );
  const f = flops(w);
  for (const what of ['train', 'infer', 'latency'] as Metric[]) {
    const timed = await timeMetric(w, what, ok.filter((s) => s.metrics.includes(what)), o, stepSeconds);
    for (const [s, { value, rounds }] of timed) {
      const r = results.get(s)!;
      r.rounds[what] = rounds;
      if (what === 'train') [r.train_sps, r.train_gflops] = [value, (value * f.train) / 1e9];
      if (what === 'infer') [r.infer_sps, r.infer_gflops] = [value, (value * f.forward) / 1e9];
      if (what === 'latency') r.latency_b1_ms = value;
    }
    o.log(`${w.id}: ${what} timed (${[...timed].map(([s, t]) => `${s.name} ${t.rounds} round${t.rounds === 1 ? '' : 's'}`).join(', ')})`);
  }
  for (const s of systems) await s.unload();
  return [...results.values()];
}
