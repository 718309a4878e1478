// NODE ONLY. The cnn1d command line:
//   cnn1d train    --data <ucr.tsv | folder of .wav | builtin:cbf|sines> --model fcn|keras-seed|samplecnn
//                  [--epochs 20] [--batch-size 32] [--lr 0.001] [--seed 1] [--length N] [--n N]
//                  [--out DIR] [--overwrite] [--verbose 0|1|2]
//   cnn1d evaluate --model-dir DIR --data <ucr.tsv | folder of .wav>
//   cnn1d predict  --model-dir DIR --data <ucr.tsv | folder of .wav> [--limit 20]

import { parseArgs } from 'node:util';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadModel, models, optimizers, type Sequential } from '../index.ts';
import { readForModel, readSource, UsageError, type LabeledSet } from './datasets.ts';

const USAGE = `usage:
  cnn1d train    --data <ucr.tsv | wav folder | builtin:cbf | builtin:sines> --model fcn|keras-seed|samplecnn
                 [--epochs 20] [--batch-size 32] [--lr 0.001] [--seed 1] [--length N] [--n N]
                 [--out DIR] [--overwrite] [--verbose 0|1|2]
  cnn1d evaluate --model-dir DIR --data <ucr.tsv | wav folder>
  cnn1d predict  --model-dir DIR --data <ucr.tsv | wav folder> [--limit 20]`;

const META = 'cnn1d-meta.json';

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

async function train(v: Record<string, string | boolean | undefined>): Promise<void> {
  if (typeof v.data !== 'string') throw new UsageError('train needs --data');
  const modelName = typeof v.model === 'string' ? v.model : 'fcn';
  const seed = Number(v.seed ?? 1);
  const out = typeof v.out === 'string' ? v.out : null;
  if (out && existsSync(join(out, 'model.json')) && !v.overwrite) throw new UsageError(`${out} already holds a model; pass --overwrite to replace it`);
  const src = readSource(v.data, { seed, ...(v.length ? { length: Number(v.length) } : {}), ...(v.n ? { n: Number(v.n) } : {}) });
  const classes = [...new Set([...src.train.labels, ...(src.test?.labels ?? [])])].sort(new Intl.Collator('en', { numeric: true }).compare);
  const yTrain = indices(src.train, classes, 'train');
  console.log(`data ${v.data}: ${src.train.x.shape[0]} training${src.test ? ` and ${src.test.x.shape[0]} test` : ''} series of length ${src.length}, ${classes.length} classes (${classes.join(', ')})`);
  const model = build(modelName, src.length, classes.length, seed);
  model.compile({ optimizer: optimizers.adam({ learningRate: Number(v.lr ?? 1e-3) }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  console.log(`model ${modelName}: ${model.countParams()} parameters`);
  const t0 = performance.now();
  const epochs = Number(v.epochs ?? 20);
  await model.fit(src.train.x, yTrain, {
    epochs,
    batchSize: Number(v['batch-size'] ?? 32),
    verbose: Number(v.verbose ?? 1) as 0 | 1 | 2,
    ...(src.test ? { validationData: [src.test.x, indices(src.test, classes, 'test')] as [typeof src.test.x, Int32Array] } : {}),
  });
  const seconds = (performance.now() - t0) / 1000;
  console.log(`trained ${epochs} epochs in ${seconds.toFixed(1)} s (${((epochs * src.train.x.shape[0]) / seconds).toFixed(0)} samples/s)`);
  if (src.test) {
    const { accuracy, loss } = model.evaluate(src.test.x, indices(src.test, classes, 'test'));
    console.log(`test accuracy ${accuracy.toFixed(4)} (loss ${loss.toFixed(4)}) on ${src.test.x.shape[0]} series`);
  }
  if (out) {
    model.save(out, { overwrite: Boolean(v.overwrite) });
    const meta: Meta = { classes, normalize: src.normalize, length: src.length, model: modelName, data: v.data };
    writeFileSync(join(out, META), JSON.stringify(meta, null, 1));
    console.log(`saved to ${out} (model.json, weights.bin, ${META})`);
  }
  model.dispose();
}

function open(v: Record<string, string | boolean | undefined>): { model: Sequential; meta: Meta; set: LabeledSet } {
  if (typeof v['model-dir'] !== 'string') throw new UsageError('needs --model-dir DIR (a directory written by cnn1d train --out)');
  if (typeof v.data !== 'string') throw new UsageError('needs --data');
  const dir = v['model-dir'];
  const metaPath = join(dir, META);
  if (!existsSync(metaPath)) throw new UsageError(`${metaPath} not found: --model-dir must be a directory written by cnn1d train --out`);
  const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as Meta;
  return { model: loadModel(dir), meta, set: readForModel(v.data, meta) };
}

function evaluate(v: Record<string, string | boolean | undefined>): void {
  const { model, meta, set } = open(v);
  const result = model.evaluate(set.x, indices(set, meta.classes, String(v.data)));
  console.log(Object.entries(result).map(([k, val]) => `${k} ${val.toFixed(4)}`).join(', ') + ` on ${set.x.shape[0]} series`);
}

function predict(v: Record<string, string | boolean | undefined>): void {
  const { model, meta, set } = open(v);
  const probs = model.predict(set.x);
  const C = meta.classes.length;
  const limit = Number(v.limit ?? 20);
  let hits = 0;
  for (let i = 0; i < set.x.shape[0]; i++) {
    const row = Array.from(probs.data.subarray(i * C, (i + 1) * C));
    const best = row.indexOf(Math.max(...row));
    if (meta.classes[best] === set.labels[i]) hits++;
    if (i < limit) console.log(`${i}\tpredicted ${meta.classes[best]} (p=${row[best].toFixed(3)})\tlabel ${set.labels[i]}`);
  }
  console.log(`${set.x.shape[0]} predictions, ${hits} match the file's labels`);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const { values } = parseArgs({
    args: rest,
    strict: true,
    options: {
      ...Object.fromEntries(['data', 'model', 'model-dir', 'epochs', 'batch-size', 'lr', 'seed', 'length', 'n', 'out', 'verbose', 'limit'].map((k) => [k, { type: 'string' as const }])),
      overwrite: { type: 'boolean' as const },
    },
  });
  if (command === 'train') await train(values);
  else if (command === 'evaluate') evaluate(values);
  else if (command === 'predict') predict(values);
  else throw new UsageError(`unknown command "${command}"`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    const known = e instanceof UsageError || e instanceof ConfigError || ['DataError', 'ModelFormatError', 'TrainingError', 'TypeError'].includes(e.name);
    console.error(`cnn1d: ${e.message}`);
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) console.error(USAGE);
    if (!known) console.error(e.stack);
    process.exit(1);
  },
);
