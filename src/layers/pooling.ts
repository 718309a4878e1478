// Pooling over the length axis, channels last.   x [B, L, C] -> y [B, T, C]
// Window t covers [t*S - padLeft, t*S - padLeft + P) clipped to [0, L): with 'same' padding max
// ignores the padding and average divides by the real elements (Keras). Max pooling remembers the
// winning position of every output (idx) for the backward.

import { oneOf, positiveInt } from './args.ts';
import { windowGeometry } from './conv1d.ts';
import { baseArgs, channelsLast, one } from './keras-config.ts';
import { registerClass, type KerasConfig } from './registry.ts';
import { Layer, type BufferPlanner, type LayerArgs, type NodeIO, type StepContext } from './layer.ts';

export interface Pooling1DArgs extends LayerArgs {
  /** Window length P (default 2). */
  poolSize?: number | [number];
  /** Step between windows S (default poolSize). S < P gives overlapping windows. */
  strides?: number | [number];
  /** 'valid' (default) or 'same' (T = ceil(L/S)). */
  padding?: 'valid' | 'same';
}

const KEYS = ['poolSize', 'strides', 'padding'];

/** Pooling1DArgs of a Keras config (strides default to pool_size, as in Keras). */
function poolArgs(config: KerasConfig): Pooling1DArgs {
  channelsLast(config);
  return { ...baseArgs(config), poolSize: one(config.pool_size ?? 2) as number, strides: one(config.strides ?? config.pool_size ?? 2) as number, padding: (config.padding ?? 'valid') as 'valid' };
}

abstract class Pooling1D extends Layer {
  readonly poolSize: number;
  readonly strides: number;
  readonly padding: 'valid' | 'same';

  constructor(args: Pooling1DArgs, owner: string) {
    super(args, KEYS);
    this.poolSize = positiveInt(owner, 'poolSize', args.poolSize, 2);
    this.strides = positiveInt(owner, 'strides', args.strides ?? this.poolSize);
    this.padding = oneOf(owner, 'padding', args.padding, ['valid', 'same'] as const, 'valid');
  }

  computeOutputShape(inputShape: number[]): number[] {
    if (inputShape.length !== 2) this.fail(`expects input of shape [length, channels], got [${inputShape}]`);
    const [L, C] = inputShape;
    if (this.padding === 'valid' && L < this.poolSize) this.fail(`input length ${L} is shorter than poolSize ${this.poolSize} with padding "valid"`);
    return [this.geometry(L).T, C];
  }

  /** Output length T and left padding for an input length L. */
  protected geometry(L: number): { T: number; padLeft: number } {
    return windowGeometry(L, this.poolSize, this.strides, this.padding);
  }

  override getConfig(): KerasConfig {
    return { ...super.getConfig(), pool_size: [this.poolSize], strides: [this.strides], padding: this.padding };
  }
}

export class MaxPooling1D extends Pooling1D {
  readonly className = 'MaxPooling1D';

  constructor(args: Pooling1DArgs = {}) {
    super(args, 'MaxPooling1D');
  }

  /** io.s.idx: the winning position of every output. */
  override plan(p: BufferPlanner, io: NodeIO): void {
    io.s.idx = p.act(io.y.floats);
  }

  forward({ k, batch }: StepContext, io: NodeIO): void {
    const [L, C] = io.inShapes[0];
    const { T, padLeft } = this.geometry(L);
    k.maxpool1d_forward(io.xs[0].ptr, io.y.ptr, io.s.idx.ptr, batch, L, C, T, this.poolSize, this.strides, padLeft);
  }

  backward({ k, batch }: StepContext, io: NodeIO): void {
    const dx = io.dxs[0];
    if (!dx) return;
    const [L, C] = io.inShapes[0];
    k.maxpool1d_backward(io.dy.ptr, io.s.idx.ptr, dx.ptr, batch, L, C, this.geometry(L).T);
  }

  static fromConfig(config: KerasConfig): MaxPooling1D {
    return new MaxPooling1D(poolArgs(config));
  }
}
registerClass('MaxPooling1D', MaxPooling1D);

export class AveragePooling1D extends Pooling1D {
  readonly className = 'AveragePooling1D';

  constructor(args: Pooling1DArgs = {}) {
    super(args, 'AveragePooling1D');
  }

  forward({ k, batch }: StepContext, io: NodeIO): void {
    const [L, C] = io.inShapes[0];
    const { T, padLeft } = this.geometry(L);
    k.avgpool1d_forward(io.xs[0].ptr, io.y.ptr, batch, L, C, T, this.poolSize, this.strides, padLeft);
  }

  backward({ k, batch }: StepContext, io: NodeIO): void {
    const dx = io.dxs[0];
    if (!dx) return;
    const [L, C] = io.inShapes[0];
    const { T, padLeft } = this.geometry(L);
    k.avgpool1d_backward(io.dy.ptr, dx.ptr, batch, L, C, T, this.poolSize, this.strides, padLeft);
  }

  static fromConfig(config: KerasConfig): AveragePooling1D {
    return new AveragePooling1D(poolArgs(config));
  }
}
registerClass('AveragePooling1D', AveragePooling1D);

abstract class GlobalPooling1D extends Layer {
  constructor(args: LayerArgs) {
    super(args, []);
  }
  computeOutputShape(inputShape: number[]): number[] {
    if (inputShape.length !== 2) this.fail(`expects input of shape [length, channels], got [${inputShape}]`);
    return [inputShape[1]];
  }

  override getConfig(): KerasConfig {
    return { ...super.getConfig(), data_format: 'channels_last' };
  }
}

/** [B, L, C] -> [B, C], the maximum over the length. */
export class GlobalMaxPooling1D extends GlobalPooling1D {
  readonly className = 'GlobalMaxPooling1D';

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  /** io.s.idx: the winning position of every channel. */
  override plan(p: BufferPlanner, io: NodeIO): void {
    io.s.idx = p.act(io.y.floats);
  }

  forward({ k, batch }: StepContext, io: NodeIO): void {
    const [L, C] = io.inShapes[0];
    k.global_maxpool1d_forward(io.xs[0].ptr, io.y.ptr, io.s.idx.ptr, batch, L, C);
  }

  backward({ k, batch }: StepContext, io: NodeIO): void {
    const dx = io.dxs[0];
    if (!dx) return;
    const [L, C] = io.inShapes[0];
    k.global_maxpool1d_backward(io.dy.ptr, io.s.idx.ptr, dx.ptr, batch, L, C);
  }

  static fromConfig(config: KerasConfig): GlobalMaxPooling1D {
    channelsLast(config);
    return new GlobalMaxPooling1D(baseArgs(config));
  }
}
registerClass('GlobalMaxPooling1D', GlobalMaxPooling1D);

/** [B, L, C] -> [B, C], the mean over the length. */
export class GlobalAveragePooling1D extends GlobalPooling1D {
  readonly className = 'GlobalAveragePooling1D';

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  forward({ k, batch }: StepContext, io: NodeIO): void {
    const [L, C] = io.inShapes[0];
    k.global_avgpool1d_forward(io.xs[0].ptr, io.y.ptr, batch, L, C);
  }

  backward({ k, batch }: StepContext, io: NodeIO): void {
    const dx = io.dxs[0];
    if (!dx) return;
    const [L, C] = io.inShapes[0];
    k.global_avgpool1d_backward(io.dy.ptr, dx.ptr, batch, L, C);
  }

  static fromConfig(config: KerasConfig): GlobalAveragePooling1D {
    channelsLast(config);
    return new GlobalAveragePooling1D(baseArgs(config));
  }
}
registerClass('GlobalAveragePooling1D', GlobalAveragePooling1D);
