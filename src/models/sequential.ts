// Sequential: a stack of layers with one input and one output, built as a graph on first use
// (input({shape}) then layer.apply in order). Everything else (memory ownership, the engine,
// fit/evaluate/predict) is LayersModel's (model.ts).

import { ConfigError, showValue } from '../layers/args.ts';
import { input } from '../layers/input.ts';
import { Layer } from '../layers/layer.ts';
import { Graph } from '../engine/graph.ts';
import { snakeCase, uniqueName } from './names.ts';
import { LayersModel, type BaseModelArgs } from './model.ts';

export type { CompileArgs, NamedWeight } from './model.ts';

export interface SequentialArgs extends BaseModelArgs {
  /** Layers to add, in order. */
  layers?: Layer[];
}

export class Sequential extends LayersModel {
  private readonly stack: Layer[] = [];
  // for add(): membership, taken names and the next suffix per base name, so adding n layers is O(n)
  private readonly members = new Set<Layer>();
  private readonly names = new Set<string>();
  private readonly suffixes = new Map<string, number>();
  private graphMade = false;

  constructor(args: SequentialArgs = {}) {
    super(args, 'sequential');
    for (const layer of args.layers ?? []) this.add(layer);
  }

  add(layer: Layer): void {
    this.checkAlive('add');
    if (!(layer instanceof Layer)) throw new ConfigError(`Sequential.add: expected a layer (e.g. layers.conv1d({...})), got ${showValue(layer)}`);
    if (this.graphMade) throw new ConfigError(`Sequential.add: the model "${this.name}" is already built; add layers before compile/build`);
    if (this.stack.length === 0 && !layer.declaredInputShape) {
      throw new ConfigError(`Sequential.add: the first layer (${layer.className}) needs inputShape, e.g. inputShape: [length, channels]`);
    }
    if (this.members.has(layer)) throw new ConfigError(`Sequential.add: ${layer.label} is already in the model; to share weights, use the functional API (layer.apply)`);
    if (layer.name) {
      if (this.names.has(layer.name)) throw new ConfigError(`Sequential.add: a layer named "${layer.name}" is already in the model`);
    } else layer.name = uniqueName(snakeCase(layer.className), this.names, this.suffixes);
    this.stack.push(layer);
    this.members.add(layer);
    this.names.add(layer.name);
  }

  /** The layers in order (without the input layer). */
  override get layers(): Layer[] {
    return this.stack;
  }

  override get inputShape(): number[] {
    return this.stack[0]?.declaredInputShape ?? [];
  }

  protected override makeGraph(): Graph {
    if (this.stack.length === 0) throw new ConfigError(`Sequential "${this.name}": the model has no layers`);
    const x = input({ shape: this.inputShape });
    let y = x;
    for (const layer of this.stack) y = layer.apply(y);
    this.graphMade = true;
    return new Graph([x], [y], `Sequential "${this.name}"`);
  }

  protected override connections(): null {
    return null;
  }
}

/** A model from a list of layers: sequential({layers: [...]}) or sequential([...]). */
export function sequential(args?: SequentialArgs | Layer[]): Sequential {
  return new Sequential(Array.isArray(args) ? { layers: args } : args);
}
