// Functional models in the TF.js layers-model format: round trips (residual, squeeze-and-excitation,
// a shared layer, two inputs), files tf.loadLayersModel opens with the same predictions, a model
// built and saved by TF.js (tf.model with add/concatenate) loading here, and hostile graphs
// (unknown names, node indices, cycles) refused with ModelFormatError and nothing left allocated.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { fromArtifacts, input, layers, loadModel, loadTfjsModel, model, ModelFormatError, optimizers, Tensor, toArtifacts, type LayersModel } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';
import { runtime } from '../../src/runtime/runtime.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'cnn1d-functional-'));
const L = 24;
const C = 2;

/** conv-BN-relu twice with a 1x1 conv + BN shortcut, add, relu, GAP, dense softmax (Wang et al. 2017). */
function residual(): LayersModel {
  const x = input({ shape: [L, C] });
  let y = layers.conv1d({ filters: 6, kernelSize: 5, padding: 'same' }).apply(x);
  y = layers.batchNormalization().apply(y);
  y = layers.activation({ activation: 'relu' }).apply(y);
  y = layers.conv1d({ filters: 6, kernelSize: 3, padding: 'same' }).apply(y);
  y = layers.batchNormalization().apply(y);
  y = layers.activation({ activation: 'relu' }).apply(y);
  let s = layers.conv1d({ filters: 6, kernelSize: 1 }).apply(x);
  s = layers.batchNormalization().apply(s);
  let out = layers.add().apply([y, s]);
  out = layers.activation({ activation: 'relu' }).apply(out);
  out = layers.globalAveragePooling1d().apply(out);
  out = layers.dense({ units: 3, activation: 'softmax' }).apply(out);
  return model({ inputs: x, outputs: out, seed: 7, name: 'resnet' });
}

/** Squeeze-and-excitation: GAP -> dense relu -> dense sigmoid -> multiply, [C] broadcast over the length. */
function squeezeExcite(): LayersModel {
  const x = input({ shape: [L, C] });
  const f = layers.conv1d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x);
  let z = layers.globalAveragePooling1d().apply(f);
  z = layers.dense({ units: 2, activation: 'relu' }).apply(z);
  z = layers.dense({ units: 8, activation: 'sigmoid' }).apply(z);
  let out = layers.multiply().apply([f, z]);
  out = layers.globalMaxPooling1d().apply(out);
  out = layers.dense({ units: 3, activation: 'softmax' }).apply(out);
  return model({ inputs: x, outputs: out, seed: 8, name: 'se' });
}

/** One conv applied to two inputs (shared weights), concatenated along the channels. */
function shared(): LayersModel {
  const a = input({ shape: [L, C], name: 'left' });
  const b = input({ shape: [L, C], name: 'right' });
  const conv = layers.conv1d({ filters: 4, kernelSize: 3, activation: 'tanh', name: 'shared_conv' });
  const pa = layers.globalAveragePooling1d().apply(conv.apply(a));
  const pb = layers.globalAveragePooling1d().apply(conv.apply(b));
  const out = layers.dense({ units: 2 }).apply(layers.concatenate().apply([pa, pb]));
  return model({ inputs: [a, b], outputs: out, seed: 9 });
}

const data = (n: number, seed = 4) => new Tensor(new Random(seed).uniformArray(n * L * C, -1, 1), [n, L, C]);

/** Moves the batch-norm statistics and gamma/beta away from 0/1 so that a wrong mapping shows. */
function perturb(m: LayersModel): void {
  const rng = new Random(11);
  m.setWeights(m.getWeights().map((w) => w.data.map((v) => (w.name.endsWith('variance') ? 0.5 + rng.uniform(0, 1) : v + rng.uniform(-0.2, 0.2)))));
}

/** The saved files in the form tf.io.fromMemory takes. */
function tfHandler(dir: string) {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const w = readFileSync(join(dir, 'weights.bin'));
  return tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength) });
}

function close(ours: ArrayLike<number>, theirs: ArrayLike<number>, what: string): void {
  assert.equal(ours.length, theirs.length, `${what}: lengths`);
  for (let i = 0; i < ours.length; i++) assert.ok(Math.abs(ours[i] - theirs[i]) < 1e-5, `${what} ${i}: cnn1d ${ours[i]} vs tfjs ${theirs[i]}`);
}

test('a residual model saves as "Functional" with inbound_nodes and loads with identical predictions', () => {
  const m = residual();
  perturb(m);
  const dir = tmp();
  m.save(dir);
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const topo = json.modelTopology;
  assert.equal(topo.class_name, 'Functional');
  assert.equal(topo.config.name, 'resnet');
  assert.deepEqual(topo.config.input_layers, [['input', 0, 0]]);
  assert.deepEqual(topo.config.output_layers, [['dense', 0, 0]]);
  const add = topo.config.layers.find((l: { class_name: string }) => l.class_name === 'Add');
  assert.deepEqual(add.inbound_nodes, [[['activation_1', 0, 0, {}], ['batch_normalization_2', 0, 0, {}]]]);
  const inputEntry = topo.config.layers[0];
  assert.deepEqual(inputEntry, { class_name: 'InputLayer', config: { batch_input_shape: [null, L, C], dtype: 'float32', sparse: false, name: 'input' }, name: 'input', inbound_nodes: [] });
  const loaded = loadTfjsModel(dir);
  assert.deepEqual(loaded.layers.map((l) => l.name), m.layers.map((l) => l.name));
  assert.deepEqual(loaded.getWeights(), m.getWeights());
  const x = data(5);
  assert.deepEqual([...loaded.predict(x).data], [...m.predict(x).data]);
  m.dispose();
  loaded.dispose();
});

test('the training config round trips any optimizer with its options and schedule (optimizerFromConfig)', async () => {
  const m = squeezeExcite();
  const schedule = optimizers.schedules.exponentialDecay({ initialLearningRate: 0.01, decaySteps: 10, decayRate: 0.5 });
  m.compile({ optimizer: optimizers.rmsprop({ learningRate: schedule, rho: 0.8, momentum: 0.5, centered: true, clipnorm: 2 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const { modelJson, weightData } = toArtifacts(m);
  const savedWeights = m.getWeights();
  const loaded = fromArtifacts({ modelJson, weightData });
  assert.equal(loaded.optimizer?.className, 'RMSprop');
  assert.deepEqual(loaded.optimizer?.getConfig(), m.optimizer?.getConfig());
  assert.equal(loaded.loss?.name, 'sparseCategoricalCrossentropy');
  assert.deepEqual(loaded.metrics, ['accuracy']);
  // both continue training identically from the same weights and optimizer state (fresh)
  const x = data(6);
  const y = [0, 1, 2, 0, 1, 2];
  const h1 = await m.fit(x, y, { epochs: 2, batchSize: 3, verbose: 0, shuffle: false });
  const h2 = await loaded.fit(x, y, { epochs: 2, batchSize: 3, verbose: 0, shuffle: false });
  assert.deepEqual(h2.history.loss, h1.history.loss);
  // an optimizer cnn1d does not know leaves the loaded model uncompiled, weights intact
  const odd = JSON.parse(JSON.stringify(modelJson));
  odd.trainingConfig.optimizer_config.class_name = 'Ftrl';
  const uncompiled = fromArtifacts({ modelJson: odd, weightData });
  assert.equal(uncompiled.optimizer, null);
  assert.deepEqual(uncompiled.getWeights(), savedWeights);
  // hostile optimizer keys are unknown options (uncompiled), never prototype lookups
  for (const key of ['__proto__', 'constructor', 'toString']) {
    const text = JSON.stringify(modelJson).replace('"optimizer_config":{"class_name":"RMSprop","config":{', `"optimizer_config":{"class_name":"RMSprop","config":{"${key}":{"learningRate":5},`);
    assert.ok(text.includes(`"${key}":{"learningRate":5}`));
    const hostile = fromArtifacts({ modelJson: JSON.parse(text), weightData });
    assert.equal(hostile.optimizer, null, key);
    assert.equal(({} as { learningRate?: number }).learningRate, undefined);
    hostile.dispose();
  }
  for (const cls of ['constructor', 'toString', '__proto__']) {
    const text = JSON.stringify(modelJson).replace('"className":"ExponentialDecay"', `"className":"${cls}"`);
    assert.ok(text.includes(`"className":"${cls}"`));
    const hostile = fromArtifacts({ modelJson: JSON.parse(text), weightData });
    assert.equal(hostile.optimizer, null, `schedule class ${cls}`);
    hostile.dispose();
  }
  for (const model of [m, loaded, uncompiled]) model.dispose();
});

test('a shared layer and two inputs round trip: one layer entry with two nodes, one set of weights', () => {
  const m = shared();
  const { modelJson, weightData } = toArtifacts(m);
  const layersJson = (modelJson.modelTopology as { config: { layers: { name: string; inbound_nodes: unknown[] }[]; input_layers: unknown } }).config;
  const conv = layersJson.layers.find((l) => l.name === 'shared_conv')!;
  assert.deepEqual(conv.inbound_nodes, [[['left', 0, 0, {}]], [['right', 0, 0, {}]]]);
  const pools = layersJson.layers.filter((l) => l.name.startsWith('global_average'));
  assert.deepEqual(pools.map((p) => p.inbound_nodes), [[[['shared_conv', 0, 0, {}]]], [[['shared_conv', 1, 0, {}]]]]);
  assert.deepEqual(layersJson.input_layers, [['left', 0, 0], ['right', 0, 0]]);
  const loaded = fromArtifacts({ modelJson, weightData });
  assert.equal(loaded.weights.length, m.weights.length);
  const xa = data(3, 1).data;
  const xb = data(3, 2).data;
  assert.deepEqual([...loaded.forwardBatch([xa, xb], 3, false)], [...m.forwardBatch([xa, xb], 3, false)]);
  m.dispose();
  loaded.dispose();
});

test('TensorFlow.js opens a saved residual model and a squeeze-and-excitation model with the same predictions', async () => {
  for (const make of [residual, squeezeExcite]) {
    const m = make();
    perturb(m);
    const dir = tmp();
    m.save(dir);
    const tfModel = await tf.loadLayersModel(tfHandler(dir));
    const x = data(4);
    const theirs = (tfModel.predict(tf.tensor(x.data, x.shape)) as tf.Tensor).dataSync();
    close(m.predict(x).data, theirs, m.name);
    tfModel.dispose();
    m.dispose();
  }
});

test('TensorFlow.js opens a model with a shared layer and two inputs (node indices as TF.js counts them)', async () => {
  const m = shared();
  perturb(m);
  const dir = tmp();
  m.save(dir);
  const tfModel = await tf.loadLayersModel(tfHandler(dir));
  const xa = data(3, 1);
  const xb = data(3, 2);
  const theirs = (tfModel.predict([tf.tensor(xa.data, xa.shape), tf.tensor(xb.data, xb.shape)]) as tf.Tensor).dataSync();
  close(m.forwardBatch([xa.data, xb.data], 3, false), theirs, 'shared');
  tfModel.dispose();
  m.dispose();
});

test('a functional model built and saved by TensorFlow.js (add, concatenate) loads with the same predictions', async () => {
  const x = tf.input({ shape: [L, C] });
  const a = tf.layers.conv1d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x) as tf.SymbolicTensor;
  const b = tf.layers.conv1d({ filters: 4, kernelSize: 1 }).apply(x) as tf.SymbolicTensor;
  const sum = tf.layers.add().apply([a, b]) as tf.SymbolicTensor;
  const cat = tf.layers.concatenate().apply([sum, a]) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling1d({}).apply(cat) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 3, activation: 'softmax' }).apply(pooled) as tf.SymbolicTensor;
  const tfModel = tf.model({ inputs: x, outputs: out });
  let saved: tf.io.ModelArtifacts | undefined;
  await tfModel.save(tf.io.withSaveHandler(async (art) => ((saved = art), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  assert.equal((saved!.modelTopology as { class_name: string }).class_name, 'Model');
  const modelJson = { format: 'layers-model', modelTopology: saved!.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: saved!.weightSpecs }] };
  const ours = fromArtifacts({ modelJson: modelJson as Record<string, unknown>, weightData: new Uint8Array(saved!.weightData as ArrayBuffer) });
  const xs = data(4);
  close(ours.predict(xs).data, (tfModel.predict(tf.tensor(xs.data, xs.shape)) as tf.Tensor).dataSync(), 'tfjs model');
  ours.dispose();
  tfModel.dispose();
});

// ---- hostile graphs ----

type Topo = { config: { layers: { class_name: string; name: string; inbound_nodes: unknown[][][] }[]; input_layers: unknown[]; output_layers: unknown[] } };
const base = (() => {
  const m = residual();
  const art = toArtifacts(m);
  m.dispose();
  return { text: JSON.stringify(art.modelJson), weights: art.weightData };
})();

/** fromArtifacts on an edited copy must throw a ModelFormatError matching `pattern`, arena untouched. */
function refused(edit: (t: Topo) => void, pattern: RegExp): void {
  const json = JSON.parse(base.text);
  edit(json.modelTopology as Topo);
  const before = runtime().arena.bytesInUse;
  assert.throws(
    () => fromArtifacts({ modelJson: json, weightData: base.weights }),
    (e: Error) => e instanceof ModelFormatError && pattern.test(e.message),
  );
  assert.equal(runtime().arena.bytesInUse, before);
}
const layerNamed = (t: Topo, name: string) => t.config.layers.find((l) => l.name === name)!;

test('functional topologies with unknown layers, bad node or tensor indices, or cycles are refused', () => {
  refused((t) => (layerNamed(t, 'add').inbound_nodes[0][0][0] = 'nowhere'), /layer "add" inbound_nodes\[0\]\[0\] refers to layer "nowhere", which is not in modelTopology.config.layers/);
  refused((t) => (layerNamed(t, 'add').inbound_nodes[0][1][1] = 3), /refers to node 3 of layer "batch_normalization_2", which has 1 node \(indices 0\.\.0\)/);
  refused((t) => (layerNamed(t, 'add').inbound_nodes[0][1][1] = -1), /refers to node -1 of layer/);
  refused((t) => (layerNamed(t, 'add').inbound_nodes[0][1][2] = 1), /tensor index must be 0 \(cnn1d layers have one output\), got 1/);
  refused((t) => (layerNamed(t, 'add').inbound_nodes[0][1] = 'x' as never), /inbound_nodes\[0\]\[1\] must be \[layerName, nodeIndex, tensorIndex\]/);
  refused((t) => (layerNamed(t, 'conv1d').inbound_nodes[0][0][0] = 'activation_1'), /the graph has a cycle: (\w+\[0\] -> )+\w+\[0\]/);
  refused((t) => (layerNamed(t, 'dense').inbound_nodes[0][0][0] = 'dense'), /the graph has a cycle: dense\[0\] -> dense\[0\]/);
  refused((t) => (t.config.output_layers = [['dense', 1, 0]]), /output_layers\[0\] refers to node 1 of layer "dense", which has 1 node/);
  refused((t) => (t.config.input_layers = [['conv1d', 0, 0]]), /input_layers\[0\] is layer "conv1d" \(Conv1D\), not an InputLayer/);
  refused((t) => (t.config.layers[3].name = 'conv1d'), /two layers are named "conv1d"|differs from config.name/);
  refused((t) => (layerNamed(t, 'input').inbound_nodes = [[['dense', 0, 0, {}]]]), /InputLayer "input" must have no inbound_nodes/);
  refused((t) => (layerNamed(t, 'add').inbound_nodes[0].pop()), /Add layer "add": apply: expects at least 2 inputs, got 1/);
  refused((t) => (layerNamed(t, 'add').inbound_nodes[0][1][0] = 'global_average_pooling1d'), /the graph has a cycle: add\[0\] -> global_average_pooling1d\[0\] -> activation_2\[0\] -> add\[0\]/);
  refused((t) => (layerNamed(t, 'add').inbound_nodes[0][1][0] = 'input'), /Add layer "add": inputs must have one shape.*got input 0 \[24, 6\], input 1 \[24, 2\]/);
  refused((t) => (t.config.layers[0] = 7 as never), /modelTopology layer 0 must be an object/);
  refused((t) => delete (t.config as Partial<Topo['config']>).output_layers, /needs config.input_layers and config.output_layers/);
});

test('functional limits: weights and activations are summed over the graph before allocating', () => {
  const json = JSON.parse(base.text);
  const before = runtime().arena.bytesInUse;
  assert.throws(() => fromArtifacts({ modelJson: json, weightData: base.weights }, { maxParams: 100 }), /more than 100 weights \(\d+ up to Conv1D layer "conv1d(_\d)?"\)/);
  assert.throws(() => fromArtifacts({ modelJson: json, weightData: base.weights }, { maxActivations: 4 * L * 6 }), /more than 576 activation values per sample/);
  assert.equal(runtime().arena.bytesInUse, before);
});


test('a topology with more layers or nodes than maxLayers (default 2,000) is refused before anything is built', () => {
  /** input -> n relu activations, as Functional (one node per layer) or with one layer applied n times. */
  const chain = (n: number, shared: boolean) => {
    const list: unknown[] = [{ class_name: 'InputLayer', name: 'in', config: { batch_input_shape: [null, 4, 1], name: 'in' }, inbound_nodes: [] }];
    if (shared) list.push({ class_name: 'Activation', name: 'a', config: { name: 'a', activation: 'relu' }, inbound_nodes: Array.from({ length: n }, (_, i) => [[i === 0 ? 'in' : 'a', i === 0 ? 0 : i - 1, 0, {}]]) });
    else for (let i = 0; i < n; i++) list.push({ class_name: 'Activation', name: `a${i}`, config: { name: `a${i}`, activation: 'relu' }, inbound_nodes: [[[i === 0 ? 'in' : `a${i - 1}`, 0, 0, {}]]] });
    const out = shared ? ['a', n - 1, 0] : [`a${n - 1}`, 0, 0];
    return { format: 'layers-model', modelTopology: { class_name: 'Functional', config: { name: 'deep', layers: list, input_layers: [['in', 0, 0]], output_layers: [out] } }, weightsManifest: [] };
  };
  const empty = new Uint8Array(0);
  const t0 = performance.now();
  assert.throws(() => fromArtifacts({ modelJson: chain(20_000, false), weightData: empty }), /the topology has 20001 layers, more than the 2000 loadModel accepts \(raise the limit with \{maxLayers\}\)/);
  assert.throws(() => fromArtifacts({ modelJson: chain(3_000, true), weightData: empty }), /the topology has 3001 nodes \(layer applications\), more than the 2000/);
  const seq = { format: 'layers-model', modelTopology: { class_name: 'Sequential', config: { layers: Array.from({ length: 40 }, (_, i) => ({ class_name: 'Activation', config: { activation: 'relu', ...(i === 0 ? { batch_input_shape: [null, 4, 1] } : {}) } })) } }, weightsManifest: [] };
  assert.throws(() => fromArtifacts({ modelJson: seq, weightData: empty }, { maxLayers: 39 }), /the topology has 40 layers, more than the 39/);
  assert.ok(performance.now() - t0 < 2000, `refused in ${performance.now() - t0} ms`);
  // a shared layer applied many times within the limit loads and runs
  const m = fromArtifacts({ modelJson: chain(50, true), weightData: empty });
  assert.equal(m.layers.length, 2);
  assert.deepEqual([...m.predict(new Tensor(Float32Array.from([-1, 2, -3, 4]), [1, 4, 1])).data], [0, 2, 0, 4]);
  m.dispose();
});

test('a model of any input length ([null, C]) saves as batch_input_shape [null, null, C], loads, and TF.js runs it', async () => {
  const x = input({ shape: [null, 1] });
  let y = layers.conv1d({ filters: 4, kernelSize: 5, padding: 'same' }).apply(x);
  y = layers.batchNormalization().apply(y);
  y = layers.activation({ activation: 'relu' }).apply(y);
  y = layers.dense({ units: 2, activation: 'softmax' }).apply(layers.globalAveragePooling1d().apply(y));
  const m = model({ inputs: x, outputs: y, seed: 3 });
  perturb(m);
  const { modelJson, weightData } = toArtifacts(m);
  const inputConfig = (modelJson.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers[0].config;
  assert.deepEqual(inputConfig.batch_input_shape, [null, null, 1]);
  const loaded = fromArtifacts({ modelJson, weightData });
  assert.equal(loaded.variableLength, true);
  const tfModel = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology as object, weightSpecs: (modelJson.weightsManifest as { weights: tf.io.WeightsManifestEntry[] }[])[0].weights, weightData: weightData.slice().buffer }));
  for (const length of [40, 64]) {
    const xs = new Tensor(new Random(length).uniformArray(3 * length, -1, 1), [3, length, 1]);
    const ours = m.predict(xs).data;
    assert.deepEqual([...loaded.predict(xs).data], [...ours], `length ${length}`);
    close(ours, (tfModel.predict(tf.tensor(xs.data, xs.shape)) as tf.Tensor).dataSync(), `tfjs at length ${length}`);
  }
  tfModel.dispose();
  m.dispose();
  loaded.dispose();
});

test('a two-output model keeps a loss, a weight and metrics per output through save and load', () => {
  const x = input({ shape: [L, C] });
  const h = layers.globalAveragePooling1d().apply(layers.conv1d({ filters: 4, kernelSize: 3, activation: 'relu' }).apply(x));
  const cls = layers.dense({ units: 3, activation: 'softmax', name: 'cls' }).apply(h);
  const reg = layers.dense({ units: 1, name: 'reg' }).apply(h);
  const m = model({ inputs: x, outputs: [cls, reg], seed: 5 });
  m.compile({ optimizer: 'adam', loss: { cls: 'sparseCategoricalCrossentropy', reg: 'meanSquaredError' }, lossWeights: { cls: 1, reg: 0.25 }, metrics: { cls: ['accuracy'], reg: [] } });
  const { modelJson, weightData } = toArtifacts(m);
  const tc = modelJson.trainingConfig as Record<string, unknown>;
  assert.deepEqual(tc.loss, { cls: 'sparse_categorical_crossentropy', reg: 'mean_squared_error' });
  assert.deepEqual(tc.loss_weights, { cls: 1, reg: 0.25 });
  assert.deepEqual(tc.metrics, { cls: ['accuracy'], reg: [] });
  const loaded = fromArtifacts({ modelJson, weightData });
  assert.deepEqual(loaded.losses.map((l) => l.name), ['sparseCategoricalCrossentropy', 'meanSquaredError']);
  assert.deepEqual(loaded.lossWeights, [1, 0.25]);
  assert.deepEqual(loaded.outputMetrics, [['accuracy'], []]);
  const xs = data(6);
  const ys = [[0, 1, 2, 0, 1, 2], new Tensor(Float32Array.from([0.5, -1, 2, 0, 1, 3]), [6, 1])];
  assert.deepEqual(loaded.evaluate(xs, ys), m.evaluate(xs, ys));
  m.dispose();
  loaded.dispose();
});
