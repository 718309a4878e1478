#!/usr/bin/env python3
"""Writes test/golden/extra/conv-variants.json: golden cases of Conv1D with groups, DepthwiseConv1D,
SeparableConv1D and Conv1DTranspose in the format of shared/golden/README.md, computed in float64
by PyTorch autograd (Debian's python3-torch). Keras conventions are implemented explicitly:
channels last; kernels [K, C/groups, F], depthwise [K, C, M] (output channel c*M + m), pointwise
[1, C*M, F], transposed [K, F, C]; 'same' padding with the smaller half on the left; transposed
output lengths from keras conv_utils.deconv_output_length, cropped as TensorFlow's
conv1d_transpose does (the 'same' padding of the Conv1D from the output back to the input).

Run: /usr/bin/python3 scripts/golden_convs.py   (only to regenerate; CI reads the JSON)."""
import json, os
import torch
import torch.nn.functional as F

torch.manual_seed(4321)
D = torch.float64
OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'golden', 'extra')


def f32(t):
    return t.to(torch.float32).to(D)


def rnd(*shape, lo=-1.0, hi=1.0):
    return f32(torch.rand(*shape, dtype=D) * (hi - lo) + lo)


def T(t):
    t = t.detach()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1)]}


def pads(L, span, S, padding):
    if padding == 'valid':
        return 0, 0
    if padding == 'causal':
        return span - 1, 0
    out = -(-L // S)
    total = max((out - 1) * S + span - L, 0)
    return total // 2, total - total // 2


def conv(x, weight, bias, S, Dl, padding, groups):
    """x [B, L, C]; weight in PyTorch layout [F, C/groups, K] -> [B, T, F]."""
    K = weight.shape[2]
    pl, pr = pads(x.shape[1], (K - 1) * Dl + 1, S, padding)
    y = F.conv1d(F.pad(x.transpose(1, 2), (pl, pr)), weight, bias, stride=S, dilation=Dl, groups=groups)
    return y.transpose(1, 2)


def layer_case(name, op, config, x, params, fn):
    x = x.clone().requires_grad_(True)
    ps = {k: v.clone().requires_grad_(True) for k, v in params.items()}
    y = fn(x, ps)
    gy = rnd(*y.shape)
    (y * gy).sum().backward()
    return {"name": name, "op": op, "config": config, "input": T(x), "params": {k: T(v) for k, v in params.items()},
            "output": T(y), "gradOutput": T(gy), "gradInput": T(x.grad), "gradParams": {k: T(v.grad) for k, v in ps.items()}}


def act(name, z):
    return {'linear': lambda v: v, 'tanh': torch.tanh, 'sigmoid': torch.sigmoid}[name](z)


def grouped_cases():
    out = []
    for B, L, C, Fn, K, S, Dl, G, pad, a in [(2, 12, 4, 6, 3, 1, 1, 2, 'same', 'linear'), (1, 15, 6, 9, 4, 2, 1, 3, 'valid', 'tanh'),
                                             (2, 10, 8, 8, 3, 1, 2, 4, 'causal', 'linear'), (2, 9, 5, 10, 2, 2, 1, 5, 'same', 'sigmoid')]:
        cfg = {"filters": Fn, "kernelSize": K, "strides": S, "padding": pad, "dilationRate": Dl, "groups": G, "activation": a}
        params = {"kernel": rnd(K, C // G, Fn, lo=-0.5, hi=0.5), "bias": rnd(Fn, lo=-0.2, hi=0.2)}
        out.append(layer_case(f"conv1d groups {G} B{B} L{L} {C}->{Fn} k{K} s{S} d{Dl} {pad} {a}", 'conv1d', cfg, rnd(B, L, C), params,
                              lambda x, p, S=S, Dl=Dl, pad=pad, G=G, a=a: act(a, conv(x, p["kernel"].permute(2, 1, 0), p["bias"], S, Dl, pad, G))))
    return out


def depthwise(x, dk, S, Dl, pad):
    K, C, M = dk.shape
    return conv(x, dk.permute(1, 2, 0).reshape(C * M, 1, K), None, S, Dl, pad, C)


def depthwise_cases():
    out = []
    for B, L, C, M, K, S, Dl, pad, a in [(2, 11, 3, 1, 3, 1, 1, 'same', 'linear'), (1, 14, 4, 3, 4, 2, 1, 'valid', 'tanh'),
                                         (2, 10, 5, 2, 3, 1, 2, 'causal', 'linear'), (1, 9, 1, 5, 2, 1, 1, 'same', 'sigmoid')]:
        cfg = {"kernelSize": K, "strides": S, "padding": pad, "dilationRate": Dl, "depthMultiplier": M, "activation": a}
        params = {"depthwise_kernel": rnd(K, C, M, lo=-0.5, hi=0.5), "bias": rnd(C * M, lo=-0.2, hi=0.2)}
        out.append(layer_case(f"depthwiseConv1d B{B} L{L} C{C} M{M} k{K} s{S} d{Dl} {pad} {a}", 'depthwiseConv1d', cfg, rnd(B, L, C), params,
                              lambda x, p, S=S, Dl=Dl, pad=pad, a=a: act(a, depthwise(x, p["depthwise_kernel"], S, Dl, pad) + p["bias"])))
    for B, L, C, M, Fn, K, S, Dl, pad, a in [(2, 12, 3, 2, 5, 3, 1, 1, 'same', 'tanh'), (1, 13, 4, 1, 6, 3, 2, 1, 'valid', 'linear'),
                                             (2, 10, 2, 3, 4, 2, 1, 3, 'causal', 'linear')]:
        cfg = {"filters": Fn, "kernelSize": K, "strides": S, "padding": pad, "dilationRate": Dl, "depthMultiplier": M, "activation": a}
        params = {"depthwise_kernel": rnd(K, C, M, lo=-0.5, hi=0.5), "pointwise_kernel": rnd(1, C * M, Fn, lo=-0.5, hi=0.5), "bias": rnd(Fn, lo=-0.2, hi=0.2)}

        def fn(x, p, S=S, Dl=Dl, pad=pad, a=a):
            h = depthwise(x, p["depthwise_kernel"], S, Dl, pad)
            return act(a, conv(h, p["pointwise_kernel"].permute(2, 1, 0), p["bias"], 1, 1, 'valid', 1))
        out.append(layer_case(f"separableConv1d B{B} L{L} C{C} M{M} F{Fn} k{K} s{S} d{Dl} {pad} {a}", 'separableConv1d', cfg, rnd(B, L, C), params, fn))
    return out


def deconv_length(L, K, S, Dl, pad, op):
    k = K + (K - 1) * (Dl - 1)
    if op is None:
        return L * S + max(k - S, 0) if pad == 'valid' else L * S
    return (L - 1) * S + k - 2 * (k // 2 if pad == 'same' else 0) + op


def transpose(x, kernel, bias, S, Dl, pad, op):
    """x [B, L, C], kernel [K, F, C] -> [B, T, F]."""
    B, L, C = x.shape
    K = kernel.shape[0]
    full = F.conv_transpose1d(x.transpose(1, 2), kernel.permute(2, 1, 0), None, stride=S, dilation=Dl)  # [B, F, (L-1)S + span]
    Tn = deconv_length(L, K, S, Dl, pad, op)
    left = 0 if pad == 'valid' else max(full.shape[2] - Tn, 0) // 2
    full = F.pad(full, (0, max(left + Tn - full.shape[2], 0)))
    return (full[:, :, left:left + Tn] + bias[None, :, None]).transpose(1, 2)


def transpose_cases():
    out = []
    for B, L, C, Fn, K, S, Dl, pad, op, a in [(2, 6, 3, 4, 3, 2, 1, 'valid', None, 'linear'), (1, 5, 2, 3, 4, 2, 1, 'same', None, 'tanh'),
                                              (2, 4, 3, 2, 2, 3, 1, 'valid', None, 'linear'), (2, 5, 4, 3, 3, 2, 1, 'same', 1, 'linear'),
                                              (1, 4, 2, 5, 4, 3, 1, 'same', 2, 'sigmoid'), (2, 7, 2, 2, 3, 1, 1, 'same', None, 'linear'),
                                              (1, 3, 3, 2, 5, 4, 1, 'same', None, 'linear')]:
        cfg = {"filters": Fn, "kernelSize": K, "strides": S, "padding": pad, "dilationRate": Dl, "activation": a}
        if op is not None:
            cfg["outputPadding"] = op
        params = {"kernel": rnd(K, Fn, C, lo=-0.5, hi=0.5), "bias": rnd(Fn, lo=-0.2, hi=0.2)}
        out.append(layer_case(f"conv1dTranspose B{B} L{L} {C}->{Fn} k{K} s{S} d{Dl} {pad} op{op} {a}", 'conv1dTranspose', cfg, rnd(B, L, C), params,
                              lambda x, p, S=S, Dl=Dl, pad=pad, op=op, a=a: act(a, transpose(x, p["kernel"], p["bias"], S, Dl, pad, op))))
    return out


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    cases = grouped_cases() + depthwise_cases() + transpose_cases()
    with open(os.path.join(OUT, 'conv-variants.json'), 'w') as f:
        json.dump({"cases": cases}, f)
    print(f"conv-variants.json: {len(cases)} cases")
