// Entry-point validation of the engine methods (forwardBatch, backwardFromOutputGrad,
// computeLossAndGrads, setWeights): everything a kernel would trust is checked here first, and a
// bad value gets a message naming the model, the method, the argument and what was expected.

import { ConfigError, showValue } from '../layers/args.ts';
import { size, type Weight } from '../layers/layer.ts';
import type { Loss } from '../losses/index.ts';
import { checkFinite, checkFlatTargets, describe, isNumbers } from './inputs.ts';

/** One array per input (or output), rather than the flat values of the only one. */
export const isList = (v: unknown): v is ArrayLike<number>[] => Array.isArray(v) && v.some((e) => typeof e === 'object');

export function checkBatch(owner: string, method: string, batch: unknown): asserts batch is number {
  if (!Number.isSafeInteger(batch) || (batch as number) < 1) throw new ConfigError(`${owner}: ${method}: batch must be a positive integer, got ${showValue(batch)}`);
}

/** `v` as one flat array per value of `ts` (inputs or outputs), each `batch` samples of finite
 *  numbers. `arg` names the argument ("x", "dy"). */
export function checkBatchArrays(owner: string, method: string, arg: string, v: unknown, shapes: number[][], batch: number, kind: string): ArrayLike<number>[] {
  const vs = isList(v) ? v : [v as ArrayLike<number>];
  if (vs.length !== shapes.length) throw new ConfigError(`${owner}: ${method}: the model has ${shapes.length} ${kind}s, got ${vs.length} arrays`);
  shapes.forEach((shape, i) => {
    const what = `${owner}: ${method} ${arg}${shapes.length > 1 ? `[${i}]` : ''}`;
    const per = size(shape);
    if (!isNumbers(vs[i]) || vs[i].length !== batch * per) {
      const expected = kind === 'input' ? `${batch} samples of shape [${shape}] (${batch * per} values)` : `${batch * per} values (${batch} samples of output [${shape}])`;
      throw new ConfigError(`${what}: expected ${expected}, got ${describe(vs[i])}`);
    }
    checkFinite(vs[i], per, what);
  });
  return vs;
}

/** Flat targets, one array per output, for the compiled losses. */
export function checkTargetArrays(owner: string, method: string, y: unknown, outputs: number[][], losses: Loss[], per: number[], batch: number): ArrayLike<number>[] {
  const ys = isList(y) ? y : [y as ArrayLike<number>];
  if (ys.length !== outputs.length) throw new ConfigError(`${owner}: ${method}: the model has ${outputs.length} outputs, got ${ys.length} target arrays`);
  ys.forEach((v, o) => checkFlatTargets(v, batch, per[o], losses[o], outputs[o], `${owner}: ${method} y${outputs.length > 1 ? `[${o}]` : ''}`));
  return ys;
}

/** Values for setWeights: one finite array per weight, in layer order. */
export function checkWeightValues(values: unknown, ws: Weight[]): ArrayLike<number>[] {
  if (!Array.isArray(values) || values.length !== ws.length) throw new ConfigError(`setWeights: the model has ${ws.length} weights, got ${Array.isArray(values) ? `${values.length} arrays` : showValue(values)}`);
  values.forEach((v: unknown, i) => {
    if (!isNumbers(v) || v.length !== ws[i].size) throw new ConfigError(`setWeights: weight ${ws[i].name} of shape [${ws[i].shape}] needs ${ws[i].size} values, got ${describe(v)}`);
    for (let j = 0; j < v.length; j++) {
      if (!Number.isFinite(v[j])) throw new ConfigError(`setWeights: weight ${ws[i].name} has value ${showValue(v[j])} at index ${j}; weights must be finite numbers`);
    }
  });
  return values as ArrayLike<number>[];
}
