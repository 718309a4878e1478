// ONNX import: the PyTorch 1D CNNs of test/fixtures/onnx (scripts/onnx_fixtures.py, torch 1.13
// torch.onnx.export at opsets 13 and 17, BatchNorm in eval mode with trained running statistics)
// load with loadModel and predict what onnxruntime-node computes on the same file, at two lengths
// where the length is dynamic; each fine-tunes a step; the causal TCN streams as it predicts; a
// loaded model saves in the TF.js format and as ONNX again. The last five architectures (gated
// CNN, autoencoder, WaveNet head, input-standardising net, per-step Linear head) are the acceptance set the issue does not name.
import { describe, test } from 'vitest';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { loadModel, loadTfjsModel, ModelFormatError, tensor, toOnnx, type LayersModel } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'onnx');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.onnx')).sort();
const rng = new Random(19);
/** A path typed as an ONNX file's (loadModel and save return promises for those). */
const onnxPath = (...parts: string[]) => join(...parts) as `${string}.onnx`;

/** Input lengths to test: fixed-length files at their length, others at two lengths. */
const LENGTHS: Record<string, number[]> = { 'flatten-head': [32], m5: [8000], 'sample-cnn': [243, 729], resnet: [64, 37] };

/** [n, C, L] -> [n, L, C] (or back with swap). */
function transpose3(x: Float32Array, n: number, a: number, b: number): Float32Array {
  const y = new Float32Array(x.length);
  for (let i = 0; i < n; i++) for (let p = 0; p < a; p++) for (let q = 0; q < b; q++) y[i * a * b + q * a + p] = x[i * a * b + p * b + q];
  return y;
}

/** onnxruntime's output for x [n, C, L], as cnn1d's layout ([n, C, L] outputs transposed). */
async function reference(bytes: Uint8Array, x: Float32Array, dims: number[]): Promise<{ data: Float32Array; dims: number[] }> {
  const s = await ort.InferenceSession.create(bytes);
  const out = (await s.run({ [s.inputNames[0]]: new ort.Tensor('float32', x, dims) }))[s.outputNames[0]];
  const d = out.dims as number[];
  const data = out.data as Float32Array;
  return d.length === 3 ? { data: transpose3(data, d[0], d[1], d[2]), dims: [d[0], d[2], d[1]] } : { data, dims: d };
}

function assertClose(got: Float32Array, want: Float32Array, what: string, rtol = 1e-5, atol = 1e-5): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < got.length; i++) {
    assert.ok(Math.abs(got[i] - want[i]) <= atol + rtol * Math.abs(want[i]), `${what}: [${i}] cnn1d ${got[i]}, onnxruntime ${want[i]}`);
  }
}

async function checkPredicts(m: LayersModel, bytes: Uint8Array, C: number, L: number, what: string): Promise<void> {
  const n = 3;
  const x = Float32Array.from({ length: n * C * L }, () => rng.normal());
  const want = await reference(bytes, x, [n, C, L]);
  const got = m.predict(tensor(transpose3(x, n, C, L), [n, L, C]));
  assert.deepEqual(got.shape, want.dims, `${what}: output shape`);
  assertClose(got.data, want.data, `${what} at length ${L}`);
}

describe('ONNX files from torch.onnx.export', () => {
  for (const file of FILES) {
    const name = file.replace(/-op\d+\.onnx$/, '');
    test(`${file} predicts as onnxruntime and fine-tunes`, async () => {
      const bytes = new Uint8Array(readFileSync(join(DIR, file)));
      const m = await loadModel(onnxPath(DIR, file));
      try {
        const [L0, C] = m.graph.inputs[0].shape;
        const lengths = LENGTHS[name] ?? [48, 31];
        assert.equal(m.variableLength, name !== 'flatten-head', 'a dynamic length axis gives a variable-length model');
        if (!m.variableLength) assert.equal(L0, 32);
        for (const L of lengths) await checkPredicts(m, bytes, C, L, file);
        // one training step moves the weights and gives a finite loss
        const L = lengths[0];
        const x = tensor(Float32Array.from({ length: 4 * L * C }, () => rng.normal()), [4, L, C]);
        const y = m.predict(x);
        const target = tensor(y.data.map((v) => v + 0.5 * rng.normal()), y.shape);
        m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
        const before = m.getWeights().map((w) => w.data.slice());
        const h = await m.fit(x, target, { epochs: 1, batchSize: 4, verbose: 0 });
        assert.ok(Number.isFinite(h.history.loss[0]), `${file}: loss ${h.history.loss[0]}`);
        const after = m.getWeights();
        assert.ok(after.some((w, i) => w.data.some((v, j) => v !== before[i][j])), `${file}: a training step changed no weight`);
      } finally {
        m.dispose();
      }
    });
  }
});

test('BatchNormalization nodes (opset-17 fixtures, TrainingMode.PRESERVE) import as batch norms with the running statistics', async () => {
  const m = await loadModel(onnxPath(DIR, 'resnet-op17.onnx'));
  try {
    const bns = m.layers.filter((l) => l.className === 'BatchNormalization');
    assert.equal(bns.length, 6);
    const stats = m.getWeights().filter((w) => /moving_(mean|variance)$/.test(w.name));
    assert.equal(stats.length, 12);
    assert.ok(stats.some((w) => w.name.endsWith('moving_mean') && w.data.some((v) => Math.abs(v) > 0.01)), 'running means are not all zero');
    assert.ok(stats.some((w) => w.name.endsWith('moving_variance') && w.data.some((v) => Math.abs(v - 1) > 0.01)), 'running variances are not all one');
  } finally {
    m.dispose();
  }
});

test('loadModel takes the bytes (Uint8Array and ArrayBuffer) as well as a path', async () => {
  const bytes = new Uint8Array(readFileSync(join(DIR, 'fcn-op13.onnx')));
  const a = await loadModel(bytes);
  const b = await loadModel(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  try {
    const x = tensor(Float32Array.from({ length: 2 * 20 }, () => rng.normal()), [2, 20, 1]);
    assert.deepEqual(a.predict(x).data, b.predict(x).data);
    assert.equal(a.layers.filter((l) => l.className === 'Conv1D').length, 3);
  } finally {
    a.dispose();
    b.dispose();
  }
});

test('the causal TCN (Chomp1d after symmetric padding) imports as causal convolutions and streams as it predicts', async () => {
  const m = await loadModel(onnxPath(DIR, 'tcn-op17.onnx'));
  try {
    assert.ok(m.layers.filter((l) => l.className === 'Conv1D').every((l) => (l as unknown as { padding: string }).padding !== 'same'));
    assert.equal(m.layers.filter((l) => l.className === 'Cropping1D' || l.className === 'ZeroPadding1D').length, 0, 'chomped convs fold to causal padding');
    const L = 40;
    const x = Float32Array.from({ length: L * 2 }, () => rng.normal());
    const want = m.predict(tensor(x, [1, L, 2])).data;
    const s = m.stream({ maxChunk: 16 });
    const parts: Float32Array[] = [];
    for (let i = 0; i < L; i += 7) parts.push(s.push(x.subarray(i * 2, Math.min(i + 7, L) * 2)));
    s.dispose();
    const got = Float32Array.from(parts.flatMap((p) => [...p]));
    assertClose(got, want, 'stream vs predict', 1e-5, 1e-6);
  } finally {
    m.dispose();
  }
});

test('an imported model saves in the TF.js format and as ONNX, and both files predict the same', async () => {
  const m = await loadModel(onnxPath(DIR, 'squeeze-excite-op13.onnx'));
  const dir = mkdtempSync(join(tmpdir(), 'cnn1d-onnx-'));
  try {
    const x = tensor(Float32Array.from({ length: 2 * 30 * 2 }, () => rng.normal()), [2, 30, 2]);
    const want = m.predict(x).data;
    m.save(join(dir, 'tfjs'));
    const back = loadTfjsModel(join(dir, 'tfjs'));
    assertClose(back.predict(x).data, want, 'TF.js round trip', 1e-6, 1e-6);
    back.dispose();
    const { modelPath } = await m.save(onnxPath(dir, 'again.onnx'));
    const s = await ort.InferenceSession.create(modelPath);
    const out = await s.run({ [s.inputNames[0]]: new ort.Tensor('float32', x.data, [2, 30, 2]) });
    assertClose(out[s.outputNames[0]].data as Float32Array, want, 'ONNX round trip');
    await assert.rejects(() => m.save(onnxPath(dir, 'again.onnx')), /already exists; pass \{overwrite: true\}/);
    await m.save(onnxPath(dir, 'again.onnx'), { overwrite: true, layout: 'ncw' });
    const ncw = await ort.InferenceSession.create(join(dir, 'again.onnx'));
    const out2 = await ncw.run({ [ncw.inputNames[0]]: new ort.Tensor('float32', transpose3(x.data, 2, 30, 2), [2, 2, 30]) });
    assertClose(out2[ncw.outputNames[0]].data as Float32Array, want, 'ONNX round trip, ncw input');
    assert.deepEqual(await toOnnx(m), await toOnnx(m), 'export is deterministic');
  } finally {
    m.dispose();
  }
});

test('loadModel of an ONNX path that is missing, a directory or not ONNX gives a clear error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cnn1d-onnx-'));
  await assert.rejects(() => loadModel(onnxPath(dir, 'none.onnx')), /no such file: .*none\.onnx/);
  const { mkdirSync, writeFileSync } = await import('node:fs');
  mkdirSync(join(dir, 'd.onnx'));
  await assert.rejects(() => loadModel(onnxPath(dir, 'd.onnx')), (e: unknown) => e instanceof ModelFormatError && /not a regular file/.test(e.message));
  writeFileSync(join(dir, 'text.onnx'), '{"format": "layers-model"}');
  await assert.rejects(() => loadModel(onnxPath(dir, 'text.onnx')), (e: unknown) => e instanceof ModelFormatError && e.message.startsWith(`loadModel ${join(dir, 'text.onnx')}: onnx: `));
});
