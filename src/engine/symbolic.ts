// The symbolic graph that layer.apply() builds (after tfjs-layers engine/topology.ts): a
// SymbolicTensor is a value with a per-sample shape (no batch), produced by exactly one Node; a
// Node is one application of a layer to its input values. Nothing here owns memory: buffers are
// planned per value and per node by the planner (planner.ts) when a model is built.

import type { Layer } from '../layers/layer.ts';

let nextId = 0;

export class SymbolicTensor {
  readonly id = nextId++;
  constructor(
    /** Shape of one sample, without the batch dimension. */
    readonly shape: number[],
    /** The node that produces this value. */
    readonly node: Node,
  ) {}

  /** "dense_1 output [8]" for messages. */
  get label(): string {
    const { name, className } = this.node.layer;
    return `${name || (className === 'InputLayer' ? 'input' : className)} output [${this.shape.join(', ')}]`;
  }
}

export class Node {
  readonly id = nextId++;
  readonly output: SymbolicTensor;
  constructor(
    readonly layer: Layer,
    /** The values this node reads, in the layer's argument order. */
    readonly inputs: SymbolicTensor[],
    outputShape: number[],
  ) {
    this.output = new SymbolicTensor(outputShape, this);
  }
}
