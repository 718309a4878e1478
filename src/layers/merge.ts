// Merge layers with the Keras/TF.js names, applied to several inputs: layers.add().apply([a, b]).
//   add, subtract, multiply, average, maximum, minimum: inputs of one shape, or a one-row operand
//   ([C] or [1, C]) broadcast over the length of [L, C] ones (the squeeze-and-excitation scale).
//   add and average take 2 or more inputs; the others exactly 2.
//   concatenate: along the channels (axis -1, default) or the length (axis 1 of [L, C]).
// Kernels: assembly/kernels/merge.ts (references in src/reference/merge.ts).

import { MergeKind, type MergeKindName } from '../runtime/codes.ts';
import { showValue } from './args.ts';
import { baseArgs } from './keras-config.ts';
import { registerClass, type KerasConfig } from './registry.ts';
import { Layer, size, type LayerArgs, type NodeIO, type StepContext } from './layer.ts';

const rows = (shape: number[]) => (shape.length === 2 ? shape[0] : 1);

export class ElementwiseMerge extends Layer {
  readonly className: string;
  protected override readonly arity: readonly [number, number];
  private readonly kind: number;

  constructor(
    readonly op: MergeKindName | 'average',
    args: LayerArgs = {},
  ) {
    super(args, []);
    this.className = op[0].toUpperCase() + op.slice(1);
    this.kind = op === 'average' ? MergeKind.add : MergeKind[op];
    this.arity = op === 'add' || op === 'average' ? [2, Infinity] : [2, 2];
  }

  override computeOutputShapes(shapes: number[][]): number[] {
    const show = () => shapes.map((s, i) => `input ${i} [${s.join(', ')}]`).join(', ');
    const C = shapes[0][shapes[0].length - 1];
    const ok = shapes.every((s) => (s.length === 1 || s.length === 2) && s[s.length - 1] === C);
    const full = shapes.filter((s) => rows(s) > 1);
    if (!ok || full.some((s) => s[0] !== full[0][0])) {
      this.fail(`inputs must have one shape, or be [C] / [1, C] broadcast over the length of [L, C] ones; got ${show()}`);
    }
    if (full.length) return full[0].slice();
    return shapes.some((s) => s.length === 2) ? [1, C] : [C];
  }

  computeOutputShape(inputShape: number[]): number[] {
    return this.computeOutputShapes([inputShape]);
  }

  forward({ k, batch }: StepContext, io: NodeIO): void {
    const L = rows(io.outShape);
    const C = io.outShape[io.outShape.length - 1];
    const [x0, x1, ...rest] = io.xs;
    k.merge_forward(this.kind, x0.ptr, x1.ptr, io.y.ptr, batch, rows(io.inShapes[0]), rows(io.inShapes[1]), C);
    rest.forEach((x, j) => k.merge_forward(this.kind, io.y.ptr, x.ptr, io.y.ptr, batch, L, rows(io.inShapes[j + 2]), C));
    if (this.op === 'average') k.scale_f32(io.y.ptr, io.y.ptr, batch * size(io.outShape), Math.fround(1 / io.xs.length));
  }

  backward({ k, batch }: StepContext, io: NodeIO): void {
    const L = rows(io.outShape);
    const C = io.outShape[io.outShape.length - 1];
    const s = this.op === 'average' ? Math.fround(1 / io.xs.length) : 1;
    const g = (i: number) => io.dxs[i]?.ptr ?? 0;
    if (io.xs.length === 2) {
      if (g(0) || g(1)) k.merge_backward(this.kind, io.xs[0].ptr, io.xs[1].ptr, io.dy.ptr, g(0), g(1), batch, rows(io.inShapes[0]), rows(io.inShapes[1]), C, s);
      return;
    }
    // add/average of n inputs: dx_i += s * dy, summed over the length for a broadcast input
    io.xs.forEach((x, i) => {
      if (g(i)) k.merge_backward(this.kind, x.ptr, io.y.ptr, io.dy.ptr, g(i), 0, batch, rows(io.inShapes[i]), L, C, s);
    });
  }

  /** One class under six Keras names: the op is the registered name (Add -> add). */
  static fromConfig(config: KerasConfig, className: string): ElementwiseMerge {
    return new ElementwiseMerge((className[0].toLowerCase() + className.slice(1)) as MergeKindName | 'average', baseArgs(config));
  }
}

export interface ConcatenateArgs extends LayerArgs {
  /** -1 (default, channels) or the length axis of [L, C] inputs (1 or -2); batch excluded. */
  axis?: number;
}

export class Concatenate extends Layer {
  readonly className = 'Concatenate';
  protected override readonly arity = [2, Infinity] as const;
  readonly axis: number;

  constructor(args: ConcatenateArgs = {}) {
    super(args, ['axis']);
    this.axis = args.axis ?? -1;
    if (![-1, -2, 1, 2].includes(this.axis)) this.fail(`axis must be -1 (channels) or the length axis (1 or -2), got ${showValue(args.axis)}`);
  }

  /** The concatenated axis for inputs of rank `rank`, 0-based without batch. */
  private axisOf(rank: number): number {
    const a = this.axis < 0 ? rank + this.axis : this.axis - 1;
    if (a < 0 || a >= rank) this.fail(`axis ${this.axis} does not exist for inputs of rank ${rank} (without batch)`);
    return a;
  }

  override computeOutputShapes(shapes: number[][]): number[] {
    const rank = shapes[0].length;
    const a = this.axisOf(rank);
    const fits = shapes.every((s) => s.length === rank && s.every((d, i) => i === a || d === shapes[0][i]));
    if (!fits) this.fail(`inputs must match on every axis but axis ${this.axis}; got ${shapes.map((s, i) => `input ${i} [${s.join(', ')}]`).join(', ')}`);
    const out = shapes[0].slice();
    out[a] = shapes.reduce((n, s) => n + s[a], 0);
    return out;
  }

  computeOutputShape(inputShape: number[]): number[] {
    return this.computeOutputShapes([inputShape]);
  }

  /** Each input as rows of a [R, Co] output: [R, Ci, offset] per input. */
  private blocks(io: NodeIO, batch: number): { R: number; Co: number; parts: [number, number][] } {
    const a = this.axisOf(io.outShape.length);
    const inner = size(io.outShape.slice(a + 1));
    const R = batch * size(io.outShape.slice(0, a));
    let offset = 0;
    const parts = io.inShapes.map((s): [number, number] => {
      const Ci = s[a] * inner;
      offset += Ci;
      return [Ci, offset - Ci];
    });
    return { R, Co: io.outShape[a] * inner, parts };
  }

  forward({ k, batch }: StepContext, io: NodeIO): void {
    const { R, Co, parts } = this.blocks(io, batch);
    parts.forEach(([Ci, off], i) => k.concat_forward(io.xs[i].ptr, io.y.ptr, R, Ci, Co, off));
  }

  backward({ k, batch }: StepContext, io: NodeIO): void {
    const { R, Co, parts } = this.blocks(io, batch);
    parts.forEach(([Ci, off], i) => {
      const dx = io.dxs[i];
      if (dx) k.concat_backward(io.dy.ptr, dx.ptr, R, Ci, Co, off);
    });
  }

  override getConfig(): KerasConfig {
    return { ...super.getConfig(), axis: this.axis };
  }

  static fromConfig(config: KerasConfig): Concatenate {
    return new Concatenate({ ...baseArgs(config), ...(config.axis !== undefined ? { axis: config.axis as number } : {}) });
  }
}
for (const name of ['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum']) registerClass(name, ElementwiseMerge);
registerClass('Concatenate', Concatenate);
