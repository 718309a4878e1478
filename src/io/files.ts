// NODE ONLY. model.save(dir) / loadModel(dir): model.json + weights.bin in a directory, the layout
// tf.loadLayersModel('file://dir/model.json') reads. Saving writes temporaries renamed at the end
// (removed if anything fails) and never replaces model.json or weights.bin unless asked. Loading
// reads only regular files named by plain file names inside the model folder, and never more
// bytes than model.json's manifest describes.

import type * as fsTypes from 'node:fs';
import { joinPath, nodeFs } from '../data/node-fs.ts';
import { checkKeys, ConfigError, boolean, showValue } from '../layers/args.ts';
import type { LayersModel } from '../models/model.ts';
import { WEIGHTS_FILE, toArtifacts } from './artifacts.ts';
import { ModelFormatError } from './errors.ts';
import { finishLoad, planLoad, type LoadOptions } from './load.ts';
import { isOnnxPath, loadOnnx } from './onnx/index.ts';

type FS = typeof fsTypes;

export interface SaveOptions {
  /** Replace a model.json or weights.bin already in the directory (default false). */
  overwrite?: boolean;
}

/** model.json larger than this is refused unread (a topology is a few kilobytes). */
export const MAX_MODEL_JSON_BYTES = 16 * 1024 * 1024;

const stripScheme = (p: string) => p.replace(/^file:\/\//, '');
const errno = (e: unknown) => (e as { code?: string }).code ?? (e as Error).message;

function statOrNull(fs: FS, path: string): fsTypes.Stats | null {
  try {
    return fs.statSync(path);
  } catch {
    return null;
  }
}

/** Writes `files` into `dir` (created if missing) through temporaries renamed at the end; on any
 *  failure the temporaries are removed and a ConfigError names the file. */
function writeAll(fs: FS, dir: string, files: { name: string; data: Uint8Array | string }[]): void {
  const tag = `.tmp-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const temps: string[] = [];
  let current = dir;
  try {
    fs.mkdirSync(dir, { recursive: true });
    for (const f of files) {
      current = joinPath(dir, f.name) + tag;
      fs.writeFileSync(current, f.data, { flag: 'wx' });
      temps.push(current);
    }
    for (const f of files) {
      current = joinPath(dir, f.name);
      fs.renameSync(current + tag, current);
      temps.splice(temps.indexOf(current + tag), 1);
    }
  } catch (e) {
    for (const t of temps) fs.rmSync(t, { force: true });
    throw new ConfigError(`save: cannot write ${current}: ${errno(e)}`);
  }
}

/** Writes model.json and weights.bin into `dir` (created if missing). */
export function saveModel(model: LayersModel, dir: string, options: SaveOptions = {}): { modelPath: string; weightsPath: string; bytes: number } {
  checkKeys('save', options, ['overwrite']);
  const overwrite = boolean('save', 'overwrite', options?.overwrite, false);
  if (typeof dir !== 'string' || dir === '') throw new ConfigError(`save: the directory must be a non-empty string, got ${showValue(dir)}`);
  const fs = nodeFs('save');
  const target = stripScheme(dir);
  const modelPath = joinPath(target, 'model.json');
  const weightsPath = joinPath(target, WEIGHTS_FILE);
  const st = statOrNull(fs, target);
  if (st && !st.isDirectory()) throw new ConfigError(`save: ${target} exists and is not a directory; expected a directory to hold model.json and ${WEIGHTS_FILE}`);
  for (const path of [modelPath, weightsPath]) {
    if (!overwrite && statOrNull(fs, path)) throw new ConfigError(`save: ${path} already exists; pass {overwrite: true} to replace it`);
  }
  const { modelJson, weightData } = toArtifacts(model);
  writeAll(fs, target, [
    { name: WEIGHTS_FILE, data: weightData },
    { name: 'model.json', data: JSON.stringify(modelJson, null, 1) },
  ]);
  return { modelPath, weightsPath, bytes: weightData.byteLength };
}

/** Exactly `bytes` bytes of a regular file whose size is `bytes` (re-checked on the open file, so
 *  a file swapped for a device or a FIFO after the stat is still refused; O_NONBLOCK keeps a FIFO
 *  from blocking the open). */
function readExactly(fs: FS, path: string, bytes: number, what: string): Uint8Array {
  let fd: number;
  try {
    fd = fs.openSync(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw new ModelFormatError(`${what}: cannot open ${path}: ${errno(e)}`);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new ModelFormatError(`${what}: ${path} is not a regular file`);
    if (st.size !== bytes) throw new ModelFormatError(`${what}: ${path} changed size while loading (${st.size} bytes, expected ${bytes})`);
    const out = new Uint8Array(bytes);
    let o = 0;
    while (o < bytes) {
      const n = fs.readSync(fd, out, o, bytes - o, o);
      if (n === 0) break;
      o += n;
    }
    if (o !== bytes) throw new ModelFormatError(`${what}: ${path} ended after ${o} of ${bytes} bytes`);
    return out;
  } finally {
    fs.closeSync(fd);
  }
}

function regularFile(fs: FS, path: string, what: string): fsTypes.Stats {
  const st = statOrNull(fs, path);
  if (!st) throw new ModelFormatError(`${what}: ${path} does not exist`);
  if (!st.isFile()) throw new ModelFormatError(`${what}: ${path} is not a regular file (a directory, device or pipe)`);
  return st;
}

/** Where a model comes from: a path (Node), the file's bytes, or in the browser a File/Blob or a URL. */
export type ModelSource = string | Uint8Array | ArrayBuffer | Blob | URL;

export interface LoadModelOptions extends LoadOptions {
  /** The weights of a topology-only JSON (model.to_json()) or keras_metadata.pb: a Keras 3
   *  .weights.h5 or a Keras 2 .h5 (model.save_weights), as a path or bytes. Without it those load
   *  with fresh weights. */
  weights?: string | Uint8Array | ArrayBuffer;
}

const isTfjsJson = (json: unknown) => typeof json === 'object' && json !== null && ('modelTopology' in json || 'weightsManifest' in json || (json as { format?: unknown }).format === 'layers-model');

/** Reads a model of any format cnn1d knows, chosen by the content of the file, not its name (see
 *  formats.ts): a TF.js layers-model (its folder or model.json path: read synchronously, as
 *  before, so the result is the model itself), a Keras 3 .keras archive, a Keras .h5 (Keras 2 or
 *  3), a model.to_json() topology (weights from options.weights, else fresh) or a SavedModel's
 *  keras_metadata.pb (topology only). Every other source or format returns a promise: `await
 *  loadModel(...)` works for all. Bad files throw (or reject with) ModelFormatError naming the
 *  file and the format recognised; bad arguments ConfigError. */
export function loadModel(source: Uint8Array | ArrayBuffer | Blob | URL | `${string}.${'onnx' | 'keras' | 'h5' | 'pb'}`, options?: LoadModelOptions): Promise<LayersModel>;
export function loadModel(source: ModelSource, options?: LoadModelOptions): LayersModel | Promise<LayersModel>;
export function loadModel(source: ModelSource, options?: LoadModelOptions): LayersModel | Promise<LayersModel> {
  const { weights, ...limits } = options ?? {};
  // a path named .onnx is read as ONNX (its errors say so); ONNX bytes are recognised by content
  if (isOnnxPath(source)) return loadOnnx(source, limits);
  if (typeof source === 'string') {
    if (source === '') throw new ConfigError('loadModel: path must be a non-empty string (a model file or folder), got ""');
    const fs = nodeFs('loadModel');
    const p = stripScheme(source);
    const st = statOrNull(fs, p);
    if (!st) throw new ConfigError(`loadModel: no such file or directory: ${p}`);
    if (st.isDirectory()) {
      if (!statOrNull(fs, joinPath(p, 'model.json')) && (statOrNull(fs, joinPath(p, 'saved_model.pb')) || statOrNull(fs, joinPath(p, 'keras_metadata.pb')))) {
        throw new ModelFormatError(`loadModel ${p}: a TensorFlow SavedModel folder. ${SAVED_MODEL_ADVICE}`);
      }
      return loadTfjsModel(p, limits);
    }
    regularFile(fs, p, 'loadModel');
    if (st.size > MAX_MODEL_FILE_BYTES) throw new ModelFormatError(`loadModel ${p}: ${st.size} bytes, more than the ${MAX_MODEL_FILE_BYTES} a model file may have`);
    const bytes = readExactly(fs, p, st.size, 'loadModel');
    if (bytes[0] === 0x7b && st.size <= MAX_MODEL_JSON_BYTES) {
      let json: unknown;
      try {
        json = JSON.parse(new TextDecoder().decode(bytes));
      } catch {
        json = undefined;
      }
      if (isTfjsJson(json)) return loadTfjsModel(p, limits);
    }
    return fromBytes(bytes, p, limits, weights);
  }
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) return fromBytes(source instanceof Uint8Array ? source : new Uint8Array(source), 'model bytes', limits, weights);
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    const name = typeof (source as File).name === 'string' && (source as File).name ? (source as File).name : 'blob';
    return source.arrayBuffer().then((b) => fromBytes(new Uint8Array(b), name, limits, weights));
  }
  if (source instanceof URL) return fromUrl(source, limits, weights);
  throw new ConfigError(`loadModel: expected a path, bytes (Uint8Array, ArrayBuffer), a File/Blob or a URL, got ${showValue(source)}`);
}

/** A SavedModel's variables are not read (a TensorFlow checkpoint, not a Keras file). */
export const SAVED_MODEL_ADVICE = "Its variables are out of scope for cnn1d: in Keras, load it and save it as model.save('x.keras'), then loadModel('x.keras'). Its keras_metadata.pb alone loads as a topology with fresh weights.";

/** Model files (a .keras or .h5) larger than this are refused unread. */
export const MAX_MODEL_FILE_BYTES = 2 ** 31 - 1;

async function fromBytes(bytes: Uint8Array, name: string, limits: LoadOptions, weights: LoadModelOptions['weights']): Promise<LayersModel> {
  const { loadFromBytes } = await import('./formats.ts');
  let weightsBytes: Uint8Array | undefined;
  let weightsName: string | undefined;
  if (typeof weights === 'string') {
    const fs = nodeFs('loadModel');
    const st = regularFile(fs, stripScheme(weights), 'loadModel weights');
    weightsBytes = readExactly(fs, stripScheme(weights), st.size, 'loadModel weights');
    weightsName = weights;
  } else if (weights instanceof Uint8Array || weights instanceof ArrayBuffer) {
    weightsBytes = weights instanceof Uint8Array ? weights : new Uint8Array(weights);
    weightsName = 'weights bytes';
  } else if (weights !== undefined) throw new ConfigError(`loadModel: weights must be a path or bytes of a .weights.h5 / .h5 file, got ${showValue(weights)}`);
  return loadFromBytes(bytes, name, { ...limits, ...(weightsBytes ? { weightsBytes, weightsName } : {}) });
}

/** A URL: fetched; a TF.js model.json also fetches its shards, relative to it. */
async function fromUrl(url: URL, limits: LoadOptions, weights: LoadModelOptions['weights']): Promise<LayersModel> {
  if (url.protocol === 'file:') return loadModel(decodeURIComponent(url.pathname), { ...limits, ...(weights !== undefined ? { weights } : {}) });
  const get = async (u: URL) => {
    const r = await fetch(u);
    if (!r.ok) throw new ModelFormatError(`loadModel ${u.href}: HTTP ${r.status} ${r.statusText}`);
    return new Uint8Array(await r.arrayBuffer());
  };
  const bytes = await get(url);
  if (bytes[0] === 0x7b) {
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      json = undefined;
    }
    if (isTfjsJson(json)) {
      const plan = planLoad(json, limits);
      const groups = await Promise.all(plan.groups.map(async (g) => {
        const parts = await Promise.all(g.paths.map((n) => get(new URL(n, url))));
        const all = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
        let o = 0;
        for (const p of parts) (all.set(p, o), (o += p.byteLength));
        return all;
      }));
      return finishLoad(plan, groups);
    }
  }
  return fromBytes(bytes, url.href, limits, weights);
}

/** NODE ONLY. Reads, synchronously, a model saved by save() (or by TF.js/Keras as a Sequential or functional layers-model): a directory or
 *  the path of its model.json (loadModel does the same for such a path, and reads every other format too). Everything is checked before any memory is allocated: model.json is
 *  a JSON object; shard paths are plain file names in the model folder; each shard is a regular
 *  file and the shards of each manifest group hold exactly the bytes the manifest describes; every
 *  weight of the topology is listed once, with its shape, and nothing else; values are finite and
 *  batch-norm moving variances >= 0; the model is within `options` limits (default 50 M weights,
 *  50 M activation values per sample, 2,000 layers and layer applications). Bad files throw ModelFormatError, bad arguments
 *  ConfigError; on failure nothing stays allocated. */
export function loadTfjsModel(path: string, options?: LoadOptions): LayersModel {
  if (typeof path !== 'string' || path === '') throw new ConfigError(`loadModel: path must be a non-empty string (a model folder or its model.json), got ${showValue(path)}`);
  const fs = nodeFs('loadModel');
  const p = stripScheme(path);
  const st = statOrNull(fs, p);
  if (!st) throw new ConfigError(`loadModel: no such file or directory: ${p}`);
  const modelPath = st.isDirectory() ? joinPath(p, 'model.json') : p;
  const dir = st.isDirectory() ? p : p.replace(/[\\/][^\\/]*$/, '') || '.';
  const at = `loadModel ${modelPath}`;
  try {
    const jsonStat = regularFile(fs, modelPath, 'model.json');
    if (jsonStat.size > MAX_MODEL_JSON_BYTES) throw new ModelFormatError(`model.json: ${modelPath} has ${jsonStat.size} bytes, more than the ${MAX_MODEL_JSON_BYTES} a model.json may have`);
    const text = new TextDecoder().decode(readExactly(fs, modelPath, jsonStat.size, 'model.json'));
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new ModelFormatError(`model.json is not valid JSON (${(e as Error).message}); the file may be truncated or corrupt`);
    }
    const plan = planLoad(json, options);
    const groupBytes = plan.groups.map((g, gi) => {
      const shards = g.paths.map((name) => ({ path: joinPath(dir, name), size: regularFile(fs, joinPath(dir, name), `weightsManifest[${gi}]`).size }));
      const total = shards.reduce((n, s) => n + s.size, 0);
      if (total !== g.bytes) {
        throw new ModelFormatError(`weightsManifest[${gi}] describes ${g.bytes} bytes of float32 weights, the weight data has ${total} bytes in ${g.paths.join(', ')} (truncated or corrupt file?)`);
      }
      const bytes = new Uint8Array(g.bytes);
      let o = 0;
      for (const s of shards) (bytes.set(readExactly(fs, s.path, s.size, `weightsManifest[${gi}]`), o), (o += s.size));
      return bytes;
    });
    return finishLoad(plan, groupBytes);
  } catch (e) {
    if (e instanceof ModelFormatError) throw new ModelFormatError(`${at}: ${e.message.replace(/^model\.json: /, '')}`);
    throw e;
  }
}
