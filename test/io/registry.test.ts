// The serialisation registry: every layer the public factories make is registered under its Keras
// class name and round trips through getConfig -> fromConfig -> getConfig; hostile class names
// are unknown names; an unregistered class cannot be saved; channels-first configs are refused.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { ConfigError, constraints, fromArtifacts, input, Layer, layers, model, ModelFormatError, regularizers, sequential, toArtifacts } from '../../src/index.ts';
import { InputLayer, TEMPLATE_LENGTH } from '../../src/layers/input.ts';
import { layerClass, registeredClassNames } from '../../src/layers/registry.ts';

/** One layer of every factory, with non-default arguments where the layer has any. */
const samples: Layer[] = [
  layers.conv1d({ filters: 5, kernelSize: 4, strides: 2, padding: 'causal', dilationRate: 1, activation: 'leakyRelu', activationAlpha: 0.1, useBias: false, kernelInitializer: 'heNormal', name: 'c' }),
  layers.conv1d({ filters: 6, kernelSize: 3, groups: 3 }),
  layers.depthwiseConv1d({ kernelSize: 3, strides: 2, padding: 'causal', dilationRate: 2, depthMultiplier: 3, activation: 'elu', activationAlpha: 0.5, useBias: false, depthwiseInitializer: 'heUniform' }),
  layers.separableConv1d({ filters: 4, kernelSize: 5, padding: 'same', depthMultiplier: 2, activation: 'tanh', pointwiseInitializer: 'leCunNormal', biasInitializer: 'ones' }),
  layers.conv1dTranspose({ filters: 3, kernelSize: 4, strides: 3, padding: 'same', outputPadding: 2, activation: 'relu', kernelInitializer: 'glorotNormal' }),
  layers.conv1dTranspose({ filters: 2, kernelSize: 2 }),
  layers.dense({ units: 7, activation: 'hardSigmoid', biasInitializer: 'ones', trainable: false }),
  layers.flatten(),
  layers.maxPooling1d({ poolSize: 3, strides: 1, padding: 'same' }),
  layers.averagePooling1d({ poolSize: 4 }),
  layers.globalMaxPooling1d(),
  layers.globalAveragePooling1d(),
  layers.dropout({ rate: 0.3, seed: 5 }),
  layers.activation({ activation: 'swish', beta: 1.5 }),
  layers.prelu({ sharedAxes: [1], alphaInitializer: 'ones' }),
  layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, center: false, movingVarianceInitializer: 'ones' }),
  layers.add(),
  layers.subtract(),
  layers.multiply(),
  layers.average(),
  layers.maximum(),
  layers.minimum(),
  layers.concatenate({ axis: 1 }),
  layers.zeroPadding1d({ padding: [2, 3] }),
  layers.cropping1d({ cropping: [1, 0] }),
  layers.upSampling1d({ size: 3 }),
  layers.repeatVector({ n: 4 }),
  layers.permute({ dims: [2, 1] }),
  layers.reshape({ targetShape: [-1, 2] }),
  layers.flatten({ dataFormat: 'channelsFirst' }),
  layers.dense({ units: 3, kernelRegularizer: regularizers.l1l2({ l1: 0.1, l2: 0.2 }), biasRegularizer: 'l1', kernelConstraint: constraints.maxNorm({ maxValue: 3, axis: [0] }), biasConstraint: 'nonNeg' }),
  layers.layerNormalization({ epsilon: 1e-5, center: false, gammaInitializer: 'randomNormal' }),
  layers.spatialDropout1d({ rate: 0.25, seed: 3 }),
  layers.gaussianNoise({ stddev: 0.2 }),
  layers.gaussianDropout({ rate: 0.4, seed: 8 }),
  layers.embedding({ inputDim: 30, outputDim: 8, embeddingsInitializer: 'glorotUniform' }),
  layers.rrelu({ lower: 0.1, upper: 0.2, seed: 4 }),
  layers.timeDistributed({ layer: layers.dense({ units: 4, activation: 'relu', kernelConstraint: 'unitNorm' }), name: 'td' }),
  layers.reLU({ maxValue: 6, negativeSlope: 0.1, threshold: -0.5 }),
  layers.leakyReLU({ alpha: 0.05 }),
  layers.thresholdedReLU({ theta: 0.7 }),
  layers.elu({ alpha: 0.5 }),
  layers.softmax({ axis: -1 }),
  new InputLayer([12, 3], 'in'),
  new InputLayer([TEMPLATE_LENGTH, 2], 'any_length', true),
];

test('every layer class is registered under its Keras name and its config round trips', () => {
  for (const layer of samples) {
    const cls = layerClass(layer.className);
    assert.ok(cls, `${layer.className} is registered`);
    const config = layer.getConfig();
    assert.ok(Object.keys(config).every((k) => k === k.toLowerCase()), `${layer.className} config keys are snake_case: ${Object.keys(config)}`);
    const back = cls.fromConfig(JSON.parse(JSON.stringify(config)), layer.className);
    assert.equal(back.constructor, layer.constructor, layer.className);
    assert.equal(back.className, layer.className);
    assert.deepEqual(back.getConfig(), config, layer.className);
  }
  const names = new Set(samples.map((l) => l.className));
  assert.deepEqual(registeredClassNames().filter((n) => !names.has(n)), [], 'a registered class without a sample here');
});

test('class names that are Object.prototype members are unknown, not looked up', () => {
  const x = input({ shape: [8, 2] });
  const m = model({ inputs: x, outputs: layers.dense({ units: 2 }).apply(layers.flatten().apply(x)), seed: 1 });
  const { modelJson, weightData } = toArtifacts(m);
  m.dispose();
  for (const bad of ['__proto__', 'toString', 'constructor', 'hasOwnProperty', 'valueOf']) {
    const json = JSON.parse(JSON.stringify(modelJson));
    json.modelTopology.config.layers[1].class_name = bad;
    assert.throws(() => fromArtifacts({ modelJson: json, weightData }), (e: Error) => e instanceof ModelFormatError && e.message.includes(`unsupported layer class "${bad}"; cnn1d reads `) && e.message.includes('Conv1D'));
  }
});

test('a layer of an unregistered class is refused at save, naming the layer', () => {
  class Custom extends Layer {
    readonly className = 'MyCustom';
    constructor() {
      super({ name: 'mine' }, []);
    }
    computeOutputShape(s: number[]): number[] {
      return s.slice();
    }
    forward(): void {}
    backward(): void {}
  }
  const m = sequential({ layers: [layers.dense({ units: 2, inputShape: [3] }), new Custom()] });
  assert.throws(() => toArtifacts(m), (e: Error) => e instanceof ConfigError && /save: MyCustom layer "mine" cannot be serialized: no layer class is registered under "MyCustom"/.test(e.message));
  m.dispose();
});

test('channels-first configs and bad base keys are refused with the layer named', () => {
  const conv = layerClass('Conv1D')!;
  assert.throws(() => conv.fromConfig({ filters: 2, kernel_size: [3], data_format: 'channels_first' }, 'Conv1D'), /data_format must be "channels_last" \(\[batch, length, channels\]\), got "channels_first"/);
  assert.throws(() => layerClass('GlobalAveragePooling1D')!.fromConfig({ data_format: 'channels_first' }, 'GlobalAveragePooling1D'), /data_format must be "channels_last"/);
  assert.throws(() => layerClass('Dense')!.fromConfig({ units: 2, batch_input_shape: [null, 0] }, 'Dense'), /batch_input_shape must be \[null, \.\.\.positive integers\], got \[null, 0\]/);
  assert.throws(() => layerClass('InputLayer')!.fromConfig({ name: 'x' }, 'InputLayer'), /an InputLayer needs batch_input_shape/);
  // an initializer given as an object whose class_name is not a string falls back to the default
  const d = layerClass('Dense')!.fromConfig({ units: 2, kernel_initializer: { class_name: { toString: 1 } } }, 'Dense');
  assert.equal(d.getConfig().kernel_initializer && (d.getConfig().kernel_initializer as { class_name: string }).class_name, 'GlorotUniform');
});
