// A model's graph: the nodes between its inputs and outputs in topological order, checked once.
// Every node has one output value, so node i's index also names its value (XNNPACK's value ids).

import { ConfigError, showValue } from '../layers/args.ts';
import type { Layer } from '../layers/layer.ts';
import { InputLayer } from '../layers/input.ts';
import { SymbolicTensor, type Node } from './symbolic.ts';

export class Graph {
  /** Topological order: the input nodes first (in the order of `inputs`), then every node after
   *  the nodes it reads, inputs visited left to right. */
  readonly nodes: Node[] = [];
  /** For node i, the indices of the nodes that read its value (once per read). */
  readonly consumers: number[][] = [];
  /** Each layer once, in the order of its first node. */
  readonly layers: Layer[] = [];
  readonly index = new Map<Node, number>();
  private readonly layerSet = new Set<Layer>();

  constructor(
    readonly inputs: SymbolicTensor[],
    readonly outputs: SymbolicTensor[],
    /** Who builds it, for messages: 'model "resnet"'. */
    readonly owner: string,
  ) {
    const fail = (m: string): never => {
      throw new ConfigError(`${owner}: ${m}`);
    };
    for (const [what, list] of [['inputs', inputs], ['outputs', outputs]] as const) {
      if (list.length === 0) fail(`${what} must list at least one symbolic tensor`);
      list.forEach((t, i) => {
        if (!(t instanceof SymbolicTensor)) fail(`${what}[${i}] must be a symbolic tensor (from input({shape}) or layer.apply), got ${showValue(t)}`);
      });
    }
    inputs.forEach((t, i) => {
      if (!(t.node.layer instanceof InputLayer)) fail(`inputs[${i}] is ${t.label}, not an input: model inputs come from input({shape})`);
      if (inputs.indexOf(t) !== i) fail(`inputs[${i}] (${t.label}) is listed twice`);
      this.add(t.node);
    });
    // Depth-first from the outputs with an explicit stack (no recursion, so a deep chain cannot
    // overflow the call stack); the stack is the current path, for the cycle message.
    const state = new Map<Node, 'open' | 'done'>();
    for (const n of this.nodes) state.set(n, 'done');
    const stack: { node: Node; next: number }[] = [];
    const enter = (node: Node): void => {
      const s = state.get(node);
      if (s === 'done') return;
      const reader = stack.length > 0 ? stack[stack.length - 1].node : null;
      if (s === 'open') {
        const path = stack.map((f) => f.node);
        const cycle = [...path.slice(path.indexOf(node)), node].map((n) => n.layer.label).join(' -> ');
        fail(`the graph has a cycle: ${cycle}; a layer cannot read its own output`);
      }
      if (node.layer instanceof InputLayer) {
        const by = reader ? `${reader.layer.label} reads ${node.output.label}` : `output ${node.output.label} is`;
        fail(`graph disconnected: ${by} from input "${node.layer.name || '(unnamed)'}" [${node.output.shape.join(', ')}], which is not among the model's inputs (${inputs.map((t) => `"${t.node.layer.name || '(unnamed)'}" [${t.shape.join(', ')}]`).join(', ')}); was it made for another model?`);
      }
      state.set(node, 'open');
      stack.push({ node, next: 0 });
    };
    for (const t of outputs) {
      enter(t.node);
      while (stack.length > 0) {
        const top = stack[stack.length - 1];
        if (top.next < top.node.inputs.length) enter(top.node.inputs[top.next++].node);
        else {
          stack.pop();
          state.set(top.node, 'done');
          this.add(top.node);
        }
      }
    }
    this.nodes.forEach(() => this.consumers.push([]));
    this.nodes.forEach((n, i) => n.inputs.forEach((x) => this.consumers[this.index.get(x.node)!].push(i)));
    inputs.forEach((t) => {
      const i = this.index.get(t.node)!;
      if (this.consumers[i].length === 0 && !outputs.includes(t)) fail(`input "${t.node.layer.name || '(unnamed)'}" [${t.shape.join(', ')}] is not connected to any output`);
    });
  }

  private add(node: Node): void {
    this.index.set(node, this.nodes.length);
    this.nodes.push(node);
    if (!this.layerSet.has(node.layer)) {
      this.layerSet.add(node.layer);
      this.layers.push(node.layer);
    }
  }

  /** Index of the node producing a value of this graph. */
  valueIndex(t: SymbolicTensor): number {
    return this.index.get(t.node)!;
  }
}
