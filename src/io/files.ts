// NODE ONLY. model.save(dir) / loadModel(dir): model.json + weights.bin in a directory, the layout
// tf.loadLayersModel('file://dir/model.json') reads. Files are written to temporaries and renamed,
// and an existing model is never overwritten unless asked.

import { isDirectory, joinPath, nodeFs, readFileBytes, readFileText } from '../data/node-fs.ts';
import { ConfigError } from '../layers/args.ts';
import type { Sequential } from '../models/sequential.ts';
import { ModelFormatError, WEIGHTS_FILE, fromArtifacts, toArtifacts, weightPaths } from './artifacts.ts';

export interface SaveOptions {
  /** Replace a model.json already in the directory (default false). */
  overwrite?: boolean;
}

const stripScheme = (p: string) => p.replace(/^file:\/\//, '');

/** Writes model.json and weights.bin into `dir` (created if missing). */
export function saveModel(model: Sequential, dir: string, options: SaveOptions = {}): { modelPath: string; weightsPath: string; bytes: number } {
  const fs = nodeFs('save');
  const target = stripScheme(dir);
  const modelPath = joinPath(target, 'model.json');
  const weightsPath = joinPath(target, WEIGHTS_FILE);
  if (fs.existsSync(modelPath) && !options.overwrite) {
    throw new ConfigError(`save: ${modelPath} already exists; pass {overwrite: true} to replace it`);
  }
  const { modelJson, weightData } = toArtifacts(model);
  fs.mkdirSync(target, { recursive: true });
  const tmp = `.tmp-${process.pid}-${Date.now()}`;
  fs.writeFileSync(weightsPath + tmp, weightData);
  fs.writeFileSync(modelPath + tmp, JSON.stringify(modelJson, null, 1));
  fs.renameSync(weightsPath + tmp, weightsPath);
  fs.renameSync(modelPath + tmp, modelPath);
  return { modelPath, weightsPath, bytes: weightData.byteLength };
}

/** Reads a model saved by save() (or by TF.js/Keras as a Sequential layers-model): a directory or
 *  the path of its model.json. */
export function loadModel(path: string): Sequential {
  const p = stripScheme(path);
  const modelPath = isDirectory(p, 'loadModel') ? joinPath(p, 'model.json') : p;
  const dir = modelPath.replace(/[\\/][^\\/]*$/, '') || '.';
  const text = readFileText(modelPath, 'loadModel');
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ModelFormatError(`loadModel: ${modelPath} is not valid JSON (${(e as Error).message}); the file may be truncated or corrupt`);
  }
  const shards = weightPaths(json).map((name) => readFileBytes(joinPath(dir, name), 'loadModel'));
  const total = shards.reduce((n, s) => n + s.byteLength, 0);
  const weightData = new Uint8Array(total);
  let o = 0;
  for (const s of shards) (weightData.set(s, o), (o += s.byteLength));
  try {
    return fromArtifacts({ modelJson: json, weightData });
  } catch (e) {
    if (e instanceof ModelFormatError) throw new ModelFormatError(`loadModel ${modelPath}: ${e.message}`);
    throw e;
  }
}
