// Mutations of a saved model (model.json + weights.bin) for the fuzzers, and the check of a model
// that loaded anyway: what the loader must have verified (issue 6) holds for the files it read.
import fc from 'fast-check';
import { resolve, sep } from 'node:path';
import { expect, type Lib } from './harness.ts';
import type { LayersModel } from '../../src/index.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

/** An object with an own "__proto__" key (as JSON.parse makes it), not a prototype change. */
function withOwn(key: string, value: Json): Json {
  const o: Record<string, Json> = {};
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  return o;
}

const interesting: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(0, -1, 1, 2, 3, 7, 1.5, -0.5, 1e-300, 1e308, -1e308, 2 ** 31, 2 ** 32 + 1, 2 ** 28, 2 ** 40, 65536),
  fc.integer({ min: -8, max: 64 }),
  fc.constantFrom('', 'same', 'valid', 'causal', 'float16', 'int32', 'float32', 'Conv2D', 'Dense', 'MaxPooling1D', 'AveragePooling1D', 'BatchNormalization', 'InputLayer', 'Sequential', 'relu', 'softmax'),
  fc.constantFrom('weights.bin', '../outside.bin', 'conv1d/kernel', 'dense/bias', 'batch_normalization/moving_variance', '__proto__', 'constructor', 'toString'),
  fc.constantFrom<Json>(null, true, false, [], {}, [1], [3, 3], [null, 16, 2], [null, 65536, 2], [[1]], [-1]),
  fc.constantFrom('__proto__', 'constructor', 'prototype').map((k) => withOwn(k, { filters: 3, polluted: true })),
);

/** Weight file names a manifest might point at: plain, inside, outside the model folder. */
const shardPath = fc.constantFrom('weights.bin', './weights.bin', 'sub/../weights.bin', '../outside.bin', '../model/weights.bin', 'OUTSIDE_ABS', '', '.', '..', 'missing.bin', 'weights.bin\u0000x');

const layerKeys = ['filters', 'kernel_size', 'strides', 'padding', 'units', 'pool_size', 'dilation_rate', 'batch_input_shape', 'epsilon', 'momentum', 'activation', 'use_bias', 'name', 'axis', 'center', 'scale'];

export type Mutation =
  | { op: 'truncateWeights'; at: number }
  | { op: 'flipWeights'; flips: [number, number][] }
  | { op: 'truncateJson'; at: number }
  | { op: 'flipJson'; flips: [number, number][] }
  | { op: 'set'; path: Path; value: Json }
  | { op: 'delete'; path: Path }
  | { op: 'duplicate'; path: Path; i: number }
  | { op: 'remove'; path: Path; i: number }
  | { op: 'addKey'; path: Path; key: string; value: Json }
  | { op: 'layer'; layer: number; key: string; value: Json }
  | { op: 'paths'; paths: string[] }
  | { op: 'root'; value: Json }
  | { op: 'inbound'; layer: number; node: number; ref: number; field: number; value: Json }
  | { op: 'rewire'; layer: number; to: number }
  | { op: 'endpoint'; which: 'input_layers' | 'output_layers'; field: number; value: Json };

/** Every path into a JSON value, root first. */
function allPaths(v: Json, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((e, i) => allPaths(e, [...at, i], out));
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) allPaths(v[k], [...at, k], out);
  return out;
}

export interface Saved {
  json: Json;
  jsonText: string;
  weights: Uint8Array;
  /** every JSON path of model.json */
  paths: Path[];
}

export function savedFrom(jsonText: string, weights: Uint8Array): Saved {
  const json = JSON.parse(jsonText) as Json;
  return { json, jsonText, weights, paths: allPaths(json) };
}

export type Family = 'bytes' | 'values' | 'structure' | 'keys' | 'paths' | 'graph';

/** The layer names of a functional topology (none for a Sequential one). */
function layerNames(json: Json): string[] {
  const layers = (json as { modelTopology?: { config?: { layers?: { name?: string }[] } } }).modelTopology?.config?.layers ?? [];
  return layers.map((l) => l.name).filter((n): n is string => typeof n === 'string');
}

/** Mutations of `saved` from one family; `text` adds byte-level edits of model.json (files only). */
export function mutations(saved: Saved, family: Family, text: boolean): fc.Arbitrary<Mutation[]> {
  const W = saved.weights.length;
  const J = saved.jsonText.length;
  // a JSON path into the saved model.json (shrinks towards the root)
  const path = fc.nat(saved.paths.length - 1).map((i) => saved.paths[i]);
  const names = layerNames(saved.json);
  const refValue: fc.Arbitrary<Json> = fc.oneof(
    names.length ? fc.constantFrom(...names) : fc.constant('input'),
    fc.constantFrom<Json>('nowhere', '', '__proto__', 'toString', -1, 1, 2, 3, 1.5, 2 ** 53, null, '0', {}, { training: true }, [], ['input', 0, 0]),
  );
  const flip = (n: number) => fc.array(fc.tuple(fc.nat(n - 1), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 });
  const families: Record<Family, fc.Arbitrary<Mutation>[]> = {
    bytes: [
      fc.record({ op: fc.constant('truncateWeights' as const), at: fc.nat(W - 1) }),
      fc.record({ op: fc.constant('flipWeights' as const), flips: flip(W) }),
      ...(text
        ? [fc.record({ op: fc.constant('truncateJson' as const), at: fc.nat(J - 1) }), fc.record({ op: fc.constant('flipJson' as const), flips: flip(J) })]
        : []),
    ],
    values: [
      fc.record({ op: fc.constant('set' as const), path, value: interesting }),
      fc.record({ op: fc.constant('layer' as const), layer: fc.nat(5), key: fc.constantFrom(...layerKeys), value: interesting }),
    ],
    structure: [
      fc.record({ op: fc.constant('delete' as const), path }),
      fc.record({ op: fc.constant('duplicate' as const), path, i: fc.nat(8) }),
      fc.record({ op: fc.constant('remove' as const), path, i: fc.nat(8) }),
      fc.record({ op: fc.constant('root' as const), value: fc.constantFrom<Json>(null, [], 42, 'model', true, {}) }),
    ],
    keys: [fc.record({ op: fc.constant('addKey' as const), path, key: fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'filters', 'name', 'shape', 'paths', 'bogus'), value: interesting })],
    paths: [fc.record({ op: fc.constant('paths' as const), paths: fc.array(shardPath, { minLength: 0, maxLength: 3 }) })],
    // a functional model's inbound_nodes: [layerName, nodeIndex, tensorIndex, kwargs] references
    // to other (or unknown, or later: cycles) layers, bad indices, and model inputs/outputs
    graph: [
      fc.record({ op: fc.constant('inbound' as const), layer: fc.nat(31), node: fc.nat(2), ref: fc.nat(2), field: fc.nat(3), value: refValue }),
      fc.record({ op: fc.constant('rewire' as const), layer: fc.nat(31), to: fc.nat(31) }),
      fc.record({ op: fc.constant('endpoint' as const), which: fc.constantFrom('input_layers' as const, 'output_layers' as const), field: fc.nat(2), value: refValue }),
    ],
  };
  return fc.array(fc.oneof(...families[family]), { minLength: 1, maxLength: 3 });
}

function parentOf(root: Json, path: Path): { parent: Json; key: string | number } | null {
  if (path.length === 0) return null;
  let v: Json = root;
  for (const k of path.slice(0, -1)) {
    if (v === null || typeof v !== 'object') return null;
    v = (v as Record<string, Json>)[k as string] ?? null;
  }
  if (v === null || typeof v !== 'object') return null;
  return { parent: v, key: path[path.length - 1] };
}

type LayerJson = { name?: Json; inbound_nodes?: Json[][][] };
const topologyLayers = (root: Json): LayerJson[] | undefined => {
  const layers = (root as { modelTopology?: { config?: { layers?: unknown } } })?.modelTopology?.config?.layers;
  return Array.isArray(layers) ? (layers as LayerJson[]) : undefined;
};

const clone = (v: Json): Json => JSON.parse(JSON.stringify(v)) as Json;

function setOwn(o: Json, key: string | number, value: Json): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The mutated files. `outside` replaces OUTSIDE_ABS (an absolute path outside the folder). */
export function applyMutations(saved: Saved, ms: Mutation[], outside: string): { jsonBytes: Uint8Array; weights: Uint8Array } {
  let root = clone(saved.json);
  let weights = Uint8Array.from(saved.weights); // a copy (Buffer.slice would be a view)
  const textOps: Mutation[] = [];
  for (const m of ms) {
    const at = 'path' in m ? parentOf(root, m.path) : null;
    switch (m.op) {
      case 'truncateWeights':
        weights = weights.slice(0, m.at);
        break;
      case 'flipWeights':
        for (const [p, x] of m.flips) if (p < weights.length) weights[p] ^= x;
        break;
      case 'set':
        if (at) setOwn(at.parent, at.key, clone(m.value));
        else if (m.path.length === 0) root = clone(m.value);
        break;
      case 'delete':
        if (at && Array.isArray(at.parent) && typeof at.key === 'number') at.parent.splice(at.key, 1);
        else if (at) delete (at.parent as Record<string, Json>)[at.key];
        break;
      case 'duplicate':
      case 'remove': {
        const target = at ? (at.parent as Record<string, Json>)[at.key] : root;
        if (Array.isArray(target) && target.length > 0) {
          const i = m.i % target.length;
          if (m.op === 'duplicate') target.splice(i, 0, clone(target[i]));
          else target.splice(i, 1);
        }
        break;
      }
      case 'addKey': {
        const target = at ? (at.parent as Record<string, Json>)[at.key] : root;
        if (target && typeof target === 'object' && !Array.isArray(target)) setOwn(target, m.key, clone(m.value));
        break;
      }
      case 'layer': {
        const layers = (root as { modelTopology?: { config?: { layers?: { config?: Record<string, Json> }[] } } })?.modelTopology?.config?.layers;
        const cfg = Array.isArray(layers) ? layers[m.layer % Math.max(layers.length, 1)]?.config : undefined;
        if (cfg && typeof cfg === 'object') setOwn(cfg, m.key, clone(m.value));
        break;
      }
      case 'paths': {
        const groups = (root as { weightsManifest?: { paths?: Json }[] })?.weightsManifest;
        if (Array.isArray(groups) && groups[0] && typeof groups[0] === 'object') groups[0].paths = m.paths.map((p) => (p === 'OUTSIDE_ABS' ? outside : p));
        break;
      }
      case 'root':
        root = clone(m.value);
        break;
      case 'inbound': {
        const layers = topologyLayers(root);
        const nodes = layers?.[m.layer % Math.max(layers.length, 1)]?.inbound_nodes;
        const node = Array.isArray(nodes) ? nodes[m.node % Math.max(nodes.length, 1)] : undefined;
        const ref = Array.isArray(node) ? node[m.ref % Math.max(node.length, 1)] : undefined;
        if (Array.isArray(ref)) setOwn(ref, m.field, clone(m.value));
        break;
      }
      case 'rewire': {
        // the first input of one layer becomes the output of another (often a later one: a cycle)
        const layers = topologyLayers(root);
        if (!layers?.length) break;
        const target = layers[m.to % layers.length]?.name;
        const node = layers[m.layer % layers.length]?.inbound_nodes?.[0];
        if (Array.isArray(node) && Array.isArray(node[0]) && typeof target === 'string') node[0][0] = target;
        break;
      }
      case 'endpoint': {
        const config = (root as { modelTopology?: { config?: Record<string, Json> } })?.modelTopology?.config;
        const list = config?.[m.which];
        if (Array.isArray(list) && Array.isArray(list[0])) setOwn(list[0], m.field, clone(m.value));
        break;
      }
      default:
        textOps.push(m);
    }
  }
  let jsonBytes = new TextEncoder().encode(JSON.stringify(root, null, 1));
  for (const m of textOps) {
    if (m.op === 'truncateJson') jsonBytes = jsonBytes.slice(0, m.at);
    else if (m.op === 'flipJson') for (const [p, x] of m.flips) if (p < jsonBytes.length) jsonBytes[p] ^= x;
  }
  return { jsonBytes, weights };
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** What a successful load must satisfy, checked against the files it was given: every weight
 *  path inside `dir`, each topology weight in the manifest exactly once and no extra ones, values
 *  as the shard bytes say, non-negative moving variances, and a forward pass of the right shape
 *  that is finite unless the weights themselves are extreme (|w| > 1e6, which can overflow). */
export function checkLoaded(lib: Lib, model: LayersModel, json: Record<string, unknown>, weightData: Uint8Array, dir: string | null): string {
  const groups = json.weightsManifest as { paths: string[]; weights: { name: string; shape: number[] }[] }[];
  if (dir !== null) {
    for (const p of groups.flatMap((g) => g.paths)) {
      const full = resolve(dir, p);
      expect(full.startsWith(dir + sep), `loaded weights from ${JSON.stringify(p)}, outside the model folder ${dir}`);
    }
  }
  const entries = groups.flatMap((g) => g.weights);
  const names = entries.map((e) => e.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  expect(dup === undefined, `loaded although the manifest lists "${dup}" twice`);
  const weights = model.getWeights();
  const modelNames = weights.map((w) => w.name);
  const extra = names.filter((n) => !modelNames.includes(n));
  expect(extra.length === 0, `loaded although the manifest has weights the topology does not use: ${extra.join(', ')}`);
  expect(modelNames.every((n) => names.includes(n)), `loaded although the manifest lacks weights: ${modelNames.filter((n) => !names.includes(n)).join(', ')}`);
  const view = new DataView(weightData.buffer, weightData.byteOffset, weightData.byteLength);
  let o = 0;
  let maxAbs = 0;
  for (const e of entries) {
    const n = size(e.shape);
    const w = weights.find((x) => x.name === e.name)!;
    expect(w.shape.join() === e.shape.join(), `"${e.name}" loaded with shape [${w.shape}], the manifest says [${e.shape}]`);
    for (let i = 0; i < n; i++, o += 4) {
      const v = view.getFloat32(o, true);
      expect(Object.is(Math.fround(v), w.data[i]), `"${e.name}"[${i}] loaded as ${w.data[i]}, the file has ${v}`);
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
    if (e.name.endsWith('moving_variance')) expect(w.data.every((v) => v >= 0), `loaded a negative moving variance in "${e.name}": [${[...w.data]}]`);
  }
  const inSize = size(model.inputShape);
  const x = lib.tensor(Float32Array.from({ length: 2 * inSize }, (_, i) => Math.cos(i * 0.7)), [2, ...model.inputShape]);
  const y = model.predict(x);
  expect(y.shape.join() === [2, ...model.outputShape].join(), `predict gave shape [${y.shape}], expected [2, ${model.outputShape}]`);
  const finite = y.data.every(Number.isFinite);
  if (maxAbs <= 1e6) expect(finite, `a loaded model with weights |w| <= ${maxAbs.toPrecision(3)} predicts non-finite values [${[...y.data.slice(0, 4)]}]`);
  return finite ? 'loaded correctly' : 'loaded (extreme weights, non-finite outputs)';
}
