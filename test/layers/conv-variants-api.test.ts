// Grouped, depthwise, separable and transposed Conv1D as a user meets them: bad options refused
// with errors naming the layer, option, value and what is allowed; parameter counts in summary();
// a TF.js-format save/load round trip (Keras class names and config keys); streaming where causal
// makes sense, and a clear refusal where it does not.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { ConfigError, fromArtifacts, input, layers, model, sequential, toArtifacts, Tensor, type Layer } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';

const rng = new Random(919);

/** fn throws a ConfigError whose message contains every part. */
function refuses(fn: () => unknown, parts: string[], label: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ConfigError, `${label}: expected a ConfigError, got ${String(e)}`);
    for (const p of parts) assert.ok(e.message.includes(p), `${label}: "${e.message}" does not mention ${p}`);
    return true;
  }, `${label}: accepted`);
}

/** Builds a one-layer model of `layer` on input [L, C]. */
const build = (layer: Layer, L: number, C: number) => () => {
  const x = input({ shape: [L, C] });
  model({ inputs: x, outputs: layer.apply(x) }).dispose();
};

test('bad options: groups, depthMultiplier, transpose padding and outputPadding, unknown keys', () => {
  refuses(() => layers.conv1d({ filters: 6, kernelSize: 3, groups: 4 }), ['Conv1D', 'groups', 'filters (6)', '4'], 'groups not dividing filters');
  for (const groups of [0, -2, 1.5, '2'] as unknown as number[]) refuses(() => layers.conv1d({ filters: 6, kernelSize: 3, groups }), ['Conv1D', 'groups must be a positive integer', JSON.stringify(groups)], `groups ${groups}`);
  refuses(build(layers.conv1d({ filters: 6, kernelSize: 3, groups: 3 }), 10, 4), ['Conv1D layer', 'groups 3 must divide the input channels', 'got 4 channels'], 'groups not dividing channels');
  for (const depthMultiplier of [0, -1, 2.5]) {
    refuses(() => layers.depthwiseConv1d({ kernelSize: 3, depthMultiplier }), ['DepthwiseConv1D', 'depthMultiplier must be a positive integer', String(depthMultiplier)], `depthwise depthMultiplier ${depthMultiplier}`);
    refuses(() => layers.separableConv1d({ filters: 4, kernelSize: 3, depthMultiplier }), ['SeparableConv1D', 'depthMultiplier must be a positive integer', String(depthMultiplier)], `separable depthMultiplier ${depthMultiplier}`);
  }
  refuses(() => layers.separableConv1d({ kernelSize: 3 } as never), ['SeparableConv1D', 'filters must be a positive integer', 'undefined'], 'separable without filters');
  refuses(() => layers.depthwiseConv1d({ kernelSize: 3, depth_multiplier: 2 } as never), ['DepthwiseConv1D', 'unknown option "depth_multiplier"', 'did you mean "depthMultiplier"'], 'snake_case key');
  refuses(() => layers.depthwiseConv1d({ kernelSize: 3, filters: 2 } as never), ['DepthwiseConv1D', 'unknown option "filters"'], 'filters on depthwise');
  refuses(() => layers.conv1dTranspose({ filters: 2, kernelSize: 3, padding: 'causal' as never }), ['Conv1DTranspose', 'padding must be one of "valid", "same"', '"causal"'], 'causal transpose');
  for (const outputPadding of [2, -1, 0.5]) refuses(() => layers.conv1dTranspose({ filters: 2, kernelSize: 3, strides: 2, outputPadding }), ['Conv1DTranspose', 'outputPadding must be an integer in [0, strides - 1] = [0, 1]', String(outputPadding)], `outputPadding ${outputPadding}`);
  // even span, "same", outputPadding 0: T = (L-1)*S, whose "same" conv has L-1 steps (TensorFlow refuses it too)
  refuses(build(layers.conv1dTranspose({ filters: 2, kernelSize: 4, strides: 2, padding: 'same', outputPadding: 0 }), 5, 3), ['Conv1DTranspose layer', 'outputPadding 0 gives an output of 8 steps for 5 input steps', 'has 4, not 5'], 'inconsistent outputPadding');
  refuses(build(layers.depthwiseConv1d({ kernelSize: 5, dilationRate: 2 }), 8, 2), ['DepthwiseConv1D layer', 'input length 8 is shorter than the kernel span 9'], 'depthwise too short');
  refuses(build(layers.separableConv1d({ filters: 3, kernelSize: 4 }), 3, 2), ['SeparableConv1D layer', 'input length 3 is shorter than the kernel span 4'], 'separable too short');
});

test('parameter counts in summary(): the Keras formulas', () => {
  const [L, C] = [32, 8];
  const m = sequential({
    layers: [
      layers.conv1d({ filters: 12, kernelSize: 3, groups: 4, padding: 'same', inputShape: [L, C] }), // 3*2*12 + 12
      layers.depthwiseConv1d({ kernelSize: 5, depthMultiplier: 2, padding: 'causal' }), // 5*12*2 + 24
      layers.separableConv1d({ filters: 6, kernelSize: 3, depthMultiplier: 3, strides: 2 }), // 3*24*3 + 72*6 + 6
      layers.conv1dTranspose({ filters: 4, kernelSize: 4, strides: 2, padding: 'same' }), // 4*4*6 + 4
      layers.separableConv1d({ filters: 2, kernelSize: 3, useBias: false }), // 3*4 + 4*2
    ],
  });
  try {
    m.build();
    const counts = m.layers.map((l) => l.weights.reduce((n, w) => n + w.size, 0));
    assert.deepEqual(counts, [3 * 2 * 12 + 12, 5 * 12 * 2 + 24, 3 * 24 * 3 + 72 * 6 + 6, 4 * 4 * 6 + 4, 3 * 4 + 4 * 2]);
    assert.equal(m.countParams(), counts.reduce((a, b) => a + b, 0));
    const text = m.summary(() => {});
    const rows: [string, string][] = [
      ['conv1d (Conv1D)', '[null, 32, 12]'],
      ['depthwise_conv1d (DepthwiseConv1D)', '[null, 32, 24]'],
      ['separable_conv1d (SeparableConv1D)', '[null, 15, 6]'],
      ['conv1d_transpose (Conv1DTranspose)', '[null, 30, 4]'],
      ['separable_conv1d_1 (SeparableConv1D)', '[null, 28, 2]'],
    ];
    rows.forEach(([name, shape], i) => {
      const line = text.split('\n').find((l) => l.startsWith(`${name} `));
      assert.deepEqual(line?.split(/\s{2,}/), [name, shape, String(counts[i])], `summary row of ${name}:\n${text}`);
    });
    assert.deepEqual(m.weights.map((w) => `${w.name} [${w.shape}]`), [
      'conv1d/kernel [3,2,12]', 'conv1d/bias [12]',
      'depthwise_conv1d/depthwise_kernel [5,12,2]', 'depthwise_conv1d/bias [24]',
      'separable_conv1d/depthwise_kernel [3,24,3]', 'separable_conv1d/pointwise_kernel [1,72,6]', 'separable_conv1d/bias [6]',
      'conv1d_transpose/kernel [4,4,6]', 'conv1d_transpose/bias [4]',
      'separable_conv1d_1/depthwise_kernel [3,4,1]', 'separable_conv1d_1/pointwise_kernel [1,4,2]',
    ]);
  } finally {
    m.dispose();
  }
});

test('save/load round trip in the TF.js format: Keras class names and keys, identical predictions', async () => {
  const make = () => sequential({
    seed: 7,
    layers: [
      layers.conv1d({ filters: 6, kernelSize: 3, groups: 2, padding: 'causal', activation: 'relu', inputShape: [24, 4] }),
      layers.depthwiseConv1d({ kernelSize: 3, depthMultiplier: 2, dilationRate: 2, padding: 'same', activation: 'elu', activationAlpha: 0.5, depthwiseInitializer: 'heNormal', biasInitializer: 'ones' }),
      layers.separableConv1d({ filters: 5, kernelSize: 4, strides: 2, depthMultiplier: 3, activation: 'tanh', pointwiseInitializer: 'leCunUniform' }),
      layers.conv1dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', outputPadding: 1, useBias: false }),
      layers.globalAveragePooling1d(),
      layers.dense({ units: 2, activation: 'softmax' }),
    ],
  });
  const m = make();
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const x = new Tensor(rng.uniformArray(6 * 24 * 4, -1, 1), [6, 24, 4]);
  await m.fit(x, [0, 1, 0, 1, 1, 0], { epochs: 2, verbose: 0 }); // weights away from their initial values
  const art = toArtifacts(m);
  const topo = art.modelJson.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
  const cfg = topo.config.layers.map((l) => [l.class_name, l.config] as const);
  assert.deepEqual(cfg.slice(0, 4).map(([c]) => c), ['Conv1D', 'DepthwiseConv1D', 'SeparableConv1D', 'Conv1DTranspose']);
  assert.equal(cfg[0][1].groups, 2);
  assert.deepEqual([cfg[1][1].depth_multiplier, cfg[1][1].dilation_rate, cfg[1][1].padding, (cfg[1][1].depthwise_initializer as { class_name: string }).class_name], [2, [2], 'same', 'HeNormal']);
  assert.ok(!('kernel_initializer' in cfg[1][1]) && !('filters' in cfg[1][1]), 'DepthwiseConv1D writes depthwise_initializer, no filters');
  assert.deepEqual([cfg[2][1].filters, cfg[2][1].depth_multiplier, cfg[2][1].strides, (cfg[2][1].pointwise_initializer as { class_name: string }).class_name], [5, 3, [2], 'LecunUniform']);
  assert.deepEqual([cfg[3][1].output_padding, cfg[3][1].padding, cfg[3][1].use_bias], [[1], 'same', false]);

  const loaded = fromArtifacts(art);
  try {
    assert.deepEqual(loaded.layers.map((l) => l.getConfig()), m.layers.map((l) => l.getConfig()));
    assert.deepEqual([...loaded.predict(x).data], [...m.predict(x).data]);
    assert.equal(loaded.countParams(), m.countParams());
  } finally {
    loaded.dispose();
    m.dispose();
  }
});

test('a config as Keras writes it loads (Keras 3 keys, defaults where absent)', () => {
  const keras = (class_name: string, config: Record<string, unknown>) => ({ class_name, config: { name: class_name.toLowerCase(), trainable: true, dtype: 'float32', ...config } });
  const layerList = [
    keras('DepthwiseConv1D', { batch_input_shape: [null, 16, 3], kernel_size: [3], strides: [1], padding: 'valid', data_format: 'channels_last', dilation_rate: [1], depth_multiplier: 2, activation: 'relu', use_bias: true, depthwise_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null } } }),
    keras('SeparableConv1D', { filters: 4, kernel_size: 3 }),
    keras('Conv1DTranspose', { filters: 2, kernel_size: [2], strides: [2], padding: 'same', output_padding: null }),
    keras('Conv1D', { filters: 4, kernel_size: [1], groups: 2 }),
  ];
  const shapes = [[3, 3, 2], [6], [3, 6, 1], [1, 6, 4], [4], [2, 2, 4], [2], [1, 1, 4], [4]];
  const values = shapes.map((s) => rng.uniformArray(s.reduce((a, b) => a * b, 1), -1, 1));
  const bytes = new Uint8Array(values.reduce((n, v) => n + 4 * v.length, 0));
  let o = 0;
  for (const v of values) bytes.set(new Uint8Array(v.buffer), (o += 4 * v.length) - 4 * v.length);
  const names = ['depthwiseconv1d/depthwise_kernel', 'depthwiseconv1d/bias', 'separableconv1d/depthwise_kernel', 'separableconv1d/pointwise_kernel', 'separableconv1d/bias', 'conv1dtranspose/kernel', 'conv1dtranspose/bias', 'conv1d/kernel', 'conv1d/bias'];
  const m = fromArtifacts({
    modelJson: {
      format: 'layers-model',
      modelTopology: { class_name: 'Sequential', config: { name: 'seq', layers: layerList } },
      weightsManifest: [{ paths: ['weights.bin'], weights: names.map((name, i) => ({ name, shape: shapes[i], dtype: 'float32' })) }],
    },
    weightData: bytes,
  });
  try {
    assert.deepEqual(m.layers.map((l) => l.outputShape), [[14, 6], [12, 4], [24, 2], [24, 4]]);
    assert.deepEqual(m.getWeights().map((w) => [...w.data]), values.map((v) => [...v]));
  } finally {
    m.dispose();
  }
});

test('streaming: causal/valid grouped, depthwise and separable convs stream; same and transposed convs are refused', () => {
  const [L, C] = [40, 4];
  const x = input({ shape: [L, C] });
  let h = layers.conv1d({ filters: 8, kernelSize: 3, groups: 4, padding: 'causal', activation: 'tanh' }).apply(x);
  h = layers.depthwiseConv1d({ kernelSize: 3, depthMultiplier: 2, dilationRate: 2, padding: 'causal' }).apply(h);
  h = layers.separableConv1d({ filters: 5, kernelSize: 2, strides: 2, padding: 'valid', activation: 'sigmoid' }).apply(h);
  h = layers.depthwiseConv1d({ kernelSize: 2, padding: 'valid' }).apply(h);
  const m = model({ inputs: x, outputs: h });
  try {
    m.setWeights(m.weights.map((w) => rng.uniformArray(w.size, -0.5, 0.5)));
    const signal = rng.uniformArray(L * C, -1, 1);
    const offline = m.predict(new Tensor(signal, [1, L, C])).data;
    const s = m.stream({ maxChunk: 8 });
    const parts: number[] = [];
    for (let t = 0, k = 0; t < L; k++) {
      const n = Math.min([1, 3, 7, 2, 16][k % 5], L - t);
      parts.push(...s.push(signal.subarray(t * C, (t + n) * C)));
      t += n;
    }
    assert.equal(parts.length, offline.length);
    parts.forEach((v, i) => assert.ok(Math.abs(v - offline[i]) <= 1e-5 * (1 + Math.abs(offline[i])), `step value ${i}: streamed ${v}, offline ${offline[i]}`));
    s.dispose();
  } finally {
    m.dispose();
  }
  const refusedStream = (layer: Layer, parts: string[]) => {
    const xi = input({ shape: [20, 2] });
    const mm = model({ inputs: xi, outputs: layer.apply(xi) });
    try {
      refuses(() => mm.stream(), ['cannot stream', ...parts], parts[0]);
    } finally {
      mm.dispose();
    }
  };
  refusedStream(layers.conv1dTranspose({ filters: 2, kernelSize: 3, strides: 2 }), ['Conv1DTranspose layer', 'upsamples']);
  refusedStream(layers.depthwiseConv1d({ kernelSize: 3, padding: 'same' }), ['DepthwiseConv1D layer', 'padding "same"', 'future steps']);
  refusedStream(layers.separableConv1d({ filters: 2, kernelSize: 3, padding: 'same' }), ['SeparableConv1D layer', 'padding "same"']);
  refusedStream(layers.conv1d({ filters: 2, kernelSize: 3, groups: 2, padding: 'same' }), ['Conv1D layer', 'padding "same"']);
});
