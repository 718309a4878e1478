// NODE ONLY. cnn1d train: a whole run (data, model, optimizer, schedule, augmentation, callbacks,
// fit options, threads) from the command line and/or --config run.json, under the API's names;
// the model, its cnn1d-meta.json and the run's run.json are saved together in --out.

import { loadModel, setThreads, toArtifacts, type LayersModel, type Optimizer } from '../index.ts';
import type { Command, Values } from './command.ts';
import { readSource, UsageError, type Source } from './datasets.ts';
import { onInterrupt } from './interrupt.ts';
import { discardOut, META, prepareOut, RUN_CONFIG, writeOut, type OutDir } from './out-dir.ts';
import { configJson, runConfig, type RunConfig } from './run-config.ts';
import { AUGMENTERS, CALLBACKS, create, MODELS, OPTIMIZERS, SCHEDULES, showSpec } from './specs.ts';
import { indices, type Meta } from './saved-model.ts';
import { TRAIN_HELP } from './train-help.ts';

function optimizerOf(run: RunConfig): Optimizer {
  if (!run.learningRateSchedule) return create(OPTIMIZERS, run.optimizer);
  if (run.optimizer.args?.learningRate !== undefined) throw new UsageError(`--lr-schedule ${showSpec(run.learningRateSchedule)} sets the learning rate, and so does the optimizer's learningRate ${run.optimizer.args.learningRate} (--lr); give one of them`);
  return create(OPTIMIZERS, { name: run.optimizer.name, args: { ...run.optimizer.args, learningRate: create(SCHEDULES, run.learningRateSchedule) } });
}

/** The model the run names: a models.* builder for this data, or a saved model that fits it. */
async function modelOf(run: RunConfig, length: number, classes: number): Promise<LayersModel> {
  if ('path' in run.model) {
    const model = await loadModel(run.model.path);
    const [l, c] = model.inputShape;
    const out = model.outputShape;
    if ((l !== null && l !== length) || c !== 1 || out.length !== 1 || out[0] !== classes) {
      model.dispose();
      throw new UsageError(`--model ${run.model.path} takes inputs [${model.inputShape.map((d) => d ?? 'null')}] and gives [${out}]; the data needs inputs [${length}, 1] (or [null, 1]) and ${classes} class outputs`);
    }
    return model;
  }
  for (const k of ['inputShape', 'classes', 'seed']) {
    if (run.model.args && k in run.model.args) throw new UsageError(`--model ${run.model.name}: ${k} comes from ${k === 'seed' ? '--seed' : 'the data'}; leave it out of the model's arguments`);
  }
  return create(MODELS, { name: run.model.name, args: { ...run.model.args, inputShape: [length, 1], classes, seed: run.seed } });
}

/** fit's classWeight by class index, from weights by label (or "balanced" on the training labels). */
function classWeightOf(run: RunConfig, classes: string[], y: Int32Array): Record<number, number> | undefined {
  const cw = run.classWeight;
  if (cw === undefined) return undefined;
  if (cw === 'balanced') {
    const counts = classes.map((_, c) => y.filter((v) => v === c).length);
    return Object.fromEntries(counts.map((n, c) => [c, n === 0 ? 1 : y.length / (classes.length * n)]));
  }
  return Object.fromEntries(Object.entries(cw).map(([label, w]) => {
    const c = classes.indexOf(label);
    if (c < 0) throw new UsageError(`--class-weight: no class "${label}" in the data (classes: ${classes.join(', ')})`);
    return [c, w];
  }));
}

function describe(src: Source, data: string, classes: string[]): string {
  return `data ${data}: ${src.train.x.shape[0]} training${src.test ? ` and ${src.test.x.shape[0]} test` : ''} series of length ${src.length}, ${classes.length} classes (${classes.join(', ')})`;
}

async function train(v: Values): Promise<void> {
  const run = runConfig(v);
  if (run.threads !== undefined) setThreads(run.threads);
  // everything that does not need the data is built first: a bad argument costs no data loading
  const optimizer = optimizerOf(run);
  const callbacks = run.callbacks.map((s) => create(CALLBACKS, s));
  const augment = run.augment.map((s) => create(AUGMENTERS, s));
  const out: OutDir | null = run.out ? prepareOut(run.out, v.overwrite === true) : null;
  const keepOut = out ? onInterrupt(() => (discardOut(out) ? `removed ${out.path}` : undefined)) : () => {};
  let model: LayersModel | null = null;
  try {
    const src = readSource(run.data, { seed: run.seed, ...(run.length ? { length: run.length } : {}), ...(run.n ? { n: run.n } : {}) });
    const classes = [...new Set([...src.train.labels, ...(src.test?.labels ?? [])])].sort(new Intl.Collator('en', { numeric: true }).compare);
    const yTrain = indices(src.train, classes, 'train');
    console.log(describe(src, run.data, classes));
    model = await modelOf(run, src.length, classes.length);
    model.compile({ optimizer, loss: run.loss as never, metrics: ['accuracy'] });
    const what = 'path' in run.model ? run.model.path : showSpec(run.model);
    console.log(`model ${what}: ${model.countParams()} parameters; optimizer ${showSpec(run.optimizer)}${run.learningRateSchedule ? `, schedule ${showSpec(run.learningRateSchedule)}` : ''}`);
    const classWeight = classWeightOf(run, classes, yTrain);
    const t0 = performance.now();
    await model.fit(src.train.x, yTrain, {
      epochs: run.epochs,
      batchSize: run.batchSize,
      verbose: run.verbose,
      augment,
      callbacks,
      ...(run.validationSplit !== undefined ? { validationSplit: run.validationSplit } : {}),
      ...(classWeight ? { classWeight } : {}),
      ...('path' in run.model ? { seed: run.seed } : {}), // a built model's seed already seeds fit
    });
    const seconds = (performance.now() - t0) / 1000;
    console.log(`trained in ${seconds.toFixed(1)} s`);
    if (src.test) {
      const { accuracy, loss } = model.evaluate(src.test.x, indices(src.test, classes, 'test'));
      console.log(`test accuracy ${accuracy.toFixed(4)} (loss ${loss.toFixed(4)}) on ${src.test.x.shape[0]} series`);
    }
    if (out) {
      const { modelJson, weightData } = toArtifacts(model);
      const meta: Meta = { classes, normalize: src.normalize, length: src.length, model: what, data: run.data };
      writeOut(out, [
        { name: 'weights.bin', data: weightData },
        { name: 'model.json', data: JSON.stringify(modelJson, null, 1) },
        { name: META, data: JSON.stringify(meta, null, 1) },
        { name: RUN_CONFIG, data: configJson(run) },
      ]);
      console.log(`saved to ${out.path} (model.json, weights.bin, ${META}, ${RUN_CONFIG}); run again with: cnn1d train --config ${out.path}/${RUN_CONFIG} --out NEW_DIR`);
    }
  } catch (e) {
    if (out) discardOut(out);
    throw e;
  } finally {
    keepOut();
    model?.dispose();
  }
}

const text = { type: 'string' } as const;
const list = { type: 'string', multiple: true } as const;

export const trainCommand: Command = {
  name: 'train',
  summary: 'train a model (any models.* builder or a saved model) on a dataset, test it and save it',
  help: TRAIN_HELP,
  options: {
    config: text, data: text, n: text, length: text, seed: text,
    model: text, optimizer: text, lr: text, 'lr-schedule': text, loss: text,
    epochs: text, 'batch-size': text, 'validation-split': text, 'class-weight': text,
    augment: list, callback: list, threads: text, verbose: text, out: text, overwrite: { type: 'boolean' },
  },
  run: train,
};
