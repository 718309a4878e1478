// NODE ONLY. The --data argument of the CLI: builtin:NAME, a UCR file (its _TEST sibling is the
// test set), or a folder of .wav files (FSDD naming gives the FSDD split, otherwise a stratified
// 80/20 split). Samples carry their original label names; the class list is built once.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { builtin, loadFSDD, loadUCR, loadWavFolder, stratifiedSplit, zNormalize, type BuiltinName, type Tensor } from '../index.ts';

const isDirectory = (p: string) => existsSync(p) && statSync(p).isDirectory();

export interface LabeledSet {
  x: Tensor;
  /** The original label of each sample ("-1", "3", "bell"). */
  labels: string[];
}

export interface Source {
  train: LabeledSet;
  test: LabeledSet | null;
  /** How inputs were preprocessed, to repeat at evaluate/predict time. */
  normalize: 'z' | 'none';
  length: number;
}

/** A bad command line, data source or output folder: printed as one line, exit code 1 (with the
 *  usage text after it when `showUsage`: a command's help, or `true` for the list of commands). */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    readonly showUsage: boolean | { help: string } = false,
  ) {
    super(message);
  }
}

function labeled(x: Tensor, y: ArrayLike<number>, classes: (string | number)[]): LabeledSet {
  return { x, labels: Array.from(y, (c) => String(classes[c])) };
}

function splitSet(set: LabeledSet, seed: number): { train: LabeledSet; test: LabeledSet } {
  const names = [...new Set(set.labels)];
  const y = set.labels.map((l) => names.indexOf(l));
  const { train, validation } = stratifiedSplit(y, { validationFraction: 0.2, seed });
  const take = (idx: Int32Array) => ({ x: set.x.gather(idx), labels: Array.from(idx, (i) => set.labels[i]) });
  return { train: take(train), test: take(validation) };
}

/** Reads a data source. `length` applies to .wav folders and builtin sets. */
export function readSource(spec: string, opts: { length?: number; seed: number; n?: number }): Source {
  if (spec.startsWith('builtin:')) {
    const name = spec.slice(8) as BuiltinName;
    const length = opts.length ?? 128;
    const n = opts.n ?? 300;
    const train = builtin.load(name, { n, length, seed: opts.seed });
    const test = builtin.load(name, { n, length, seed: opts.seed + 1_000_003 });
    return { train: labeled(zNormalize(train.x), train.y, train.classes), test: labeled(zNormalize(test.x), test.y, test.classes), normalize: 'z', length };
  }
  if (isDirectory(spec)) {
    const length = opts.length ?? 8000;
    const recordings = isDirectory(join(spec, 'recordings')) ? join(spec, 'recordings') : spec;
    const fsdd = readdirSync(recordings).filter((f: string) => f.endsWith('.wav')).every((f: string) => /^[^_]+_[^_]+_\d+\.wav$/.test(f));
    if (fsdd) {
      const { train, test } = loadFSDD(spec, { length, align: 'center' });
      return { train: labeled(zNormalize(train.x), train.y, train.classes), test: labeled(zNormalize(test.x), test.y, test.classes), normalize: 'z', length };
    }
    const all = loadWavFolder(spec, { length, align: 'center' });
    return { ...splitSet(labeled(zNormalize(all.x), all.y, all.classes), opts.seed), normalize: 'z', length };
  }
  const train = loadUCR(spec);
  const trainSet = labeled(train.x, train.y, train.classes);
  const testPath = spec.replace(/_TRAIN(\.\w+)$/, '_TEST$1');
  const length = train.x.shape[1];
  if (testPath !== spec && existsSync(testPath)) {
    const test = loadUCR(testPath);
    if (test.x.shape[1] !== length) throw new UsageError(`${testPath} has series of length ${test.x.shape[1]}, ${spec} has ${length}`);
    return { train: trainSet, test: labeled(test.x, test.y, test.classes), normalize: 'none', length };
  }
  return { ...splitSet(trainSet, opts.seed), normalize: 'none', length };
}

/** Reads inputs (and their labels) for a model trained with the given preprocessing. */
export function readForModel(spec: string, meta: { normalize: 'z' | 'none'; length: number }): LabeledSet {
  if (spec.startsWith('builtin:')) throw new UsageError('evaluate/predict: --data builtin:NAME makes new random data; give a file or folder');
  if (isDirectory(spec)) {
    const recordings = isDirectory(join(spec, 'recordings')) ? join(spec, 'recordings') : spec;
    const all = loadWavFolder(recordings, { length: meta.length, align: 'center' });
    return labeled(meta.normalize === 'z' ? zNormalize(all.x) : all.x, all.y, all.classes);
  }
  const set = loadUCR(spec);
  if (set.x.shape[1] !== meta.length) throw new UsageError(`${spec} has series of length ${set.x.shape[1]}; the model was trained on length ${meta.length}`);
  return labeled(meta.normalize === 'z' ? zNormalize(set.x) : set.x, set.y, set.classes);
}
