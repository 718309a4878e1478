// The functional API on the graph engine: model({inputs, outputs}) trains like the Sequential of
// the same chain, bit for bit; inference plans reuse dead buffers; a model runs on the runtime it
// is given; bad graphs get errors naming the layer, its input and the shapes.

import { test } from 'vitest';
import assert from 'node:assert/strict';
import { ConfigError, input, layers, model, sequential, tensor, Runtime, type Layer, type LayersModel } from '../../src/index.ts';
import type { SymbolicTensor } from '../../src/engine/symbolic.ts';
import { unshareMemory } from '../../src/threads/wasm-patch.ts';
import { wasmBase64, type KernelExports } from '../../src/generated/kernels.ts';
import { twoSines } from './helpers.ts';

const chain = (): Layer[] => [
  layers.conv1d({ filters: 6, kernelSize: 5, padding: 'same', activation: 'relu' }),
  layers.batchNormalization(),
  layers.maxPooling1d({ poolSize: 2 }),
  layers.conv1d({ filters: 6, kernelSize: 3 }),
  layers.prelu({ sharedAxes: [1] }),
  layers.flatten(),
  layers.dropout({ rate: 0.2 }),
  layers.dense({ units: 2, activation: 'softmax' }),
];

async function trainWeights(m: LayersModel): Promise<number[][]> {
  const { x, y } = twoSines(48, 32, 4);
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  await m.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
  const w = m.getWeights().map((v) => [...v.data]);
  m.dispose();
  return w;
}

test('a chain built with sequential and with model trains bit for bit the same', async () => {
  const ls = chain();
  ls[0] = layers.conv1d({ filters: 6, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [32, 1] });
  const seq = await trainWeights(sequential({ seed: 9, layers: ls }));
  const x = input({ shape: [32, 1] });
  let y = x;
  for (const l of chain()) y = l.apply(y);
  const fun = await trainWeights(model({ inputs: x, outputs: y, seed: 9 }));
  assert.equal(fun.length, seq.length);
  assert.deepEqual(fun, seq);
});

test('inference plans reuse the memory of dead values; outputs equal the training plan bit for bit', () => {
  // 8 pointwise convolutions [L, C] -> [L, C]: a value dies when the next one is computed
  const B = 4;
  const L = 16;
  const C = 8;
  const x = input({ shape: [L, C] });
  let y = x;
  for (let i = 0; i < 8; i++) y = layers.conv1d({ filters: C, kernelSize: 1 }).apply(y);
  const m = model({ inputs: x, outputs: y, seed: 2 });
  m.prepare(B, false, false);
  const A = 4 * B * L * C; // bytes of one activation
  // the pool holds two activations at a time; the targets and the loss gradient one each; the
  // per-row loss weights (fit's classWeight / sampleWeight) one float per output row
  assert.equal(m.workBytes, 4 * A + 4 * B * L);
  const data = twoSines(B * C, L, 1).x.data;
  const inferred = [...m.forwardBatch(data, B, false)];
  m.prepare(B);
  assert.ok(m.workBytes >= 2 * 9 * A, `a training plan keeps every activation and its gradient (${m.workBytes} bytes)`);
  assert.deepEqual([...m.forwardBatch(data, B, false)], inferred);
  m.dispose();
});

test('liveness keeps a value until its last reader (residual and SE blocks)', () => {
  const x = input({ shape: [20, 3] });
  const h = layers.conv1d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x);
  const a = layers.conv1d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(h);
  const b = layers.batchNormalization().apply(layers.conv1d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(a));
  const s = layers.dense({ units: 4, activation: 'sigmoid' }).apply(layers.globalAveragePooling1d().apply(b));
  const r = layers.add().apply([h, layers.multiply().apply([b, s])]);
  const out = layers.dense({ units: 3, activation: 'softmax' }).apply(layers.globalMaxPooling1d().apply(r));
  const m = model({ inputs: x, outputs: out, seed: 5 });
  const data = twoSines(6 * 3, 20, 2).x.data;
  const inferred = [...m.predict(twoSinesTensor(data)).data];
  m.prepare(6);
  const trained = [...m.predict(twoSinesTensor(data)).data];
  // the inference plan folds the batch norm into its conv (w*s, (b-mean)*s+beta): equal to rounding
  inferred.forEach((v, i) => assert.ok(Math.abs(v - trained[i]) <= 1e-6, `prediction ${i}: ${v} vs ${trained[i]}`));
  m.dispose();
});

const twoSinesTensor = (data: Float32Array) => tensor(data, [6, 20, 3]);

test('a functional squeeze-and-excitation residual model learns; summary shows the connections', async () => {
  const train = twoSines(160, 64, 1);
  const testSet = twoSines(80, 64, 2);
  const x = input({ shape: [64, 1] });
  const h = layers.conv1d({ filters: 8, kernelSize: 5, padding: 'same', activation: 'relu' }).apply(x);
  const c = layers.conv1d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(h);
  const s = layers.dense({ units: 8, activation: 'sigmoid' }).apply(layers.dense({ units: 2, activation: 'relu' }).apply(layers.globalAveragePooling1d().apply(c)));
  const r = layers.add({ name: 'residual' }).apply([h, layers.multiply().apply([c, s])]);
  const y = layers.dense({ units: 2, activation: 'softmax' }).apply(layers.globalAveragePooling1d().apply(r));
  const m = model({ inputs: x, outputs: y, name: 'se_res', seed: 3 });
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const history = await m.fit(train.x, train.y, { epochs: 12, batchSize: 16, verbose: 0 });
  assert.ok(history.history.loss[11] < history.history.loss[0], 'loss decreases');
  assert.ok(m.evaluate(testSet.x, testSet.y).accuracy >= 0.9);
  const text = m.summary(() => {});
  assert.match(text, /residual \(Add\)\s+\[null, 64, 8\]\s+0\s+conv1d, multiply/);
  assert.match(text, /input \(InputLayer\)\s+\[null, 64, 1\]\s+0/);
  m.dispose();
});

test('a model runs on the runtime it is given, with the same results as on the shared one', () => {
  const bytes = unshareMemory(Uint8Array.from(atob(wasmBase64), (c) => c.charCodeAt(0))); // the module as built imports a shared memory
  const memory = new WebAssembly.Memory({ initial: 16, maximum: 65536 });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory, abort: () => { throw new Error('abort'); } } });
  const own = new Runtime(memory, instance.exports as unknown as KernelExports);
  const make = (runtime?: Runtime) => {
    const x = input({ shape: [16, 1] });
    const h = layers.conv1d({ filters: 3, kernelSize: 3, activation: 'tanh' }).apply(x);
    return model({ inputs: x, outputs: layers.dense({ units: 2 }).apply(layers.flatten().apply(h)), seed: 1, runtime });
  };
  const a = make(own);
  const b = make();
  const data = twoSines(5, 16, 3).x.data;
  assert.deepEqual([...a.forwardBatch(data, 5, false)], [...b.forwardBatch(data, 5, false)]);
  assert.ok(own.arena.bytesInUse > 0, 'the weights and work live in the given runtime');
  a.dispose();
  b.dispose();
  assert.equal(own.arena.bytesInUse, 0);
});

test('bad graphs: cycles, disconnected inputs, unused inputs, foreign tensors, non-broadcasting merges', () => {
  const x = input({ shape: [6, 2], name: 'signal' });
  const other = input({ shape: [6, 2], name: 'other' });
  const d = layers.dense({ units: 2, name: 'loop' });
  const y = d.apply(x);
  (y.node.inputs as SymbolicTensor[])[0] = y; // only reachable by editing the graph by hand
  assert.throws(() => model({ inputs: x, outputs: y }), /the graph has a cycle: Dense layer "loop" -> Dense layer "loop"/);

  const merged = layers.add({ name: 'sum' }).apply([layers.dense({ units: 3 }).apply(x), layers.dense({ units: 3 }).apply(other)]);
  assert.throws(() => model({ inputs: x, outputs: merged }), /graph disconnected: Dense layer reads other output \[6, 2\] from input "other" \[6, 2\], which is not among the model's inputs \("signal" \[6, 2\]\)/);
  assert.throws(() => model({ inputs: [x, other], outputs: layers.dense({ units: 1 }).apply(x) }), /input "other" \[6, 2\] is not connected to any output/);

  const m1 = model({ inputs: x, outputs: layers.dense({ units: 4, name: 'head' }).apply(x), name: 'first' });
  const z = input({ shape: [6, 2], name: 'z' });
  assert.throws(() => model({ inputs: z, outputs: layers.dense({ units: 1 }).apply(m1.outputs[0]) }), /graph disconnected: Dense layer "head" reads signal output \[6, 2\] from input "signal" \[6, 2\], which is not among the model's inputs \("z" \[6, 2\]\); was it made for another model\?/);
  m1.build();
  const m2 = model({ inputs: x, outputs: m1.outputs[0], name: 'second' });
  assert.throws(() => m2.build(), /model "second": Dense layer "head" already belongs to model "first"/);
  m1.dispose();
  const dense = layers.dense({ units: 2, inputShape: [3] });
  const s1 = sequential({ layers: [dense], name: 's1' });
  s1.build();
  assert.throws(() => sequential({ layers: [dense], name: 's2' }).build(), /model "s2": Dense layer "dense" already belongs to model "s1"/);
  s1.dispose();
  const s3 = sequential({ layers: [dense], name: 's3' }); // free again once s1 is disposed
  assert.equal(s3.countParams(), 8);
  s3.dispose();

  const a = input({ shape: [6, 5] });
  const b = input({ shape: [4, 5] });
  assert.throws(() => layers.add({ name: 'join' }).apply([a, b]), (e: Error) => e instanceof ConfigError && /Add layer "join": inputs must have one shape, or be \[C\] \/ \[1, C\] broadcast over the length of \[L, C\] ones; got input 0 \[6, 5\], input 1 \[4, 5\] \(inputs: input output \[6, 5\], input output \[4, 5\]\)/.test(e.message));
  assert.throws(() => layers.multiply().apply([a, input({ shape: [3] })]), /Multiply layer: inputs must have one shape.*input 1 \[3\]/);
  assert.throws(() => layers.concatenate().apply([a, b]), /Concatenate layer: inputs must match on every axis but axis -1; got input 0 \[6, 5\], input 1 \[4, 5\]/);
  assert.throws(() => layers.subtract().apply([a, a, a]), /Subtract layer: apply: expects 2 inputs, got 3/);
  assert.throws(() => layers.dense({ units: 1 }).apply([1, 2] as never), /Dense layer: apply: input 0 must be a symbolic tensor/);
  const shared = layers.dense({ units: 2 });
  shared.apply(a);
  assert.throws(() => shared.apply(b), /a shared layer must get the same input shapes at every application: built for \[6, 5\], now applied to input output \[4, 5\]/);
  assert.throws(() => model({ inputs: a, outputs: [] }), /outputs must list at least one symbolic tensor/);
});
