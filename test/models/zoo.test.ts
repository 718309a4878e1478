// The zoo's builders against their papers: layer and parameter counts computed here by hand from
// each architecture's definition, the connections summary() shows, the squeeze-and-excitation
// helper against its formula, sampleCnn 'basic' against the samplecnn-8k Sequential it replaces,
// small versions of each network learning a toy task, and errors that name the argument.

import { test } from 'vitest';
import assert from 'node:assert/strict';
import { blocks, ConfigError, fromArtifacts, input, toArtifacts, layers, model, models, sequential, tensor, type Layer, type LayersModel } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';
import { twoSines } from './helpers.ts';

// parameters of one layer, from its definition (BN: gamma, beta, moving mean, moving variance)
const conv = (k: number, cin: number, f: number, bias = true) => k * cin * f + (bias ? f : 0);
const bn = (c: number) => 4 * c;
const dense = (i: number, o: number) => i * o + o;

function counts(m: LayersModel): { layers: number; params: number; byClass: Map<string, number> } {
  const byClass = new Map<string, number>();
  for (const l of m.layers) byClass.set(l.className, (byClass.get(l.className) ?? 0) + 1);
  return { layers: m.layers.length, params: m.countParams(), byClass };
}

test('models.resnet: Wang et al. 2017 / dl-4-tsc, counted by hand; block 3 has a BN-only shortcut', () => {
  const [L, C, K] = [40, 2, 3];
  const m = models.resnet({ inputShape: [L, C], classes: K, seed: 1 });
  // block(cin, f): conv k8, k5, k3 each + BN, shortcut 1x1 conv + BN if cin != f else BN alone
  const block = (cin: number, f: number) => conv(8, cin, f) + conv(5, f, f) + conv(3, f, f) + 3 * bn(f) + (cin === f ? bn(f) : conv(1, cin, f) + bn(f));
  const expected = block(C, 64) + block(64, 128) + block(128, 128) + dense(128, K);
  const { layers: n, params, byClass } = counts(m);
  assert.equal(params, expected);
  // input + 3 x (3 conv, 3 BN, 2 ReLU, add, ReLU) + 2 projections (conv + BN) + 1 BN shortcut + GAP + dense
  assert.equal(n, 1 + 3 * 10 + 2 * 2 + 1 + 2);
  assert.equal(byClass.get('Conv1D'), 3 * 3 + 2);
  assert.equal(byClass.get('BatchNormalization'), 3 * 3 + 3);
  assert.equal(byClass.get('Add'), 3);
  const text = m.summary(() => {});
  assert.match(text, new RegExp(`Total params: ${expected}\\n`));
  assert.match(text, new RegExp(`Non-trainable params: ${2 * (3 * 64 + 64 + 3 * 128 + 128 + 3 * 128 + 128)}\\n`));
  // the third add reads the BN shortcut on the second block's output and the third block's last BN
  assert.match(text, /add_2 \(Add\)\s+\[null, 40, 128\]\s+0\s+batch_normalization_\d+, batch_normalization_\d+/);
  assert.match(text, /dense \(Dense\)\s+\[null, 3\]\s+387\s+global_average_pooling1d/);
  m.dispose();
});

test('models.inceptionTime: Ismail Fawaz et al. 2020, counted by hand for the defaults and for options', () => {
  const inception = (cin: number, f: number, b: number, kernels: number[]) =>
    (cin > 1 ? conv(1, cin, b, false) : 0) + kernels.reduce((s, k) => s + conv(k, cin > 1 ? b : cin, f, false), 0) + conv(1, cin, f, false) + bn((kernels.length + 1) * f);
  const expected = (C: number, K: number, depth: number, f: number, b: number, kernels: number[]) => {
    const width = (kernels.length + 1) * f;
    let total = dense(width, K);
    let resC = C;
    for (let d = 0; d < depth; d++) {
      total += inception(d === 0 ? C : width, f, b, kernels);
      if (d % 3 === 2) {
        total += conv(1, resC, width, false) + bn(width);
        resC = width;
      }
    }
    return total;
  };
  const m = models.inceptionTime({ inputShape: [96, 1], classes: 2, seed: 1 });
  assert.equal(m.countParams(), expected(1, 2, 6, 32, 32, [40, 20, 10]));
  // input + first module (3 long convs, pool, 1x1, concat, BN, ReLU) + 5 modules with a bottleneck
  // + 2 shortcuts (conv, BN, add, ReLU) + GAP + dense
  assert.equal(m.layers.length, 1 + 8 + 5 * 9 + 2 * 4 + 2);
  const text = m.summary(() => {});
  assert.match(text, /concatenate \(Concatenate\)\s+\[null, 96, 128\]\s+0\s+conv1d_\d+, conv1d_\d+, conv1d_\d+, conv1d_\d+\n/);
  assert.match(text, /max_pooling1d \(MaxPooling1D\)\s+\[null, 96, 1\]\s+0\s+input\n/);
  assert.match(text, /conv1d_\d+ \(Conv1D\)\s+\[null, 96, 32\]\s+1280\s+input\n/); // k40 on the input, no bias
  assert.match(text, /conv1d \(Conv1D\)\s+\[null, 96, 128\]\s+128\s+input\n/); // the first shortcut, no bias
  assert.equal(text.match(/\(Add\)/g)?.length, 2);
  m.dispose();

  const opts = { depth: 4, filters: 6, bottleneck: 5, kernels: [9, 4] };
  const small = models.inceptionTime({ inputShape: [30, 3], classes: 4, seed: 1, ...opts });
  assert.equal(small.countParams(), expected(3, 4, 4, 6, 5, [9, 4]));
  assert.deepEqual(small.outputShape, [4]);
  small.dispose();
  const plain = models.inceptionTime({ inputShape: [30, 3], classes: 4, ...opts, residual: false });
  assert.equal(plain.countParams(), expected(3, 4, 4, 6, 5, [9, 4]) - conv(1, 3, 18, false) - bn(18));
  plain.dispose();
});

test('models.sampleCnn rese / res / se: Kim, Lee & Nam 2018 blocks, counted by hand', () => {
  const [L, K] = [2187, 10]; // 2187 / 3 = 729 = 3^6: six MaxPool(3) leave length 1
  const widths = [32, 32, 64, 64, 128, 128];
  const stem = conv(3, 1, 32) + bn(32);
  const se = (c: number, r: number) => dense(c, c * r) + dense(c * r, c);
  const res = (cin: number, c: number) => (cin === c ? 0 : conv(1, cin, c) + bn(c)) + conv(3, cin, c) + conv(3, c, c) + 2 * bn(c);
  const total = (blockParams: (cin: number, c: number) => number) => stem + widths.reduce((s, c, i) => s + blockParams(i === 0 ? 32 : widths[i - 1], c), 0) + dense(128, K);
  const projections = widths.filter((c, i) => c !== (i === 0 ? 32 : widths[i - 1])).length;
  assert.equal(projections, 2);

  const rese = models.sampleCnn({ inputShape: [L, 1], classes: K, seed: 1, block: 'rese' });
  assert.equal(rese.countParams(), total((cin, c) => res(cin, c) + se(c, 16)));
  // input, stem (conv, BN, ReLU), 6 x (conv, BN, ReLU, dropout, conv, BN, GAP, dense, dense, multiply, add, ReLU, pool), 2 projections, GAP, dense
  assert.equal(rese.layers.length, 1 + 3 + 6 * 13 + 2 * 2 + 2);
  const text = rese.summary(() => {});
  assert.match(text, /dense \(Dense\)\s+\[null, 512\]\s+16896\s+global_average_pooling1d/); // 32 -> 32 * 16
  assert.match(text, /multiply \(Multiply\)\s+\[null, 729, 32\]\s+0\s+batch_normalization_2, dense_1/);
  assert.match(text, /add \(Add\)\s+\[null, 729, 32\]\s+0\s+activation, multiply/); // identity shortcut
  assert.match(text, /add_2 \(Add\)\s+\[null, 81, 64\]\s+0\s+batch_normalization_5, multiply_2/); // projection shortcut
  assert.match(text, /dropout \(Dropout\)\s+\[null, 729, 32\]/);
  rese.dispose();

  const resOnly = models.sampleCnn({ inputShape: [L, 1], classes: K, block: 'res', blockDropout: 0 });
  assert.equal(resOnly.countParams(), total(res));
  assert.equal(counts(resOnly).byClass.get('Dropout'), undefined);
  assert.equal(resOnly.layers.length, 1 + 3 + 6 * 8 + 2 * 2 + 2);
  resOnly.dispose();

  const seNet = models.sampleCnn({ inputShape: [L, 1], classes: K, block: 'se', ratio: 2 });
  assert.equal(seNet.countParams(), total((cin, c) => conv(3, cin, c) + bn(c) + se(c, 2)));
  // SE after the max pooling, as in the authors' code (se_block = basic_block then SE)
  assert.match(seNet.summary(() => {}), /global_average_pooling1d \(GlobalAveragePooling1D\)\s+\[null, 32\]\s+0\s+max_pooling1d\n/);
  seNet.dispose();
});

/** models.sampleCnn as it was before the zoo had blocks: the samplecnn-8k network of WORKLOADS.md. */
function oldSampleCnn(inputShape: [number, number], classes: number, seed: number) {
  const ls: Layer[] = [layers.conv1d({ filters: 32, kernelSize: 3, strides: 3, inputShape }), layers.batchNormalization(), layers.activation({ activation: 'relu' })];
  for (const c of [32, 32, 64, 64, 128, 128]) {
    ls.push(layers.conv1d({ filters: c, kernelSize: 3, padding: 'same' }), layers.batchNormalization(), layers.activation({ activation: 'relu' }), layers.maxPooling1d({ poolSize: 3 }));
  }
  ls.push(layers.globalAveragePooling1d(), layers.dense({ units: classes, activation: 'softmax' }));
  return sequential({ seed, name: 'samplecnn', layers: ls });
}

test("models.sampleCnn block 'basic' is today's samplecnn-8k: same layers, weights and predictions for a seed", () => {
  const shape: [number, number] = [2187, 1];
  const a = models.sampleCnn({ inputShape: shape, classes: 10, seed: 7 });
  const b = models.sampleCnn({ inputShape: shape, classes: 10, seed: 7, block: 'basic' });
  const old = oldSampleCnn(shape, 10, 7);
  const x = tensor(Float32Array.from({ length: 3 * shape[0] }, (_, i) => Math.sin(i * 0.37) + Math.cos(i * 0.011)), [3, ...shape]);
  const expected = old.predict(x).data;
  for (const m of [a, b]) {
    assert.deepEqual(m.layers.map((l) => `${l.name}:${l.className}`), old.layers.map((l) => `${l.name}:${l.className}`));
    assert.deepEqual(m.getWeights(), old.getWeights());
    assert.deepEqual(m.predict(x).data, expected);
  }
  const other = models.sampleCnn({ inputShape: shape, classes: 10, seed: 8 });
  assert.notDeepEqual(other.getWeights()[0].data, old.getWeights()[0].data, 'the seed matters');
  for (const m of [a, b, old, other]) m.dispose();
});

test('blocks.squeezeExcite computes x * sigmoid(W2 relu(W1 mean(x) + b1) + b2) over the channels', () => {
  const [L, C, ratio] = [5, 3, 2];
  const x = input({ shape: [L, C] });
  const m = model({ inputs: x, outputs: blocks.squeezeExcite(x, ratio), seed: 4 });
  const rng = new Random(11);
  m.setWeights(m.getWeights().map((w) => Float32Array.from(w.data, () => rng.uniform(-1, 1))));
  const [k1, b1, k2, b2] = m.getWeights().map((w) => w.data); // [C, C*ratio], [C*ratio], [C*ratio, C], [C]
  const H = C * ratio;
  const data = Float32Array.from({ length: 2 * L * C }, () => rng.normal());
  const y = m.predict(tensor(data, [2, L, C])).data;
  for (let n = 0; n < 2; n++) {
    const mean = Array.from({ length: C }, (_, c) => Array.from({ length: L }, (_, t) => data[n * L * C + t * C + c]).reduce((s, v) => s + v, 0) / L);
    const h = Array.from({ length: H }, (_, j) => Math.max(0, b1[j] + mean.reduce((s, v, c) => s + v * k1[c * H + j], 0)));
    const s = Array.from({ length: C }, (_, c) => 1 / (1 + Math.exp(-(b2[c] + h.reduce((acc, v, j) => acc + v * k2[j * C + c], 0)))));
    for (let t = 0; t < L; t++) for (let c = 0; c < C; c++) {
      const i = n * L * C + t * C + c;
      assert.ok(Math.abs(y[i] - data[i] * s[c]) < 1e-5, `sample ${n} t ${t} c ${c}: ${y[i]} vs ${data[i] * s[c]}`);
    }
  }
  m.dispose();
});

test('small versions of resnet, inceptionTime and the ReSE sample-level CNN learn two sines', async () => {
  const train = twoSines(128, 81, 1);
  const check = twoSines(48, 81, 2);
  const builds: LayersModel[] = [
    models.resnet({ inputShape: [81, 1], classes: 2, seed: 1, filters: 4 }),
    models.inceptionTime({ inputShape: [81, 1], classes: 2, seed: 1, depth: 3, filters: 4, bottleneck: 4, kernels: [9, 5, 3] }),
    models.sampleCnn({ inputShape: [81, 1], classes: 2, seed: 1, block: 'rese', widths: [8, 8, 16], stemFilters: 8, ratio: 2 }),
  ];
  for (const m of builds) {
    m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    // 480 steps: enough for the batch-norm moving statistics (momentum 0.99) that evaluate() uses
    const history = await m.fit(train.x, train.y, { epochs: 30, batchSize: 8, verbose: 0 });
    const loss = history.history.loss;
    assert.ok(loss[loss.length - 1] < loss[0], `${m.name}: loss decreases (${loss[0]} -> ${loss[loss.length - 1]})`);
    const { accuracy } = m.evaluate(check.x, check.y);
    assert.ok(accuracy >= 0.9, `${m.name}: accuracy ${accuracy}`);
    m.dispose();
  }
});

test('the branching builders save and load as functional models with the same predictions', () => {
  const x = tensor(Float32Array.from({ length: 2 * 81 }, (_, i) => Math.sin(i * 0.3)), [2, 81, 1]);
  for (const m of [
    models.resnet({ inputShape: [81, 1], classes: 3, seed: 2, filters: 4 }),
    models.inceptionTime({ inputShape: [81, 1], classes: 3, seed: 2, depth: 3, filters: 4, bottleneck: 4, kernels: [9, 5, 3] }),
    models.sampleCnn({ inputShape: [81, 1], classes: 3, seed: 2, block: 'rese', widths: [8, 8, 16], stemFilters: 8, ratio: 2 }),
  ]) {
    const loaded = fromArtifacts(toArtifacts(m));
    assert.equal(loaded.countParams(), m.countParams());
    assert.equal(loaded.layers.length, m.layers.length);
    assert.deepEqual(loaded.predict(x).data, m.predict(x).data, m.name);
    m.dispose();
    loaded.dispose();
  }
});

test('the Sequential builders of WORKLOADS.md, counted by hand: fcn, kerasSeed, tutorial18', () => {
  const fcn = models.fcn({ inputShape: [96, 1], classes: 2, seed: 1 });
  assert.equal(fcn.countParams(), conv(8, 1, 128) + bn(128) + conv(5, 128, 256) + bn(256) + conv(3, 256, 128) + bn(128) + dense(128, 2));
  const seed = models.kerasSeed({ inputShape: [128, 1], classes: 3, seed: 1 });
  assert.equal(seed.countParams(), conv(3, 1, 32) + dense(((128 - 2) / 2) * 32, 128) + dense(128, 3)); // valid conv, pool 2, flatten
  const t18 = models.tutorial18(1);
  assert.equal(t18.countParams(), conv(3, 1, 4) + conv(3, 4, 6) + dense(3 * 6, 2)); // 18 -> 16 -> 8 -> 6 -> 3
  assert.deepEqual([fcn, seed, t18].map((m) => m.layers.length), [11, 5, 6]);
  for (const m of [fcn, seed, t18]) m.dispose();
  assert.throws(() => models.fcn({ inputShape: [96, 1], classes: 1.5 }), /models\.fcn: classes must be a positive integer, got 1\.5/);
});

test('bad arguments name the builder, the field and the value', () => {
  const ok = { inputShape: [96, 1] as [number, number], classes: 2 };
  assert.throws(() => models.resnet({ ...ok, inputShape: [96] as unknown as [number, number] }), /models\.resnet: inputShape must be \[length, channels\] \(positive integers\), got \[96\]/);
  assert.throws(() => models.resnet({ ...ok, classes: 0 }), /models\.resnet: classes must be a positive integer, got 0/);
  assert.throws(() => models.resnet({ ...ok, filter: 3 } as never), ConfigError);
  assert.throws(() => models.inceptionTime({ ...ok, kernels: [] }), /models\.inceptionTime: kernels must be a non-empty array of kernel sizes, got \[\]/);
  assert.throws(() => models.inceptionTime({ ...ok, kernels: [40, 0] }), /models\.inceptionTime: kernels\[1\] must be a positive integer, got 0/);
  assert.throws(() => models.sampleCnn({ ...ok, block: 'resse' as never }), /models\.sampleCnn: block must be one of "basic", "res", "se", "rese", got "resse".*rese/);
  assert.throws(() => models.sampleCnn({ ...ok, block: 'se', ratio: 0 }), /models\.sampleCnn: ratio must be positive for block "se", got 0/);
  assert.throws(() => models.sampleCnn({ ...ok, widths: [32, 1.5] }), /models\.sampleCnn: widths\[1\] must be a positive integer, got 1\.5/);
  const x = input({ shape: [8, 2] });
  assert.throws(() => blocks.squeezeExcite(x, -1), /blocks\.squeezeExcite: ratio must be a positive number \(16 amplifies, 1\/16 reduces\), got -1/);
  assert.throws(() => blocks.squeezeExcite([8, 2] as never), /blocks\.squeezeExcite: expected a symbolic tensor/);
});
