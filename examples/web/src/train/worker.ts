// The Train view's worker: builds, trains, evaluates, exports and loads models off the main
// thread. fit() yields to the event loop every ~200 ms, which is when a 'stop' message lands.
import { CosineDecay, fromArtifacts, optimizers, ready, Tensor, toArtifacts, type LayersModel, type Logs } from 'cnn1d';
import { bnMomentum, MODEL_CHOICES, withBatchNormMomentum } from './models.ts';
import type { DatasetMsg, Evaluation, FromWorker, ToWorker, TrainSettings } from './protocol.ts';

/** Thrown by the batch callback to end fit() after the current batch. */
class StopSignal extends Error {}

let data: DatasetMsg | null = null;
let settings: TrainSettings | null = null;
let model: LayersModel | null = null;
let epochsDone = 0;
let stopRequested = false;
let training = false;

const post = (msg: FromWorker, transfer: Transferable[] = []) => self.postMessage(msg, { transfer });

const tensors = (d: DatasetMsg) => ({
  xTrain: new Tensor(d.train.x, [d.train.y.length, d.length, d.channels]),
  xTest: new Tensor(d.test.x, [d.test.y.length, d.length, d.channels]),
});

/** Confusion matrix and accuracy of the model on the test split. */
function evaluate(m: LayersModel, d: DatasetMsg): Evaluation {
  const k = d.classes.length;
  const probs = m.predict(tensors(d).xTest);
  const outK = probs.shape[probs.shape.length - 1];
  if (outK !== k) throw new Error(`the model "${m.name}" gives ${outK} class probabilities per series, and the data set "${d.name}" has ${k} classes (${d.classes.join(', ')}); pick the data it was trained on`);
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let right = 0;
  d.test.y.forEach((truth, i) => {
    let best = 0;
    for (let c = 1; c < outK; c++) if (probs.data[i * outK + c] > probs.data[i * outK + best]) best = c;
    if (best < k) confusion[truth][best]++;
    if (best === truth) right++;
  });
  return { confusion, accuracy: right / d.test.y.length };
}

async function train(epochs: number): Promise<void> {
  if (!model || !data || !settings) throw new Error('train: no model; send a "train" message first');
  const d = data;
  const m = model;
  const { xTrain, xTest } = tensors(d);
  stopRequested = false;
  training = true;
  let stopped = false;
  let t0 = performance.now();
  let lastBatchPost = 0;
  const steps = Math.ceil(d.train.y.length / settings.batchSize);
  try {
    await m.fit(xTrain, d.train.y, {
      epochs,
      initialEpoch: epochsDone,
      batchSize: settings.batchSize,
      validationData: [xTest, d.test.y],
      verbose: 0,
      callbacks: {
        onBatchEnd(batch: number) {
          if (stopRequested) throw new StopSignal();
          const now = performance.now();
          if (now - lastBatchPost < 100 && batch + 1 < steps) return; // at most ~10 progress messages a second
          lastBatchPost = now;
          post({ type: 'batch', epoch: epochsDone, batch, steps });
        },
        onEpochEnd(epoch: number, logs: Logs) {
          epochsDone = epoch + 1;
          const now = performance.now();
          post({ type: 'epoch', logs: { epoch, loss: logs.loss, accuracy: logs.accuracy, testLoss: logs.val_loss, testAccuracy: logs.val_accuracy, ms: now - t0 } });
          t0 = now;
        },
      },
    });
  } catch (e) {
    if (!(e instanceof StopSignal)) throw e;
    stopped = true;
  } finally {
    training = false;
  }
  post({ type: 'done', stopped, epochsDone, evaluation: evaluate(m, d) });
}

async function handle(msg: ToWorker): Promise<void> {
  await ready();
  switch (msg.type) {
    case 'train': {
      if (training) throw new Error('train: already training; stop first');
      model?.dispose();
      data = msg.data;
      settings = msg.settings;
      const choice = MODEL_CHOICES.find((c) => c.id === msg.settings.model);
      if (!choice) throw new Error(`train: unknown model "${msg.settings.model}"; known: ${MODEL_CHOICES.map((c) => c.id).join(', ')}`);
      const steps = Math.ceil(data.train.y.length / settings.batchSize);
      model = withBatchNormMomentum(choice.build(data.length, data.channels, data.classes.length, settings.seed), bnMomentum(steps));
      // the rate decays to a tenth over the run (cosine), so the last epochs, which the test split
      // is judged on, do not jump about; Resume past the run keeps the final rate
      const learningRate = new CosineDecay({ initialLearningRate: settings.learningRate, decaySteps: settings.epochs * steps, alpha: 0.1 });
      model.compile({ optimizer: optimizers.adam({ learningRate }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      epochsDone = 0;
      let summary = '';
      model.summary((line) => (summary = line));
      post({ type: 'ready', params: model.countParams(), summary });
      await train(settings.epochs);
      return;
    }
    case 'ping':
      return;
    case 'stop':
      stopRequested = true;
      return;
    case 'resume':
      if (training) throw new Error('resume: already training');
      await train(msg.epochs);
      return;
    case 'export': {
      if (!model) throw new Error('export: no model yet; train or load one first');
      const { modelJson, weightData } = toArtifacts(model);
      post({ type: 'artifacts', purpose: msg.purpose, name: model.name, modelJson, weightData }, [weightData.buffer]);
      return;
    }
    case 'load': {
      if (training) throw new Error('load: training is running; stop first');
      const loaded = fromArtifacts({ modelJson: msg.modelJson, weightData: msg.weightData });
      let evaluation: Evaluation;
      try {
        evaluation = evaluate(loaded, msg.data);
      } catch (e) {
        loaded.dispose();
        throw e;
      }
      model?.dispose();
      model = loaded;
      data = msg.data;
      epochsDone = 0;
      post({ type: 'loaded', name: loaded.name, evaluation });
      return;
    }
  }
}

void ready(); // compile the WebAssembly module while the page loads, not when Train is pressed

self.onmessage = (e: MessageEvent<ToWorker>) => {
  if (e.data.type === 'ping') return post({ type: 'pong' });
  handle(e.data).catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }));
};
