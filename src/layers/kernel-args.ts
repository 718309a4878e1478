// The options Conv1D and Dense share: an output activation, a bias, and two initializers.

import { boolean } from './args.ts';
import { ActivationFn, type ActivationIdentifier } from './activation-fn.ts';
import { checkInitializer, type InitializerName } from './initializers.ts';

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
}

export const KERNEL_LAYER_KEYS = ['activation', 'activationAlpha', 'useBias', 'kernelInitializer', 'biasInitializer'];

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
