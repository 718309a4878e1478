#!/usr/bin/env python3
"""Runs an ONNX file in float64 numpy: a small reference for Python sides without onnxruntime
(Debian packages onnx 1.12, whose checker this uses, but neither onnxruntime nor onnx.reference).
It knows the ops cnn1d's exporter writes for convolutional classifiers (opset 13): Transpose, Conv
(pads, auto_pad SAME_UPPER, strides, dilations, group), BatchNormalization, MaxPool, AveragePool,
ReduceMean, ReduceMax, Gemm, Flatten, Unsqueeze, Pad, Slice, Concat, Add, Sub, Mul, Sum, Relu,
LeakyRelu, Elu, Sigmoid, Tanh, Clip, Softmax, Identity.

    python3 scripts/onnx_numpy_run.py model.onnx input.npy output.npy
"""
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def same_upper(L, K, S, D):
    span = (K - 1) * D + 1
    T = -(-L // S)
    total = max((T - 1) * S + span - L, 0)
    return total // 2, total - total // 2


def conv(x, w, b, a):
    K = w.shape[2]
    S = a.get('strides', [1])[0]
    D = a.get('dilations', [1])[0]
    G = a.get('group', 1)
    pl, pr = same_upper(x.shape[2], K, S, D) if a.get('auto_pad', b'NOTSET') == b'SAME_UPPER' else a.get('pads', [0, 0])
    xp = np.pad(x, ((0, 0), (0, 0), (pl, pr)))
    T = (xp.shape[2] - (K - 1) * D - 1) // S + 1
    N, C, _ = x.shape
    F = w.shape[0]
    y = np.zeros((N, F, T))
    cg, fg = C // G, F // G
    for g in range(G):
        for k in range(K):
            cols = xp[:, g * cg:(g + 1) * cg, k * D: k * D + (T - 1) * S + 1: S]  # [N, cg, T]
            y[:, g * fg:(g + 1) * fg] += np.einsum('fc,nct->nft', w[g * fg:(g + 1) * fg, :, k], cols)
    return y + (b[None, :, None] if b is not None else 0)


def pool(x, a, op):
    K = a['kernel_shape'][0]
    S = a.get('strides', [1])[0]
    pl, pr = same_upper(x.shape[2], K, S, 1) if a.get('auto_pad', b'NOTSET') == b'SAME_UPPER' else a.get('pads', [0, 0])
    L = x.shape[2]
    T = (L + pl + pr - K) // S + 1
    out = []
    for t in range(T):
        lo, hi = max(t * S - pl, 0), min(t * S - pl + K, L)
        out.append(x[:, :, lo:hi].max(axis=2) if op == 'MaxPool' else x[:, :, lo:hi].mean(axis=2))
    return np.stack(out, axis=2)


def run(model, x):
    g = model.graph
    v = {t.name: numpy_helper.to_array(t).astype(np.float64) if t.data_type == onnx.TensorProto.FLOAT else numpy_helper.to_array(t) for t in g.initializer}
    v[g.input[0].name] = x.astype(np.float64)
    for n in g.node:
        a = attrs(n)
        i = [v[name] if name else None for name in n.input]
        op = n.op_type
        if op == 'Transpose': y = np.transpose(i[0], a['perm'])
        elif op == 'Conv': y = conv(i[0], i[1], i[2] if len(i) > 2 else None, a)
        elif op == 'BatchNormalization': y = (i[0] - i[3][:, None]) / np.sqrt(i[4][:, None] + a.get('epsilon', 1e-5)) * i[1][:, None] + i[2][:, None] if i[0].ndim == 3 else (i[0] - i[3]) / np.sqrt(i[4] + a.get('epsilon', 1e-5)) * i[1] + i[2]
        elif op in ('MaxPool', 'AveragePool'): y = pool(i[0], a, op)
        elif op in ('ReduceMean', 'ReduceMax'): y = (np.mean if op == 'ReduceMean' else np.max)(i[0], axis=tuple(a['axes']), keepdims=bool(a.get('keepdims', 1)))
        elif op == 'Gemm': y = i[0] @ (i[1].T if a.get('transB', 0) else i[1]) + (i[2] if len(i) > 2 else 0)
        elif op == 'Flatten': y = i[0].reshape(i[0].shape[0], -1)
        elif op == 'Unsqueeze': y = np.expand_dims(i[0], tuple(int(k) for k in i[1]))
        elif op == 'Pad': p = [int(k) for k in i[1]]; y = np.pad(i[0], list(zip(p[:3], p[3:])))
        elif op == 'Slice': y = np.take(i[0], range(i[0].shape[int(i[3][0])])[int(i[1][0]):int(min(i[2][0], 2 ** 62))], axis=int(i[3][0]))
        elif op == 'Concat': y = np.concatenate(i, axis=a['axis'])
        elif op in ('Add', 'Sum'): y = sum(i)
        elif op == 'Sub': y = i[0] - i[1]
        elif op == 'Mul': y = i[0] * i[1]
        elif op == 'Relu': y = np.maximum(i[0], 0)
        elif op == 'LeakyRelu': y = np.where(i[0] > 0, i[0], a.get('alpha', 0.01) * i[0])
        elif op == 'Elu': y = np.where(i[0] > 0, i[0], a.get('alpha', 1.0) * np.expm1(i[0]))
        elif op == 'Sigmoid': y = 1 / (1 + np.exp(-i[0]))
        elif op == 'Tanh': y = np.tanh(i[0])
        elif op == 'Clip': y = np.clip(i[0], i[1] if len(i) > 1 else -np.inf, i[2] if len(i) > 2 else np.inf)
        elif op == 'Softmax':
            e = np.exp(i[0] - i[0].max(axis=a.get('axis', -1), keepdims=True))
            y = e / e.sum(axis=a.get('axis', -1), keepdims=True)
        elif op == 'Identity': y = i[0]
        else: raise SystemExit(f'onnx_numpy_run: op {op} (node {n.name}) is not in this reference')
        v[n.output[0]] = y
    return v[g.output[0].name]


if __name__ == '__main__':
    model = onnx.load(sys.argv[1])
    onnx.checker.check_model(model)
    np.save(sys.argv[3], run(model, np.load(sys.argv[2])).astype(np.float32))
