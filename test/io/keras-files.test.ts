// Keras files through loadModel, format chosen by content: a Keras 3 .keras (Sequential and
// functional), a Keras 2 .h5, a Keras 3 model.to_json() with its .weights.h5, a SavedModel
// keras_metadata.pb (topology only), and a CNN-LSTM refused. The files are written by
// test/fixtures/keras/make_fixtures.py (h5py, Keras' layouts), whose float64 numpy forward gave
// reference.json; predictions must agree within 1e-4.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel, ModelFormatError, Tensor, type LayersModel } from '../../src/index.ts';

const DIR = join(import.meta.dirname, '../fixtures/keras/generated');
const ref = JSON.parse(readFileSync(join(DIR, 'reference.json'), 'utf8')) as { input_shape: number[]; input: number[]; outputs: Record<string, number[]> };
const x = new Tensor(Float32Array.from(ref.input), ref.input_shape);

function agrees(m: LayersModel, key: string): void {
  try {
    const got = m.predict(x).data;
    const want = ref.outputs[key];
    assert.equal(got.length, want.length, `${key}: output size`);
    for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= 1e-4, `${key}[${i}]: ${got[i]} vs reference ${want[i]}`);
  } finally {
    m.dispose();
  }
}

test('Keras 3 .keras Sequential (ReLU max_value, LeakyReLU negative_slope, Softmax, BN, dilated causal conv): predictions and compile_config', async () => {
  const m = await loadModel(join(DIR, 'sequential_k3.keras'));
  assert.deepEqual(m.layers.map((l) => l.className), ['Conv1D', 'BatchNormalization', 'ReLU', 'MaxPooling1D', 'Conv1D', 'LeakyReLU', 'GlobalAveragePooling1D', 'Dense', 'Softmax']);
  assert.equal(m.optimizer?.className, 'Adam');
  assert.equal(m.losses[0]?.name, 'categoricalCrossentropy');
  agrees(m, 'sequential_k3.keras');
});

test('Keras 3 .keras functional (args/kwargs/__keras_tensor__ nodes, Add, Concatenate, ELU): predictions', async () => {
  const m = await loadModel(join(DIR, 'functional_k3.keras'));
  assert.equal(m.optimizer?.className, 'RMSprop');
  agrees(m, 'functional_k3.keras');
});

test('the same .keras from bytes (Uint8Array, ArrayBuffer) and a Blob', async () => {
  const bytes = new Uint8Array(readFileSync(join(DIR, 'sequential_k3.keras')));
  agrees(await loadModel(bytes), 'sequential_k3.keras');
  agrees(await loadModel(bytes.slice().buffer), 'sequential_k3.keras');
  agrees(await loadModel(new Blob([bytes])), 'sequential_k3.keras');
});

test('Keras 2 .h5 (model_config, model_weights layer_names/weight_names, ThresholdedReLU): predictions and training_config', async () => {
  const m = await loadModel(join(DIR, 'sequential_k2.h5'));
  assert.equal(m.optimizer?.className, 'SGD');
  agrees(m, 'sequential_k2.h5');
});

test('model.to_json() with a Keras 3 .weights.h5; alone it has fresh weights', async () => {
  agrees(await loadModel(join(DIR, 'sequential_k3.json'), { weights: join(DIR, 'sequential_k3.weights.h5') }), 'sequential_k3.json+sequential_k3.weights.h5');
  const fresh = await loadModel(join(DIR, 'sequential_k3.json'));
  assert.deepEqual(fresh.inputShape, [32, 2]);
  fresh.dispose();
});

test('SavedModel keras_metadata.pb (__tuple__ values): the topology, with the weights of its .h5', async () => {
  const m = await loadModel(join(DIR, 'keras_metadata.pb'), { weights: join(DIR, 'sequential_k2.h5') });
  agrees(m, 'sequential_k2.h5');
});

test('a CNN-LSTM is refused naming the class, the layer, the file and why', async () => {
  await assert.rejects(async () => loadModel(join(DIR, 'cnn_lstm_k3.keras')), (e: Error) => {
    assert.ok(e instanceof ModelFormatError, e.message);
    assert.match(e.message, /cnn_lstm_k3\.keras.*layer 2 \(LSTM\): layer class "LSTM" \(layer "lstm"\) is not supported: cnn1d is a convolutional library/);
    assert.doesNotMatch(e.message, /did you mean/);
    return true;
  });
});

test('a format it cannot read is named, never a JSON parse error on a zip', async () => {
  const zip = new Uint8Array(readFileSync(join(DIR, 'sequential_k3.keras')));
  await assert.rejects(async () => loadModel(zip.subarray(0, 300)), /zip archive \(\.keras\), but its end-of-archive record is missing/);
  await assert.rejects(async () => loadModel(new Uint8Array([1, 2, 3, 4])), /not a model file cnn1d reads \(starts with bytes 01 02 03 04\); it reads Keras 3 \.keras archive/);
  const h5 = new Uint8Array(readFileSync(join(DIR, 'sequential_k3.weights.h5')));
  await assert.rejects(async () => loadModel(h5), /without a model_config attribute, so weights alone/);
});

test('a Keras 3 Sequential of any input length ([null, null, C]) loads as a functional model of any length', async () => {
  const config = JSON.parse(readFileSync(join(DIR, 'sequential_k3.json'), 'utf8'));
  config.config.layers[0].config.batch_shape = [null, null, 2];
  // GlobalAveragePooling1D makes the output independent of the length; drop nothing else
  const m = await loadModel(new TextEncoder().encode(JSON.stringify(config)), { weights: join(DIR, 'sequential_k3.weights.h5') });
  try {
    assert.equal(m.variableLength, true);
    const got = m.predict(x).data;
    ref.outputs['sequential_k3.keras'].forEach((v, i) => assert.ok(Math.abs(got[i] - v) <= 1e-4, `output ${i}: ${got[i]} vs ${v}`));
    const longer = m.predict(new Tensor(new Float32Array(2 * 64 * 2).fill(0.5), [2, 64, 2]));
    assert.deepEqual(longer.shape, [2, 3]);
  } finally {
    m.dispose();
  }
});

test('Conv1D with data_format "channels_first" (Sequential and functional, two in a row) loads as permute -> conv -> permute', async () => {
  const xc = new Tensor(Float32Array.from((ref as unknown as { input_channels_first: number[] }).input_channels_first), [ref.input_shape[0], ref.input_shape[2], ref.input_shape[1]]);
  for (const file of ['channels_first_k3.keras', 'channels_first_functional_k3.keras']) {
    const m = await loadModel(join(DIR, file));
    try {
      assert.deepEqual(m.inputShape, [2, 32], file);
      assert.ok(m.layers.some((l) => l.name === 'conv1d_to_first'), `${file}: ${m.layers.map((l) => l.name)}`);
      const got = m.predict(xc).data;
      ref.outputs['channels_first_k3.keras'].forEach((v, i) => assert.ok(Math.abs(got[i] - v) <= 1e-4, `${file} output ${i}: ${got[i]} vs ${v}`));
    } finally {
      m.dispose();
    }
  }
});

test('sources: a file: URL, weights as bytes, a TF.js folder read synchronously, a SavedModel folder and bad arguments', async () => {
  const { pathToFileURL } = await import('node:url');
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  agrees(await loadModel(pathToFileURL(join(DIR, 'functional_k3.keras'))), 'functional_k3.keras');
  const weights = new Uint8Array(readFileSync(join(DIR, 'sequential_k3.weights.h5')));
  agrees(await loadModel(join(DIR, 'sequential_k3.json'), { weights }), 'sequential_k3.json+sequential_k3.weights.h5');
  agrees(await loadModel(join(DIR, 'sequential_k3.json'), { weights: weights.slice().buffer }), 'sequential_k3.json+sequential_k3.weights.h5');
  const dir = mkdtempSync(join(tmpdir(), 'cnn1d-keras-src-'));
  try {
    const m = await loadModel(join(DIR, 'sequential_k2.h5'));
    m.save(join(dir, 'tfjs'));
    m.dispose();
    const sync = loadModel(join(dir, 'tfjs'));
    assert.ok(!(sync instanceof Promise), 'a TF.js folder loads synchronously');
    agrees(sync as Awaited<typeof sync>, 'sequential_k2.h5');
    writeFileSync(join(dir, 'saved_model.pb'), new Uint8Array([0x0a, 0]));
    assert.throws(() => loadModel(dir), /a TensorFlow SavedModel folder\. Its variables are out of scope for cnn1d: in Keras, load it and save it as model\.save\('x\.keras'\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.throws(() => loadModel(join(DIR, 'missing.keras')), /no such file or directory/);
  assert.throws(() => loadModel(42 as unknown as string), /expected a path, bytes \(Uint8Array, ArrayBuffer\), a File\/Blob or a URL, got 42/);
  await assert.rejects(async () => loadModel(join(DIR, 'sequential_k3.json'), { weights: 7 as unknown as string }), /weights must be a path or bytes/);
});
