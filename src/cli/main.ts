// NODE ONLY. The cnn1d command line:
//   cnn1d train    --data <ucr.tsv | folder of .wav | builtin:cbf|sines> --model fcn|keras-seed|samplecnn
//                  [--epochs 20] [--batch-size 32] [--lr 0.001] [--seed 1] [--length N] [--n N]
//                  [--out DIR] [--overwrite] [--verbose 0|1|2]
//   cnn1d evaluate --model-dir DIR --data <ucr.tsv | folder of .wav>
//   cnn1d predict  --model-dir DIR --data <ucr.tsv | folder of .wav> [--limit 20]
//   cnn1d data     get NAME | dir | list   (data-command.ts)

import { parseArgs } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTfjsModel, ModelFormatError, models, optimizers, toArtifacts, type LayersModel, type Sequential } from '../index.ts';
import { readForModel, readSource, UsageError, type LabeledSet } from './datasets.ts';
import { checkCommandOptions, COMMAND_OPTIONS, intOption, positiveNumberOption, requiredString, type Values } from './options.ts';
import { discardOut, META, prepareOut, writeOut, type OutDir } from './out-dir.ts';
import { dataCommand } from './data-command.ts';
import { inspect } from './inspect.ts';
import { convert } from './convert.ts';

const USAGE = `usage:
  cnn1d train    --data <ucr.tsv | wav folder | builtin:cbf | builtin:sines> --model fcn|keras-seed|samplecnn
                 [--epochs 20] [--batch-size 32] [--lr 0.001] [--seed 1] [--length N] [--n N]
                 [--out DIR] [--overwrite] [--verbose 0|1|2]
  cnn1d evaluate --model-dir DIR --data <ucr.tsv | wav folder>
  cnn1d predict  --model-dir DIR --data <ucr.tsv | wav folder> [--limit 20]
  cnn1d data     get fsdd | ucr:<name>, dir, list (cnn1d data --help)
  cnn1d inspect  FILE                  (.keras, .h5, model.json, to_json() JSON, keras_metadata.pb, model folder)
  cnn1d convert  IN OUT [--overwrite]  (any of those -> a TF.js layers-model folder)`;

const MODELS = ['fcn', 'keras-seed', 'samplecnn'];

interface Meta {
  classes: string[];
  normalize: 'z' | 'none';
  length: number;
  model: string;
  data: string;
}

function indices(set: LabeledSet, classes: string[], what: string): Int32Array {
  return Int32Array.from(set.labels, (l, i) => {
    const c = classes.indexOf(l);
    if (c < 0) throw new UsageError(`${what}: sample ${i} has label "${l}", which the model does not know (classes: ${classes.join(', ')})`);
    return c;
  });
}

function build(name: string, length: number, classes: number, seed: number): Sequential {
  const args = { inputShape: [length, 1] as [number, number], classes, seed };
  if (name === 'fcn') return models.fcn(args);
  if (name === 'keras-seed') return models.kerasSeed(args);
  if (name === 'samplecnn') return models.sampleCnn(args);
  throw new UsageError(`--model must be fcn, keras-seed or samplecnn, got "${name}"`);
}

interface TrainOptions {
  data: string;
  model: string;
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  length?: number;
  n?: number;
  verbose: 0 | 1 | 2;
  out: string | null;
  overwrite: boolean;
}

/** Every train option checked before any data is read. */
function trainOptions(v: Values): TrainOptions {
  const model = typeof v.model === 'string' ? v.model : 'fcn';
  if (!MODELS.includes(model)) throw new UsageError(`--model must be ${MODELS.slice(0, -1).join(', ')} or ${MODELS[MODELS.length - 1]}, got "${model}"`);
  if (v.out === '') throw new UsageError('--out must be a directory path, got ""');
  return {
    data: requiredString(v, 'data', 'train', '<ucr.tsv | wav folder | builtin:cbf | builtin:sines>'),
    model,
    epochs: intOption(v, 'epochs', 20, 1, 1_000_000),
    batchSize: intOption(v, 'batch-size', 32, 1, 1_000_000),
    lr: positiveNumberOption(v, 'lr', 1e-3),
    seed: intOption(v, 'seed', 1, 0, 2 ** 31 - 1),
    ...(v.length !== undefined ? { length: intOption(v, 'length', 0, 1, 10_000_000) } : {}),
    ...(v.n !== undefined ? { n: intOption(v, 'n', 0, 1, 10_000_000) } : {}),
    verbose: intOption(v, 'verbose', 1, 0, 2) as 0 | 1 | 2,
    out: typeof v.out === 'string' ? v.out : null,
    overwrite: v.overwrite === true,
  };
}

async function train(v: Values): Promise<void> {
  const o = trainOptions(v);
  const out: OutDir | null = o.out ? prepareOut(o.out, o.overwrite) : null;
  let model: Sequential | null = null;
  try {
    const src = readSource(o.data, { seed: o.seed, ...(o.length ? { length: o.length } : {}), ...(o.n ? { n: o.n } : {}) });
    const classes = [...new Set([...src.train.labels, ...(src.test?.labels ?? [])])].sort(new Intl.Collator('en', { numeric: true }).compare);
    const yTrain = indices(src.train, classes, 'train');
    console.log(`data ${o.data}: ${src.train.x.shape[0]} training${src.test ? ` and ${src.test.x.shape[0]} test` : ''} series of length ${src.length}, ${classes.length} classes (${classes.join(', ')})`);
    model = build(o.model, src.length, classes.length, o.seed);
    model.compile({ optimizer: optimizers.adam({ learningRate: o.lr }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    console.log(`model ${o.model}: ${model.countParams()} parameters`);
    const t0 = performance.now();
    await model.fit(src.train.x, yTrain, {
      epochs: o.epochs,
      batchSize: o.batchSize,
      verbose: o.verbose,
      ...(src.test ? { validationData: [src.test.x, indices(src.test, classes, 'test')] as [typeof src.test.x, Int32Array] } : {}),
    });
    const seconds = (performance.now() - t0) / 1000;
    console.log(`trained ${o.epochs} epochs in ${seconds.toFixed(1)} s (${((o.epochs * src.train.x.shape[0]) / seconds).toFixed(0)} samples/s)`);
    if (src.test) {
      const { accuracy, loss } = model.evaluate(src.test.x, indices(src.test, classes, 'test'));
      console.log(`test accuracy ${accuracy.toFixed(4)} (loss ${loss.toFixed(4)}) on ${src.test.x.shape[0]} series`);
    }
    if (out) {
      const { modelJson, weightData } = toArtifacts(model);
      const meta: Meta = { classes, normalize: src.normalize, length: src.length, model: o.model, data: o.data };
      writeOut(out, [
        { name: 'weights.bin', data: weightData },
        { name: 'model.json', data: JSON.stringify(modelJson, null, 1) },
        { name: META, data: JSON.stringify(meta, null, 1) },
      ]);
      console.log(`saved to ${out.path} (model.json, weights.bin, ${META})`);
    }
  } catch (e) {
    if (out) discardOut(out);
    throw e;
  } finally {
    model?.dispose();
  }
}

/** cnn1d-meta.json as train wrote it, checked field by field. */
function readMeta(dir: string): Meta {
  const path = join(dir, META);
  if (!existsSync(path)) throw new UsageError(`${path} not found: --model-dir must be a directory written by cnn1d train --out`);
  let m: unknown;
  try {
    m = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ModelFormatError(`${path} is not valid JSON (${(e as Error).message})`);
  }
  const bad = (field: string, value: unknown, expected: string) => new ModelFormatError(`${path}: "${field}" must be ${expected}, got ${JSON.stringify(value) ?? String(value)}`);
  if (typeof m !== 'object' || m === null || Array.isArray(m)) throw bad('(the file)', m, 'an object {classes, normalize, length, model, data}');
  const r = m as Record<string, unknown>;
  if (!Array.isArray(r.classes) || r.classes.length < 1 || !r.classes.every((c) => typeof c === 'string') || new Set(r.classes).size !== r.classes.length) {
    throw bad('classes', r.classes, 'a non-empty array of distinct strings');
  }
  if (r.normalize !== 'z' && r.normalize !== 'none') throw bad('normalize', r.normalize, '"z" or "none"');
  if (!Number.isSafeInteger(r.length) || (r.length as number) < 1) throw bad('length', r.length, 'a positive integer');
  return { classes: r.classes as string[], normalize: r.normalize, length: r.length as number, model: String(r.model ?? ''), data: String(r.data ?? '') };
}

function open(command: string, v: Values): { model: LayersModel; meta: Meta; set: LabeledSet } {
  const dir = requiredString(v, 'model-dir', command, 'DIR (a directory written by cnn1d train --out)');
  const data = requiredString(v, 'data', command, '<ucr.tsv | wav folder>');
  const meta = readMeta(dir);
  const model = loadTfjsModel(dir);
  try {
    const [length, channels] = model.inputShape;
    const out = model.outputShape;
    if (length !== meta.length || channels !== 1) throw new ModelFormatError(`${dir}: the model takes inputs [${model.inputShape}], ${META} says length ${meta.length} with 1 channel`);
    if (out.length !== 1 || out[0] !== meta.classes.length) throw new ModelFormatError(`${dir}: the model outputs [${out}], ${META} lists ${meta.classes.length} classes`);
    return { model, meta, set: readForModel(data, meta) };
  } catch (e) {
    model.dispose();
    throw e;
  }
}

function evaluate(v: Values): void {
  const { model, meta, set } = open('evaluate', v);
  try {
    const result = model.evaluate(set.x, indices(set, meta.classes, String(v.data)));
    console.log(Object.entries(result).map(([k, val]) => `${k} ${val.toFixed(4)}`).join(', ') + ` on ${set.x.shape[0]} series`);
  } finally {
    model.dispose();
  }
}

function predict(v: Values): void {
  const limit = intOption(v, 'limit', 20, 0);
  const { model, meta, set } = open('predict', v);
  try {
    const probs = model.predict(set.x);
    const C = meta.classes.length;
    let hits = 0;
    for (let i = 0; i < set.x.shape[0]; i++) {
      const row = Array.from(probs.data.subarray(i * C, (i + 1) * C));
      const best = row.indexOf(Math.max(...row));
      if (meta.classes[best] === set.labels[i]) hits++;
      if (i < limit) console.log(`${i}\tpredicted ${meta.classes[best]} (p=${row[best].toFixed(3)})\tlabel ${set.labels[i]}`);
    }
    console.log(`${set.x.shape[0]} predictions, ${hits} match the file's labels`);
  } finally {
    model.dispose();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (!command) throw new UsageError('no command given', true);
  if (command === 'data') return dataCommand(rest);
  if (command === 'inspect') return inspect(rest);
  if (command === 'convert') return convert(rest);
  if (!Object.hasOwn(COMMAND_OPTIONS, command)) throw new UsageError(`unknown command "${command}"; the commands are ${Object.keys(COMMAND_OPTIONS).join(', ')}`, true);
  const { values } = parseArgs({
    args: rest,
    strict: true,
    options: {
      ...Object.fromEntries(['data', 'model', 'model-dir', 'epochs', 'batch-size', 'lr', 'seed', 'length', 'n', 'out', 'verbose', 'limit'].map((k) => [k, { type: 'string' as const }])),
      overwrite: { type: 'boolean' as const },
    },
  });
  checkCommandOptions(command, values);
  if (command === 'train') await train(values);
  else if (command === 'evaluate') evaluate(values);
  else predict(values);
  return 0;
}

/** Errors the user can act on: one line, exit code 1. Anything else is a bug: the stack, exit 2. */
const USER_ERRORS = ['UsageError', 'ConfigError', 'ModelFormatError', 'DataError', 'TrainingError'];

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error & { code?: string; syscall?: string }) => {
    const parse = typeof e.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS');
    const system = typeof e.syscall === 'string'; // EACCES, ENOSPC, EMFILE ... from the file system
    if (USER_ERRORS.includes(e.name) || parse || system) {
      console.error(`cnn1d: ${e.message}`);
      if (parse || (e instanceof UsageError && e.showUsage)) console.error(USAGE);
      process.exit(1);
    }
    console.error(`cnn1d: internal error: ${e.stack ?? e.message}`);
    process.exit(2);
  },
);
