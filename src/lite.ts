// cnn1d/lite: inference only. Load a model (model.json + weights, from memory or a URL), predict,
// stream. No training entry points, no data loaders; the same kernels and layers as cnn1d.
export { ready } from './runtime/runtime.ts';
export { Tensor, tensor, type NestedArray } from './tensor.ts';
export { fromArtifacts, ModelFormatError, type ModelArtifacts, type LoadOptions } from './io/artifacts.ts';
export { ConfigError } from './layers/args.ts';
export type { LayersModel } from './models/model.ts';
export type { StreamSession, StreamOptions } from './models/stream.ts';
import { fromArtifacts, type LoadOptions } from './io/artifacts.ts';
import type { LayersModel } from './models/model.ts';

/**
 * The layers model at `url` (a TF.js/cnn1d model.json) with its weight files, named by the
 * manifest relative to it, fetched in the manifest's order. Browser, worker or Node >= 18.
 */
export async function loadModelFromUrl(url: string | URL, options?: LoadOptions): Promise<LayersModel> {
  const base = new URL(url, typeof location === 'undefined' ? undefined : location.href);
  const get = async (u: URL) => {
    const r = await fetch(u);
    if (!r.ok) throw new Error(`loadModelFromUrl: ${u} answered ${r.status} ${r.statusText}`);
    return r;
  };
  const modelJson = (await (await get(base)).json()) as Record<string, unknown>;
  const groups = (Array.isArray(modelJson.weightsManifest) ? modelJson.weightsManifest : []) as { paths?: unknown }[];
  const paths = groups.flatMap((g) => (Array.isArray(g.paths) ? g.paths : [])).map(String);
  const parts = await Promise.all(paths.map(async (p) => new Uint8Array(await (await get(new URL(p, base))).arrayBuffer())));
  const weightData = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) (weightData.set(p, offset), (offset += p.length));
  return fromArtifacts({ modelJson, weightData }, options);
}
