// Shape layers with the Keras/TF.js names, on per-sample shapes without the batch:
//   ZeroPadding1D({padding: p | [left, right]})  [L, C] -> [left + L + right, C], zero rows added
//   Cropping1D({cropping: c | [start, end]})       [L, C] -> [L - start - end, C]
//   UpSampling1D({size: s})                        [L, C] -> [L*s, C], each step repeated s times
//   RepeatVector({n})                              [C] -> [n, C]
//   Permute({dims: [2, 1]})                        [L, C] -> [C, L] ([1, 2] copies)
//   Reshape({targetShape}) (one -1 entry allowed)  a view, like Flatten: no copy
// Data movement: strided_copy / strided_zero in assembly/kernels/shape.ts (reference in
// src/reference/shape.ts); backward accumulates into dx.

import { ConfigError, showValue } from './args.ts';
import { baseArgs } from './keras-config.ts';
import { Layer, size, type LayerArgs, type NodeIO, type StepContext } from './layer.ts';
import { registerClass, type KerasConfig } from './registry.ts';

const isCount = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min;

/** [a, b] of non-negative integers from n or [a, b] (Keras accepts both). */
function pair(owner: string, field: string, v: unknown, fallback: number): [number, number] {
  if (v === undefined) return [fallback, fallback];
  if (isCount(v, 0)) return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every((d) => isCount(d, 0))) return [v[0], v[1]];
  throw new ConfigError(`${owner}: ${field} must be a non-negative integer or a pair [start, end] of them, got ${showValue(v)}`);
}

/** A layer on sequences [L, C]; checks the rank of its input. */
abstract class SequenceLayer extends Layer {
  protected sequence(inputShape: number[]): [number, number] {
    if (inputShape.length !== 2) this.fail(`expects sequences [length, channels], got input shape [${inputShape.join(', ')}]`);
    return [inputShape[0], inputShape[1]];
  }
}

export interface ZeroPadding1DArgs extends LayerArgs {
  /** Zero steps added at the start and the end (default 1): p or [start, end]. */
  padding?: number | [number, number];
}

export class ZeroPadding1D extends SequenceLayer {
  readonly className = 'ZeroPadding1D';
  readonly padding: [number, number];

  constructor(args: ZeroPadding1DArgs = {}) {
    super(args, ['padding']);
    this.padding = pair('ZeroPadding1D', 'padding', args.padding, 1);
  }

  computeOutputShape(inputShape: number[]): number[] {
    const [L, C] = this.sequence(inputShape);
    return [this.padding[0] + L + this.padding[1], C];
  }

  forward({ k, batch }: StepContext, io: NodeIO): void {
    const [L, C] = io.inShapes[0];
    const T = io.outShape[0];
    const [a, b] = this.padding;
    if (a) k.strided_zero(io.y.ptr, batch, a * C, T * C);
    if (b) k.strided_zero(io.y.ptr + (a + L) * C * 4, batch, b * C, T * C);
    k.strided_copy(io.xs[0].ptr, io.y.ptr + a * C * 4, batch, 1, L * C, L * C, 0, 1, T * C, 0, 1, 0);
  }

  backward({ k, batch }: StepContext, io: NodeIO): void {
    const dx = io.dxs[0];
    if (!dx) return;
    const [L, C] = io.inShapes[0];
    const T = io.outShape[0];
    k.strided_copy(io.dy.ptr + this.padding[0] * C * 4, dx.ptr, batch, 1, L * C, T * C, 0, 1, L * C, 0, 1, 1);
  }

  override getConfig(): KerasConfig {
    return { ...super.getConfig(), padding: [...this.padding] };
  }

  static fromConfig(config: KerasConfig): ZeroPadding1D {
    return new ZeroPadding1D({ ...baseArgs(config), padding: config.padding as [number, number] });
  }
}

export interface Cropping1DArgs extends LayerArgs {
  /** Steps removed at the start and the end (default 1): c or [start, end]. */
  cropping?: number | [number, number];
}

export class Cropping1D extends SequenceLayer {
  readonly className = 'Cropping1D';
  readonly cropping: [number, number];

  constructor(args: Cropping1DArgs = {}) {
    super(args, ['cropping']);
    this.cropping = pair('Cropping1D', 'cropping', args.cropping, 1);
  }

  computeOutputShape(inputShape: number[]): number[] {
    const [L, C] = this.sequence(inputShape);
    const T = L - this.cropping[0] - this.cropping[1];
    if (T < 1) this.fail(`cropping [${this.cropping.join(', ')}] removes all ${L} steps of input shape [${inputShape.join(', ')}]; at least one step must remain`);
    return [T, C];
  }

  forward({ k, batch }: StepContext, io: NodeIO): void {
    const [L, C] = io.inShapes[0];
    const T = io.outShape[0];
    k.strided_copy(io.xs[0].ptr + this.cropping[0] * C * 4, io.y.ptr, batch, 1, T * C, L * C, 0, 1, T * C, 0, 1, 0);
  }

  backward({ k, batch }: StepContext, io: NodeIO): void {
    const dx = io.dxs[0];
    if (!dx) return;
    const [L, C] = io.inShapes[0];
    const T = io.outShape[0];
    k.strided_copy(io.dy.ptr, dx.ptr + this.cropping[0] * C * 4, batch, 1, T * C, T * C, 0, 1, L * C, 0, 1, 1);
  }

  override getConfig(): KerasConfig {
    return { ...super.getConfig(), cropping: [...this.cropping] };
  }

  static fromConfig(config: KerasConfig): Cropping1D {
    return new Cropping1D({ ...baseArgs(config), cropping: config.cropping as [number, number] });
  }
}

export interface UpSampling1DArgs extends LayerArgs {
  /** How many times each step is repeated (default 2). */
  size?: number;
}

export class UpSampling1D extends SequenceLayer {
  readonly className = 'UpSampling1D';
  readonly size: number;

  constructor(args: UpSampling1DArgs = {}) {
    super(args, ['size']);
    const s = Array.isArray(args.size) && args.size.length === 1 ? (args.size[0] as unknown) : args.size;
    if (s !== undefined && !isCount(s, 1)) throw new ConfigError(`UpSampling1D: size must be a positive integer, got ${showValue(args.size)}`);
    this.size = s ?? 2;
  }

  computeOutputShape(inputShape: number[]): number[] {
    const [L, C] = this.sequence(inputShape);
    return [L * this.size, C];
  }

  // y[b, l*s + i, :] = x[b, l, :]: rows (b, l) of x, each written s times
  forward({ k, batch }: StepContext, io: NodeIO): void {
    const [L, C] = io.inShapes[0];
    const s = this.size;
    k.strided_copy(io.xs[0].ptr, io.y.ptr, batch * L, s, C, C, 0, 1, s * C, C, 1, 0);
  }

  backward({ k, batch }: StepContext, io: NodeIO): void {
    const dx = io.dxs[0];
    if (!dx) return;
    const [L, C] = io.inShapes[0];
    const s = this.size;
    k.strided_copy(io.dy.ptr, dx.ptr, batch * L, s, C, s * C, C, 1, C, 0, 1, 1);
  }

  override getConfig(): KerasConfig {
    return { ...super.getConfig(), size: this.size };
  }

  static fromConfig(config: KerasConfig): UpSampling1D {
    return new UpSampling1D({ ...baseArgs(config), size: config.size as number });
  }
}

export interface RepeatVectorArgs extends LayerArgs {
  /** Rows of the output. */
  n: number;
}

export class RepeatVector extends Layer {
  override readonly fixedLength = true; // a [null, C] model refuses it on a varying length (engine/lengths.ts)
  readonly className = 'RepeatVector';
  readonly n: number;

  constructor(args: RepeatVectorArgs) {
    super(args ?? {}, ['n']);
    if (!isCount(args?.n, 1)) throw new ConfigError(`RepeatVector: n must be a positive integer, got ${showValue(args?.n)}`);
    this.n = args.n;
  }

  computeOutputShape(inputShape: number[]): number[] {
    if (inputShape.length !== 1) this.fail(`expects vectors [channels], got input shape [${inputShape.join(', ')}]`);
    return [this.n, inputShape[0]];
  }

  forward({ k, batch }: StepContext, io: NodeIO): void {
    const C = io.inShapes[0][0];
    k.strided_copy(io.xs[0].ptr, io.y.ptr, batch, this.n, C, C, 0, 1, this.n * C, C, 1, 0);
  }

  backward({ k, batch }: StepContext, io: NodeIO): void {
    const dx = io.dxs[0];
    if (!dx) return;
    const C = io.inShapes[0][0];
    k.strided_copy(io.dy.ptr, dx.ptr, batch, this.n, C, this.n * C, C, 1, C, 0, 1, 1);
  }

  override getConfig(): KerasConfig {
    return { ...super.getConfig(), n: this.n };
  }

  static fromConfig(config: KerasConfig): RepeatVector {
    return new RepeatVector({ ...baseArgs(config), n: config.n as number });
  }
}

export interface PermuteArgs extends LayerArgs {
  /** The input axes (1-based, batch excluded) in output order: [2, 1] swaps length and channels. */
  dims: number[];
}

export class Permute extends SequenceLayer {
  override readonly fixedLength = true; // a [null, C] model refuses it on a varying length (engine/lengths.ts)
  readonly className = 'Permute';
  readonly dims: [number, number];

  constructor(args: PermuteArgs) {
    super(args ?? {}, ['dims']);
    const d = args?.dims;
    const ok = Array.isArray(d) && d.length === 2 && [1, 2].every((a) => d.includes(a));
    if (!ok) throw new ConfigError(`Permute: dims must be [2, 1] (swap length and channels) or [1, 2] for inputs [length, channels], got ${showValue(d)}`);
    this.dims = [d[0], d[1]];
  }

  private get swaps(): boolean {
    return this.dims[0] === 2;
  }

  computeOutputShape(inputShape: number[]): number[] {
    const [L, C] = this.sequence(inputShape);
    return this.swaps ? [C, L] : [L, C];
  }

  // swap: y[b, c, l] = x[b, l, c]
  forward({ k, batch }: StepContext, io: NodeIO): void {
    const [L, C] = io.inShapes[0];
    if (this.swaps) k.strided_copy(io.xs[0].ptr, io.y.ptr, batch, L, C, L * C, C, 1, L * C, 1, L, 0);
    else k.strided_copy(io.xs[0].ptr, io.y.ptr, batch, 1, L * C, L * C, 0, 1, L * C, 0, 1, 0);
  }

  backward({ k, batch }: StepContext, io: NodeIO): void {
    const dx = io.dxs[0];
    if (!dx) return;
    const [L, C] = io.inShapes[0];
    if (this.swaps) k.strided_copy(io.dy.ptr, dx.ptr, batch, L, C, L * C, 1, L, L * C, C, 1, 1);
    else k.strided_copy(io.dy.ptr, dx.ptr, batch, 1, L * C, L * C, 0, 1, L * C, 0, 1, 1);
  }

  override getConfig(): KerasConfig {
    return { ...super.getConfig(), dims: [...this.dims] };
  }

  static fromConfig(config: KerasConfig): Permute {
    return new Permute({ ...baseArgs(config), dims: config.dims as number[] });
  }
}

export interface ReshapeArgs extends LayerArgs {
  /** Output shape without the batch; one entry may be -1 (inferred). */
  targetShape: number[];
}

export class Reshape extends Layer {
  override readonly fixedLength = true; // a [null, C] model refuses it on a varying length (engine/lengths.ts)
  readonly className = 'Reshape';
  override readonly isView = true;
  readonly targetShape: number[];

  constructor(args: ReshapeArgs) {
    super(args ?? {}, ['targetShape']);
    const t = args?.targetShape;
    const ok = Array.isArray(t) && t.length > 0 && t.every((d) => isCount(d, 1) || d === -1) && t.filter((d) => d === -1).length <= 1;
    if (!ok) throw new ConfigError(`Reshape: targetShape must be an array of positive integers (without the batch dimension) with at most one -1, got ${showValue(t)}`);
    this.targetShape = t.slice();
  }

  computeOutputShape(inputShape: number[]): number[] {
    const n = size(inputShape);
    const known = size(this.targetShape.filter((d) => d !== -1));
    const free = this.targetShape.includes(-1);
    if (free ? n % known !== 0 : n !== known) {
      this.fail(`targetShape [${this.targetShape.join(', ')}] does not hold the ${n} values of input shape [${inputShape.join(', ')}]`);
    }
    return this.targetShape.map((d) => (d === -1 ? n / known : d));
  }

  forward(): void {}
  backward(): void {}

  override getConfig(): KerasConfig {
    return { ...super.getConfig(), target_shape: this.targetShape.slice() };
  }

  static fromConfig(config: KerasConfig): Reshape {
    return new Reshape({ ...baseArgs(config), targetShape: config.target_shape as number[] });
  }
}

registerClass('ZeroPadding1D', ZeroPadding1D);
registerClass('Cropping1D', Cropping1D);
registerClass('UpSampling1D', UpSampling1D);
registerClass('RepeatVector', RepeatVector);
registerClass('Permute', Permute);
registerClass('Reshape', Reshape);
