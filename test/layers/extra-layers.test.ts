// LayerNormalization, GaussianNoise, GaussianDropout, SpatialDropout1D, RReLU, Embedding,
// TimeDistributed(Dense) and Flatten({dataFormat: 'channelsFirst'}) through the public layers,
// float32 WASM against float64 references (check-layer.ts, reference-extra.ts): outputs in
// training and inference, dx and every weight gradient; then the properties the references do
// not show (whole channels dropped, Dense == TimeDistributed(Dense)) and the errors.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { ConfigError, layers, sequential } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';
import { checkLayer } from './check-layer.ts';
import { denseRef } from './reference-layers.ts';
import { embeddingRef, flattenChannelsFirstRef, gaussianDropoutRef, gaussianNoiseRef, layernormRef, rreluRef, spatialDropoutRef } from './reference-extra.ts';

const rng = new Random(909);
const SHAPES = [[7], [4, 5], [2, 3, 4], [3, 17]];

test('layerNormalization: ranks 1-3, channel tails, with and without scale/center', () => {
  for (const shape of SHAPES)
    for (const [center, scale] of [[true, true], [false, true], [true, false], [false, false]]) {
      checkLayer({ label: `layerNormalization center ${center} scale ${scale} on [${shape}]`, make: () => layers.layerNormalization({ center, scale, epsilon: 1e-4, inputShape: shape }), shape, ref: layernormRef(1e-4) }, rng);
    }
});

test('random layers: the training draws of the seeded layer, the identity (or mean slope) at inference', () => {
  for (const shape of SHAPES) {
    checkLayer({ label: `gaussianNoise on [${shape}]`, make: () => layers.gaussianNoise({ stddev: 0.4, seed: 11, inputShape: shape }), shape, ref: gaussianNoiseRef(0.4, 11) }, rng);
    for (const rate of [0, 0.3]) checkLayer({ label: `gaussianDropout ${rate} on [${shape}]`, make: () => layers.gaussianDropout({ rate, seed: 12, inputShape: shape }), shape, ref: gaussianDropoutRef(rate, 12) }, rng);
    checkLayer({ label: `rrelu on [${shape}]`, make: () => layers.rrelu({ seed: 13, inputShape: shape }), shape, ref: rreluRef(1 / 8, 1 / 3, 13) }, rng);
    checkLayer({ label: `rrelu 0.2-0.6 on [${shape}]`, make: () => layers.rrelu({ lower: 0.2, upper: 0.6, seed: 14, inputShape: shape }), shape, ref: rreluRef(0.2, 0.6, 14) }, rng);
  }
  for (const shape of [[4, 5], [3, 17], [1, 1]]) {
    checkLayer({ label: `spatialDropout1d on [${shape}]`, make: () => layers.spatialDropout1d({ rate: 0.4, seed: 15, inputShape: shape }), shape, ref: spatialDropoutRef(0.4, 15) }, rng);
  }
});

test('spatialDropout1d drops whole channels: the same mask at every step, about rate of them', () => {
  const [L, C, B, rate] = [6, 50, 8, 0.3];
  const model = sequential({ layers: [layers.spatialDropout1d({ rate, inputShape: [L, C] })], seed: 4 });
  try {
    const x = rng.uniformArray(B * L * C, 0.5, 1.5);
    const y = model.forwardBatch(x, B, true);
    let dropped = 0;
    for (let b = 0; b < B; b++)
      for (let c = 0; c < C; c++) {
        const scales = Array.from({ length: L }, (_, l) => y[(b * L + l) * C + c] / x[(b * L + l) * C + c]);
        const s = scales[0];
        assert.ok(s === 0 || Math.abs(s - 1 / (1 - rate)) < 1e-6, `sample ${b} channel ${c}: scale ${s}`);
        assert.ok(scales.every((v) => Math.abs(v - s) < 1e-6), `sample ${b} channel ${c}: one scale over the length, got ${scales}`);
        if (s === 0) dropped++;
      }
    // 400 Bernoulli(0.3): mean 120, sd 9.2
    assert.ok(Math.abs(dropped - 120) < 40, `dropped ${dropped} of 400 channels`);
  } finally {
    model.dispose();
  }
});

test('random layers draw from the model seed: the same seed repeats a step, another does not', () => {
  const run = (seed: number) => {
    const m = sequential({ seed, layers: [layers.gaussianNoise({ stddev: 1, inputShape: [5, 3] }), layers.gaussianDropout({ rate: 0.5 }), layers.spatialDropout1d({ rate: 0.5 }), layers.rrelu()] });
    try {
      return m.forwardBatch(Float32Array.from({ length: 30 }, (_, i) => (i % 7) - 3), 2, true).slice();
    } finally {
      m.dispose();
    }
  };
  assert.deepEqual(run(21), run(21));
  assert.notDeepEqual(run(21), run(22));
});

test('embedding: rows of the table by id, the gradient of the table, ids of ranks 1 and 2', () => {
  for (const [shape, V, D] of [[[6], 10, 4], [[9], 3, 17], [[2, 3], 5, 1]] as [number[], number, number][]) {
    checkLayer({
      label: `embedding V ${V} D ${D} on [${shape}]`,
      make: () => layers.embedding({ inputDim: V, outputDim: D, inputShape: shape }),
      shape,
      ref: embeddingRef(V, D),
      input: (n, r) => Float32Array.from({ length: n }, () => r.int(V)),
    }, rng);
  }
});

test('embedding refuses an id out of range or not an integer, naming it and where it is', () => {
  const model = sequential({ layers: [layers.embedding({ inputDim: 4, outputDim: 2, inputShape: [3], name: 'tok' })] });
  try {
    for (const bad of [4, -1, 1.5]) {
      assert.throws(
        () => model.forwardBatch(Float32Array.of(0, 1, 2, 3, bad, 0), 2, false),
        (e: Error) => e instanceof ConfigError && e.message === `Embedding layer "tok": token id ${bad} (sample 1, position 1) must be an integer in [0, 3] (inputDim 4)`,
      );
    }
    assert.deepEqual(model.forwardBatch(Float32Array.of(0, 1, 2, 3, 3, 0), 2, false).length, 12, 'a good batch still runs after a refused one');
  } finally {
    model.dispose();
  }
});

test('flatten: channelsFirst is column-major (eq. 11), channelsLast row-major', () => {
  for (const shape of [[4, 5], [3, 17], [2, 3, 4], [7]]) {
    checkLayer({ label: `flatten channelsFirst on [${shape}]`, make: () => layers.flatten({ dataFormat: 'channelsFirst', inputShape: shape }), shape, ref: flattenChannelsFirstRef }, rng);
  }
  // a hand example: x[l, c] = 10 l + c, L 2, C 3
  const x = Float32Array.of(0, 1, 2, 10, 11, 12);
  for (const [dataFormat, want] of [['channelsFirst', [0, 10, 1, 11, 2, 12]], ['channelsLast', [0, 1, 2, 10, 11, 12]]] as const) {
    const m = sequential({ layers: [layers.flatten({ dataFormat, inputShape: [2, 3] })] });
    try {
      assert.deepEqual([...m.forwardBatch(x, 1, false)], want, dataFormat);
    } finally {
      m.dispose();
    }
  }
});

test('timeDistributed(dense) computes what dense on [L, C] does, with the same weights', () => {
  for (const [shape, units, activation] of [[[5, 4], 3, 'linear'], [[3, 17], 9, 'tanh']] as const) {
    checkLayer({ label: `timeDistributed dense ${units} on [${shape}]`, make: () => layers.timeDistributed({ layer: layers.dense({ units, activation }), inputShape: [...shape] }), shape: [...shape], ref: denseRef(units, { name: activation }) }, rng);
  }
  const td = sequential({ layers: [layers.timeDistributed({ layer: layers.dense({ units: 3, activation: 'softmax' }), inputShape: [6, 4] })], seed: 2 });
  const dense = sequential({ layers: [layers.dense({ units: 3, activation: 'softmax', inputShape: [6, 4] })], seed: 2 });
  try {
    dense.setWeights(td.getWeights().map((w) => w.data));
    assert.deepEqual(td.getWeights().map((w) => w.name), ['time_distributed/kernel', 'time_distributed/bias']);
    const x = rng.uniformArray(2 * 24);
    assert.deepEqual(td.forwardBatch(x, 2, false), dense.forwardBatch(x, 2, false));
  } finally {
    td.dispose();
    dense.dispose();
  }
});

test('bad options: ConfigErrors naming the layer, the option, the value and what is expected', () => {
  const cases: [() => unknown, RegExp][] = [
    [() => layers.gaussianDropout({ rate: -0.1 }), /^GaussianDropout layer: rate must be a number in \[0, 1\), got -0\.1$/],
    [() => layers.gaussianDropout({ rate: 1 }), /^GaussianDropout layer: rate must be a number in \[0, 1\), got 1$/],
    [() => layers.spatialDropout1d({ rate: 1.5 }), /^SpatialDropout1D layer: rate must be a number in \[0, 1\), got 1\.5$/],
    [() => layers.spatialDropout1d({ rate: 'x' as unknown as number }), /rate must be a number in \[0, 1\), got "x"/],
    [() => layers.gaussianNoise({ stddev: -1 }), /^GaussianNoise layer: stddev must be a finite number >= 0, got -1$/],
    [() => layers.gaussianNoise({ stddev: NaN }), /^GaussianNoise layer: stddev must be a finite number >= 0, got NaN$/],
    [() => layers.gaussianNoise({ stddev: 1, seed: -3 }), /^GaussianNoise layer: seed must be a non-negative integer, got -3$/],
    [() => layers.rrelu({ lower: 0.5, upper: 0.2 }), /^RReLU layer: lower \(0\.5\) must be <= upper \(0\.2\)/],
    [() => layers.rrelu({ lower: Infinity }), /^RReLU: lower must be a finite number, got Infinity$/],
    [() => layers.embedding({ inputDim: 0, outputDim: 2 }), /^Embedding: inputDim must be a positive integer, got 0$/],
    [() => layers.embedding({ inputDim: 5, outputDim: 2.5 }), /^Embedding: outputDim must be a positive integer, got 2\.5$/],
    [() => layers.embedding({ inputDim: 5, outputDim: 2, maskZero: true } as never), /^Embedding: unknown option "maskZero"/],
    [() => layers.layerNormalization({ axis: 1 }), /^LayerNormalization layer: axis must be -1 \(the channel axis\), got 1$/],
    [() => layers.layerNormalization({ epsilon: -1 }), /^LayerNormalization: epsilon must be a finite number in \[0, Infinity\], got -1$/],
    [() => layers.flatten({ dataFormat: 'channels_first' as never }), /^Flatten: dataFormat must be one of "channelsLast", "channelsFirst", got "channels_first"/],
    [() => layers.timeDistributed({ layer: layers.conv1d({ filters: 2, kernelSize: 1 }) as never }), /^TimeDistributed layer: layer must be a Dense layer \(layers\.dense\(\{units\}\)\), got a Conv1D layer$/],
    [() => layers.timeDistributed({ layer: undefined as never }), /^TimeDistributed layer: layer must be a Dense layer .*got undefined$/],
  ];
  for (const [make, re] of cases) assert.throws(make, (e: Error) => e instanceof ConfigError && re.test(e.message), String(re));
  // a Dense already in use cannot be wrapped; spatial dropout and timeDistributed need [L, C]
  const used = layers.dense({ units: 2 });
  const m = sequential({ layers: [layers.dense({ units: 3, inputShape: [4] }), used] });
  m.build();
  assert.throws(() => layers.timeDistributed({ layer: used }), /layer must be a fresh Dense layer, not one already built or applied/);
  m.dispose();
  assert.throws(() => sequential({ layers: [layers.spatialDropout1d({ rate: 0.1, inputShape: [5] })] }).build(), /SpatialDropout1D layer "spatial_dropout1d": expects input of shape \[length, channels\], got \[5\]/);
  assert.throws(() => sequential({ layers: [layers.timeDistributed({ layer: layers.dense({ units: 2 }), inputShape: [5] })] }).build(), /TimeDistributed layer "time_distributed": expects input of shape \[length, channels\], got \[5\]/);
});

test('summary and param counts: layer norm 2C (C without center), embedding V*D, timeDistributed C*U + U', () => {
  const m = sequential({ layers: [layers.embedding({ inputDim: 11, outputDim: 6, inputShape: [9] }), layers.layerNormalization(), layers.layerNormalization({ center: false }), layers.spatialDropout1d({ rate: 0.1 }), layers.gaussianNoise({ stddev: 0.1 }), layers.gaussianDropout({ rate: 0.1 }), layers.rrelu(), layers.timeDistributed({ layer: layers.dense({ units: 4 }) }), layers.flatten({ dataFormat: 'channelsFirst' })] });
  try {
    m.build();
    assert.deepEqual(m.layers.map((l) => l.weights.reduce((n, w) => n + w.size, 0)), [66, 12, 6, 0, 0, 0, 0, 28, 0]);
    assert.equal(m.countParams(), 112);
    assert.deepEqual(m.outputShape, [36]);
    const lines: string[] = [];
    m.summary((line: string) => lines.push(line));
    assert.match(lines.join('\n'), /time_distributed \(TimeDistributed\)\s+\[null, 9, 4\]\s+28/);
    assert.match(lines.join('\n'), /Total params: 112/);
  } finally {
    m.dispose();
  }
});
