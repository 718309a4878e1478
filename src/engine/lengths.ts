// Shapes of a graph at a given input length. A model whose inputs are declared [null, C] is built
// at TEMPLATE_LENGTH; it plans and runs at the length of its data: every node's shapes are
// inferred again for that length and kept in the plan (NodeIO.inShapes / outShape, what forward
// and backward read); the layers keep the shapes they were built with. Weights must not depend
// on the length; a graph where they would is refused when the model is built.
//   ins[i]  the input shapes of node i      outs[i]  the shape of value i (node i's output)

import { ConfigError } from '../layers/args.ts';
import { InputLayer, TEMPLATE_LENGTH } from '../layers/input.ts';
import type { Graph } from './graph.ts';

export interface GraphShapes {
  /** The input length these shapes are for (the template length for a fixed-length graph). */
  length: number;
  ins: number[][][];
  outs: number[][];
}

/** A second length, to tell which values depend on the input length. */
const PROBE_LENGTH = 3 * 2 ** 19;

/** The shapes the graph was built with. */
export function templateShapes(graph: Graph): GraphShapes {
  return { length: TEMPLATE_LENGTH, ins: graph.nodes.map((n) => n.inputs.map((x) => x.shape)), outs: graph.nodes.map((n) => n.output.shape) };
}

/** Whether the model takes signals of any length (an input declared [null, C]). */
export const isVariableLength = (graph: Graph): boolean => graph.inputs.some((t) => (t.node.layer as InputLayer).variableLength);

/** Infers every node's shapes for inputs of `length` samples (each layer built again for them,
 *  then given back the shapes and weights it had).
 *  Throws a ConfigError naming the layer when the length does not fit it (too short for a
 *  "valid" window) or when its weights would change shape. */
export function shapesAt(graph: Graph, length: number, owner: string, before?: (node: number, ins: number[][]) => void): GraphShapes {
  const outs: number[][] = [];
  const ins: number[][][] = [];
  graph.nodes.forEach((node, i) => {
    const layer = node.layer;
    const x = node.inputs.map((t) => outs[graph.valueIndex(t)]);
    ins.push(x);
    if (layer instanceof InputLayer) {
      outs.push(layer.variableLength ? [length, ...node.output.shape.slice(1)] : node.output.shape);
      return;
    }
    before?.(i, x);
    const { inputShapes, outputShape, weights } = layer;
    let out: number[];
    let probe: typeof weights;
    try {
      layer.build(x.length === 1 ? x[0] : x);
      out = layer.outputShape;
      probe = layer.weights;
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      throw new ConfigError(`${owner}: inputs of length ${length} do not fit: ${e.message}`, { cause: e });
    } finally {
      layer.inputShapes = inputShapes;
      layer.outputShape = outputShape;
      layer.weights = weights;
    }
    const j = probe.findIndex((w, j) => w.shape.join() !== weights[j]?.shape.join());
    if (j >= 0) {
      throw new ConfigError(
        `${owner}: the weight ${weights[j].name} of ${layer.label} depends on the input length (shape [${weights[j].shape}] when built, [${probe[j].shape}] for inputs of length ${length}), ` +
          'so the model needs a fixed input length: declare input({shape: [length, channels]})',
      );
    }
    outs.push(out);
  });
  return { length, ins, outs };
}

/** At model build: a variable-length graph must keep its weights at every length, and no layer
 *  that needs a fixed length (Flatten, Dense on a sequence) may read a value whose length varies. */
export function checkVariableLength(graph: Graph, owner: string): void {
  const template = templateShapes(graph);
  shapesAt(graph, PROBE_LENGTH, owner, (i, x) => {
    const node = graph.nodes[i];
    if (!node.layer.fixedLength) return;
    const varies = x.findIndex((s, j) => s.join() !== template.ins[i][j].join());
    if (varies < 0) return;
    const shape = template.ins[i][varies].map((d, j) => (j === 0 ? 'null' : d));
    throw new ConfigError(
      `${owner}: ${node.layer.label} reads ${node.inputs[varies].label.replace(/ \[.*/, '')} of shape [${shape.join(', ')}], whose length is that of the input (declared [null, ...]); ` +
        `${node.layer.className} needs a fixed length. Pool over the length first (globalAveragePooling1d / globalMaxPooling1d), or declare a fixed input length`,
    );
  });
}
