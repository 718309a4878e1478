// InputLayer and input({shape}): the entry of a functional model. Its node has no inputs; the
// model copies user data into its value's buffer before a forward.

import { Node, type SymbolicTensor } from '../engine/symbolic.ts';
import { checkKeys, ConfigError, shapeArg, showValue } from './args.ts';
import { baseArgs } from './keras-config.ts';
import { registerClass, type KerasConfig } from './registry.ts';
import { Layer } from './layer.ts';

export interface InputArgs {
  /** Shape of one sample without the batch dimension, e.g. [length, channels]. */
  shape?: number[];
  /** Alias of shape with the batch dimension first (null or a number), as in Keras. */
  batchShape?: (number | null)[];
  /** Name of the input (default "input_1", ...). */
  name?: string;
}

export class InputLayer extends Layer {
  readonly className = 'InputLayer';
  protected override readonly arity = [0, 0] as const;

  constructor(shape: number[], name?: string) {
    super({ inputShape: shape, ...(name !== undefined ? { name } : {}) }, []);
    this.inputShapes = [shape.slice()];
    this.outputShape = shape.slice();
    this.built = true;
  }

  computeOutputShape(inputShape: number[]): number[] {
    return inputShape.slice();
  }

  forward(): void {}
  backward(): void {}

  override getConfig(): KerasConfig {
    return { batch_input_shape: [null, ...this.outputShape], dtype: 'float32', sparse: false, name: this.name };
  }

  static fromConfig(config: KerasConfig): InputLayer {
    const { name, inputShape } = baseArgs(config);
    if (!inputShape) throw new ConfigError(`an InputLayer needs batch_input_shape [null, ...shape], got ${showValue(config.batch_input_shape)}`);
    return new InputLayer(inputShape, name);
  }
}
registerClass('InputLayer', InputLayer);

/** A symbolic input of a functional model: input({shape: [length, channels]}). */
export function input(args: InputArgs): SymbolicTensor {
  checkKeys('input', args, ['shape', 'batchShape', 'name']);
  const shape = shapeArg('input', args.shape !== undefined ? 'shape' : 'batchShape', args.shape ?? args.batchShape?.slice(1));
  const layer = new InputLayer(shape, args.name);
  const node = new Node(layer, [], shape);
  layer.inboundNodes.push(node);
  return node.output;
}
