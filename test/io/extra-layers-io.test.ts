// Save/load of the layers of issue 10 and of regularizers/constraints in the TF.js layers-model
// format: exact cnn1d round trips (RReLU included, a cnn1d class), and TensorFlow.js itself
// opening cnn1d's files, and cnn1d opening TensorFlow.js's, with the same predictions: a check of
// LayerNormalization, Embedding, TimeDistributed(Dense) and Flatten(channels_first) against the
// TF.js implementations (the noise layers are the identity at inference in both).
import { test } from 'vitest';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { constraints, fromArtifacts, layers, regularizers, sequential, Tensor, toArtifacts, type Sequential } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';

const rng = new Random(77);

function signalNet(withRrelu: boolean): Sequential {
  const m = sequential({
    seed: 31,
    layers: [
      layers.conv1d({ filters: 5, kernelSize: 3, padding: 'same', kernelRegularizer: regularizers.l1l2({ l1: 0.001, l2: 0.01 }), kernelConstraint: constraints.maxNorm({ maxValue: 1.5, axis: [0, 1] }), inputShape: [12, 2] }),
      layers.layerNormalization({ epsilon: 1e-5 }),
      layers.gaussianNoise({ stddev: 0.1 }),
      layers.spatialDropout1d({ rate: 0.2 }),
      ...(withRrelu ? [layers.rrelu({ lower: 0.05, upper: 0.25 })] : [layers.activation({ activation: 'tanh' })]),
      layers.gaussianDropout({ rate: 0.1 }),
      layers.timeDistributed({ layer: layers.dense({ units: 4, activation: 'relu', biasConstraint: 'nonNeg', biasRegularizer: 'l2' }) }),
      layers.flatten({ dataFormat: 'channelsFirst' }),
      layers.dense({ units: 3, activation: 'softmax', kernelConstraint: 'unitNorm' }),
    ],
  });
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  return m;
}

function textNet(): Sequential {
  return sequential({ seed: 32, layers: [layers.embedding({ inputDim: 20, outputDim: 6, inputShape: [9] }), layers.layerNormalization(), layers.flatten({ dataFormat: 'channelsFirst' }), layers.dense({ units: 2 })] });
}

const signal = (n: number) => new Tensor(rng.uniformArray(n * 24, -1, 1), [n, 12, 2]);
const ids = (n: number) => new Tensor(Float32Array.from({ length: n * 9 }, () => rng.int(20)), [n, 9]);

/** Random weights (the initial biases and gammas are constants; a round trip must see values),
 *  then one training step, after which the constraints hold: TF.js applies them again when it
 *  writes the loaded weights (LayerVariable.write), Keras and cnn1d after optimizer steps only. */
function randomize(m: Sequential): void {
  m.setWeights(m.weights.map((w) => rng.uniformArray(w.size, -0.5, 0.5)));
  if (m.inputShape.length === 2) m.trainOnBatch(signal(2).data, Float32Array.of(1, 0, 0, 0, 1, 0), 2);
}

test('cnn1d round trip: same configs, same weights, same predictions', async () => {
  for (const make of [() => signalNet(true), textNet]) {
    const m = make();
    randomize(m);
    const x = m.inputShape.length === 1 ? ids(4) : signal(4);
    const back = fromArtifacts(toArtifacts(m));
    try {
      assert.deepEqual(back.layers.map((l) => l.getConfig()), m.layers.map((l) => l.getConfig()));
      assert.deepEqual([...back.predict(x).data], [...m.predict(x).data]);
    } finally {
      m.dispose();
      back.dispose();
    }
  }
});

async function tfOpen(m: Sequential): Promise<tf.LayersModel> {
  const { modelJson, weightData } = toArtifacts(m);
  const json = modelJson as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: weightData.slice().buffer }));
}

function assertNear(ours: ArrayLike<number>, theirs: ArrayLike<number>, what: string): void {
  assert.equal(ours.length, theirs.length, what);
  for (let i = 0; i < ours.length; i++) assert.ok(Math.abs(ours[i] - theirs[i]) < 1e-5, `${what}: output ${i}: cnn1d ${ours[i]} vs tfjs ${theirs[i]}`);
}

test('TensorFlow.js opens the saved files and predicts the same values', async () => {
  for (const make of [() => signalNet(false), textNet]) {
    const m = make();
    randomize(m);
    const x = m.inputShape.length === 1 ? ids(3) : signal(3);
    const tfModel = await tfOpen(m);
    try {
      assertNear(m.predict(x).data, (tfModel.predict(tf.tensor(x.data, x.shape)) as tf.Tensor).dataSync(), m.layers.map((l) => l.className).join(' '));
    } finally {
      m.dispose();
      tfModel.dispose();
    }
  }
});

test('a model saved by TensorFlow.js with these layers loads in cnn1d with the same predictions', async () => {
  const tfModel = tf.sequential({
    layers: [
      tf.layers.embedding({ inputDim: 20, outputDim: 5, inputShape: [9] }),
      tf.layers.layerNormalization({ epsilon: 1e-4 }),
      tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3, activation: 'tanh', kernelRegularizer: tf.regularizers.l2({ l2: 0.02 }), kernelConstraint: tf.constraints.maxNorm({ maxValue: 2, axis: 0 }) }) }),
      tf.layers.gaussianNoise({ stddev: 0.3 }),
      tf.layers.gaussianDropout({ rate: 0.3 }),
      tf.layers.spatialDropout1d({ rate: 0.3 }),
      tf.layers.flatten({ dataFormat: 'channelsFirst' }),
      tf.layers.dense({ units: 2, activation: 'softmax' }),
    ],
  });
  tfModel.setWeights(tfModel.getWeights().map((w) => tf.tensor(rng.uniformArray(w.size, -0.5, 0.5), w.shape)));
  let saved: tf.io.ModelArtifacts | undefined;
  await tfModel.save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  const m = fromArtifacts({ modelJson: { format: 'layers-model', modelTopology: saved!.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: saved!.weightSpecs }] }, weightData: new Uint8Array(saved!.weightData as ArrayBuffer) } as never);
  try {
    const x = ids(4);
    assertNear(m.predict(x).data, (tfModel.predict(tf.tensor(x.data, x.shape)) as tf.Tensor).dataSync(), 'tfjs -> cnn1d');
    const td = m.layers[2].getConfig().layer as { config: Record<string, unknown> };
    assert.deepEqual([td.config.kernel_regularizer, td.config.kernel_constraint], [{ class_name: 'L1L2', config: { l1: 0, l2: 0.02 } }, { class_name: 'MaxNorm', config: { max_value: 2, axis: 0 } }]);
  } finally {
    m.dispose();
    tfModel.dispose();
  }
});
