// Rewrites of the node list before conversion: the patterns torch.onnx.export writes for ops that
// ONNX (below opset 18/20) has no node for, each replaced by one node of the op it computes.
//   Gelu      Div(x, sqrt 2) -> Erf -> Add(., 1) -> Mul(x, .) -> Mul(., 0.5)   (F.gelu, exact)
//   Mish      Softplus(x) -> Tanh -> Mul(x, .)                                 (F.mish)
//   Softsign  Abs(x) -> Add(., 1) -> Div(x, .)                                 (F.softsign)
//   Swish     Sigmoid(x) -> Mul(x, .)                                          (F.silu)
//   Dense     MatMul(x, W) -> Add(., b) with constant W and b                  (nn.Linear on 3-d input)
//   causal    Conv(pads [p, p]) -> Slice(axis 2, end -p), p = (K-1) D          (TCN's Chomp1d)
// An intermediate value read by anything else (or a graph output) keeps the nodes as they are.

import type { Const } from './consts.ts';
import type { OnnxNode } from './proto.ts';

const near = (c: Const | undefined, v: number) => c !== undefined && c.data.length === 1 && Math.abs(c.data[0] - v) <= 1e-4 * Math.abs(v);

export function fusePatterns(nodes: OnnxNode[], consts: Map<string, Const>, outputs: Set<string>): OnnxNode[] {
  const readers = new Map<string, OnnxNode[]>();
  for (const n of nodes) for (const i of n.inputs) (readers.get(i) ?? readers.set(i, []).get(i)!).push(n);
  /** The one node reading v (v no graph output), with op `op`. */
  const only = (v: string, op: string): OnnxNode | null => {
    const r = readers.get(v);
    return r?.length === 1 && r[0].opType === op && !outputs.has(v) ? r[0] : null;
  };
  const other = (n: OnnxNode, v: string) => (n.inputs[0] === v ? n.inputs[1] : n.inputs[1] === v ? n.inputs[0] : undefined);
  const dropped = new Set<OnnxNode>();
  const replaced = new Map<OnnxNode, OnnxNode>();
  const fuse = (first: OnnxNode, chain: OnnxNode[], op: string, inputs: string[], extra: Partial<OnnxNode> = {}) => {
    chain.forEach((n) => dropped.add(n));
    const last = chain[chain.length - 1];
    replaced.set(first, { ...first, opType: op, inputs, outputs: last.outputs, attributes: [], ...extra });
    dropped.delete(first);
  };
  for (const n of nodes) {
    if (dropped.has(n) || replaced.has(n)) continue;
    const x = n.inputs[0];
    const out = n.outputs[0];
    if (n.opType === 'Div' && near(consts.get(n.inputs[1]), Math.SQRT2)) {
      const erf = only(out, 'Erf');
      const add = erf && only(erf.outputs[0], 'Add');
      const mul = add && near(consts.get(other(add, erf!.outputs[0])!), 1) ? only(add.outputs[0], 'Mul') : null;
      const half = mul && other(mul, add!.outputs[0]) === x ? only(mul.outputs[0], 'Mul') : null;
      if (half && near(consts.get(other(half, mul!.outputs[0])!), 0.5)) fuse(n, [n, erf!, add!, mul!, half], 'Gelu', [x]);
    } else if (n.opType === 'Softplus') {
      const tanh = only(out, 'Tanh');
      const mul = tanh && only(tanh.outputs[0], 'Mul');
      if (mul && other(mul, tanh!.outputs[0]) === x) fuse(n, [n, tanh!, mul], 'Mish', [x]);
    } else if (n.opType === 'Abs') {
      const add = only(out, 'Add');
      const div = add && near(consts.get(other(add, out)!), 1) ? only(add.outputs[0], 'Div') : null;
      if (div && div.inputs[0] === x && div.inputs[1] === add!.outputs[0]) fuse(n, [n, add!, div], 'Softsign', [x]);
    } else if (n.opType === 'Sigmoid') {
      const mul = only(out, 'Mul');
      if (mul && other(mul, out) === x) fuse(n, [n, mul], 'cnn1d.Swish', [x]);
    } else if (n.opType === 'MatMul' && consts.has(n.inputs[1])) {
      const add = only(out, 'Add');
      const b = add && other(add, out);
      if (b != null && consts.has(b)) fuse(n, [n, add!], 'cnn1d.Dense', [x, n.inputs[1], b]);
    } else if (n.opType === 'Conv') {
      const pads = n.attributes.find((a) => a.name === 'pads')?.ints;
      const w = consts.get(n.inputs[1]);
      const d = n.attributes.find((a) => a.name === 'dilations')?.ints?.[0] ?? 1;
      const s = n.attributes.find((a) => a.name === 'strides')?.ints?.[0] ?? 1;
      const p = w && w.dims.length === 3 ? (w.dims[2] - 1) * d : -1;
      const sl = pads && pads.length === 2 && pads[0] === p && pads[1] === p && p > 0 && s === 1 ? only(out, 'Slice') : null;
      const c = (i: number) => (sl && sl.inputs[i] ? consts.get(sl.inputs[i]) : undefined);
      const [starts, ends, axes, steps] = [c(1), c(2), c(3), c(4)];
      const chomp = starts && ends && axes && starts.data[0] === 0 && ends.data[0] === -p && (axes.data[0] === 2 || axes.data[0] === -1) && (!steps || steps.data[0] === 1) && starts.data.length === 1;
      if (chomp) fuse(n, [n, sl!], 'Conv', n.inputs, { attributes: n.attributes.map((a) => (a.name === 'pads' ? { ...a, ints: [p, 0] } : a)) });
    }
  }
  return nodes.filter((n) => !dropped.has(n)).map((n) => replaced.get(n) ?? n);
}
