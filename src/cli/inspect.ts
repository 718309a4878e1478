// NODE ONLY. cnn1d inspect FILE: the format loadModel recognises in FILE (by content), then the
// model as it loads (layers with output shapes and parameters, the input shape, the training
// configuration), or what would not load and why (the loader's error, naming the layer and field).

import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatOf, loadModel } from '../index.ts';
import { UsageError } from './datasets.ts';

/** The format of a file or folder, as loadModel would see it. */
export function formatOfPath(path: string): string {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) throw new UsageError(`inspect: no such file or directory: ${path}`);
  if (st.isDirectory()) return statSync(join(path, 'model.json'), { throwIfNoEntry: false }) ? 'TF.js layers-model folder (model.json + weight shards)' : 'a folder without model.json';
  return formatOf(readFileSync(path).subarray(0, 64)) ?? 'unknown';
}

export async function inspect(args: string[], print: (line: string) => void = console.log): Promise<number> {
  if (args.length !== 1 || args[0].startsWith('-')) throw new UsageError('inspect takes one FILE (a .keras, .h5, model.json, to_json() topology, keras_metadata.pb or a TF.js model folder)', true);
  const path = args[0];
  print(`file:   ${path}`);
  print(`format: ${formatOfPath(path)}`);
  let model;
  try {
    model = await loadModel(path);
  } catch (e) {
    const err = e as Error;
    if (err.name !== 'ModelFormatError' && err.name !== 'ConfigError') throw e;
    print(`loads:  no`);
    print(`why:    ${err.message}`);
    return 1;
  }
  try {
    print(`loads:  yes`);
    print(`input:  [null, ${model.inputShape.join(', ')}]${model.variableLength ? ' (any length)' : ''}`);
    print(`params: ${model.countParams()}`);
    print(`training: ${model.optimizer ? `${model.optimizer.className}, loss ${model.losses.map((l) => l.name).join(', ')}` : 'not compiled (no training configuration that maps)'}`);
    model.summary(print);
    return 0;
  } finally {
    model.dispose();
  }
}
