// A functional model's graph <-> the topology TF.js and Keras write for it (tfjs-layers
// engine/container.ts getConfig / fromConfig):
//   {class_name: "Functional" (TF.js writes "Model"), config: {name,
//     layers: [{class_name, config, name, inbound_nodes}],
//     input_layers: [[layerName, nodeIndex, 0]], output_layers: [[layerName, nodeIndex, 0]]}}
// inbound_nodes[k] lists what node k of the layer reads: [[layerName, nodeIndex, tensorIndex, {}], ...].
// Node indices count only the nodes of this model, in the layer's application order (tfjs
// buildNodeConversionMap); an InputLayer has node 0 and no inbound_nodes. Every cnn1d layer has
// one output, so tensor indices are 0.

import type { Graph } from '../engine/graph.ts';
import { Node, type SymbolicTensor } from '../engine/symbolic.ts';
import { showValue } from '../layers/args.ts';
import { InputLayer } from '../layers/input.ts';
import type { Layer } from '../layers/layer.ts';
import { hasOwn, isRecord, jsonKind, ModelFormatError } from './errors.ts';
import { layerFromJson, layerToJson } from './topology.ts';

type Json = Record<string, unknown>;
type Ref = [string, number, number];

const NAME = /^[A-Za-z0-9_.\-]+$/;

/** The model-level config of a graph (the "config" of a Functional topology). */
export function graphToJson(graph: Graph, name: string): Json {
  // saved index of a node: its rank among the layer's nodes that belong to this graph
  const kept = new Map<Layer, Node[]>();
  for (const l of graph.layers) kept.set(l, l.inboundNodes.filter((n) => graph.index.has(n)));
  const ref = (t: SymbolicTensor): Ref => [t.node.layer.name, kept.get(t.node.layer)!.indexOf(t.node), 0];
  const layers = graph.layers.map((l) => {
    const { class_name, config } = layerToJson(l, false);
    const inbound = kept.get(l)!.filter((n) => n.inputs.length > 0).map((n) => n.inputs.map((x) => [...ref(x), {}]));
    return { class_name, config, name: l.name, inbound_nodes: inbound };
  });
  return { name, layers, input_layers: graph.inputs.map(ref), output_layers: graph.outputs.map(ref) };
}

interface Entry {
  name: string;
  cls: string;
  layer: Layer;
  /** Per node: the references it reads. */
  nodes: Ref[][];
  /** Per node: its value, once made. */
  values: (SymbolicTensor | null)[];
}

/** Refuses a topology with more than maxLayers layers or nodes before building any of them
 *  (the engine walks graphs recursively, and a Sequential adds its layers in quadratic time). */
export function checkLayerCount(count: number, what: string, maxLayers: number): void {
  if (count > maxLayers) throw new ModelFormatError(`model.json: the topology has ${count} ${what}, more than the ${maxLayers} loadModel accepts (raise the limit with {maxLayers})`);
}

const fail = (m: string): never => {
  throw new ModelFormatError(`model.json: ${m}`);
};

/** A [layerName, nodeIndex, tensorIndex, kwargs?] reference checked against the layers. */
function checkRef(v: unknown, byName: Map<string, Entry>, where: string): Ref {
  if (!Array.isArray(v) || v.length < 3 || v.length > 4 || typeof v[0] !== 'string' || !Number.isSafeInteger(v[1]) || !Number.isSafeInteger(v[2])) {
    return fail(`${where} must be [layerName, nodeIndex, tensorIndex] (and optional kwargs), got ${showValue(v)}`);
  }
  const [name, node, tensor] = v as Ref;
  const e = byName.get(name);
  if (!e) fail(`${where} refers to layer "${name}", which is not in modelTopology.config.layers`);
  const count = e!.cls === 'InputLayer' ? 1 : e!.nodes.length;
  if (node < 0 || node >= count) fail(`${where} refers to node ${node} of layer "${name}", which has ${count} node${count === 1 ? '' : 's'} (indices 0..${count - 1})`);
  if (tensor !== 0) fail(`${where}: tensor index must be 0 (cnn1d layers have one output), got ${tensor}`);
  if (v.length === 4 && !(isRecord(v[3]) && Object.keys(v[3]).length === 0)) fail(`${where}: call arguments are not supported, got ${showValue(v[3])}`);
  return [name, node, tensor];
}

/** The layer entries, their inbound nodes checked and indexed by name. */
function parseEntries(list: unknown[]): Entry[] {
  const byName = new Map<string, Entry>();
  const raw: unknown[][] = [];
  const entries = list.map((item, i) => {
    const at = `modelTopology layer ${i}`;
    if (!isRecord(item)) return fail(`${at} must be an object {class_name, config, name, inbound_nodes}, got ${jsonKind(item)}`);
    const layer = layerFromJson(item, i);
    const cfgName = isRecord(item.config) ? item.config.name : undefined;
    const name = item.name ?? cfgName;
    if (typeof name !== 'string' || name === '') fail(`${at} (${String(item.class_name)}) needs a name, got ${showValue(name)}`);
    if (cfgName !== undefined && cfgName !== name) fail(`${at}: name "${name}" differs from config.name ${showValue(cfgName)}`);
    if (!NAME.test(name as string)) fail(`${at}: layer names are letters, digits, "_", ".", "-", got ${showValue(name)}`);
    if (byName.has(name as string)) fail(`${at}: two layers are named "${name}"; layer names must be unique`);
    const inbound = item.inbound_nodes ?? [];
    if (!Array.isArray(inbound)) fail(`${at} ("${name}"): inbound_nodes must be an array of nodes, got ${jsonKind(inbound)}`);
    const cls = item.class_name as string;
    if (cls === 'InputLayer' && (inbound as unknown[]).length > 0) fail(`${at}: InputLayer "${name}" must have no inbound_nodes, got ${(inbound as unknown[]).length}`);
    layer.name = name as string;
    const e: Entry = { name: name as string, cls, layer, nodes: [], values: [] };
    (inbound as unknown[]).forEach((node, k) => {
      if (!Array.isArray(node) || node.length === 0) fail(`${at} ("${name}"): inbound_nodes[${k}] must be a non-empty array of [layerName, nodeIndex, tensorIndex, kwargs], got ${showValue(node)}`);
    });
    raw.push(inbound as unknown[][]);
    e.nodes = (inbound as unknown[]).map(() => []);
    byName.set(e.name, e);
    return e;
  });
  entries.forEach((e, i) => {
    e.nodes = raw[i].map((node, k) => (node as unknown[]).map((r, j) => checkRef(r, byName, `layer "${e.name}" inbound_nodes[${k}][${j}]`)));
    e.values = e.cls === 'InputLayer' ? [null] : e.nodes.map(() => null);
  });
  return entries;
}

/** Applies the layers in an order where every node comes after the nodes it reads (iterative, so a
 *  long chain cannot overflow the stack); a cycle or a self-reference is refused with its path. */
function connect(entries: Entry[]): Map<string, Entry> {
  const byName = new Map(entries.map((e) => [e.name, e]));
  const key = (name: string, node: number) => `${name}\u0000${node}`;
  const pending = new Map<string, { e: Entry; k: number; waits: number }>();
  const readers = new Map<string, string[]>();
  const ready: { e: Entry; k: number }[] = [];
  for (const e of entries) {
    if (e.cls === 'InputLayer') {
      ready.push({ e, k: 0 });
      continue;
    }
    e.nodes.forEach((refs, k) => {
      pending.set(key(e.name, k), { e, k, waits: refs.length });
      for (const [n, i] of refs) {
        const rk = key(n, i);
        if (!readers.has(rk)) readers.set(rk, []);
        readers.get(rk)!.push(key(e.name, k));
      }
    });
  }
  while (ready.length > 0) {
    const { e, k } = ready.pop()!;
    if (e.layer instanceof InputLayer) {
      // the node input({shape}) would make, for the InputLayer of the file
      const node = new Node(e.layer, [], e.layer.outputShape);
      e.layer.inboundNodes.push(node);
      e.values[0] = node.output;
    } else e.values[k] = e.layer.apply(e.nodes[k].map(([n, i]) => byName.get(n)!.values[i]!));
    for (const r of readers.get(key(e.name, k)) ?? []) {
      const p = pending.get(r)!;
      if (--p.waits === 0) {
        pending.delete(r);
        ready.push(p);
      }
    }
  }
  if (pending.size > 0) {
    // follow unresolved references from any waiting node until one repeats: that is a cycle
    let at = pending.values().next().value!;
    const seen: string[] = [];
    for (;;) {
      const label = `${at.e.name}[${at.k}]`;
      if (seen.includes(label)) {
        const cycle = [...seen.slice(seen.indexOf(label)), label];
        fail(`the graph has a cycle: ${cycle.join(' -> ')} (layer[node] reads the next); a layer cannot read its own output`);
      }
      seen.push(label);
      const [n, i] = at.e.nodes[at.k].find(([n, i]) => pending.has(key(n, i)))!;
      at = pending.get(key(n, i))!;
    }
  }
  return byName;
}

/** Model inputs/outputs: [[name, node, 0], ...] (Keras 3 writes a single [name, node, 0]). */
function endpoints(v: unknown, what: string, byName: Map<string, Entry>): SymbolicTensor[] {
  const list = Array.isArray(v) && typeof v[0] === 'string' ? [v] : v;
  if (!Array.isArray(list) || list.length === 0) fail(`modelTopology.config.${what} must be a non-empty array of [layerName, nodeIndex, tensorIndex], got ${showValue(v)}`);
  return (list as unknown[]).map((r, i) => {
    const [name, node] = checkRef(r, byName, `modelTopology.config.${what}[${i}]`);
    return byName.get(name)!.values[node]!;
  });
}

/** The graph of a Functional/Model topology's config: its inputs and outputs, every layer built
 *  for its shapes (no memory). */
export function graphFromJson(config: Json, maxLayers: number): { inputs: SymbolicTensor[]; outputs: SymbolicTensor[] } {
  const list = config.layers;
  if (!Array.isArray(list) || list.length === 0) fail('modelTopology has no layers (expected config.layers, a non-empty array)');
  checkLayerCount((list as unknown[]).length, 'layers', maxLayers);
  const nodes = (l: unknown) => (!isRecord(l) ? 0 : l.class_name === 'InputLayer' ? 1 : Array.isArray(l.inbound_nodes) ? l.inbound_nodes.length : 0);
  checkLayerCount((list as unknown[]).reduce((n: number, l) => n + nodes(l), 0), 'nodes (layer applications)', maxLayers);
  if (!hasOwn(config, 'input_layers') || !hasOwn(config, 'output_layers')) fail('a functional modelTopology needs config.input_layers and config.output_layers');
  const byName = connect(parseEntries(list as unknown[]));
  const inputs = endpoints(config.input_layers, 'input_layers', byName);
  inputs.forEach((t, i) => {
    if (t.node.layer.className !== 'InputLayer') fail(`modelTopology.config.input_layers[${i}] is layer "${t.node.layer.name}" (${t.node.layer.className}), not an InputLayer`);
  });
  return { inputs, outputs: endpoints(config.output_layers, 'output_layers', byName) };
}
