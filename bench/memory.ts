// fcn-500 trained for many steps (default 10,000, the last batch of every 5-step "epoch" partial):
// the WebAssembly memory and the arena's high-water mark must not move after the first step.
// test/runtime/memory.test.ts checks the same on a small model with fcn-500's layer kinds.
//   node --import tsx bench/memory.ts [--steps N] [--workload id]
import { runtime } from '../src/runtime/runtime.ts';
import { buildCnn1d } from './systems/cnn1d.ts';
import { batches, findWorkload } from './workloads.ts';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : dflt;
};
const steps = Number(arg('--steps', '10000'));
if (!Number.isInteger(steps) || steps < 2) throw new Error(`bench/memory: --steps must be an integer >= 2, got ${arg('--steps', '')}`);
const w = findWorkload(arg('--workload', 'fcn-500'));
const per = w.input[0] * w.input[1];
const d = batches(w);
const m = buildCnn1d(w);
const rt = runtime();
const state = () => ({ memoryBytes: rt.memory.buffer.byteLength, highWater: rt.arena.highWater, inUse: rt.arena.bytesInUse });
m.trainOnBatch(d.xTrain, d.yTrain, w.batch);
const first = state();
const last = Math.max(1, w.batch >> 2);
const t0 = performance.now();
for (let s = 1; s < steps; s++) {
  const b = s % 5 === 4 ? last : w.batch;
  m.trainOnBatch(d.xTrain.subarray(0, b * per), d.yTrain.subarray(0, b * (d.yTrain.length / w.batch)), b);
}
const end = state();
const flat = JSON.stringify(first) === JSON.stringify(end);
console.log(`${w.id}: ${steps} steps (batches of ${w.batch}, every 5th of ${last}) in ${((performance.now() - t0) / 1000).toFixed(0)} s; after step 1 ${JSON.stringify(first)}, at the end ${JSON.stringify(end)}: ${flat ? 'flat' : 'MOVED'}`);
m.dispose();
if (!flat) process.exit(1);
