// The round trip of issue 19: a PyTorch FCN (torch.onnx.export, test/fixtures/onnx/fcn-op17.onnx)
// imported, fine-tuned here on a new task until it learns it, exported again, and run in
// onnxruntime-node (in both input layouts) and in Python (scripts/onnx_numpy_run.py, float64 numpy,
// after onnx.checker) with cnn1d's predictions.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { loadModel, losses, optimizers, tensor, toOnnx } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'onnx', 'fcn-op17.onnx') as `${string}.onnx`;
const SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'onnx_numpy_run.py');
const rng = new Random(2019);

/** n signals [L, 1] of three classes: sine, square, sawtooth at random phase, with noise. */
function task(n: number, L: number): { x: Float32Array; y: number[] } {
  const x = new Float32Array(n * L);
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 3;
    const phase = rng.uniform(0, 2 * Math.PI);
    for (let t = 0; t < L; t++) {
      const s = Math.sin((2 * Math.PI * 3 * t) / L + phase);
      const v = k === 0 ? s : k === 1 ? Math.sign(s) : ((((3 * t) / L + phase / (2 * Math.PI)) % 1) * 2 - 1);
      x[i * L + t] = v + 0.2 * rng.normal();
    }
    y.push(k);
  }
  return { x, y };
}

/** A float32 .npy file (format 1.0) of `shape`. */
function npy(data: Float32Array, shape: number[]): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')},), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}

const fromNpy = (b: Uint8Array) => new Float32Array(b.slice(10 + (b[8] | (b[9] << 8))).buffer);

const hasNumpy = spawnSync('/usr/bin/python3', ['-c', 'import numpy, onnx'], { encoding: 'utf8' }).status === 0;

test('a PyTorch model imported, fine-tuned here, exported again runs in onnxruntime and in numpy with the same predictions', async () => {
  const m = await loadModel(FIXTURE);
  const dir = mkdtempSync(join(tmpdir(), 'cnn1d-onnx-roundtrip-'));
  try {
    const L = 64;
    const train = task(96, L);
    const test = task(30, L);
    const xs = tensor(train.x, [96, L, 1]);
    const xt = tensor(test.x, [30, L, 1]);
    const accuracy = () => {
      const p = m.predict(xt).data;
      return test.y.filter((k, i) => [0, 1, 2].reduce((a, b) => (p[i * 3 + b] > p[i * 3 + a] ? b : a), 0) === k).length / test.y.length;
    };
    const before = m.predict(xt).data.slice();
    // the PyTorch head ends in logits (nn.CrossEntropyLoss applies the softmax)
    m.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: losses.sparseCategoricalCrossentropy({ fromLogits: true }) });
    const h = await m.fit(xs, train.y, { epochs: 40, batchSize: 16, verbose: 0 });
    const trace = h.history.loss;
    assert.ok(trace[trace.length - 1] < 0.5 * trace[0], `loss ${trace[0]} -> ${trace[trace.length - 1]}`);
    assert.ok(accuracy() >= 0.8, `held-out accuracy ${accuracy()}`);
    console.log(`onnx round trip: fine-tuning loss ${trace[0].toFixed(3)} -> ${trace[trace.length - 1].toFixed(3)} over ${trace.length} epochs, held-out accuracy ${accuracy().toFixed(3)}`);
    const after = m.predict(xt).data;
    assert.ok(after.some((v, i) => Math.abs(v - before[i]) > 1e-3), 'fine-tuning changed the predictions');

    for (const layout of ['nwc', 'ncw'] as const) {
      const bytes = await toOnnx(m, { layout });
      const s = await ort.InferenceSession.create(bytes);
      const x = layout === 'nwc' ? new ort.Tensor('float32', test.x, [30, L, 1]) : new ort.Tensor('float32', test.x, [30, 1, L]);
      const got = (await s.run({ [s.inputNames[0]]: x }))[s.outputNames[0]].data as Float32Array;
      got.forEach((v, i) => assert.ok(Math.abs(v - after[i]) <= 1e-5 + 1e-5 * Math.abs(after[i]), `onnxruntime (${layout}) [${i}] ${v}, cnn1d ${after[i]}`));
      if (layout === 'ncw') writeFileSync(join(dir, 'tuned.onnx'), bytes);
    }
    if (!hasNumpy) {
      assert.ok(!process.env.CI, 'CI installs python3-onnx and python3-numpy (.ci/run): the Python check must run');
      console.warn('onnx round trip: /usr/bin/python3 with numpy and onnx not found, the Python check is skipped (apt-get install python3-onnx)');
      return;
    }
    writeFileSync(join(dir, 'x.npy'), npy(test.x, [30, 1, L]));
    const r = spawnSync('/usr/bin/python3', [SCRIPT, join(dir, 'tuned.onnx'), join(dir, 'x.npy'), join(dir, 'y.npy')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const py = fromNpy(new Uint8Array(readFileSync(join(dir, 'y.npy'))));
    assert.equal(py.length, after.length);
    py.forEach((v, i) => assert.ok(Math.abs(v - after[i]) <= 1e-4 + 1e-4 * Math.abs(after[i]), `numpy [${i}] ${v}, cnn1d ${after[i]}`));
  } finally {
    m.dispose();
  }
});
