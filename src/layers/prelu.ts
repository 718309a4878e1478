// PReLU: y = x > 0 ? x : alpha * x with a trainable alpha.
//   x, y [B, L, C]; alpha [C] with sharedAxes [1] (one slope per channel, the usual choice for
//   signals) or [L, C] without shared axes (Keras' default: one slope per element).

import { showValue } from './args.ts';
import { checkInitializer, type InitializerName } from './initializers.ts';
import { baseArgs, initializerJson, initializerName } from './keras-config.ts';
import { registerClass, type KerasConfig } from './registry.ts';
import { Layer, size, type BufferPlanner, type LayerArgs, type NodeIO, type StepContext, type StreamSpec, type WeightSpec } from './layer.ts';

export interface PReLUArgs extends LayerArgs {
  /** Initializer of alpha (default 'zeros', as Keras). */
  alphaInitializer?: InitializerName;
  /** Axes (1-based, excluding batch) along which alpha is shared; [1] = per channel. */
  sharedAxes?: number[];
}

export class PReLU extends Layer {
  readonly className = 'PReLU';
  readonly alphaInitializer: InitializerName;
  readonly sharedAxes: number[];
  private alphaSize = 0;

  constructor(args: PReLUArgs = {}) {
    super(args, ['alphaInitializer', 'sharedAxes']);
    this.alphaInitializer = checkInitializer('PReLU', 'alphaInitializer', args.alphaInitializer, 'zeros');
    this.sharedAxes = args.sharedAxes ?? [];
    if (!Array.isArray(this.sharedAxes) || !this.sharedAxes.every((a) => Number.isInteger(a))) {
      this.fail(`sharedAxes must be an array of axis numbers, got ${showValue(args.sharedAxes)}`);
    }
  }

  computeOutputShape(inputShape: number[]): number[] {
    const rank = inputShape.length;
    const shared = [...this.sharedAxes].sort();
    // alpha is per position of the trailing unshared axes; only a shared leading block is supported
    const ok = shared.every((a, i) => a === i + 1) && shared.length < rank;
    if (!ok) this.fail(`sharedAxes ${showValue(this.sharedAxes)} is not supported for input [${inputShape}]: share leading axes only, e.g. [1] for one slope per channel`);
    this.alphaSize = size(inputShape.slice(shared.length));
    return inputShape.slice();
  }

  protected override weightSpecs(): WeightSpec[] {
    return [{ name: 'alpha', shape: this.inputShape.slice(this.sharedAxes.length), initializer: this.alphaInitializer, trainable: true }];
  }

  /** Rows of `batch` samples of the node's input over the slopes. */
  private rows(io: NodeIO, batch: number): number {
    return (batch * size(io.inShapes[0])) / this.alphaSize;
  }

  /** io.s: where the kernel's unwanted gradient lands (discardDx, discardAlpha). */
  override plan(p: BufferPlanner, io: NodeIO): void {
    if (!p.training) return;
    if (!io.dxs[0]) io.s.discardDx = p.scratch(io.y.floats);
    io.s.discardAlpha = p.scratch(this.alphaSize);
  }

  /** Per step when the slopes are shared over the length (sharedAxes [1]). */
  override streamSpec(): StreamSpec {
    const spec = this.perStep();
    if (this.alphaSize !== this.inputShape[1]) this.fail(`cannot stream (model.stream()): its slopes differ along the length; use sharedAxes [1] (one slope per channel), got ${showValue(this.sharedAxes)}`);
    return spec;
  }

  forward({ k, batch }: StepContext, io: NodeIO): void {
    k.prelu_forward(io.xs[0].ptr, this.ptrOf('alpha'), io.y.ptr, this.rows(io, batch), this.alphaSize);
  }

  backward({ k, batch }: StepContext, io: NodeIO): void {
    if (!io.dxs[0] && !this.gradOf('alpha')) return;
    // the kernel produces both gradients; the one not wanted lands in scratch
    const dx = io.dxs[0] ?? io.s.discardDx;
    const dalpha = this.gradOf('alpha') || io.s.discardAlpha.ptr;
    k.prelu_backward(io.xs[0].ptr, this.ptrOf('alpha'), io.dy.ptr, dx.ptr, dalpha, this.rows(io, batch), this.alphaSize);
  }

  override getConfig(): KerasConfig {
    return { ...super.getConfig(), alpha_initializer: initializerJson(this.alphaInitializer), alpha_regularizer: null, alpha_constraint: null, shared_axes: this.sharedAxes.length ? this.sharedAxes : null };
  }

  static fromConfig(config: KerasConfig): PReLU {
    return new PReLU({ ...baseArgs(config), alphaInitializer: initializerName(config.alpha_initializer, 'zeros'), sharedAxes: (config.shared_axes ?? []) as number[] });
  }
}
registerClass('PReLU', PReLU);
