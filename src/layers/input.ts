// InputLayer and input({shape}): the entry of a functional model. Its node has no inputs; the
// model copies user data into its value's buffer before a forward.

import { Node, type SymbolicTensor } from '../engine/symbolic.ts';
import { ConfigError, checkKeys, shapeArg, showValue } from './args.ts';
import { baseArgs } from './keras-config.ts';
import { registerClass, type KerasConfig } from './registry.ts';
import { Layer } from './layer.ts';

export interface InputArgs {
  /** Shape of one sample without the batch dimension, e.g. [length, channels]; [null, channels]
   *  for any length. */
  shape?: (number | null)[];
  /** Alias of shape with the batch dimension first (null or a number), as in Keras. */
  batchShape?: (number | null)[];
  /** Name of the input (default "input_1", ...). */
  name?: string;
}

/** The length the graph is built with for an input of unknown length ([null, C]); a model plans
 *  and runs at the length of the data it is given (engine/lengths.ts). */
export const TEMPLATE_LENGTH = 2 ** 20;

export class InputLayer extends Layer {
  readonly className = 'InputLayer';
  protected override readonly arity = [0, 0] as const;
  /** Declared as [null, C]: the length is that of the data (shape[0] is TEMPLATE_LENGTH). */
  readonly variableLength: boolean;

  constructor(shape: number[], name?: string, variableLength = false) {
    super({ inputShape: shape, ...(name !== undefined ? { name } : {}) }, []);
    this.variableLength = variableLength;
    this.inputShapes = [shape.slice()];
    this.outputShape = shape.slice();
    this.built = true;
  }

  computeOutputShape(inputShape: number[]): number[] {
    return inputShape.slice();
  }

  forward(): void {}
  backward(): void {}

  /** batch_input_shape [null, L, C], or [null, null, C] for any length. */
  override getConfig(): KerasConfig {
    const shape = this.variableLength ? [null, this.outputShape[1]] : this.outputShape;
    return { batch_input_shape: [null, ...shape], dtype: 'float32', sparse: false, name: this.name };
  }

  static fromConfig(config: KerasConfig): InputLayer {
    const bis = config.batch_input_shape ?? config.batchInputShape ?? config.batch_shape;
    if (Array.isArray(bis) && bis.length === 3 && bis[1] === null) {
      if (!(Number.isSafeInteger(bis[2]) && (bis[2] as number) > 0)) throw new ConfigError(`an InputLayer of any length needs batch_input_shape [null, null, channels], got ${showValue(bis)}`);
      return new InputLayer([TEMPLATE_LENGTH, bis[2] as number], baseArgs({ name: config.name }).name, true);
    }
    const { name, inputShape } = baseArgs(config);
    if (!inputShape) throw new ConfigError(`an InputLayer needs batch_input_shape [null, ...shape], got ${showValue(bis)}`);
    return new InputLayer(inputShape, name);
  }
}
registerClass('InputLayer', InputLayer);

/** A symbolic input of a functional model: input({shape: [length, channels]}), or
 *  input({shape: [null, channels]}) for signals of any length (fully convolutional models). */
export function input(args: InputArgs): SymbolicTensor {
  checkKeys('input', args, ['shape', 'batchShape', 'name']);
  const given = args.shape ?? args.batchShape?.slice(1);
  const variableLength = Array.isArray(given) && given.length === 2 && given[0] === null;
  const field = args.shape !== undefined ? 'shape' : 'batchShape';
  if (variableLength && !(Number.isInteger(given[1]) && (given[1] as number) > 0)) throw new ConfigError(`input: ${field} [null, channels] needs channels a positive integer, got ${showValue(given)}`);
  const shape = shapeArg('input', field, variableLength ? [TEMPLATE_LENGTH, given[1]] : given);
  const layer = new InputLayer(shape, args.name, variableLength);
  const node = new Node(layer, [], shape);
  layer.inboundNodes.push(node);
  return node.output;
}
