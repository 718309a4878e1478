// The weightsManifest of a model.json, checked against the weights the topology declares before
// any memory is allocated: shard names that stay inside the model folder, every weight present
// exactly once with its shape, no extra entries, float32 only; then the values (finite, batch-norm
// variances >= 0). TF.js layout: weightsManifest = [{paths: [shard names], weights: [{name, shape,
// dtype}]}]; a group's weights are concatenated in entry order and split across its shards.

import { showValue } from '../layers/args.ts';
import type { Weight } from '../layers/layer.ts';
import { hasOwn, isRecord, jsonKind, ModelFormatError } from './errors.ts';

export interface ManifestEntry {
  name: string;
  shape: number[];
  /** Byte offset inside its group. */
  offset: number;
  floats: number;
}

export interface ManifestGroup {
  paths: string[];
  entries: ManifestEntry[];
  /** Bytes the group's shards hold together: 4 * the floats of its entries. */
  bytes: number;
}

const where = (gi: number, field?: string) => `model.json: weightsManifest[${gi}]${field ? `.${field}` : ''}`;

/** A shard path: a plain file name in the model folder (no directories, so never outside it). */
function shardName(p: unknown, gi: number, pi: number): string {
  if (typeof p !== 'string' || p === '' || p === '.' || p === '..' || /[\\/:\0]/.test(p)) {
    throw new ModelFormatError(`${where(gi, `paths[${pi}]`)} must be a plain file name inside the model folder (no "/", "\\", ":", NUL, not "." or ".."), got ${showValue(p)}`);
  }
  return p;
}

function entryOf(w: unknown, gi: number, wi: number, offset: number): ManifestEntry {
  const at = where(gi, `weights[${wi}]`);
  if (!isRecord(w)) throw new ModelFormatError(`${at} must be an object {name, shape, dtype}, got ${jsonKind(w)}`);
  if (typeof w.name !== 'string' || w.name === '') throw new ModelFormatError(`${at}.name must be a non-empty string, got ${showValue(w.name)}`);
  const label = `${at} ("${w.name}")`;
  const shape = w.shape;
  if (!Array.isArray(shape) || shape.length > 8 || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new ModelFormatError(`${label}.shape must be an array of at most 8 non-negative integers, got ${showValue(shape)}`);
  }
  if (hasOwn(w, 'dtype') && w.dtype !== 'float32') throw new ModelFormatError(`${label}.dtype is ${showValue(w.dtype)}; only "float32" is supported`);
  if (hasOwn(w, 'quantization') && w.quantization !== null) throw new ModelFormatError(`${label} is quantized (${showValue(w.quantization)}); only plain float32 weights are supported`);
  const floats = (shape as number[]).reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(4 * floats)) throw new ModelFormatError(`${label}.shape [${shape}] is too large`);
  return { name: w.name, shape: shape as number[], offset, floats };
}

/** The groups of `json.weightsManifest`, with each weight name appearing once. */
export function parseManifest(json: Record<string, unknown>): ManifestGroup[] {
  const groups = json.weightsManifest;
  if (!Array.isArray(groups)) throw new ModelFormatError(`model.json: "weightsManifest" must be an array of {paths, weights}, got ${hasOwn(json, 'weightsManifest') ? jsonKind(groups) : 'nothing'}`);
  const seen = new Map<string, number>();
  return groups.map((g, gi) => {
    if (!isRecord(g) || !Array.isArray(g.paths) || !Array.isArray(g.weights)) throw new ModelFormatError(`${where(gi)} must be an object with "paths" and "weights" arrays, got ${showValue(g)}`);
    const paths = g.paths.map((p, pi) => shardName(p, gi, pi));
    let bytes = 0;
    const entries = g.weights.map((w, wi) => {
      const e = entryOf(w, gi, wi, bytes);
      const before = seen.get(e.name);
      if (before !== undefined) throw new ModelFormatError(`${where(gi, `weights[${wi}]`)}: the weight "${e.name}" is listed twice (also in weightsManifest[${before}]); each weight must appear once`);
      seen.set(e.name, gi);
      bytes += 4 * e.floats;
      if (!Number.isSafeInteger(bytes)) throw new ModelFormatError(`${where(gi)} describes more bytes than a file can hold`);
      return e;
    });
    if (bytes > 0 && paths.length === 0) throw new ModelFormatError(`${where(gi, 'paths')} is empty but its weights need ${bytes} bytes`);
    return { paths, entries, bytes };
  });
}

/** Where each model weight sits: [group index, entry], in model weight order. Refuses a missing,
 *  extra or differently shaped weight. */
export function matchManifest(groups: ManifestGroup[], weights: Weight[]): [number, ManifestEntry][] {
  const byName = new Map<string, [number, ManifestEntry]>();
  groups.forEach((g, gi) => g.entries.forEach((e) => byName.set(e.name, [gi, e])));
  const listed = [...byName.keys()].join(', ') || 'no weights';
  const found = weights.map((w) => {
    const hit = byName.get(w.name);
    if (!hit) throw new ModelFormatError(`model.json: weightsManifest has no weight "${w.name}", which layer "${w.layer.name}" needs with shape [${w.spec.shape}] (the manifest lists ${listed})`);
    if (hit[1].shape.join() !== w.spec.shape.join()) {
      throw new ModelFormatError(`model.json: weightsManifest[${hit[0]}]: "${w.name}" has shape [${hit[1].shape}] in the manifest, the layer needs [${w.spec.shape}]`);
    }
    byName.delete(w.name);
    return hit;
  });
  if (byName.size > 0) {
    const extra = [...byName.keys()];
    throw new ModelFormatError(`model.json: weightsManifest lists ${extra.length === 1 ? 'a weight' : 'weights'} no layer of the topology has: ${extra.map((n) => `"${n}"`).join(', ')} (a layer missing from modelTopology?)`);
  }
  return found;
}

/** The values of every model weight, read from its group's bytes (little-endian float32), checked
 *  finite, and non-negative for batch-norm moving variances. */
export function decodeWeights(groups: ManifestGroup[], groupBytes: Uint8Array[], placed: [number, ManifestEntry][], weights: Weight[]): Float32Array[] {
  return placed.map(([gi, e], i) => {
    const file = groups[gi].paths.join(', ');
    const bytes = groupBytes[gi];
    const view = new DataView(bytes.buffer, bytes.byteOffset + e.offset, 4 * e.floats);
    const data = new Float32Array(e.floats);
    const variance = weights[i].spec.name === 'moving_variance';
    for (let j = 0; j < data.length; j++) {
      const v = view.getFloat32(4 * j, true);
      if (!Number.isFinite(v)) throw new ModelFormatError(`${file}: "${e.name}" contains ${v} at index ${j}; weights must be finite`);
      if (variance && v < 0) throw new ModelFormatError(`${file}: "${e.name}" contains ${v} at index ${j}; a moving variance must be >= 0`);
      data[j] = v;
    }
    return data;
  });
}
