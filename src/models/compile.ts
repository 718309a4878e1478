// compile() arguments resolved per output, with the TF.js/Keras forms:
//   loss         one loss for every output | a list (one per output) | {outputName: loss}
//   lossWeights  a list | {outputName: w} (default 1 each); the total loss is sum_o w_o * loss_o
//   metrics      a list for every output | {outputName: [names]} (or one name)
// Output names are the names of the layers that produce the outputs (Keras output_names).

import { ConfigError, checkKeys, showValue, suggest } from '../layers/args.ts';
import { getLoss, type Loss, type LossIdentifier } from '../losses/index.ts';
import { getOptimizer, type OptimizerIdentifier } from '../optimizers/index.ts';
import type { SymbolicTensor } from '../engine/symbolic.ts';
import { getMetric } from './metrics.ts';

export interface CompileArgs {
  optimizer: OptimizerIdentifier;
  /** One loss for every output, a list with one per output, or {outputName: loss}. */
  loss: LossIdentifier | LossIdentifier[] | Record<string, LossIdentifier>;
  /** Weights of the outputs' losses in the total loss: a list or {outputName: weight} (default 1). */
  lossWeights?: number[] | Record<string, number>;
  /** Metric names for every output, or {outputName: names}. */
  metrics?: string | string[] | Record<string, string | string[]>;
}

export interface Compiled {
  optimizer: ReturnType<typeof getOptimizer>;
  /** Per output. */
  losses: Loss[];
  lossWeights: number[];
  metrics: string[][];
}

/** Keras output names: the producing layers' names, made unique with _1, _2 if a layer produces several. */
export function outputNames(outputs: SymbolicTensor[]): string[] {
  const names: string[] = [];
  for (const t of outputs) {
    const base = t.node.layer.name || 'output';
    let name = base;
    for (let i = 1; names.includes(name); i++) name = `${base}_${i}`;
    names.push(name);
  }
  return names;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** Spreads a list-or-dict compile field over the outputs; `fallback(name)` fills a name the dict
 *  leaves out (undefined: that is an error). */
function perOutput<T>(field: string, v: unknown, names: string[], fallback: ((name: string) => T) | undefined, read: (x: unknown, where: string) => T): T[] {
  if (Array.isArray(v)) {
    if (v.length !== names.length) {
      throw new ConfigError(`compile: ${field} lists ${v.length} entries, the model has ${names.length} outputs (${names.map((n) => `"${n}"`).join(', ')}); give one per output, or {outputName: ...}`);
    }
    return v.map((x, o) => read(x, `${field}[${o}] (output "${names[o]}")`));
  }
  if (!isRecord(v)) throw new ConfigError(`compile: ${field} must be a list or {outputName: ...}, got ${showValue(v)}`);
  for (const k of Object.keys(v)) {
    if (!names.includes(k)) throw new ConfigError(`compile: ${field} names output "${k}", which the model does not have${suggest(k, names)}; its outputs are ${names.map((n) => `"${n}"`).join(', ')}`);
  }
  return names.map((name) => {
    if (Object.hasOwn(v, name)) return read(v[name], `${field}["${name}"]`);
    if (fallback) return fallback(name);
    throw new ConfigError(`compile: ${field} gives no loss for output "${name}"; every output needs one (outputs: ${names.map((n) => `"${n}"`).join(', ')})`);
  });
}

function readLoss(x: unknown, where: string): Loss {
  try {
    return getLoss(x);
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(`${where}: ${e.message}`, { cause: e });
    throw e;
  }
}

/** Checks compile() arguments against the model's outputs. The optimizer is made last, so a bad
 *  loss or metric leaves no optimizer state behind. */
export function resolveCompile(args: CompileArgs, outputNames: () => string[]): Compiled {
  if (typeof args !== 'object' || args === null) throw new ConfigError(`compile: expected {optimizer, loss, lossWeights?, metrics?}, got ${showValue(args)}`);
  checkKeys('compile', args, ['optimizer', 'loss', 'lossWeights', 'metrics']);
  if (args.optimizer === undefined) throw new ConfigError('compile: optimizer is required, e.g. "adam"');
  if (args.loss === undefined) throw new ConfigError('compile: loss is required, e.g. "categoricalCrossentropy"');
  const names = outputNames();
  const single = typeof args.loss === 'string' || !(Array.isArray(args.loss) || isRecord(args.loss));
  const losses = single ? names.map(() => getLoss(args.loss)) : perOutput('loss', args.loss, names, undefined, readLoss);
  const lossWeights =
    args.lossWeights === undefined
      ? names.map(() => 1)
      : perOutput('lossWeights', args.lossWeights, names, () => 1, (w, where) => {
          if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw new ConfigError(`compile: ${where} must be a finite number >= 0, got ${showValue(w)}`);
          return w;
        });
  const metricList = (m: unknown, where: string): string[] => {
    const list = typeof m === 'string' ? [m] : m;
    if (!Array.isArray(list)) throw new ConfigError(`compile: ${where} must be an array of names, e.g. ["accuracy"], got ${showValue(m)}`);
    return list as string[];
  };
  const metrics =
    args.metrics === undefined
      ? names.map(() => [])
      : Array.isArray(args.metrics)
        ? names.map(() => args.metrics as string[])
        : isRecord(args.metrics)
          ? perOutput('metrics', args.metrics, names, () => [], metricList)
          : names.map(() => metricList(args.metrics, 'metrics'));
  metrics.forEach((ms, o) => ms.forEach((m) => getMetric(m, losses[o])));
  return { optimizer: getOptimizer(args.optimizer), losses, lossWeights, metrics };
}
