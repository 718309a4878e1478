// npm run bench's machinery on the tiny workloads, for correctness only (no timing assertions):
// every system builds the same network from cnn1d's weights and passes the cross-check, a peer
// that disagrees is refused with a message naming what differs, and the CLI prints JSON lines.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { disagreement, runWorkload, type Options, type Result } from '../../bench/run.ts';
import { targetLines, twoThreadLines, workloadTable } from '../../bench/report.ts';
import { Cnn1dSystem } from '../../bench/systems/cnn1d.ts';
import { ReferenceSystem } from '../../bench/systems/reference.ts';
import { TfjsSystem } from '../../bench/systems/tfjs.ts';
import { TorchSystem, torchUnavailable } from '../../bench/systems/torch.ts';
import type { Steps, System } from '../../bench/systems/types.ts';
import { findWorkload, flops, TINY, type Workload } from '../../bench/workloads.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const quick = (log: string[]): Options => ({ rounds: 1, targetMs: 1, budgetS: 1, log: (l) => log.push(l) });
const noTorch = torchUnavailable();
if (noTorch) console.warn(`test/bench: PyTorch part skipped: ${noTorch}`);

function checkFigures(r: Result, w: Workload, trains: boolean): void {
  const f = flops(w);
  assert.equal(r.error, undefined, `${r.system} ${r.workload}: ${r.error}`);
  assert.equal(r.threads, 1);
  for (const v of [r.infer_sps, r.latency_b1_ms, r.infer_gflops]) assert.ok(v !== null && v > 0 && Number.isFinite(v), `${r.system} ${r.workload}: ${JSON.stringify(r)}`);
  assert.ok(Math.abs(r.infer_gflops! - (r.infer_sps! * f.forward) / 1e9) <= 1e-9 * r.infer_gflops!);
  if (trains) {
    assert.ok(r.train_sps !== null && r.train_sps > 0 && Number.isFinite(r.train_sps), `${r.system} ${r.workload} trains`);
    assert.ok(Math.abs(r.train_gflops! - (r.train_sps * f.train) / 1e9) <= 1e-9 * r.train_gflops!);
  } else assert.equal(r.train_sps, null);
}

test('every system builds each tiny workload from cnn1d weights, agrees with cnn1d and gets all its figures', async () => {
  const systems: System[] = [new Cnn1dSystem(), new ReferenceSystem(), new TfjsSystem('cpu'), new TfjsSystem('wasm'), ...(noTorch ? [] : [new TorchSystem(1)])];
  try {
    for (const w of TINY) {
      const log: string[] = [];
      const results = await runWorkload(w, systems, quick(log));
      assert.deepEqual(results.map((r) => r.system), systems.map((s) => s.name));
      results.forEach((r, i) => checkFigures(r, w, systems[i].metrics.includes('train')));
      assert.ok(log.some((l) => l.startsWith(`${w.id}: train timed`)), log.join('\n'));
      const table = workloadTable(results).join('\n');
      for (const s of systems) assert.match(table, new RegExp(`^  ${s.name} `, 'm'));
    }
  } finally {
    for (const s of systems) await s.close();
  }
});

/** The reference system with one output or one loss nudged beyond tolerance. */
class Nudged extends ReferenceSystem {
  constructor(private readonly what: 'outputs' | 'losses') {
    super();
  }
  override async inferOutputs(): Promise<Float32Array> {
    const out = await super.inferOutputs();
    if (this.what === 'outputs') out[3] += 0.01;
    return out;
  }
  override async trainLosses(steps: number): Promise<Steps> {
    const l = await super.trainLosses(steps);
    if (this.what === 'losses') l.losses[1] *= 1.01;
    return l;
  }
}

test('a peer whose outputs or losses differ from cnn1d is not timed, and the message says what differs', async () => {
  const w = findWorkload('tiny-mse');
  for (const [what, pattern] of [['outputs', /disagrees with cnn1d, not timed: inference outputs at batch 32: element 3 is/], ['losses', /disagrees with cnn1d, not timed: losses of 2 training steps .*element 1 is/]] as const) {
    const log: string[] = [];
    const [base, bad] = await runWorkload(w, [new Cnn1dSystem(), new Nudged(what)], quick(log));
    assert.match(bad.error ?? '', pattern);
    assert.deepEqual([bad.train_sps, bad.infer_sps, bad.latency_b1_ms], [null, null, null]);
    assert.ok(base.train_sps! > 0 && base.error === undefined);
    assert.ok(log.some((l) => pattern.test(l)), log.join('\n'));
  }
});

test('disagreement: float32 tolerance, and the first element outside it', () => {
  assert.equal(disagreement('x', [1, 2, 3], Float32Array.of(1, 2 + 1e-6, 3)), null);
  assert.match(disagreement('x', [1, 2.01, 3], [1, 2, 3]) ?? '', /^x: element 1 is 2.01, cnn1d has 2 /);
  assert.match(disagreement('x', [1, 2], [1, 2, 3]) ?? '', /^x: 2 values, cnn1d has 3/);
});

test('FLOPs are 2 x the conv and dense multiply-adds, training 3 x forward', () => {
  // keras-seed: conv 98 x 32 x (3 x 1), dense 1568 -> 128, dense 128 -> 10
  const k = flops(findWorkload('keras-seed'));
  assert.equal(k.forward, 2 * (98 * 32 * 3 + 49 * 32 * 128 + 128 * 10));
  assert.equal(k.train, 3 * k.forward);
  // fcn-ecg: 'same' convs keep length 140: 1 -> 128 (k 8), 128 -> 256 (k 5), 256 -> 128 (k 3), dense 128 -> 5
  assert.equal(flops(findWorkload('fcn-ecg')).forward, 2 * (140 * 128 * 8 + 140 * 256 * 5 * 128 + 140 * 128 * 3 * 256 + 128 * 5));
});

test('targets compare the ratios of one run', () => {
  const r = (system: string, train: number, infer: number): Result => ({ system, workload: 'keras-seed', threads: 1, train_sps: train, infer_sps: infer, latency_b1_ms: 1, train_gflops: null, infer_gflops: null, rounds: {} });
  const lines = targetLines([r('cnn1d', 1000, 3000), r('torch', 400, 100), r('tfjs-cpu', 25, 10), r('tfjs-wasm', null as unknown as number, 2000)]);
  assert.deepEqual(lines.map((l) => l.trim().replace(/\s+/g, ' ')), ['met keras-seed training >= 2x PyTorch (1 thread): 2.50x', 'NOT met keras-seed training >= 50x TF.js cpu: 40x', 'NOT met keras-seed inference >= 2x TF.js wasm: 1.50x']);
});

test('npm run bench --json prints one object per system with the documented fields', () => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/models.ts', '--quick', '--json', '--workloads', 'tiny-sce', '--systems', 'reference', '--rounds', '1'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const rows = out.trim().split('\n').map((l) => JSON.parse(l) as Result);
  assert.deepEqual(rows.map((r) => r.system), ['cnn1d', 'reference']);
  for (const r of rows) {
    assert.deepEqual(Object.keys(r).slice(0, 6), ['system', 'workload', 'threads', 'train_sps', 'infer_sps', 'latency_b1_ms']);
    checkFigures(r, TINY[0], true);
  }
});

test('cnn1d-2t: the same model on 2 threads, a threads column of 2, its speedup lines against 1 thread', () => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/models.ts', '--quick', '--json', '--workloads', 'tiny-sce', '--systems', 'cnn1d-2t', '--rounds', '1'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const rows = out.trim().split('\n').map((l) => JSON.parse(l) as Result);
  assert.deepEqual(rows.map((r) => [r.system, r.threads, r.error]), [['cnn1d', 1, undefined], ['cnn1d', 2, undefined]]);
  for (const r of rows) assert.ok(r.train_sps! > 0 && r.infer_sps! > 0 && r.latency_b1_ms! > 0, JSON.stringify(r));
  const r = (threads: number, workload: string, train: number, infer: number): Result => ({ system: 'cnn1d', workload, threads, train_sps: train, infer_sps: infer, latency_b1_ms: 1, train_gflops: null, infer_gflops: null, rounds: {} });
  const lines = twoThreadLines([r(1, 'fcn-500', 100, 400), r(2, 'fcn-500', 180, 600), { ...r(1, 'fcn-ecg', 10, 1), system: 'torch' }, r(2, 'fcn-ecg', 12, 1)]);
  assert.deepEqual(lines.map((l) => l.trim().replace(/\s+/g, ' ')), ['met fcn-500 training on 2 threads >= 1.7x 1 thread: 1.80x', 'NOT met fcn-500 inference on 2 threads >= 1.7x 1 thread: 1.50x', 'met fcn-ecg training on 2 threads faster than PyTorch on 1: 1.20x']);
});
