// An optimizer from its saved form {class_name, config}: trainingConfig.optimizer_config as
// toArtifacts writes it (getConfig() with snake_case keys: learning_rate, beta_1, weight_decay,
// clipnorm, ...) or as Keras 3 does. For src/io (restoring a compiled model).

import { ConfigError, showValue, suggest } from '../layers/args.ts';
import type { Optimizer } from './optimizer.ts';
import { optimizers, OPTIMIZER_NAMES, type OptimizerName } from './factories.ts';

/** Keras 3 keys with no effect here, dropped when saved with their defaults. */
const IGNORED: Record<string, unknown[]> = {
  name: [], // any value
  use_ema: [false],
  ema_momentum: [],
  ema_overwrite_frequency: [],
  jit_compile: [],
  is_legacy_optimizer: [],
  loss_scale_factor: [],
  gradient_accumulation_steps: [],
  amsgrad: [false],
  decay: [0],
};

const snakeToCamel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The optimizer a saved config describes. Keys may be snake_case or camelCase; null values
 *  (Keras's unset options) are skipped; Keras's `global_clipnorm` is this library's `clipnorm`
 *  (a global norm too). Anything else unknown is a ConfigError from the optimizer's constructor. */
export function optimizerFromConfig(className: unknown, config: unknown = {}): Optimizer {
  const o = 'optimizers.fromConfig';
  const key = typeof className === 'string' ? className.toLowerCase() : '';
  if (!(OPTIMIZER_NAMES as readonly string[]).includes(key)) {
    throw new ConfigError(`${o}: class_name must be one of SGD, Adam, AdamW, RMSprop, Adagrad, Adamax, Nadam, got ${showValue(className)}${typeof className === 'string' ? suggest(className, ['SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad', 'Adamax', 'Nadam']) : ''}`);
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new ConfigError(`${o}: config of ${className} must be an object, got ${showValue(config)}`);
  const args: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (v === null || v === undefined) continue;
    // own keys only: a saved "__proto__" or "constructor" is an unknown option, not a lookup
    const ignored = Object.prototype.hasOwnProperty.call(IGNORED, k) ? IGNORED[k] : undefined;
    if (ignored && (ignored.length === 0 || ignored.includes(v))) continue;
    Object.defineProperty(args, k === 'global_clipnorm' ? 'clipnorm' : snakeToCamel(k), { value: v, enumerable: true, writable: true, configurable: true });
  }
  return optimizers[key as OptimizerName](args as never);
}
