// PyTorch (Debian's python3-torch) through bench/torch_bench.py: a child process that builds the
// same network with the same weights and batches and times itself, one JSON line per command.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ADAM, INFER_BATCH, weightShapes, type Batches, type Workload } from '../workloads.ts';
import type { Metric, Steps, System } from './types.ts';

export const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../torch_bench.py', import.meta.url));

/** Why PyTorch cannot run here, or null when `import torch` works. */
export function torchUnavailable(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} did not start (${r.error.message})`;
  return r.status === 0 ? null : `${PYTHON} -c "import torch" failed: ${r.stderr.trim().split('\n').at(-1)}`;
}

type Reply = Record<string, unknown>;

export class TorchSystem implements System {
  readonly name: string;
  readonly metrics: Metric[] = ['train', 'infer', 'latency'];
  version = '';
  private child: ChildProcessWithoutNullStreams | null = null;
  private pending: ((r: Reply) => void)[] = [];
  private started: Promise<void> | null = null;

  constructor(readonly threads = 1) {
    this.name = threads === 1 ? 'torch' : `torch-${threads}t`;
  }

  private start(): Promise<void> {
    this.started ??= new Promise((resolve, reject) => {
      const child = spawn(PYTHON, [SCRIPT, String(this.threads)], { stdio: ['pipe', 'pipe', 'pipe'] });
      this.child = child;
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      child.on('error', reject);
      child.on('exit', (code) => {
        const e = new Error(`${this.name}: ${SCRIPT} exited with code ${code}${err ? `: ${err.trim()}` : ''}`);
        for (const p of this.pending.splice(0)) p({ error: e.message });
        reject(e);
      });
      const lines = createInterface({ input: child.stdout });
      this.pending.push((hello) => {
        this.version = String(hello.torch);
        resolve();
      });
      lines.on('line', (line) => this.pending.shift()?.(JSON.parse(line) as Reply));
    });
    return this.started;
  }

  private async call(msg: Reply): Promise<Reply> {
    await this.start();
    const reply = new Promise<Reply>((resolve) => this.pending.push(resolve));
    this.child!.stdin.write(JSON.stringify(msg) + '\n');
    const r = await reply;
    if (r.error) throw new Error(`${this.name} (${msg.cmd}): ${r.error}`);
    return r;
  }

  async load(w: Workload, weights: Float32Array[], data: Batches): Promise<void> {
    const list = (a: Float32Array) => Array.from(a);
    await this.call({
      cmd: 'load',
      workload: w,
      weights: weights.map(list),
      weightShapes: weightShapes(w).map((s) => s.shape),
      xTrain: list(data.xTrain),
      yTrain: list(data.yTrain),
      xInfer: list(data.xInfer),
      xOne: list(data.xOne),
      inferBatch: INFER_BATCH,
      adam: ADAM,
    });
  }

  async inferOutputs(): Promise<Float32Array> {
    return Float32Array.from((await this.call({ cmd: 'infer_outputs' })).out as number[]);
  }

  async trainLosses(steps: number): Promise<Steps> {
    const r = await this.call({ cmd: 'train_losses', steps });
    return { losses: r.losses as number[], seconds: r.seconds as number[] };
  }

  async time(what: Metric, n: number): Promise<number> {
    return (await this.call({ cmd: 'time', what, n })).seconds as number;
  }

  async unload(): Promise<void> {}

  async close(): Promise<void> {
    if (!this.child) return;
    this.child.removeAllListeners('exit');
    this.child.stdin.end();
    await new Promise((resolve) => this.child!.once('exit', resolve));
    this.child = null;
  }
}
