// Pooling over the length axis, channels last.   x [B, L, C] -> y [B, T, C]
// Window t covers [t*S - padLeft, t*S - padLeft + P) clipped to [0, L): with 'same' padding max
// ignores the padding and average divides by the real elements (Keras). Max pooling remembers the
// winning position of every output (idx) for the backward.

import type { Slot, WorkPlan } from '../runtime/plan.ts';
import { oneOf, positiveInt } from './args.ts';
import { windowGeometry } from './conv1d.ts';
import { Layer, type LayerArgs, type StepContext } from './layer.ts';

export interface Pooling1DArgs extends LayerArgs {
  /** Window length P (default 2). */
  poolSize?: number | [number];
  /** Step between windows S (default poolSize). S < P gives overlapping windows. */
  strides?: number | [number];
  /** 'valid' (default) or 'same' (T = ceil(L/S)). */
  padding?: 'valid' | 'same';
}

const KEYS = ['poolSize', 'strides', 'padding'];

abstract class Pooling1D extends Layer {
  readonly poolSize: number;
  readonly strides: number;
  readonly padding: 'valid' | 'same';
  protected T = 0;
  protected padLeft = 0;

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
    const g = windowGeometry(L, this.poolSize, this.strides, this.padding);
    this.T = g.T;
    this.padLeft = g.padLeft;
    return [g.T, C];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), poolSize: [this.poolSize], strides: [this.strides], padding: this.padding };
  }
}

export class MaxPooling1D extends Pooling1D {
  readonly className = 'MaxPooling1D';
  private idx!: Slot;

  constructor(args: Pooling1DArgs = {}) {
    super(args, 'MaxPooling1D');
  }

  override plan(plan: WorkPlan, x: Slot, dx: Slot | null): void {
    super.plan(plan, x, dx);
    this.idx = plan.act(this.y.floats);
  }

  forward({ k, batch }: StepContext): void {
    const [L, C] = this.inputShape;
    k.maxpool1d_forward(this.x.ptr, this.y.ptr, this.idx.ptr, batch, L, C, this.T, this.poolSize, this.strides, this.padLeft);
  }

  backward({ k, batch }: StepContext): void {
    if (!this.dx) return;
    const [L, C] = this.inputShape;
    k.maxpool1d_backward(this.dy.ptr, this.idx.ptr, this.dx.ptr, batch, L, C, this.T);
  }
}

export class AveragePooling1D extends Pooling1D {
  readonly className = 'AveragePooling1D';

  constructor(args: Pooling1DArgs = {}) {
    super(args, 'AveragePooling1D');
  }

  forward({ k, batch }: StepContext): void {
    const [L, C] = this.inputShape;
    k.avgpool1d_forward(this.x.ptr, this.y.ptr, batch, L, C, this.T, this.poolSize, this.strides, this.padLeft);
  }

  backward({ k, batch }: StepContext): void {
    if (!this.dx) return;
    const [L, C] = this.inputShape;
    k.avgpool1d_backward(this.dy.ptr, this.dx.ptr, batch, L, C, this.T, this.poolSize, this.strides, this.padLeft);
  }
}

abstract class GlobalPooling1D extends Layer {
  constructor(args: LayerArgs) {
    super(args, []);
  }
  computeOutputShape(inputShape: number[]): number[] {
    if (inputShape.length !== 2) this.fail(`expects input of shape [length, channels], got [${inputShape}]`);
    return [inputShape[1]];
  }
}

/** [B, L, C] -> [B, C], the maximum over the length. */
export class GlobalMaxPooling1D extends GlobalPooling1D {
  readonly className = 'GlobalMaxPooling1D';
  private idx!: Slot;

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  override plan(plan: WorkPlan, x: Slot, dx: Slot | null): void {
    super.plan(plan, x, dx);
    this.idx = plan.act(this.y.floats);
  }

  forward({ k, batch }: StepContext): void {
    const [L, C] = this.inputShape;
    k.global_maxpool1d_forward(this.x.ptr, this.y.ptr, this.idx.ptr, batch, L, C);
  }

  backward({ k, batch }: StepContext): void {
    if (!this.dx) return;
    const [L, C] = this.inputShape;
    k.global_maxpool1d_backward(this.dy.ptr, this.idx.ptr, this.dx.ptr, batch, L, C);
  }
}

/** [B, L, C] -> [B, C], the mean over the length. */
export class GlobalAveragePooling1D extends GlobalPooling1D {
  readonly className = 'GlobalAveragePooling1D';

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  forward({ k, batch }: StepContext): void {
    const [L, C] = this.inputShape;
    k.global_avgpool1d_forward(this.x.ptr, this.y.ptr, batch, L, C);
  }

  backward({ k, batch }: StepContext): void {
    if (!this.dx) return;
    const [L, C] = this.inputShape;
    k.global_avgpool1d_backward(this.dy.ptr, this.dx.ptr, batch, L, C);
  }
}
