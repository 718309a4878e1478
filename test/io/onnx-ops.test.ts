// ONNX converters on small hand-written graphs: each op and attribute form cnn1d maps predicts as
// onnxruntime-node on the same file; each form it does not map is refused with the node, the op
// and the attribute named.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { loadModel, tensor } from '../../src/index.ts';
import { AttrType, DataType, encodeModel, type OnnxAttribute, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from '../../src/io/onnx/proto.ts';
import { Random } from '../../src/runtime/random.ts';

const rng = new Random(1919);
const C = 3;
const L = 10;

const f32 = (name: string, dims: number[], data?: number[]): OnnxTensor => ({ name, dims, dataType: DataType.FLOAT, data: Float32Array.from(data ?? Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => rng.normal())) });
const i64 = (name: string, data: number[]): OnnxTensor => ({ name, dims: [data.length], dataType: DataType.INT64, data });
const ints = (name: string, v: number[]): OnnxAttribute => ({ name, type: AttrType.INTS, ints: v });
const int = (name: string, v: number): OnnxAttribute => ({ name, type: AttrType.INT, i: v });
const flt = (name: string, v: number): OnnxAttribute => ({ name, type: AttrType.FLOAT, f: v });
const str = (name: string, v: string): OnnxAttribute => ({ name, type: AttrType.STRING, s: v });
let count = 0;
const n = (opType: string, inputs: string[], output: string | string[], attributes: OnnxAttribute[] = []): OnnxNode => ({ name: `${opType.toLowerCase()}_${count++}`, opType, domain: '', inputs, outputs: Array.isArray(output) ? output : [output], attributes });

interface Graph {
  nodes: OnnxNode[];
  inits?: OnnxTensor[];
  /** Input dims (default [batch, C, length]). */
  input?: OnnxValueInfo['dims'];
  opset?: number;
}

function bytesOf(g: Graph): Uint8Array {
  return encodeModel({
    irVersion: 8,
    opsets: [{ domain: '', version: g.opset ?? 13 }],
    producerName: 'test',
    graph: { name: 'g', nodes: g.nodes, initializers: g.inits ?? [], inputs: [{ name: 'x', elemType: DataType.FLOAT, dims: g.input ?? ['batch', C, 'length'] }], outputs: [{ name: 'y', elemType: DataType.FLOAT, dims: null }] },
  });
}

/** cnn1d's predictions equal onnxruntime's on the same file. */
async function same(what: string, g: Graph): Promise<void> {
  const bytes = bytesOf(g);
  const m = await loadModel(bytes);
  try {
    const dims = g.input ?? ['batch', C, 'length'];
    const shape = dims.map((d, i) => (typeof d === 'number' ? d : i === 0 ? 2 : L));
    const x = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal());
    const s = await ort.InferenceSession.create(bytes);
    const r = (await s.run({ x: new ort.Tensor('float32', x, shape) })).y;
    const rd = r.dims as number[];
    const want = r.data as Float32Array;
    // cnn1d input [n, L, C]; an ONNX [n, C, L] output comes back as [n, L, C]
    const xl = shape.length === 3 ? new Float32Array(x.length) : x;
    if (shape.length === 3) for (let b = 0; b < shape[0]; b++) for (let c = 0; c < shape[1]; c++) for (let l = 0; l < shape[2]; l++) xl[(b * shape[2] + l) * shape[1] + c] = x[(b * shape[1] + c) * shape[2] + l];
    const y = m.predict(tensor(xl, shape.length === 3 ? [shape[0], shape[2], shape[1]] : shape));
    const at = (i: number) => {
      if (rd.length !== 3) return want[i];
      const [B, Co, Lo] = rd;
      const b = Math.floor(i / (Lo * Co));
      const l = Math.floor(i / Co) % Lo;
      return want[(b * Co + (i % Co)) * Lo + l];
    };
    assert.equal(y.data.length, want.length, `${what}: ${y.shape} vs onnxruntime ${rd}`);
    y.data.forEach((v, i) => assert.ok(Math.abs(v - at(i)) <= 1e-5 + 1e-5 * Math.abs(at(i)), `${what}: [${i}] cnn1d ${v}, onnxruntime ${at(i)}`));
  } finally {
    m.dispose();
  }
}

async function refused(g: Graph, re: RegExp): Promise<void> {
  await assert.rejects(() => loadModel(bytesOf(g)), (e: unknown) => (e as Error).name === 'ModelFormatError' && re.test((e as Error).message), `expected a ModelFormatError matching ${re}`);
}

const W = () => f32('W', [4, C, 3]);

test('activations, clip, constants and layout glue predict as onnxruntime', async () => {
  for (const [op, attrs] of [['Relu', []], ['LeakyRelu', [flt('alpha', 0.2)]], ['Elu', []], ['Selu', []], ['Sigmoid', []], ['Tanh', []], ['Softplus', []], ['Softsign', []], ['HardSigmoid', [flt('alpha', 0.2)]], ['Identity', []]] as [string, OnnxAttribute[]][]) {
    await same(op, { nodes: [n(op, ['x'], 'y', attrs)] });
  }
  await same('Mish (opset 18)', { nodes: [n('Mish', ['x'], 'y')], opset: 18 });
  await same('Clip (0, 6)', { nodes: [n('Clip', ['x', 'lo', 'hi'], 'y')], inits: [f32('lo', [], [0]), f32('hi', [], [6])] });
  await same('Clip (0, none)', { nodes: [n('Clip', ['x', 'lo'], 'y')], inits: [f32('lo', [], [0])] });
  await same('PRelu, one slope', { nodes: [n('PRelu', ['x', 's'], 'y')], inits: [f32('s', [1], [0.3])] });
  await same('per-channel constants', { nodes: [n('Mul', ['x', 'k'], 'a'), n('Div', ['a', 'k'], 'b'), n('Sub', ['k', 'b'], 'c'), n('Add', ['c', 'one'], 'y')], inits: [f32('k', [C, 1], [2, -1, 0.5]), f32('one', [], [1])] });
  await same('constants on [N, C]', { nodes: [n('ReduceMean', ['x'], 'm', [ints('axes', [2]), int('keepdims', 0)]), n('Sub', ['m', 'k'], 'y')], inits: [f32('k', [C], [1, 2, 3])] });
  await same('Pad, Slice of the length, Cast', { nodes: [n('Pad', ['x', 'p'], 'a'), n('Slice', ['a', 's', 'e', 'ax'], 'b'), n('Cast', ['b'], 'y', [int('to', DataType.FLOAT)])], inits: [i64('p', [0, 0, 2, 0, 0, 1]), i64('s', [1]), i64('e', [-1]), i64('ax', [2])] });
  await same('Squeeze / Unsqueeze / Transpose of [N, C, 1]', { nodes: [n('GlobalMaxPool', ['x'], 'g'), n('Squeeze', ['g', 'a2'], 's'), n('Unsqueeze', ['s', 'a1'], 'u'), n('Transpose', ['u'], 't', [ints('perm', [0, 2, 1])]), n('Identity', ['t'], 'y')], inits: [i64('a2', [2]), i64('a1', [1])] });
  await same('ReduceMax keepdims gives [N, C, 1] back as [N, 1, C]', { nodes: [n('ReduceMax', ['x'], 'y', [ints('axes', [-1])])] });
  await same('Flatten and Softmax of [N, C]', { nodes: [n('GlobalAveragePool', ['x'], 'g'), n('Flatten', ['g'], 'f', [int('axis', 1)]), n('Softmax', ['f'], 'y', [int('axis', 1)])] });
  await same('shape arithmetic folded: Shape, Gather, ConstantOfShape, Concat, Reshape', {
    nodes: [
      n('Shape', ['x'], 'sh'),
      n('Gather', ['sh', 'i1'], 'c'),
      n('ConstantOfShape', ['len1'], 'ones', [{ name: 'value', type: AttrType.TENSOR, t: i64('v', [1]) }]),
      n('Concat', ['zero', 'c', 'ones'], 'target', [int('axis', 0)]),
      n('GlobalAveragePool', ['x'], 'g'),
      n('Reshape', ['g', 'target'], 'r'),
      n('Cast', ['c'], 'cf', [int('to', DataType.FLOAT)]),
      n('Mul', ['r', 'cf'], 'y'),
    ],
    inits: [i64('i1', [1]), i64('len1', [1]), i64('zero', [0])],
  });
  await same('Conv SAME_UPPER, strides 2; MaxPool SAME_UPPER; AveragePool pads counted', {
    nodes: [n('Conv', ['x', 'W'], 'a', [str('auto_pad', 'SAME_UPPER'), ints('strides', [2])]), n('MaxPool', ['a'], 'b', [ints('kernel_shape', [2]), str('auto_pad', 'SAME_UPPER')]), n('AveragePool', ['b'], 'y', [ints('kernel_shape', [3]), ints('pads', [1, 1]), int('count_include_pad', 1)])],
    inits: [W()],
  });
  await same('ConvTranspose with pads, Conv with asymmetric pads', { nodes: [n('ConvTranspose', ['x', 'T'], 'a', [ints('strides', [2]), ints('pads', [1, 2])]), n('Conv', ['a', 'W'], 'y', [ints('pads', [2, 1])])], inits: [f32('T', [C, C, 4]), W()] });
  await same('Gemm with alpha, beta, transB 0', { nodes: [n('GlobalAveragePool', ['x'], 'g'), n('Flatten', ['g'], 'f'), n('Gemm', ['f', 'B', 'b'], 'y', [flt('alpha', 0.5), flt('beta', 2)])], inits: [f32('B', [C, 2]), f32('b', [2])] });
  await same('Split in equal parts, Concat on channels', { nodes: [n('Split', ['x'], ['p', 'q', 'r'], [int('axis', 1)]), n('Concat', ['r', 'p', 'q'], 'y', [int('axis', 1)])] });
  await same('features input [N, F]', { input: ['batch', 4], nodes: [n('Gemm', ['x', 'B'], 'y', [int('transB', 1)])], inits: [f32('B', [2, 4])] });
});

test('forms cnn1d does not map are refused naming the node, the op and the attribute', async () => {
  const cases: [Graph, RegExp][] = [
    [{ nodes: [n('Clip', ['x', 'lo', 'hi'], 'y')], inits: [f32('lo', [], [-1]), f32('hi', [], [1])] }, /\(Clip\): min -1, max 1 is not supported/],
    [{ nodes: [n('Gelu', ['x'], 'y', [str('approximate', 'tanh')])] }, /\(Gelu\): attribute approximate = "tanh" is not supported/],
    [{ nodes: [n('Selu', ['x'], 'y', [flt('alpha', 2)])] }, /\(Selu\): attribute alpha = 2 is not supported/],
    [{ nodes: [n('Conv', ['x', 'V'], 'y')], inits: [f32('V', [4, C, 3, 3])] }, /\(Conv\): weight of shape \[4,3,3,3\]: only 1-d convolutions/],
    [{ nodes: [n('Conv', ['x', 'V'], 'y')], inits: [f32('V', [4, 2, 3])] }, /\(Conv\): weight \[4,2,3\] with group 1 reads 2 channels, the input has 3/],
    [{ nodes: [n('Conv', ['x', 'W'], 'y', [ints('pads', [1, 1, 1])])], inits: [W()] }, /attribute pads = \[1,1,1\] must have 2 entries/],
    [{ nodes: [n('Conv', ['x', 'W'], 'y', [ints('pads', [-1, 0])])], inits: [W()] }, /negative pads are not supported/],
    [{ nodes: [n('Conv', ['x', 'W'], 'y', [ints('strides', [2 ** 30])])], inits: [W()] }, /strides = 1073741824 is out of range/],
    [{ nodes: [n('ConvTranspose', ['x', 'T'], 'y', [int('group', 3)])], inits: [f32('T', [C, 1, 3])] }, /\(ConvTranspose\): attribute group = 3 is not supported/],
    [{ nodes: [n('ConvTranspose', ['x', 'T'], 'y', [ints('output_shape', [20])])], inits: [f32('T', [C, 1, 3])] }, /attribute output_shape = \[20\] is not supported/],
    [{ nodes: [n('BatchNormalization', ['x', 's', 's', 's', 's'], 'y', [int('training_mode', 1)])], inits: [f32('s', [C])] }, /attribute training_mode = 1 is not supported \(a model exported for inference/],
    [{ nodes: [n('MaxPool', ['x'], 'y', [ints('kernel_shape', [3]), ints('strides', [2]), ints('pads', [1, 1])])] }, /\(MaxPool\): pads \[1, 1\] with ceil_mode 0 give windows no cnn1d pooling/],
    [{ nodes: [n('MaxPool', ['x'], 'y', [ints('kernel_shape', [3]), ints('dilations', [2])])] }, /attribute dilations = \[2\] is not supported/],
    [{ nodes: [n('AveragePool', ['x'], 'y', [ints('kernel_shape', [3]), str('auto_pad', 'SAME_LOWER')])] }, /auto_pad = "SAME_LOWER" is not supported/],
    [{ nodes: [n('MaxPool', ['x'], 'y')] }, /attribute kernel_shape is missing/],
    [{ nodes: [n('ReduceMean', ['x'], 'y', [ints('axes', [1])])] }, /\(ReduceMean\): attribute axes = \[1\] is not supported: cnn1d reduces over the length axis \(2\) only/],
    [{ nodes: [n('MatMul', ['x', 'M'], 'y')], inits: [f32('M', [10, 2])] }, /\(MatMul\): input is \[N, C, L\]: a matrix product over the length axis/],
    [{ nodes: [n('Mul', ['x', 'k'], 'y')], inits: [f32('k', [2, 2])] }, /\(Mul\): a constant of shape \[2,2\] is not a scalar or per-channel operand/],
    [{ nodes: [n('Div', ['k', 'x'], 'y')], inits: [f32('k', [1], [1])] }, /a constant divided by an activation has no cnn1d layer/],
    [{ nodes: [n('PRelu', ['x', 's'], 'y')], inits: [f32('s', [2])] }, /\(PRelu\): slope of shape \[2\]: one slope, or one per channel \(3\)/],
    [{ nodes: [n('Transpose', ['x'], 'y', [ints('perm', [2, 1, 0])])] }, /\(Transpose\): attribute perm = \[2,1,0\] is not supported/],
    [{ nodes: [n('Flatten', ['x'], 'y')] }, /\(Flatten\): flattening a sequence of variable length/],
    [{ nodes: [n('Flatten', ['x'], 'y', [int('axis', 2)])] }, /attribute axis = 2 is not supported \(cnn1d flattens everything but the batch/],
    [{ nodes: [n('Reshape', ['x', 's'], 'y')], inits: [i64('s', [1, -1])] }, /\(Reshape\): shape \[1,-1\] changes the batch axis/],
    [{ nodes: [n('Reshape', ['x', 's'], 'y')], inits: [i64('s', [0, 1, 3, -1])] }, /shape \[0,1,3,-1\] of a \[\?,3,\?\] input is not supported/],
    [{ nodes: [n('Squeeze', ['x', 'a'], 'y')], inits: [i64('a', [1])] }, /\(Squeeze\): axis 1 of a ncw value is not supported/],
    [{ nodes: [n('Slice', ['x', 's', 'e', 'a', 'st'], 'y')], inits: [i64('s', [0]), i64('e', [4]), i64('a', [2]), i64('st', [2])] }, /one axis with step 1 is supported/],
    [{ nodes: [n('Slice', ['x', 's', 'e', 'a'], 'y')], inits: [i64('s', [0]), i64('e', [4]), i64('a', [2])] }, /\(Slice\): end 4 counts from the start of a variable length/],
    [{ nodes: [n('Slice', ['x', 's', 'e', 'a'], 'y')], inits: [i64('s', [2]), i64('e', [1]), i64('a', [1])] }, /slice \[2, 1\) of 3 channels is empty/],
    [{ nodes: [n('Split', ['x', 's'], ['p', 'q'], [int('axis', 1)])], inits: [i64('s', [1, 1])] }, /\(Split\): split sizes \[1,1\] do not divide 3 channels into 2 outputs/],
    [{ nodes: [n('Split', ['x'], ['p', 'q'], [int('axis', 2)])] }, /\(Split\): attribute axis = 2 is not supported/],
    [{ nodes: [n('Pad', ['x', 'p'], 'y', [str('mode', 'reflect')])], inits: [i64('p', [0, 0, 1, 0, 0, 1])] }, /\(Pad\): attribute mode = "reflect" is not supported/],
    [{ nodes: [n('Pad', ['x', 'p', 'v'], 'y')], inits: [i64('p', [0, 0, 1, 0, 0, 1]), f32('v', [], [1])] }, /constant_value 1 is not supported/],
    [{ nodes: [n('Pad', ['x', 'p'], 'y')], inits: [i64('p', [0, 1, 0, 0, 0, 0])] }, /pads \[0,1,0,0,0,0\] of a ncw value: cnn1d pads the length axis/],
    [{ nodes: [n('Concat', ['x', 'x'], 'y', [int('axis', 0)])] }, /\(Concat\): attribute axis = 0 is not supported/],
    [{ nodes: [n('GlobalMaxPool', ['x'], 'g'), n('Squeeze', ['g', 'a'], 's'), n('Concat', ['x', 's'], 'y', [int('axis', 1)])], inits: [i64('a', [2])] }, /inputs of different layouts \(ncw,nc\) are not supported/],
    [{ nodes: [n('GlobalMaxPool', ['x'], 'g'), n('Squeeze', ['g', 'a'], 's'), n('Add', ['x', 's'], 'y')], inits: [i64('a', [2])] }, /\(Add\): inputs of layouts ncw and nc do not broadcast/],
    [{ nodes: [n('Shape', ['x'], 's'), n('Mul', ['s', 's'], 'y')] }, /arithmetic on the batch size or a variable length is not supported/],
    [{ nodes: [n('Cast', ['x'], 'y', [int('to', DataType.INT64)])] }, /\(Cast\): attribute to = 7: activations stay float/],
    [{ nodes: [n('Constant', [], 'k', [{ name: 'sparse_value', type: AttrType.INT, i: 1 }]), n('Identity', ['x'], 'y')] }, /\(Constant\): attribute sparse_value is not supported/],
    [{ nodes: [n('Identity', ['k'], 'y')], inits: [f32('k', [1], [1])] }, /graph output "y" is a constant/],
    [{ nodes: [n('Relu', ['x'], 'z')] }, /graph output "y" is made by no node/],
    [{ input: ['batch', 'channels', 'length'], nodes: [n('Relu', ['x'], 'y')] }, /graph input "x": the channel dimension must be a fixed number/],
    [{ input: ['batch', 3, 4, 5], nodes: [n('Relu', ['x'], 'y')] }, /graph input "x": shape \[batch,3,4,5\] is not supported/],
  ];
  for (const [g, re] of cases) await refused(g, re);
});
