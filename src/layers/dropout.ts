// Dropout (inverted): in training each element is kept with probability 1-rate and scaled by
// 1/(1-rate); in inference y = x. The mask of a step is saved for the backward.
//   x, y, mask [B, ...]

import { Random } from '../runtime/random.ts';
import { finiteNumber } from './args.ts';
import { baseArgs } from './keras-config.ts';
import { registerClass, type KerasConfig } from './registry.ts';
import { Layer, size, type BufferPlanner, type LayerArgs, type NodeIO, type StepContext, type StreamSpec } from './layer.ts';

export interface DropoutArgs extends LayerArgs {
  /** Fraction of the inputs to drop, in [0, 1). */
  rate: number;
  /** Seed of this layer's masks (default: drawn from the model seed). */
  seed?: number;
}

export class Dropout extends Layer {
  readonly className = 'Dropout';
  readonly rate: number;
  readonly seed?: number;
  private rng: Random | null;

  constructor(args: DropoutArgs) {
    super(args, ['rate', 'seed']);
    this.rate = finiteNumber('Dropout', 'rate', args?.rate, NaN, 0, 1);
    if (Number.isNaN(this.rate) || this.rate >= 1) this.fail(`rate must be a number in [0, 1), got ${args?.rate}`);
    this.seed = args.seed;
    this.rng = args.seed === undefined ? null : new Random(args.seed);
  }

  computeOutputShape(inputShape: number[]): number[] {
    return inputShape.slice();
  }

  /** io.s.mask: the kept elements' scale (0 or 1/(1-rate)). */
  override plan(p: BufferPlanner, io: NodeIO): void {
    io.s.mask = p.act(io.y.floats);
  }

  override streamSpec(): StreamSpec {
    return this.perStep();
  }

  forward({ k, batch, training, rng }: StepContext, io: NodeIO): void {
    const n = batch * size(io.inShapes[0]);
    const seed = (this.rng ?? rng).int(2 ** 32);
    k.dropout_forward(io.xs[0].ptr, io.y.ptr, io.s.mask.ptr, n, training ? this.rate : 0, seed);
  }

  backward({ k, batch }: StepContext, io: NodeIO): void {
    const dx = io.dxs[0];
    if (dx) k.dropout_backward(io.dy.ptr, io.s.mask.ptr, dx.ptr, batch * size(io.inShapes[0]));
  }

  override getConfig(): KerasConfig {
    return { ...super.getConfig(), rate: this.rate, noise_shape: null, seed: this.seed ?? null };
  }

  static fromConfig(config: KerasConfig): Dropout {
    return new Dropout({ ...baseArgs(config), rate: config.rate as number, ...(typeof config.seed === 'number' ? { seed: config.seed } : {}) });
  }
}
registerClass('Dropout', Dropout);
