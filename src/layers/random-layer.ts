// The base of the layers that draw random numbers while training (GaussianNoise, GaussianDropout,
// SpatialDropout1D, RReLU): a seed per training step from the layer's own generator (its `seed`
// option) or the model's (runtime/random.ts), so training is reproducible from the model seed;
// the kernels derive every number from that seed (assembly/kernels/noise.ts). At inference the
// layers are deterministic and elementwise, so they stream per step.

import { Random } from '../runtime/random.ts';
import { ConfigError, showValue } from './args.ts';
import { Layer, size, type LayerArgs, type NodeIO, type StepContext, type StreamSpec } from './layer.ts';

export interface RandomLayerArgs extends LayerArgs {
  /** Seed of this layer's random numbers (default: drawn from the model seed). */
  seed?: number;
}

export abstract class RandomLayer extends Layer {
  readonly seed?: number;
  private readonly own: Random | null;

  constructor(args: RandomLayerArgs, allowedKeys: readonly string[]) {
    super(args, ['seed', ...allowedKeys]);
    // className is not set yet (subclass fields come after super()): name the class
    if (args.seed !== undefined && (!Number.isInteger(args.seed) || args.seed < 0)) throw new ConfigError(`${this.constructor.name} layer: seed must be a non-negative integer, got ${showValue(args.seed)}`);
    this.seed = args.seed;
    this.own = args.seed === undefined ? null : new Random(args.seed);
  }

  computeOutputShape(inputShape: number[]): number[] {
    return inputShape.slice();
  }

  /** The seed of this training step's kernel call. */
  protected stepSeed(ctx: StepContext): number {
    return (this.own ?? ctx.rng).int(2 ** 32);
  }

  /** Elements of `batch` samples of the node's input. */
  protected count(io: NodeIO, batch: number): number {
    return batch * size(io.inShapes[0]);
  }

  /** y = x (inference of the noise layers). */
  protected copy({ k, batch }: StepContext, io: NodeIO): void {
    const n = this.count(io, batch);
    k.strided_copy(io.xs[0].ptr, io.y.ptr, 1, 1, n, 0, 0, 1, 0, 0, 1, 0);
  }

  override streamSpec(): StreamSpec {
    return this.perStep();
  }

  /** A rate option in [0, 1). */
  protected rateArg(v: unknown): number {
    const rate = typeof v === 'number' ? v : NaN;
    if (!(rate >= 0 && rate < 1)) this.fail(`rate must be a number in [0, 1), got ${showValue(v)}`);
    return rate;
  }

  /** A finite option >= 0. */
  protected nonNegative(field: string, v: unknown, fallback?: number): number {
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) this.fail(`${field} must be a finite number >= 0, got ${showValue(v)}`);
    return v;
  }
}

/** The seed key of a saved config, when it is a number. */
export const seedArg = (config: Record<string, unknown>): { seed?: number } => (typeof config.seed === 'number' ? { seed: config.seed } : {});
