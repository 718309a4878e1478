// NODE ONLY. A model folder written by `cnn1d train --out` (model.json, weights.bin and
// cnn1d-meta.json: the class names and the preprocessing) opened for evaluate and predict.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTfjsModel, ModelFormatError, type LayersModel } from '../index.ts';
import { readForModel, UsageError, type LabeledSet } from './datasets.ts';
import { requiredString } from './options.ts';
import { META } from './out-dir.ts';
import type { Values } from './command.ts';

export interface Meta {
  classes: string[];
  normalize: 'z' | 'none';
  length: number;
  model: string;
  data: string;
}

/** Class indices of a set's labels in the model's class list. */
export function indices(set: LabeledSet, classes: string[], what: string): Int32Array {
  return Int32Array.from(set.labels, (l, i) => {
    const c = classes.indexOf(l);
    if (c < 0) throw new UsageError(`${what}: sample ${i} has label "${l}", which the model does not know (classes: ${classes.join(', ')})`);
    return c;
  });
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

/** The model of --model-dir with its meta, and --data read as it was trained. */
export function openSaved(command: string, v: Values): { model: LayersModel; meta: Meta; set: LabeledSet } {
  const dir = requiredString(v, 'model-dir', command, 'DIR (a directory written by cnn1d train --out)');
  const data = requiredString(v, 'data', command, '<ucr.tsv | wav folder>');
  const meta = readMeta(dir);
  const model = loadTfjsModel(dir); // cnn1d train --out writes a TF.js folder, read synchronously
  try {
    const [length, channels] = model.inputShape;
    const out = model.outputShape;
    if ((length !== null && length !== meta.length) || channels !== 1) throw new ModelFormatError(`${dir}: the model takes inputs [${model.inputShape}], ${META} says length ${meta.length} with 1 channel`);
    if (out.length !== 1 || out[0] !== meta.classes.length) throw new ModelFormatError(`${dir}: the model outputs [${out}], ${META} lists ${meta.classes.length} classes`);
    return { model, meta, set: readForModel(data, meta) };
  } catch (e) {
    model.dispose();
    throw e;
  }
}
