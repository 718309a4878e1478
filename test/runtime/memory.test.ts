// Memory stays flat while training (issue 8 item 4): after the first step no step allocates, the
// WebAssembly memory does not grow and the arena's high-water mark does not move, including the
// partial last batch of an epoch, which runs on the buffers planned for the full batch. The model
// has fcn-500's layer kinds (conv 'same' -> batch norm -> relu, twice, global average pooling,
// dense softmax) at a size the suite can step 10,000 times; bench/memory.ts checks fcn-500 itself.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { layers, optimizers, sequential, tensor } from '../../src/index.ts';
import { runtime } from '../../src/runtime/runtime.ts';
import { Random } from '../../src/runtime/random.ts';

const [L, BATCH, LAST] = [24, 8, 3]; // an epoch of 8 * k + 3 samples ends with a batch of 3

function fcnLike() {
  const m = sequential({
    seed: 4,
    layers: [
      layers.conv1d({ filters: 8, kernelSize: 3, padding: 'same', inputShape: [L, 1] }),
      layers.batchNormalization(),
      layers.activation({ activation: 'relu' }),
      layers.conv1d({ filters: 8, kernelSize: 3, padding: 'same' }),
      layers.batchNormalization(),
      layers.activation({ activation: 'relu' }),
      layers.globalAveragePooling1d(),
      layers.dense({ units: 2, activation: 'softmax' }),
    ],
  });
  m.compile({ optimizer: optimizers.adam({ learningRate: 1e-3 }), loss: 'sparseCategoricalCrossentropy' });
  return m;
}

/** Counts arena allocations while fn runs (until its promise settles). */
async function allocations(fn: () => unknown): Promise<number> {
  const arena = runtime().arena;
  const alloc = arena.alloc.bind(arena);
  let n = 0;
  arena.alloc = (bytes: number) => (n++, alloc(bytes));
  try {
    await fn();
  } finally {
    arena.alloc = alloc;
  }
  return n;
}

test('10,000 training steps, full and partial batches, leave the memory and the arena high-water mark flat', async () => {
  const rng = new Random(3);
  const x = rng.uniformArray(BATCH * L, -1, 1);
  const y = Float32Array.from({ length: BATCH }, (_, i) => i % 2);
  const m = fcnLike();
  const rt = runtime();
  m.trainOnBatch(x, y, BATCH); // the first step plans the memory
  const before = { bytes: rt.memory.buffer.byteLength, high: rt.arena.highWater, inUse: rt.arena.bytesInUse, work: m.workBytes };
  let loss = 0;
  const n = await allocations(() => {
    for (let s = 1; s < 10_000; s++) {
      const batch = s % 5 === 4 ? LAST : BATCH; // the last batch of each 5-step "epoch" is partial
      loss = m.trainOnBatch(x.subarray(0, batch * L), y.subarray(0, batch), batch);
    }
  });
  assert.ok(Number.isFinite(loss), `loss after 10,000 steps: ${loss}`);
  assert.equal(n, 0, 'no step after the first allocates');
  assert.deepEqual({ bytes: rt.memory.buffer.byteLength, high: rt.arena.highWater, inUse: rt.arena.bytesInUse, work: m.workBytes }, before);
  m.dispose();
});

test('fit: the partial last batch of every epoch reuses the plan made for the full batch', async () => {
  const rng = new Random(5);
  const n = 4 * BATCH + LAST;
  const x = tensor(rng.uniformArray(n * L, -1, 1), [n, L, 1]);
  const y = Int32Array.from({ length: n }, (_, i) => i % 2);
  const m = fcnLike();
  const rt = runtime();
  await m.fit(x, y, { epochs: 1, batchSize: BATCH, verbose: 0, shuffle: false }); // plans
  const before = { bytes: rt.memory.buffer.byteLength, high: rt.arena.highWater, work: m.workBytes };
  const allocs = await allocations(() => m.fit(x, y, { epochs: 3, batchSize: BATCH, verbose: 0, shuffle: true }));
  assert.equal(allocs, 0, 'fit allocated while starting its epochs');
  assert.deepEqual({ bytes: rt.memory.buffer.byteLength, high: rt.arena.highWater, work: m.workBytes }, before);
  m.dispose();
});

test('inference plans only live buffers: a deep chain holds a few activations, not all of them', () => {
  const blocks = 6;
  const m = sequential({
    seed: 2,
    layers: [
      ...Array.from({ length: blocks }, (_, i) => [layers.conv1d({ filters: 8, kernelSize: 3, padding: 'same', ...(i === 0 ? { inputShape: [L, 8] as [number, number] } : {}) }), layers.batchNormalization(), layers.activation({ activation: 'relu' })]).flat(),
      layers.globalAveragePooling1d(),
      layers.dense({ units: 2, activation: 'softmax' }),
    ],
  });
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const B = 16;
  m.forwardBatch(new Float32Array(B * L * 8), B, false);
  // per block: conv output, batch norm output, relu output [B, L, 8] and the padded input [B, L+2, 8]
  const every = blocks * (3 * L + (L + 2)) * 8 * B * 4;
  assert.ok(m.workBytes < every / 4, `inference work ${m.workBytes} bytes, every buffer ${every}`);
  m.prepare(B);
  assert.ok(m.workBytes > 2 * every, `training work ${m.workBytes} bytes keeps them all, with gradients`);
  m.dispose();
});
