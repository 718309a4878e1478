// What an ONNX value is while a graph is converted: a constant (consts.ts), or an activation, a
// cnn1d symbolic tensor (channels last, no batch axis) with the ONNX layout it stands for:
//   ncw  ONNX [N, C, L]  as cnn1d [L, C]   (a Conv1d's input and output)
//   nwc  ONNX [N, L, C]  as cnn1d [L, C]   (after x.transpose(1, 2))
//   nc   ONNX [N, C]     as cnn1d [C]      (after flatten, a Linear's input and output)
//   nc1  ONNX [N, C, 1]  as cnn1d [C]      (global pooling with keepdim, the SE gate's unsqueeze)
//   n1c  ONNX [N, 1, C]  as cnn1d [C]      (nc1 transposed)
// Transposes between ncw/nwc and nc1/n1c and the squeezes between nc, nc1 and n1c cost no layer.

import type { SymbolicTensor } from '../../engine/symbolic.ts';
import { ModelFormatError } from '../errors.ts';
import type { Const } from './consts.ts';
import type { OnnxAttribute, OnnxNode } from './proto.ts';

export type Layout = 'ncw' | 'nwc' | 'nc' | 'nc1' | 'n1c';

export interface Act {
  kind: 'act';
  t: SymbolicTensor;
  layout: Layout;
}

export type Value = Act | Const;

export const act = (t: SymbolicTensor, layout: Layout): Act => ({ kind: 'act', t, layout });

/** The ONNX rank of an activation's layout. */
export const rankOf = (l: Layout): number => (l === 'nc' ? 2 : 3);

/** A node being converted: its inputs, attributes, and errors that name it. */
export class NodeView {
  constructor(
    readonly node: OnnxNode,
    readonly inputs: (Value | undefined)[],
    readonly opset: number,
  ) {}

  get label(): string {
    return `onnx node "${this.node.name || this.node.outputs[0]}" (${this.node.opType})`;
  }

  fail(m: string): never {
    throw new ModelFormatError(`${this.label}: ${m}`);
  }

  attr(name: string): OnnxAttribute | undefined {
    return this.node.attributes.find((a) => a.name === name);
  }
  int(name: string, fallback: number): number {
    return this.attr(name)?.i ?? fallback;
  }
  float(name: string, fallback: number): number {
    return this.attr(name)?.f ?? fallback;
  }
  ints(name: string): number[] | undefined {
    return this.attr(name)?.ints;
  }
  str(name: string, fallback: string): string {
    return this.attr(name)?.s ?? fallback;
  }

  /** Refuses an attribute present with a value other than the ones cnn1d maps. */
  only(name: string, allowed: (v: unknown) => boolean, meaning: string): void {
    const a = this.attr(name);
    if (!a) return;
    const v = a.i ?? a.f ?? a.s ?? a.ints ?? a.floats;
    if (!allowed(v)) this.fail(`attribute ${name} = ${JSON.stringify(v)} is not supported (${meaning})`);
  }

  /** Input i as an activation (refusing a constant or a missing input). */
  act(i: number): Act {
    const v = this.inputs[i];
    if (!v) this.fail(`input ${i} is missing`);
    if (v!.kind !== 'act') this.fail(`input ${i} ("${this.node.inputs[i]}") is a constant where cnn1d needs the model's data flowing in`);
    return v as Act;
  }

  /** Input i as a constant (weights, shapes, pads): refused when computed from the data. */
  const(i: number, what: string): Const {
    const v = this.inputs[i];
    if (!v) this.fail(`${what} (input ${i}) is missing`);
    if (v!.kind !== 'const') this.fail(`${what} (input ${i}, "${this.node.inputs[i]}") is computed from the model's input; cnn1d needs it constant`);
    return v as Const;
  }

  optConst(i: number, what: string): Const | undefined {
    return this.node.inputs[i] ? this.const(i, what) : undefined;
  }
}
