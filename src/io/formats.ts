// Model file formats as handlers (after tfjs-core io.getLoadHandlers): each recognises its bytes by
// their content (magic bytes, never the file name) and reads them with a module imported on first
// use, so `import 'cnn1d'` carries no zip or HDF5 code. Registering another format is one call:
//   registerFormat({ format: 'ONNX model', sniff: (b) => ..., load: async (b, name, o) => (await import('./onnx.ts')).loadOnnx(b, name, o) });
// Handlers are tried in registration order; the first whose sniff accepts the bytes reads them.

import type { LayersModel } from '../models/model.ts';
import { ModelFormatError, isRecord } from './errors.ts';
import type { KerasLoadOptions } from './keras-read.ts';
import { fromArtifacts } from './artifacts.ts';

export interface FormatHandler {
  /** What the format is called in messages ("Keras 3 .keras archive"). */
  format: string;
  /** Whether `head` (the first bytes of the file, at least 16 when the file has them) is this format. */
  sniff(head: Uint8Array): boolean;
  /** The model of the whole file. */
  load(bytes: Uint8Array, name: string, options: KerasLoadOptions): Promise<LayersModel> | LayersModel;
}

const handlers: FormatHandler[] = [];

export function registerFormat(handler: FormatHandler): void {
  handlers.push(handler);
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

const startsWith = (b: Uint8Array, magic: number[]) => magic.every((m, i) => b[i] === m);

/** The first non-space byte is "{". */
const looksJson = (b: Uint8Array) => {
  for (const c of b) if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0xef && c !== 0xbb && c !== 0xbf) return c === 0x7b;
  return false;
};

const readKeras = () => import('./keras-read.ts');

registerFormat({ format: 'Keras 3 .keras archive (zip)', sniff: (b) => startsWith(b, ZIP_MAGIC), load: async (b, n, o) => (await readKeras()).loadKerasZip(b, n, o) });
registerFormat({ format: 'HDF5 file (Keras .h5)', sniff: (b) => startsWith(b, HDF5_MAGIC), load: async (b, n, o) => (await readKeras()).loadKerasHdf5(b, n, o) });
registerFormat({ format: 'JSON (TF.js model.json or Keras model.to_json())', sniff: looksJson, load: loadJson });
// ONNX ModelProto: torch.onnx.export (and onnx.save) write ir_version, field 1 as a varint (0x08),
// first; IR versions so far are 1..11
registerFormat({ format: 'ONNX model (protobuf)', sniff: (b) => b[0] === 0x08 && b[1] >= 1 && b[1] <= 20, load: async (b, n, o) => {
  const { weightsBytes: _w, weightsName: _n, ...limits } = o;
  const { fromOnnxBytes } = await import('./onnx/import.ts');
  return fromOnnxBytes(b, limits);
} });
// keras_metadata.pb: SavedMetadata whose first field is `nodes` (field 1, length-delimited: 0x0a)
registerFormat({ format: 'SavedModel keras_metadata.pb (protobuf)', sniff: (b) => b[0] === 0x0a, load: async (b, n, o) => (await readKeras()).loadSavedModelMetadata(b, n, o) });

/** TF.js model.json (its weights must be in memory too: only a manifest without weights loads
 *  from bytes alone) or a Keras topology (model.to_json()). */
async function loadJson(bytes: Uint8Array, name: string, options: KerasLoadOptions): Promise<LayersModel> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new ModelFormatError(`${name} is not valid JSON (${(e as Error).message}); the file may be truncated or corrupt`);
  }
  if (isRecord(json) && (json.format === 'layers-model' || 'modelTopology' in json || 'weightsManifest' in json)) {
    const { weightsBytes, weightsName: _n, ...limits } = options;
    return fromArtifacts({ modelJson: json, weightData: weightsBytes ?? new Uint8Array(0) }, limits);
  }
  return (await readKeras()).loadKerasJson(json as Record<string, unknown>, name, options);
}

/** The name of the format of `bytes` (as loadModel would read them), or undefined. */
export function formatOf(bytes: Uint8Array): string | undefined {
  return handlers.find((x) => x.sniff(bytes.subarray(0, 64)))?.format;
}

/** The handler of `bytes`, or an error naming what the bytes look like. */
export function handlerOf(bytes: Uint8Array, name: string): FormatHandler {
  const head = bytes.subarray(0, 64);
  const h = handlers.find((x) => x.sniff(head));
  if (h) return h;
  const hex = [...bytes.subarray(0, 8)].map((c) => c.toString(16).padStart(2, '0')).join(' ');
  throw new ModelFormatError(`${name}: not a model file cnn1d reads (starts with bytes ${hex || 'nothing: the file is empty'}); it reads ${handlers.map((x) => x.format).join(', ')}`);
}

/** Reads a model from its bytes with the handler their content names. */
export async function loadFromBytes(bytes: Uint8Array, name: string, options: KerasLoadOptions): Promise<LayersModel> {
  const h = handlerOf(bytes, name);
  try {
    return await h.load(bytes, name, options);
  } catch (e) {
    if (e instanceof ModelFormatError && !e.message.startsWith(name)) throw new ModelFormatError(`${name} (${h.format}): ${e.message}`);
    throw e;
  }
}
