// The options Conv1D and Dense share: an output activation, a bias, two initializers, and the
// regularizers and constraints of the kernel and the bias (regularizers.ts, constraints.ts).

import { boolean } from './args.ts';
import { ActivationFn, type ActivationIdentifier } from './activation-fn.ts';
import { checkInitializer, type InitializerName } from './initializers.ts';
import { parseRegularizer, type Regularizer, type RegularizerIdentifier } from './regularizers.ts';
import { parseConstraint, type Constraint, type ConstraintIdentifier } from './constraints.ts';
import type { WeightSpec } from './layer.ts';

export interface KernelLayerArgs {
  /** Activation applied to the output (default 'linear'). */
  activation?: ActivationIdentifier;
  /** Slope/alpha/beta of leakyRelu, elu or swish when given as `activation`. */
  activationAlpha?: number;
  /** Whether to add a bias (default true). */
  useBias?: boolean;
  /** Initializer of the kernel (default 'glorotUniform'). */
  kernelInitializer?: InitializerName;
  /** Initializer of the bias (default 'zeros'). */
  biasInitializer?: InitializerName;
  /** Penalty on the kernel added to the loss: 'l1', 'l2', 'l1l2' (factors 0.01) or
   *  regularizers.l1/l2/l1l2({...}) (default none). */
  kernelRegularizer?: RegularizerIdentifier | Regularizer | null;
  /** Penalty on the bias, as kernelRegularizer. */
  biasRegularizer?: RegularizerIdentifier | Regularizer | null;
  /** Projection of the kernel after every optimizer step: 'maxNorm', 'nonNeg', 'unitNorm'
   *  (Keras defaults) or constraints.maxNorm/nonNeg/unitNorm(...) (default none). */
  kernelConstraint?: ConstraintIdentifier | Constraint | null;
  /** Projection of the bias, as kernelConstraint. */
  biasConstraint?: ConstraintIdentifier | Constraint | null;
}

export const KERNEL_LAYER_KEYS = ['activation', 'activationAlpha', 'useBias', 'kernelInitializer', 'biasInitializer', 'kernelRegularizer', 'biasRegularizer', 'kernelConstraint', 'biasConstraint'];

export interface KernelLayerOptions {
  activation: ActivationFn;
  useBias: boolean;
  kernelInitializer: InitializerName;
  biasInitializer: InitializerName;
}

export function parseKernelLayerArgs(owner: string, args: KernelLayerArgs): KernelLayerOptions {
  return {
    activation: ActivationFn.parse(owner, 'activation', args.activation, args.activationAlpha),
    useBias: boolean(owner, 'useBias', args.useBias, true),
    kernelInitializer: checkInitializer(owner, 'kernelInitializer', args.kernelInitializer, 'glorotUniform'),
    biasInitializer: checkInitializer(owner, 'biasInitializer', args.biasInitializer, 'zeros'),
  };
}

/** The regularizers and constraints of a kernel layer (null: none). */
export interface WeightPenalties {
  kernelRegularizer: Regularizer | null;
  biasRegularizer: Regularizer | null;
  kernelConstraint: Constraint | null;
  biasConstraint: Constraint | null;
}

export function parsePenalties(owner: string, args: KernelLayerArgs): WeightPenalties {
  return {
    kernelRegularizer: parseRegularizer(owner, 'kernelRegularizer', args.kernelRegularizer),
    biasRegularizer: parseRegularizer(owner, 'biasRegularizer', args.biasRegularizer),
    kernelConstraint: parseConstraint(owner, 'kernelConstraint', args.kernelConstraint),
    biasConstraint: parseConstraint(owner, 'biasConstraint', args.biasConstraint),
  };
}

/** Attaches the penalties to the specs named "kernel" and "bias"; a constraint whose axes do not
 *  fit its weight's shape fails here, when the layer is built. */
export function withPenalties(label: string, specs: WeightSpec[], p: WeightPenalties): WeightSpec[] {
  return specs.map((s) => {
    const [regularizer, constraint] = s.name === 'kernel' ? [p.kernelRegularizer, p.kernelConstraint] : s.name === 'bias' ? [p.biasRegularizer, p.biasConstraint] : [null, null];
    constraint?.check(`${label}: ${s.name}Constraint`, s.shape);
    return regularizer || constraint ? { ...s, regularizer, constraint } : s;
  });
}
