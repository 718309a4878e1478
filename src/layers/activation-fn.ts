// Activation functions by name, applied through the kernels: elementwise kinds and softmax over
// the last axis. Used standalone (Activation layer) and fused in Conv1D/Dense.

import { ActivationKind, type ElementwiseActivation } from '../runtime/codes.ts';
import type { KernelExports } from '../runtime/runtime.ts';
import { finiteNumber, oneOf } from './args.ts';
import type { Slot } from '../runtime/plan.ts';
import type { BufferPlanner, NodeIO } from './layer.ts';

export const ACTIVATIONS = [...(Object.keys(ActivationKind) as ElementwiseActivation[]), 'softmax'] as const;
export type ActivationIdentifier = ElementwiseActivation | 'softmax';

export class ActivationFn {
  readonly kind: number; // -1 for softmax
  constructor(
    readonly name: ActivationIdentifier,
    /** leakyRelu slope, elu alpha or swish beta. */
    readonly alpha: number,
  ) {
    this.kind = name === 'softmax' ? -1 : ActivationKind[name];
  }

  static parse(owner: string, field: string, v: unknown, alpha?: unknown): ActivationFn {
    const name = oneOf(owner, field, v, ACTIVATIONS, 'linear');
    const fallback = name === 'leakyRelu' ? 0.3 : 1;
    return new ActivationFn(name, finiteNumber(owner, name === 'swish' ? 'beta' : 'alpha', alpha, fallback));
  }

  get isLinear(): boolean {
    return this.name === 'linear';
  }
  get isSoftmax(): boolean {
    return this.name === 'softmax';
  }

  /** y = f(x) over [R, C] (C = last axis, for softmax). */
  forward(k: KernelExports, x: number, y: number, R: number, C: number): void {
    if (this.kind < 0) k.softmax_forward(x, y, R, C);
    else k.activation_forward(this.kind, x, y, R * C, this.alpha);
  }

  /** dx += f'(x) dy over [R, C]. */
  backward(k: KernelExports, x: number, y: number, dy: number, dx: number, R: number, C: number): void {
    if (this.kind < 0) k.softmax_backward(y, dy, dx, R, C);
    else k.activation_backward(this.kind, x, y, dy, dx, R * C, this.alpha);
  }
}

/** An activation fused at the output of a Conv1D/Dense: the kernel writes the pre-activation
 *  io.s.z, then y = f(z). With 'linear', z and dz are y and dy themselves (no copy). */
export class FusedActivation {
  constructor(readonly fn: ActivationFn) {}

  plan(p: BufferPlanner, io: NodeIO): void {
    io.s.z = this.fn.isLinear ? io.y : p.act(io.y.floats);
    io.s.dz = this.fn.isLinear || !p.training ? io.dy : p.grad(io.y.floats);
  }

  forward(k: KernelExports, io: NodeIO, R: number, C: number): void {
    if (!this.fn.isLinear) this.fn.forward(k, io.s.z.ptr, io.y.ptr, R, C);
  }

  /** dz += f'(z) dy, unless the loss already wrote the softmax logits gradient into dz. */
  backward(k: KernelExports, io: NodeIO, R: number, C: number, logitsGradGiven: boolean): void {
    if (!this.fn.isLinear && !logitsGradGiven) this.fn.backward(k, io.s.z.ptr, io.y.ptr, io.dy.ptr, io.s.dz.ptr, R, C);
  }

  softmaxLogitsGrad(io: NodeIO): Slot | null {
    return this.fn.isSoftmax ? io.s.dz : null;
  }
}
