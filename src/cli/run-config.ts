// NODE ONLY. A whole `cnn1d train` run as one object: read from --config run.json, overridden by
// the command line, every field checked before any data is read, and written back (defaults
// filled in) as run.json beside the saved model, so `cnn1d train --config DIR/run.json` runs it
// again. Field names are the API's (fit's epochs, batchSize, validationSplit, classWeight, augment,
// callbacks; the factories' names and arguments). Paths are as given, relative to the working
// directory.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { suggest } from '../layers/args.ts';
import { UsageError } from './datasets.ts';
import { intValue, numberValue, objectValue, stringValue } from './options.ts';
import { AUGMENTERS, CALLBACKS, MODEL_ALIASES, MODELS, OPTIMIZERS, parseSpec, SCHEDULES, type Spec } from './specs.ts';
import type { Values } from './command.ts';

export interface RunConfig {
  /** builtin:NAME, a UCR _TRAIN file (its _TEST sibling is the test set) or a folder of .wav files. */
  data: string;
  /** Series per split of a builtin set (default 300). */
  n?: number;
  /** Series length of builtin sets and .wav folders (defaults 128 and 8000). */
  length?: number;
  /** Seed of the model (initialisation, shuffling, dropout, augmentation) and of the data split. */
  seed: number;
  /** A models.* builder with its arguments, or {path} of a model the library loads. */
  model: Spec | { path: string };
  optimizer: Spec;
  /** optimizers.schedules.*: the optimizer's learningRate becomes this schedule (stepped per batch). */
  learningRateSchedule?: Spec;
  loss: string;
  epochs: number;
  batchSize: number;
  validationSplit?: number;
  /** Weights by the data's class labels ("-1", "bell"), or "balanced": n / (classes * n_class). */
  classWeight?: Record<string, number> | 'balanced';
  augment: Spec[];
  callbacks: Spec[];
  /** Threads of the shared runtime (default: one per core). */
  threads?: number;
  verbose: 0 | 1 | 2;
  /** Where the model, cnn1d-meta.json and run.json go (none: the model is not saved). */
  out?: string;
}

export const CONFIG_FIELDS = ['data', 'n', 'length', 'seed', 'model', 'optimizer', 'learningRateSchedule', 'loss', 'epochs', 'batchSize', 'validationSplit', 'classWeight', 'augment', 'callbacks', 'threads', 'verbose', 'out'] as const;

const MODEL_NAMES = Object.keys(MODELS);

/** --model: a builder name (NAME or NAME:{args}) or a path to a model folder or model.json. */
function modelValue(option: string, v: unknown): Spec | { path: string } {
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && 'path' in v) {
    return { path: stringValue(`${option}.path`, (v as { path: unknown }).path, 'a path to a saved model') };
  }
  if (typeof v === 'string') {
    const name = /^[A-Za-z][\w-]*/.exec(v)?.[0] ?? '';
    const known = MODEL_NAMES.includes(MODEL_ALIASES[name] ?? name);
    if (!known && (existsSync(v) || /[/\\.]/.test(v))) {
      if (!existsSync(v)) throw new UsageError(`${option}: no model file or folder at ${v}`);
      return { path: v };
    }
    if (!known) throw new UsageError(`${option}: unknown model "${name}"${suggest(name, MODEL_NAMES)}; give one of ${MODEL_NAMES.join(', ')} (models.*), or the path of a saved model`);
  }
  return parseSpec(option, v, MODEL_NAMES, 'sampleCnn:{"block":"rese"}', MODEL_ALIASES);
}

function specList(option: string, v: unknown, names: readonly string[], example: string): Spec[] {
  const items = Array.isArray(v) ? v : [v];
  return items.map((item, i) => parseSpec(items.length > 1 ? `${option}[${i}]` : option, item, names, example));
}

function classWeightValue(option: string, v: unknown): Record<string, number> | 'balanced' {
  if (v === 'balanced') return v;
  const o = objectValue(option, v);
  for (const [k, w] of Object.entries(o)) numberValue(`${option} "${k}"`, w, (n) => n >= 0, 'a finite number >= 0');
  return o as Record<string, number>;
}

/** One field of the run, from the command line (strings) or run.json (JSON values). */
function field(key: string, v: unknown, option: string): unknown {
  switch (key) {
    case 'data':
      return stringValue(option, v, 'a data source: builtin:cbf, builtin:sines, a UCR _TRAIN file or a folder of .wav files');
    case 'out':
      return stringValue(option, v, 'a directory path');
    case 'loss':
      return stringValue(option, v, 'a loss name such as sparseCategoricalCrossentropy');
    case 'n':
    case 'length':
      return intValue(option, v, 1, 10_000_000);
    case 'seed':
      return intValue(option, v, 0, 2 ** 31 - 1);
    case 'epochs':
    case 'batchSize':
      return intValue(option, v, 1, 1_000_000);
    case 'threads':
      return intValue(option, v, 1, 1024);
    case 'verbose':
      return intValue(option, v, 0, 2);
    case 'validationSplit':
      return numberValue(option, v, (x) => x > 0 && x < 1, 'a fraction in (0, 1) such as 0.1');
    case 'model':
      return modelValue(option, v);
    case 'optimizer':
      return parseSpec(option, v, Object.keys(OPTIMIZERS), 'adam:{"learningRate":0.001}');
    case 'learningRateSchedule':
      return parseSpec(option, v, Object.keys(SCHEDULES), 'cosineDecay:{"initialLearningRate":0.01,"decaySteps":1000}');
    case 'augment':
      return specList(option, v, Object.keys(AUGMENTERS), 'timeShift:{"maxShift":800}');
    case 'callbacks':
      return specList(option, v, Object.keys(CALLBACKS), 'earlyStopping:{"patience":10}');
    case 'classWeight':
      return classWeightValue(option, v);
    default:
      throw new Error(`run config: no field ${key}`);
  }
}

export const DEFAULTS = { seed: 1, model: { name: 'fcn' }, optimizer: { name: 'adam' }, loss: 'sparseCategoricalCrossentropy', epochs: 20, batchSize: 32, augment: [], callbacks: [], verbose: 1 } satisfies Partial<RunConfig>;

/** The command-line flag of each field that has one (the others: run.json only, or the same name). */
export const FLAGS: Record<string, string> = { batchSize: 'batch-size', validationSplit: 'validation-split', classWeight: 'class-weight', learningRateSchedule: 'lr-schedule', callbacks: 'callback' };
const flagOf = (key: string) => FLAGS[key] ?? key;

/** The fields of a run.json file, checked (unknown fields get "did you mean"). */
function readConfigFile(path: string): Partial<RunConfig> {
  const st = existsSync(path) ? statSync(path) : null;
  if (!st || !st.isFile()) throw new UsageError(`--config ${path}: ${st ? 'not a regular file' : 'no such file'}`);
  if (st.size > 1 << 20) throw new UsageError(`--config ${path}: ${st.size} bytes; a run config is a small JSON file (at most 1 MiB)`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`--config ${path} is not valid JSON (${(e as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UsageError(`--config ${path} must hold a JSON object of run fields (${CONFIG_FIELDS.join(', ')})`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!(CONFIG_FIELDS as readonly string[]).includes(k)) throw new UsageError(`--config ${path}: unknown field "${k}"${suggest(k, CONFIG_FIELDS)}; the fields are ${CONFIG_FIELDS.join(', ')}`);
    if (v === null) continue;
    out[k] = field(k, v, `${path}: ${k}`);
  }
  return out as Partial<RunConfig>;
}

/** The run: defaults, then --config's fields, then the command line's. */
export function runConfig(values: Values): RunConfig {
  const fromFile = typeof values.config === 'string' ? readConfigFile(values.config) : {};
  const fromFlags: Record<string, unknown> = {};
  for (const key of CONFIG_FIELDS) {
    const v = values[flagOf(key)];
    if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    fromFlags[key] = field(key, v, `--${flagOf(key)}`);
  }
  if (typeof values.lr === 'string') {
    const lr = numberValue('--lr', values.lr, (x) => x > 0, 'a positive number such as 0.001 or 1e-3');
    const opt = (fromFlags.optimizer ?? fromFile.optimizer ?? DEFAULTS.optimizer) as Spec;
    fromFlags.optimizer = { name: opt.name, args: { ...opt.args, learningRate: lr } };
  }
  const run = { ...DEFAULTS, ...fromFile, ...fromFlags } as Partial<RunConfig>;
  if (run.data === undefined) throw new UsageError('train needs --data <ucr.tsv | wav folder | builtin:cbf | builtin:sines> (or a --config file with "data")', true);
  return run as RunConfig;
}

/** run.json as written beside a saved model: every field, defaults included, in a fixed order. */
export function configJson(run: RunConfig): string {
  const ordered = Object.fromEntries(CONFIG_FIELDS.filter((k) => run[k] !== undefined).map((k) => [k, run[k]]));
  return JSON.stringify(ordered, null, 2) + '\n';
}
