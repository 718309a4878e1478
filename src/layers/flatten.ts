// Flatten: [B, L, C] -> [B, L*C].
//   'channelsLast' (default, Keras): row-major over (length, channels), y[b, l*C + c] = x[b, l, c].
//     A view: the planner gives its output the input's own buffers (and gradient), so it costs
//     nothing forward or backward.
//   'channelsFirst': column-major over (length, channels), y[b, c*L + l] = x[b, l, c] (eq. 11 of
//     the Cacciari & Ranfagni tutorial; Keras Flatten(data_format='channels_first'), which moves
//     the first axis last before flattening). A copy (transpose) forward; dx[b, l, c] += dy[b, c*L + l].
// For other ranks, channelsFirst moves the first axis after the others: [d1, rest] -> [rest, d1].

import { ConfigError, oneOf, showValue } from './args.ts';
import { baseArgs } from './keras-config.ts';
import { Layer, size, type LayerArgs, type NodeIO, type StepContext } from './layer.ts';
import { registerClass, type KerasConfig } from './registry.ts';

export type DataFormat = 'channelsLast' | 'channelsFirst';

export interface FlattenArgs extends LayerArgs {
  /** Order of the flattened values (default 'channelsLast', row-major as Keras). */
  dataFormat?: DataFormat;
}

export class Flatten extends Layer {
  override readonly fixedLength = true; // a [null, C] model refuses it on a varying length (engine/lengths.ts)
  readonly className = 'Flatten';
  override readonly isView: boolean;
  readonly dataFormat: DataFormat;

  constructor(args: FlattenArgs = {}) {
    super(args, ['dataFormat']);
    this.dataFormat = oneOf('Flatten', 'dataFormat', args.dataFormat, ['channelsLast', 'channelsFirst'] as const, 'channelsLast');
    this.isView = this.dataFormat === 'channelsLast';
  }

  computeOutputShape(inputShape: number[]): number[] {
    return [size(inputShape)];
  }

  /** [d1, prod(rest)] of one sample of the node's input: the transpose of channelsFirst. */
  private dims(io: NodeIO): [number, number] {
    const x = io.inShapes[0];
    return [x[0], size(x) / x[0]];
  }

  forward({ k, batch }: StepContext, io: NodeIO): void {
    if (this.isView) return;
    const [A, N] = this.dims(io);
    // y[b, n, a] = x[b, a, n]
    k.strided_copy(io.xs[0].ptr, io.y.ptr, batch, A, N, A * N, N, 1, A * N, 1, A, 0);
  }

  backward({ k, batch }: StepContext, io: NodeIO): void {
    const dx = io.dxs[0];
    if (this.isView || !dx) return;
    const [A, N] = this.dims(io);
    // dx[b, a, n] += dy[b, n, a]
    k.strided_copy(io.dy.ptr, dx.ptr, batch, A, N, A * N, 1, A, A * N, N, 1, 1);
  }

  override getConfig(): KerasConfig {
    return { ...super.getConfig(), data_format: this.dataFormat === 'channelsLast' ? 'channels_last' : 'channels_first' };
  }

  static fromConfig(config: KerasConfig): Flatten {
    const f = config.data_format ?? 'channels_last';
    const dataFormat = f === 'channels_last' || f === 'channelsLast' ? 'channelsLast' : f === 'channels_first' || f === 'channelsFirst' ? 'channelsFirst' : null;
    if (!dataFormat) throw new ConfigError(`Flatten: data_format must be "channels_last" or "channels_first", got ${showValue(f)}`);
    return new Flatten({ ...baseArgs(config), dataFormat });
  }
}
registerClass('Flatten', Flatten);
