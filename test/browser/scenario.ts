// One scenario run in Chromium (browser.browser.test.ts) and in Node (node-reference.ts) with the
// same built package: train a small model on built-in data, evaluate, predict. Same wasm, same seed:
// the two runs must agree bit for bit.
import type * as Cnn1d from 'cnn1d';

export interface ScenarioResult {
  accuracy: number;
  loss: number[];
  shape: number[];
  probs: number[];
  pathError: string;
}

export async function scenario(lib: typeof Cnn1d): Promise<ScenarioResult> {
  const { sequential, layers, data, ready } = lib;
  await ready();
  const train = data.builtin.sines({ n: 128, length: 64, seed: 1 });
  const test = data.builtin.sines({ n: 48, length: 64, seed: 2 });
  const model = sequential({
    seed: 3,
    layers: [
      layers.conv1d({ filters: 8, kernelSize: 5, activation: 'relu', inputShape: [64, 1] }),
      layers.maxPooling1d({ poolSize: 2 }),
      layers.flatten(),
      layers.dropout({ rate: 0.1 }),
      layers.dense({ units: 2, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const history = await model.fit(train.x, train.y, { epochs: 15, batchSize: 16, verbose: 0 });
  const { accuracy } = model.evaluate(test.x, test.y);
  const probs = model.predict(test.x);
  let pathError = '';
  try {
    data.loadUCR('/x.tsv');
  } catch (e) {
    pathError = (e as Error).message;
  }
  model.dispose();
  return { accuracy, loss: history.history.loss, shape: probs.shape, probs: Array.from(probs.data.slice(0, 8)), pathError };
}
