// The readable output of `npm run bench`: one table per workload with cnn1d's ratio to each peer,
// then the one-thread targets of issue 8 checked against the ratios of the same run.
import type { Result } from './run.ts';
import { findWorkload, flops, INFER_BATCH } from './workloads.ts';

const num = (v: number | null, digits = 0) => (v === null || !Number.isFinite(v) ? '-' : v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
const sps = (v: number | null) => num(v, v !== null && v < 10 ? 2 : 0);
const ms = (v: number | null) => (v === null || !Number.isFinite(v) ? '-' : v >= 1 ? v.toFixed(2) : v.toPrecision(3));
const mflop = (v: number) => (v >= 1e6 ? `${(v / 1e6).toFixed(2)} MFLOP` : `${(v / 1e3).toFixed(2)} kFLOP`);
const ratio = (v: number | null) => (v === null || !Number.isFinite(v) ? '-' : `${v >= 10 ? v.toFixed(0) : v.toFixed(2)}x`);

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
}

/** cnn1d's speed over a peer's: samples/s ratio, or the peer's latency over cnn1d's. */
export function ratios(base: Result, peer: Result): { train: number | null; infer: number | null; latency: number | null } {
  const div = (a: number | null, b: number | null) => (a === null || b === null ? null : a / b);
  return { train: div(base.train_sps, peer.train_sps), infer: div(base.infer_sps, peer.infer_sps), latency: div(peer.latency_b1_ms, base.latency_b1_ms) };
}

export function workloadTable(results: Result[]): string[] {
  const w = findWorkload(results[0].workload);
  const f = flops(w);
  const base = results.find((r) => r.system === 'cnn1d' && r.threads === 1)!;
  const head = [`${w.id}: input [${w.input}], train batch ${w.batch}, inference batch ${INFER_BATCH}; ${mflop(f.forward)} forward, ${mflop(f.train)} training per sample (2 x multiply-adds of conv and dense; training 3 x forward)`];
  const rows = [['system', 'threads', 'train/s', 'infer/s', 'b1 ms', 'train GFLOP/s', 'infer GFLOP/s', 'cnn1d x: train', 'infer', 'b1 latency']];
  for (const r of results) {
    if (r.error) continue;
    const q = r === base || r.system === 'cnn1d' ? null : ratios(base, r); // cnn1d on 2 threads: speedup line below
    rows.push([r.system, String(r.threads), sps(r.train_sps), sps(r.infer_sps), ms(r.latency_b1_ms), num(r.train_gflops, 2), num(r.infer_gflops, 2), q ? ratio(q.train) : '', q ? ratio(q.infer) : '', q ? ratio(q.latency) : '']);
  }
  const notes = results.filter((r) => r.error).map((r) => `  ${r.system}: ${r.error}`);
  for (const r of results.filter((x) => x.system === 'cnn1d' && x !== base && !x.error)) {
    const q = ratios(r, base);
    notes.push(`  cnn1d on ${r.threads} threads over 1: train ${ratio(q.train)}, infer ${ratio(q.infer)}, b1 latency ${ratio(q.latency)}`);
  }
  return [...head, ...table(rows).map((l) => `  ${l}`), ...notes];
}

interface Target {
  text: string;
  peer: string;
  metric: 'train' | 'infer';
  workloads: string[] | 'all';
  min: number;
}

// issue 8, "Targets": the one-thread ones this bench can decide today
export const TARGETS: Target[] = [
  { text: 'training >= 1.0x PyTorch (1 thread)', peer: 'torch', metric: 'train', workloads: ['fcn-500', 'samplecnn-8k'], min: 1 },
  { text: 'training >= 2x PyTorch (1 thread)', peer: 'torch', metric: 'train', workloads: ['keras-seed'], min: 2 },
  { text: 'training >= 10x PyTorch (1 thread)', peer: 'torch', metric: 'train', workloads: ['tutorial-18'], min: 10 },
  { text: 'training >= 50x TF.js cpu', peer: 'tfjs-cpu', metric: 'train', workloads: 'all', min: 50 },
  { text: 'inference >= 2x TF.js wasm', peer: 'tfjs-wasm', metric: 'infer', workloads: 'all', min: 2 },
];

/** The two-thread targets: >= 1.7x one thread on fcn-500 and samplecnn-8k (training and
 *  inference), and fcn-ecg training on 2 threads faster than PyTorch on 1. */
export function twoThreadLines(results: Result[]): string[] {
  const lines: string[] = [];
  const line = (ok: boolean, w: string, text: string, q: number) => lines.push(`  ${ok ? 'met    ' : 'NOT met'}  ${w.padEnd(12)} ${text}: ${ratio(q)}`);
  for (const two of results.filter((r) => r.system === 'cnn1d' && r.threads === 2 && !r.error)) {
    const one = results.find((r) => r.system === 'cnn1d' && r.threads === 1 && r.workload === two.workload && !r.error);
    if (one && ['fcn-500', 'samplecnn-8k'].includes(two.workload)) {
      const q = ratios(two, one);
      if (q.train !== null) line(q.train >= 1.7, two.workload, 'training on 2 threads >= 1.7x 1 thread', q.train);
      if (q.infer !== null) line(q.infer >= 1.7, two.workload, 'inference on 2 threads >= 1.7x 1 thread', q.infer);
    }
    const torch = results.find((r) => r.system === 'torch' && r.workload === two.workload && !r.error);
    const q = torch && ratios(two, torch).train;
    if (two.workload === 'fcn-ecg' && q) line(q >= 1, two.workload, 'training on 2 threads faster than PyTorch on 1', q);
  }
  return lines;
}

/** One line per target and workload present in the results: met / NOT met with the ratio. */
export function targetLines(results: Result[]): string[] {
  const lines: string[] = [];
  for (const t of TARGETS) {
    for (const base of results.filter((r) => r.system === 'cnn1d' && r.threads === 1 && (t.workloads === 'all' || t.workloads.includes(r.workload)))) {
      const peer = results.find((r) => r.system === t.peer && r.workload === base.workload && !r.error);
      if (!peer) continue;
      const q = ratios(base, peer)[t.metric];
      if (q === null) continue;
      lines.push(`  ${q >= t.min ? 'met    ' : 'NOT met'}  ${base.workload.padEnd(12)} ${t.text}: ${ratio(q)}`);
    }
  }
  return lines;
}
