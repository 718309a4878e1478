// Arguments shared by the zoo's builders.

import { ConfigError, checkKeys, positiveInt, showValue } from '../../layers/args.ts';

export interface ZooArgs {
  /** One sample's shape [length, channels]. */
  inputShape: [number, number];
  /** Number of classes (softmax outputs). */
  classes: number;
  /** Seed of weight initialisation, shuffling and dropout (default: random). */
  seed?: number;
}

/** Checks the common fields and refuses unknown ones (`extra` lists the builder's own). */
export function checkZooArgs(owner: string, args: ZooArgs, extra: readonly string[] = []): void {
  if (typeof args !== 'object' || args === null) throw new ConfigError(`${owner}: expected {inputShape, classes, seed?}, got ${showValue(args)}`);
  checkKeys(owner, args, ['inputShape', 'classes', 'seed', ...extra]);
  const s = args.inputShape;
  if (!Array.isArray(s) || s.length !== 2 || !s.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ConfigError(`${owner}: inputShape must be [length, channels] (positive integers), got ${showValue(s)}`);
  }
  positiveInt(owner, 'classes', args.classes);
}
