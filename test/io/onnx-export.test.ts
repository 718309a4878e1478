// ONNX export: every layer cnn1d has (each padding, activation and option that changes the graph)
// and every models.* builder, written by toOnnx, run in onnxruntime-node with cnn1d's predictions,
// at two lengths for variable-length models and with both input layouts; every file passes
// onnx.checker (full check, Debian python3-onnx); the files import back into cnn1d.
import { describe, test } from 'vitest';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { blocks, ConfigError, input, layers, loadModel, model, models, sequential, tensor, toOnnx, type LayersModel, type Layer } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';

const rng = new Random(1913);
const out = mkdtempSync(join(tmpdir(), 'cnn1d-onnx-export-'));
const written: string[] = [];

const seq = (inputShape: (number | null)[], ...ls: Layer[]) => {
  const x = input({ shape: inputShape });
  let y = x;
  for (const l of ls) y = l.apply(y) as typeof x;
  return model({ inputs: x, outputs: y, seed: 5 });
};
const L = 12;
const C = 4;
const ACTS = ['relu', 'relu6', 'leakyRelu', 'elu', 'selu', 'sigmoid', 'tanh', 'softplus', 'softsign', 'swish', 'gelu', 'hardSigmoid', 'mish', 'softmax', 'linear'] as const;

function se(): LayersModel {
  const x = input({ shape: [L, C] });
  const y = blocks.squeezeExcite(blocks.convBn(x, 6, { kernelSize: 3 }), 0.5);
  const z = layers.concatenate({ axis: 1 }).apply([y, layers.maximum().apply([y, layers.minimum().apply([y, y])])]);
  const w = layers.average().apply([layers.subtract().apply([z, z]), z, layers.multiply().apply([z, z])]);
  return model({ inputs: x, outputs: layers.dense({ units: 3 }).apply(layers.globalMaxPooling1d().apply(w)), seed: 3 });
}

function twoInputs(): LayersModel {
  const a = input({ shape: [L, C] });
  const b = input({ shape: [C] });
  const y = layers.add().apply([layers.conv1d({ filters: C, kernelSize: 3, padding: 'same' }).apply(a), b]);
  return model({ inputs: [a, b], outputs: [y, layers.dense({ units: 2 }).apply(b)], seed: 4 });
}

const CASES: Record<string, () => LayersModel> = {
  'models.fcn': () => models.fcn({ inputShape: [32, 2], classes: 3, seed: 1 }, [8, 8, 8]),
  'models.kerasSeed': () => models.kerasSeed({ inputShape: [24, 2], classes: 3, seed: 1 }),
  'models.tutorial18': () => models.tutorial18(1),
  'models.resnet': () => models.resnet({ inputShape: [40, 2], classes: 3, seed: 1 }),
  'models.inceptionTime': () => models.inceptionTime({ inputShape: [40, 2], classes: 3, seed: 1 }),
  ...Object.fromEntries((['basic', 'se', 'res', 'rese'] as const).map((block) => [`models.sampleCnn ${block}`, () => models.sampleCnn({ inputShape: [243, 1], classes: 3, seed: 1, widths: [8, 8, 8, 8], stemFilters: 8, block })])),
  ...Object.fromEntries(ACTS.map((a) => [`Conv1D activation ${a}`, () => seq([L, C], layers.conv1d({ filters: 5, kernelSize: 3, activation: a, activationAlpha: a === 'swish' ? 1.5 : undefined }))])),
  // the Keras activation layer classes (src/layers/advanced-activations.ts)
  'ReLU': () => seq([null, C], layers.reLU()),
  'ReLU maxValue, negativeSlope, threshold': () => seq([null, C], layers.reLU({ maxValue: 0.8, negativeSlope: 0.1, threshold: 0.2 })),
  'ReLU threshold only': () => seq([null, C], layers.reLU({ threshold: -0.3 })),
  'LeakyReLU': () => seq([null, C], layers.leakyReLU({ alpha: 0.2 })),
  'ThresholdedReLU': () => seq([null, C], layers.thresholdedReLU({ theta: 0.5 })),
  'ELU': () => seq([null, C], layers.elu({ alpha: 0.7 })),
  'Softmax layer': () => seq([null, C], layers.softmax()),
  'Conv1D same, strides 2': () => seq([null, C], layers.conv1d({ filters: 5, kernelSize: 4, strides: 2, padding: 'same' })),
  'Conv1D same, dilation 2': () => seq([null, C], layers.conv1d({ filters: 5, kernelSize: 4, dilationRate: 2, padding: 'same' })),
  'Conv1D same, strides 2, dilation 2, fixed length': () => seq([L, C], layers.conv1d({ filters: 5, kernelSize: 3, strides: 2, dilationRate: 2, padding: 'same' })),
  'Conv1D causal, groups 2, no bias': () => seq([null, C], layers.conv1d({ filters: 6, kernelSize: 4, dilationRate: 3, padding: 'causal', groups: 2, useBias: false })),
  'DepthwiseConv1D': () => seq([null, C], layers.depthwiseConv1d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'relu' })),
  'SeparableConv1D': () => seq([L, C], layers.separableConv1d({ filters: 5, kernelSize: 3, strides: 2, dilationRate: 1, padding: 'valid' })),
  'Conv1DTranspose valid': () => seq([null, C], layers.conv1dTranspose({ filters: 3, kernelSize: 4, strides: 2 })),
  'Conv1DTranspose same': () => seq([null, C], layers.conv1dTranspose({ filters: 3, kernelSize: 5, strides: 2, padding: 'same', activation: 'tanh' })),
  'Conv1DTranspose outputPadding': () => seq([L, C], layers.conv1dTranspose({ filters: 3, kernelSize: 3, strides: 2, outputPadding: 1, useBias: false })),
  'Dense on features and per step, TimeDistributed': () => seq([L, C], layers.dense({ units: 5, activation: 'relu' }), layers.timeDistributed({ layer: layers.dense({ units: 3 }) }), layers.flatten(), layers.dense({ units: 2, useBias: false })),
  'BatchNormalization, LayerNormalization': () => seq([null, C], layers.batchNormalization({ center: false }), layers.layerNormalization({ epsilon: 1e-4 }), layers.batchNormalization({ scale: false })),
  'LayerNormalization on features': () => seq([C], layers.layerNormalization(), layers.dense({ units: 3, activation: 'softmax' })),
  'Activation, PReLU, RReLU': () => seq([null, C], layers.activation({ activation: 'elu', alpha: 0.5 }), layers.prelu({ sharedAxes: [1] }), layers.rrelu(), layers.activation({ activation: 'leakyRelu', alpha: 0.2 })),
  'PReLU per position': () => seq([L, C], layers.prelu()),
  'pooling valid and same': () => seq([null, C], layers.maxPooling1d({ poolSize: 3, strides: 2, padding: 'same' }), layers.averagePooling1d({ poolSize: 2, padding: 'same' }), layers.maxPooling1d({ poolSize: 2 }), layers.averagePooling1d({ poolSize: 2, strides: 1 }), layers.globalAveragePooling1d()),
  'Flatten channelsLast and channelsFirst': () => {
    const x = input({ shape: [L, C] });
    const y = layers.concatenate().apply([layers.flatten().apply(x), layers.flatten({ dataFormat: 'channelsFirst' }).apply(x)]);
    return model({ inputs: x, outputs: y });
  },
  'merges and concatenate with broadcast': se,
  'two inputs, two outputs': twoInputs,
  'ZeroPadding1D, Cropping1D, UpSampling1D': () => seq([null, C], layers.zeroPadding1d({ padding: [2, 1] }), layers.cropping1d({ cropping: [1, 0] }), layers.upSampling1d({ size: 3 }), layers.cropping1d({ cropping: [0, 2] })),
  'RepeatVector, Permute, Reshape': () => seq([C], layers.repeatVector({ n: 6 }), layers.permute({ dims: [2, 1] }), layers.reshape({ targetShape: [3, 8] }), layers.permute({ dims: [1, 2] }), layers.reshape({ targetShape: [24] })),
  'dropouts and noise (identity at inference)': () => seq([null, C], layers.dropout({ rate: 0.3 }), layers.spatialDropout1d({ rate: 0.2 }), layers.gaussianNoise({ stddev: 0.1 }), layers.gaussianDropout({ rate: 0.1 })),
  'Embedding': () => seq([L], layers.embedding({ inputDim: 7, outputDim: 3 }), layers.conv1d({ filters: 2, kernelSize: 3 })),
};

/** Random inputs for each model input ([n, ...shape], variable lengths as `len`; ids for Embedding). */
function inputsOf(m: LayersModel, n: number, len: number): { shape: number[]; data: Float32Array }[] {
  return m.graph.inputs.map((t) => {
    const shape = [n, ...(m.variableLength && t.shape.length === 2 ? [len, t.shape[1]] : t.shape)];
    const ids = m.layers.some((l) => l.className === 'Embedding');
    const data = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (ids ? rng.int(7) : rng.normal()));
    return { shape, data };
  });
}

const ncw = (d: Float32Array, [n, a, b]: number[]) => {
  const y = new Float32Array(d.length);
  for (let i = 0; i < n; i++) for (let p = 0; p < a; p++) for (let q = 0; q < b; q++) y[i * a * b + q * a + p] = d[i * a * b + p * b + q];
  return y;
};

async function checkRuns(m: LayersModel, bytes: Uint8Array, layout: 'nwc' | 'ncw', len: number, what: string): Promise<void> {
  const xs = inputsOf(m, 3, len);
  const s = await ort.InferenceSession.create(bytes);
  const feeds = Object.fromEntries(s.inputNames.map((name, i) => {
    const { shape, data } = xs[i];
    const t = layout === 'ncw' && shape.length === 3 ? new ort.Tensor('float32', ncw(data, shape), [shape[0], shape[2], shape[1]]) : new ort.Tensor('float32', data, shape);
    return [name, t];
  }));
  const res = await s.run(feeds);
  const want = m.predict<import('../../src/index.ts').Tensor[]>(xs.map((x) => tensor(x.data, x.shape)) as never);
  const list = Array.isArray(want) ? want : [want];
  s.outputNames.forEach((name, i) => {
    const o = res[name];
    const dims = o.dims as number[];
    const got = layout === 'ncw' && dims.length === 3 ? ncw(o.data as Float32Array, dims) : (o.data as Float32Array);
    const w = list[i];
    assert.deepEqual(layout === 'ncw' && dims.length === 3 ? [dims[0], dims[2], dims[1]] : dims, w.shape, `${what}: output ${i} shape`);
    for (let j = 0; j < got.length; j++) assert.ok(Math.abs(got[j] - w.data[j]) <= 1e-5 + 1e-4 * Math.abs(w.data[j]), `${what} (${layout}, length ${len}): output ${i}[${j}] onnxruntime ${got[j]}, cnn1d ${w.data[j]}`);
  });
}

describe('toOnnx runs in onnxruntime with cnn1d predictions', () => {
  for (const [name, make] of Object.entries(CASES)) {
    test(name, async () => {
      const m = make();
      try {
        m.build();
        for (const layout of ['nwc', 'ncw'] as const) {
          const bytes = await toOnnx(m, { layout });
          const file = join(out, `${name.replace(/[^A-Za-z0-9]+/g, '_')}-${layout}.onnx`);
          writeFileSync(file, bytes);
          written.push(file);
          for (const len of m.variableLength ? [19, 30] : [0]) await checkRuns(m, bytes, layout, len, name);
        }
      } finally {
        m.dispose();
      }
    });
  }
});

test('an exported model imports back with the same predictions', async () => {
  const x0 = input({ shape: [null, 2] });
  const h = blocks.addRelu(blocks.projection(x0, 6), blocks.convBn(blocks.convBn(x0, 6, { kernelSize: 5 }), 6, { kernelSize: 3, relu: false }));
  const m = model({ inputs: x0, outputs: layers.dense({ units: 3, activation: 'softmax' }).apply(layers.globalAveragePooling1d().apply(h)), seed: 8 });
  m.build();
  const back = await loadModel(await toOnnx(m, { layout: 'ncw' }));
  try {
    const x = tensor(Float32Array.from({ length: 2 * 33 * 2 }, () => rng.normal()), [2, 33, 2]);
    const a = m.predict(x).data;
    const b = back.predict(x).data;
    a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= 1e-5 + 1e-5 * Math.abs(v), `[${i}] ${v} vs ${b[i]}`));
  } finally {
    m.dispose();
    back.dispose();
  }
});

test('toOnnx refuses a bad layout and names a layer it cannot write', async () => {
  const m = seq([L, C], layers.conv1d({ filters: 2, kernelSize: 3 }));
  m.build();
  await assert.rejects(() => toOnnx(m, { layout: 'nlc' as 'ncw' }), (e: unknown) => e instanceof ConfigError && /layout must be "nwc"/.test(e.message));
  await assert.rejects(() => toOnnx(m, { opset: 17 } as never), (e: unknown) => e instanceof ConfigError && /toOnnx: unknown option "opset"/.test(e.message));
  m.dispose();
  const t = seq([L, C], layers.conv1dTranspose({ filters: 2, kernelSize: 1, strides: 3 }));
  t.build();
  await assert.rejects(() => toOnnx(t), /window span 1 shorter than strides 3/);
  t.dispose();
});

const python = spawnSync('/usr/bin/python3', ['-c', 'import onnx'], { encoding: 'utf8' });
const hasChecker = python.status === 0;
if (!hasChecker) console.warn(`onnx export tests: /usr/bin/python3 with the onnx package not found, onnx.checker is ${process.env.CI ? 'failed (CI)' : 'skipped'} (apt-get install python3-onnx)`);

// in CI (.ci/run installs python3-onnx) a missing checker fails instead of skipping
test.skipIf(!hasChecker && !process.env.CI)('every file written above passes onnx.checker (full check)', () => {
  assert.ok(written.length >= 2 * Object.keys(CASES).length, `${written.length} files`);
  // one python process checks them all
  const script = 'import onnx, sys\nfor p in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(p), full_check=True)\nprint(len(sys.argv) - 1)';
  const r = spawnSync('/usr/bin/python3', ['-c', script, ...written], { encoding: 'utf8' });
  assert.equal(r.status, 0, `onnx.checker: ${r.stderr}`);
  assert.equal(Number(r.stdout.trim()), written.length);
});
