// Save/load in the TensorFlow.js layers-model format: exact round trips, files TF.js itself opens
// with the same predictions, refusal to overwrite, and clear errors for corrupt files.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { layers, loadModel, loadTfjsModel, sequential, optimizers, Tensor, type Sequential } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'cnn1d-save-'));

/** With `causal`, a causal layer (which TF.js cannot run: no causal conv1d kernel in 4.22). */
function net(causal = true): Sequential {
  const m = sequential({
    seed: 21,
    layers: [
      layers.conv1d({ filters: 6, kernelSize: 5, strides: 2, padding: 'same', activation: 'relu', inputShape: [40, 2] }),
      layers.batchNormalization(),
      layers.maxPooling1d({ poolSize: 3, strides: 2 }),
      layers.conv1d({ filters: 4, kernelSize: 3, dilationRate: 2, activation: 'tanh' }),
      layers.conv1d({ filters: 4, kernelSize: 2, padding: causal ? 'causal' : 'same' }),
      layers.averagePooling1d({ poolSize: 2 }),
      layers.flatten(),
      layers.dropout({ rate: 0.2 }),
      layers.dense({ units: 8, activation: 'elu' }),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  m.compile({ optimizer: optimizers.adam({ learningRate: 0.003 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

function inputs(n: number): Tensor {
  return new Tensor(new Random(4).uniformArray(n * 80, -1, 1), [n, 40, 2]);
}

test('save then load reproduces predictions exactly and keeps the training config', async () => {
  const model = net();
  const x = inputs(10);
  await model.fit(x, [0, 1, 2, 0, 1, 2, 0, 1, 2, 0], { epochs: 2, verbose: 0 }); // moving statistics move too
  const dir = tmp();
  const { bytes } = model.save(dir);
  assert.equal(bytes, 4 * model.countParams());
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  assert.equal(json.format, 'layers-model');
  assert.equal(json.modelTopology.class_name, 'Sequential');
  assert.deepEqual(json.weightsManifest[0].weights.slice(0, 4).map((w: { name: string }) => w.name), ['conv1d/kernel', 'conv1d/bias', 'batch_normalization/gamma', 'batch_normalization/beta']);
  const loaded = loadTfjsModel(dir);
  assert.deepEqual([...loaded.predict(x).data], [...model.predict(x).data]);
  assert.equal(loaded.loss?.name, 'sparseCategoricalCrossentropy');
  assert.deepEqual(loaded.metrics, ['accuracy']);
  assert.equal(loaded.optimizer?.learningRate, 0.003);
  const again = await loaded.fit(x, [0, 1, 2, 0, 1, 2, 0, 1, 2, 0], { epochs: 1, verbose: 0 });
  assert.ok(Number.isFinite(again.history.loss[0]));
  model.dispose();
  loaded.dispose();
});

test('TensorFlow.js opens the saved files and predicts the same values', async () => {
  const model = net(false);
  const x = inputs(5);
  const dir = tmp();
  model.save(dir);
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const weights = readFileSync(join(dir, 'weights.bin'));
  const handler = tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest[0].weights,
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
  });
  const tfModel = await tf.loadLayersModel(handler);
  const tfOut = (tfModel.predict(tf.tensor(x.data, x.shape)) as tf.Tensor).dataSync();
  const ours = model.predict(x).data;
  for (let i = 0; i < ours.length; i++) assert.ok(Math.abs(ours[i] - tfOut[i]) < 1e-5, `output ${i}: cnn1d ${ours[i]} vs tfjs ${tfOut[i]}`);
  model.dispose();
});

test('a model saved by TensorFlow.js loads in cnn1d with the same predictions', async () => {
  const tfModel = tf.sequential({
    layers: [
      tf.layers.conv1d({ filters: 5, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [40, 2] }),
      tf.layers.maxPooling1d({ poolSize: 2 }),
      tf.layers.globalAveragePooling1d({}),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  let saved: tf.io.ModelArtifacts | undefined;
  await tfModel.save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  const dir = tmp();
  const manifest = [{ paths: ['weights.bin'], weights: saved!.weightSpecs }];
  writeFileSync(join(dir, 'model.json'), JSON.stringify({ format: 'layers-model', modelTopology: saved!.modelTopology, weightsManifest: manifest }));
  writeFileSync(join(dir, 'weights.bin'), new Uint8Array(saved!.weightData as ArrayBuffer));
  const model = await loadModel(join(dir, 'model.json'));
  const x = inputs(4);
  const tfOut = (tfModel.predict(tf.tensor(x.data, x.shape)) as tf.Tensor).dataSync();
  const ours = model.predict(x).data;
  for (let i = 0; i < ours.length; i++) assert.ok(Math.abs(ours[i] - tfOut[i]) < 1e-5, `output ${i}`);
  model.dispose();
});

test('save refuses to overwrite a saved model unless asked', () => {
  const model = net();
  const dir = tmp();
  model.save(dir);
  const before = readFileSync(join(dir, 'weights.bin'));
  model.setWeights(model.getWeights().map((w) => w.data.map((v) => v + 1)));
  assert.throws(() => model.save(dir), /model.json already exists; pass \{overwrite: true\} to replace it/);
  assert.deepEqual(readFileSync(join(dir, 'weights.bin')), before, 'the saved weights are untouched');
  model.save(dir, { overwrite: true });
  assert.notDeepEqual(readFileSync(join(dir, 'weights.bin')), before);
  assert.ok(!readFileSync(join(dir, 'model.json'), 'utf8').includes('.tmp-'));
  model.dispose();
});

test('corrupt, truncated or mismatched files give clear errors', () => {
  const model = net();
  const dir = tmp();
  model.save(dir);
  const jsonText = readFileSync(join(dir, 'model.json'), 'utf8');
  const weights = readFileSync(join(dir, 'weights.bin'));
  const variant = (name: string, json: string, w: Uint8Array) => {
    const d = tmp();
    writeFileSync(join(d, 'model.json'), json);
    writeFileSync(join(d, 'weights.bin'), w);
    return d;
  };
  assert.throws(() => loadModel(variant('trunc-json', jsonText.slice(0, 200), weights)), /is not valid JSON .* truncated or corrupt/);
  assert.throws(() => loadModel(variant('trunc-w', jsonText, weights.subarray(0, weights.length - 8))), new RegExp(`describes ${weights.length} bytes of float32 weights, the weight data has ${weights.length - 8} bytes`));
  const badClass = jsonText.replace('"MaxPooling1D"', '"MaxPooling2D"');
  assert.throws(() => loadModel(variant('class', badClass, weights)), /unsupported layer class "MaxPooling2D" \(did you mean "MaxPooling1D"\?\)/);
  const badShape = JSON.parse(jsonText);
  badShape.weightsManifest[0].weights[0].shape = [6, 2, 5]; // same size, other shape
  assert.throws(() => loadModel(variant('shape', JSON.stringify(badShape), weights)), /"conv1d\/kernel" has shape \[6,2,5\] in the manifest, the layer needs \[5,2,6\]/);
  const nanWeights = Uint8Array.from(weights);
  new DataView(nanWeights.buffer).setFloat32(0, NaN, true);
  assert.throws(() => loadModel(variant('nan', jsonText, nanWeights)), /"conv1d\/kernel" contains NaN at index 0/);
  assert.throws(() => loadModel(join(dir, 'nope')), /no such file or directory: .*nope/);
  assert.ok(existsSync(join(dir, 'model.json')));
  model.dispose();
});
