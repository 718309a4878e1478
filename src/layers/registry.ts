// The serialisation registry (after tfjs-layers serialization.registerClass): every layer class
// owns getConfig() (its Keras config, snake_case keys as TF.js writes them) and a static
// fromConfig(config), and registers itself here under its Keras class name, in its own file.
// save/load (src/io) walk this registry; adding a layer touches its own file only.
// Names are looked up in a Map, so "__proto__" or "toString" are unknown like any other name.

import type { Layer } from './layer.ts';

/** A Keras layer config: {name, trainable, dtype, ...} with snake_case keys. */
export type KerasConfig = Record<string, unknown>;

/** What a registered class provides: the layer of a config. className is the registered name
 *  (one class may serve several, e.g. the elementwise merges). */
export interface LayerClass {
  fromConfig(config: KerasConfig, className: string): Layer;
}

const classes = new Map<string, LayerClass>();

export function registerClass(className: string, cls: LayerClass): void {
  if (classes.has(className) && classes.get(className) !== cls) throw new Error(`registerClass: "${className}" is already registered by another class`);
  classes.set(className, cls);
}

/** The class registered under `className`, or undefined. */
export function layerClass(className: string): LayerClass | undefined {
  return classes.get(className);
}

/** Every registered class name, in registration order (for messages). */
export function registeredClassNames(): string[] {
  return [...classes.keys()];
}
