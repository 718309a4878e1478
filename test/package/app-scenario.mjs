// The small app that the bundler and CommonJS tests run: it takes the package's named exports,
// trains a tiny model on built-in data, predicts, and round-trips the model through
// toArtifacts/fromArtifacts (the layer registry must survive tree-shaking). It is serialized with
// Function.prototype.toString into bundles and .cjs files, so it must stay self-contained.

/** The names the app imports from 'cnn1d'. */
export const APP_IMPORTS = ['ready', 'sequential', 'layers', 'data', 'toArtifacts', 'fromArtifacts'];

export async function appScenario({ ready, sequential, layers, data, toArtifacts, fromArtifacts }) {
  await ready();
  const train = data.builtin.sines({ n: 64, length: 32, seed: 1 });
  const test = data.builtin.sines({ n: 32, length: 32, seed: 2 });
  const model = sequential({
    seed: 3,
    layers: [
      layers.conv1d({ filters: 4, kernelSize: 5, activation: 'relu', inputShape: [32, 1] }),
      layers.maxPooling1d({ poolSize: 2 }),
      layers.flatten(),
      layers.dense({ units: 2, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const history = await model.fit(train.x, train.y, { epochs: 80, batchSize: 16, verbose: 0 });
  const { accuracy } = model.evaluate(test.x, test.y);
  const probs = model.predict(test.x);
  const reloaded = fromArtifacts(toArtifacts(model));
  const reloadedProbs = reloaded.predict(test.x);
  const result = {
    accuracy,
    loss: history.history.loss,
    shape: probs.shape,
    probs: Array.from(probs.data),
    reloadedProbs: Array.from(reloadedProbs.data),
  };
  reloaded.dispose();
  model.dispose();
  return result;
}

/** Source of an ES module app importing `cnn1d` by name that leaves its result (or error) in
 *  globalThis.cnn1dResult. */
export const APP_SOURCE = `import { ${APP_IMPORTS.join(', ')} } from 'cnn1d';
(${appScenario})({ ${APP_IMPORTS.join(', ')} }).then(
  (r) => { globalThis.cnn1dResult = r; },
  (e) => { globalThis.cnn1dResult = { error: String((e && e.stack) || e) }; },
);
`;
