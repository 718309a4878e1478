// The ONNX entry points of the package. The reader, the converters and the writer load on first
// use (await import()), so `import 'cnn1d'` carries only these few lines.

import { nodeFs } from '../../data/node-fs.ts';
import { ConfigError, checkKeys } from '../../layers/args.ts';
import type { LayersModel } from '../../models/model.ts';
import { ModelFormatError } from '../errors.ts';
import type { LoadOptions } from '../load.ts';

/** A protobuf message cannot exceed 2 GB; larger files are refused unread. */
export const MAX_ONNX_BYTES = 2 ** 31 - 1;

export interface OnnxExportOptions {
  /** Layout of the graph input (and of sequence outputs): 'nwc' = [n, L, C] as cnn1d (default),
   *  'ncw' = [n, C, L] as PyTorch. */
  layout?: 'nwc' | 'ncw';
}

/** `path` names an ONNX file (by extension). */
export const isOnnxPath = (path: unknown): path is string => typeof path === 'string' && /\.onnx$/i.test(path);

/** NODE ONLY for paths. An ONNX model (a .onnx path, or the file's bytes) as a cnn1d model. */
export async function loadOnnx(source: string | Uint8Array | ArrayBuffer, options?: LoadOptions): Promise<LayersModel> {
  let bytes: Uint8Array;
  if (typeof source === 'string') {
    const fs = nodeFs('loadModel');
    const path = source.replace(/^file:\/\//, '');
    let st;
    try {
      st = fs.statSync(path);
    } catch {
      throw new ConfigError(`loadModel: no such file: ${path}`);
    }
    if (!st.isFile()) throw new ModelFormatError(`loadModel ${path}: not a regular file`);
    if (st.size > MAX_ONNX_BYTES) throw new ModelFormatError(`loadModel ${path}: ${st.size} bytes, more than an ONNX file (a protobuf message) may have`);
    bytes = fs.readFileSync(path);
  } else bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
  const { fromOnnxBytes } = await import('./import.ts');
  try {
    return fromOnnxBytes(bytes, options);
  } catch (e) {
    if (e instanceof ModelFormatError && typeof source === 'string') throw new ModelFormatError(`loadModel ${source}: ${e.message}`);
    throw e;
  }
}

/** An ONNX file of the model (opset 13; dynamic batch, and length where the model allows). */
export async function toOnnx(model: LayersModel, options?: OnnxExportOptions): Promise<Uint8Array> {
  checkKeys('toOnnx', options, ['layout']);
  const { modelToOnnx } = await import('./export.ts');
  return modelToOnnx(model, options);
}

/** NODE ONLY. Writes toOnnx(model) to `path`; refuses to replace a file unless {overwrite: true}. */
export async function saveOnnx(model: LayersModel, path: string, options: OnnxExportOptions & { overwrite?: boolean } = {}): Promise<{ modelPath: string; bytes: number }> {
  checkKeys('save', options, ['overwrite', 'layout']);
  const fs = nodeFs('save');
  const target = path.replace(/^file:\/\//, '');
  if (!options.overwrite && fs.existsSync(target)) throw new ConfigError(`save: ${target} already exists; pass {overwrite: true} to replace it`);
  const { overwrite: _, ...exportOptions } = options;
  const bytes = await toOnnx(model, exportOptions);
  fs.writeFileSync(target, bytes);
  return { modelPath: target, bytes: bytes.byteLength };
}
