// Each `cnn1d train` option gives the API's result: the CLI run (a child process) and the same run
// written with the API in this process train the same weights, bit for bit, and print the same
// test accuracy. Small built-in data; every option is used in at least one case.
import { test, expect, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { augment, callbacks, loadModel, models, optimizers, setThreads, getThreads, toArtifacts, type LayersModel, type FitArgs } from 'cnn1d';
import { builtinAsCli, printedAccuracy, runCli } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'cnn1d-cli-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI into a new folder and returns its saved weights and printed accuracy. */
function cliRun(name: string, args: string[]) {
  const out = join(dir, name);
  const r = runCli('train', ...args, '--verbose', '0', '--out', out);
  expect(r.status, r.stderr).toBe(0);
  return { out, weights: readFileSync(join(out, 'weights.bin')), accuracy: printedAccuracy(r.stdout), stdout: r.stdout };
}

/** Fits `model` as written, then the CLI's weights and accuracy must be the API's. */
async function expectSame(cliResult: ReturnType<typeof cliRun>, model: LayersModel, set: ReturnType<typeof builtinAsCli>, fit: FitArgs) {
  await model.fit(set.train.x, set.train.y, { verbose: 0, ...fit });
  const accuracy = model.evaluate(set.test.x, set.test.y).accuracy.toFixed(4);
  const weights = Buffer.from(toArtifacts(model).weightData);
  model.dispose();
  expect(cliResult.accuracy).toBe(accuracy);
  expect(weights.equals(cliResult.weights), 'the CLI trained the weights the API does').toBe(true);
}

test('resnet with model arguments, time shift, early stopping, validation split and class weights by label', async () => {
  const r = cliRun('resnet', ['--data', 'builtin:sines', '--n', '60', '--length', '48', '--seed', '3', '--model', 'resnet:{"filters":8}', '--epochs', '4', '--batch-size', '16',
    '--augment', 'timeShift:{"maxShift":5}', '--callback', 'earlyStopping:{"monitor":"val_loss","patience":1}', '--validation-split', '0.25', '--class-weight', '{"slow":2}']);
  const set = builtinAsCli('sines', 60, 48, 3);
  const model = models.resnet({ inputShape: [48, 1], classes: 2, seed: 3, filters: 8 });
  model.compile({ optimizer: optimizers.adam(), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await expectSame(r, model, set, { epochs: 4, batchSize: 16, augment: [augment.timeShift({ maxShift: 5 })], callbacks: [callbacks.earlyStopping({ monitor: 'val_loss', patience: 1 })], validationSplit: 0.25, classWeight: { [set.train.classes.indexOf('slow')]: 2 } });
});

test('the FSDD recipe in small: sampleCnn ReSE, noise and gain, exponential decay per epoch, --lr, 2 threads', async () => {
  const args = ['--data', 'builtin:cbf', '--n', '45', '--length', '81', '--model', 'sampleCnn:{"block":"rese","blockDropout":0,"widths":[8,8],"stemFilters":8,"ratio":4}', '--epochs', '3',
    '--lr', '0.002', '--callback', 'exponentialDecay:{"decayRate":0.9}', '--augment', 'addNoise:{"snrDb":[15,35]}', '--augment', 'randomGain:{"gainDb":[-6,6]}', '--threads', '2'];
  const r = cliRun('rese', args);
  const set = builtinAsCli('cbf', 45, 81, 1);
  setThreads(2);
  const model = models.sampleCnn({ inputShape: [81, 1], classes: 3, seed: 1, block: 'rese', blockDropout: 0, widths: [8, 8], stemFilters: 8, ratio: 4 });
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.002 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await expectSame(r, model, set, { epochs: 3, batchSize: 32, augment: [augment.addNoise({ snrDb: [15, 35] }), augment.randomGain({ gainDb: [-6, 6] })], callbacks: [callbacks.exponentialDecay({ decayRate: 0.9 })] });
  expect(getThreads()).toBeGreaterThanOrEqual(1);

  // --config: the run.json written beside the model repeats the run
  const again = cliRun('rese-again', ['--config', join(r.out, 'run.json')]);
  expect(again.weights.equals(r.weights), 'cnn1d train --config run.json repeats the run bit for bit').toBe(true);
  const config = JSON.parse(readFileSync(join(r.out, 'run.json'), 'utf8'));
  expect(config).toMatchObject({ data: 'builtin:cbf', n: 45, length: 81, seed: 1, epochs: 3, threads: 2, model: { name: 'sampleCnn', args: { block: 'rese' } }, optimizer: { name: 'adam', args: { learningRate: 0.002 } } });
  // a command-line option overrides the file's field
  const shorter = cliRun('rese-1-epoch', ['--config', join(r.out, 'run.json'), '--epochs', '1']);
  expect(JSON.parse(readFileSync(join(shorter.out, 'run.json'), 'utf8')).epochs).toBe(1);
  expect(shorter.weights.equals(r.weights)).toBe(false);
});

test('inceptionTime, SGD with momentum and a cosine learning-rate schedule', async () => {
  const r = cliRun('inception', ['--data', 'builtin:sines', '--n', '40', '--length', '32', '--model', 'inceptionTime:{"depth":3,"filters":4,"bottleneck":4,"kernels":[9,5,3]}', '--epochs', '2', '--batch-size', '8',
    '--optimizer', 'sgd:{"momentum":0.9}', '--lr-schedule', 'cosineDecay:{"initialLearningRate":0.05,"decaySteps":10}']);
  const set = builtinAsCli('sines', 40, 32, 1);
  const model = models.inceptionTime({ inputShape: [32, 1], classes: 2, seed: 1, depth: 3, filters: 4, bottleneck: 4, kernels: [9, 5, 3] });
  model.compile({ optimizer: optimizers.sgd({ momentum: 0.9, learningRate: optimizers.schedules.cosineDecay({ initialLearningRate: 0.05, decaySteps: 10 }) }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await expectSame(r, model, set, { epochs: 2, batchSize: 8 });
});

test('fcn with filters, mixup with categorical cross-entropy, reduceLROnPlateau', async () => {
  const r = cliRun('fcn', ['--data', 'builtin:cbf', '--n', '30', '--length', '32', '--model', 'fcn:{"filters":[8,8,8]}', '--epochs', '3', '--batch-size', '10',
    '--loss', 'categoricalCrossentropy', '--augment', 'mixup:{"alpha":0.4}', '--callback', 'reduceLROnPlateau:{"monitor":"loss","patience":1,"factor":0.5}']);
  const set = builtinAsCli('cbf', 30, 32, 1);
  const model = models.fcn({ inputShape: [32, 1], classes: 3, seed: 1 }, [8, 8, 8]);
  model.compile({ optimizer: optimizers.adam(), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  await expectSame(r, model, set, { epochs: 3, batchSize: 10, augment: [augment.mixup({ alpha: 0.4 })], callbacks: [callbacks.reduceLROnPlateau({ monitor: 'loss', patience: 1, factor: 0.5 })] });
});

test('--model PATH trains a saved model further, as loadModel + fit with the seed', async () => {
  const first = cliRun('keras-seed', ['--data', 'builtin:sines', '--n', '40', '--length', '24', '--model', 'kerasSeed', '--epochs', '1']);
  const r = cliRun('keras-seed-more', ['--data', 'builtin:sines', '--n', '40', '--length', '24', '--model', first.out, '--epochs', '2', '--seed', '7', '--optimizer', 'rmsprop']);
  const set = builtinAsCli('sines', 40, 24, 7);
  const model = await loadModel(first.out);
  model.compile({ optimizer: optimizers.rmsprop(), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await expectSame(r, model, set, { epochs: 2, batchSize: 32, seed: 7 });
});

test('tutorial18 and the old model spellings (keras-seed, samplecnn) are accepted', () => {
  const t = runCli('train', '--data', 'builtin:sines', '--n', '20', '--length', '18', '--model', 'tutorial18', '--epochs', '1', '--verbose', '0');
  expect(t.status, t.stderr).toBe(0);
  expect(t.stdout).toMatch(/model tutorial18: 132 parameters/);
  const old = runCli('train', '--data', 'builtin:sines', '--n', '20', '--length', '24', '--model', 'keras-seed', '--epochs', '1', '--verbose', '0');
  expect(old.status, old.stderr).toBe(0);
  expect(old.stdout).toMatch(/model kerasSeed:/);
  const sample = runCli('train', '--data', 'builtin:sines', '--n', '20', '--length', '9', '--model', 'samplecnn:{"widths":[4],"stemFilters":4}', '--epochs', '1', '--verbose', '0');
  expect(sample.status, sample.stderr).toBe(0);
  expect(sample.stdout).toMatch(/model sampleCnn:\{"widths":\[4\],"stemFilters":4\}:/);
});
