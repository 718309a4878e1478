// The engine's hooks for weight regularizers and constraints (regularizers.ts, constraints.ts),
// which a layer attaches to its WeightSpecs (kernel-args.ts withPenalties):
//   regularizationLoss after the backward: returns sum of P(w) and adds dP/dw to the gradients
//   applyConstraints after every optimizer step: projects the constrained weights in place

import type { KernelExports } from '../runtime/runtime.ts';
import type { Weight } from './layer.ts';

/** Sum of the penalties of the trainable weights; with grads, also adds their gradients. */
export function regularizationLoss(k: KernelExports, weights: readonly Weight[], grads: boolean): number {
  let total = 0;
  for (const w of weights) {
    const r = w.spec.regularizer;
    if (r && w.trainable) total += r.apply(k, w.ptr, grads ? w.gradPtr : 0, w.size);
  }
  return total;
}

/** Applies the constraint of every trainable weight that has one. */
export function applyConstraints(k: KernelExports, weights: readonly Weight[]): void {
  for (const w of weights) if (w.spec.constraint && w.trainable) w.spec.constraint.apply(k, w.ptr, w.shape);
}
