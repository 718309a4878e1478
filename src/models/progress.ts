// Training progress: a live bar on a TTY (epoch, step, loss, metrics, samples/s, ETA), plain
// lines otherwise (one per epoch), nothing with verbose 0. Browser-safe: uses process only when
// it exists.

import type { Callback, Logs } from './callbacks.ts';

interface Out {
  tty: boolean;
  write(s: string): void;
}

function stdout(): Out {
  const proc = (globalThis as { process?: { stdout?: { isTTY?: boolean; write(s: string): void } } }).process;
  if (proc?.stdout) return { tty: Boolean(proc.stdout.isTTY), write: (s) => proc.stdout!.write(s) };
  return { tty: false, write: (s) => console.log(s.replace(/\n$/, '')) };
}

const fmt = (logs: Logs) =>
  Object.entries(logs)
    .map(([k, v]) => `${k}: ${Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(3)}`)
    .join(' - ');

function seconds(s: number): string {
  return s >= 60 ? `${Math.floor(s / 60)}m${Math.round(s % 60)}s` : `${s.toFixed(1)}s`;
}

export class ProgressLogger implements Callback {
  private readonly out: Out;
  private epochStart = 0;
  private lastDraw = 0;
  private epoch = 0;
  private width = 0;

  constructor(
    private readonly verbose: 0 | 1 | 2,
    private readonly epochs: number,
    private readonly stepsPerEpoch: number,
    private readonly samplesPerEpoch: number,
    out?: Out,
  ) {
    this.out = out ?? stdout();
  }

  private get bar(): boolean {
    return this.verbose === 1 && this.out.tty;
  }

  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
    this.epochStart = performance.now();
    this.lastDraw = 0;
  }

  onBatchEnd(batch: number, logs: Logs): void {
    if (!this.bar) return;
    const now = performance.now();
    const done = batch + 1;
    if (done < this.stepsPerEpoch && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const elapsed = (now - this.epochStart) / 1000;
    const samples = Math.min(this.samplesPerEpoch, (done * this.samplesPerEpoch) / this.stepsPerEpoch);
    const eta = (elapsed / done) * (this.stepsPerEpoch - done);
    const filled = Math.round((24 * done) / this.stepsPerEpoch);
    const bar = '='.repeat(Math.max(0, filled - 1)) + (done < this.stepsPerEpoch ? '>' : '=') + '.'.repeat(24 - filled);
    const line = `Epoch ${this.epoch + 1}/${this.epochs} [${bar}] ${done}/${this.stepsPerEpoch} - ETA ${seconds(eta)} - ${Math.round(samples / elapsed)} samples/s - ${fmt(logs)}`;
    this.out.write(`\r${line}${' '.repeat(Math.max(0, this.width - line.length))}`);
    this.width = line.length;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    if (this.verbose === 0) return;
    const elapsed = (performance.now() - this.epochStart) / 1000;
    const line = `Epoch ${epoch + 1}/${this.epochs} - ${seconds(elapsed)} - ${Math.round(this.samplesPerEpoch / elapsed)} samples/s - ${fmt(logs)}`;
    this.out.write(this.bar ? `\r${line}${' '.repeat(Math.max(0, this.width - line.length))}\n` : `${line}\n`);
    this.width = 0;
  }
}
