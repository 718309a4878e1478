#!/usr/bin/env python3
"""Writes test/golden/cases/*.json: the core golden set that a clone of the repository runs without
../shared beside it. The same layers, configurations, losses, optimizer steps and the two networks as
the shared set (test/golden/README.md describes the format), computed independently in float64
by PyTorch autograd with the helpers of scripts/golden_extra.py, from float32-representable inputs
of this script's own seed. Trimmed for size: the keras-seed network runs on inputs of length 4
(Flatten 32 -> Dense 128) instead of 100, batches are small, and numbers are written with 10
significant digits (float32 carries about 7).

Run: /usr/bin/python3 scripts/golden_core.py   (only to regenerate; the tests read the JSON)."""
import json, math, os
import torch
import torch.nn.functional as F
from golden_extra import ACTS, D, T, conv1d, f32, layer_case, loss_value, pool1d, rnd

torch.manual_seed(2024)
OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'golden', 'cases')


def rounded(v):
    """Numbers to 10 significant digits, for smaller files."""
    if isinstance(v, float):
        return float(f"{v:.10g}")
    if isinstance(v, dict):
        return {k: rounded(x) for k, x in v.items()}
    if isinstance(v, list):
        return [rounded(x) for x in v]
    return v


def conv_cases():
    out = []
    # (B, L, C, F, K, S, dilation, padding, bias): the shared set's configurations
    for B, L, C, Fn, K, S, Dl, pad, bias in [(1, 18, 1, 4, 3, 1, 1, 'valid', True), (2, 16, 3, 5, 3, 1, 1, 'valid', True),
                                              (2, 17, 4, 8, 5, 2, 1, 'same', True), (3, 20, 2, 3, 3, 1, 2, 'causal', True),
                                              (2, 32, 8, 16, 7, 3, 1, 'valid', False), (1, 9, 1, 32, 3, 3, 1, 'valid', True),
                                              (2, 25, 6, 4, 4, 1, 3, 'same', True), (4, 12, 16, 12, 1, 1, 1, 'valid', True),
                                              (2, 40, 3, 7, 9, 4, 1, 'same', True)]:
        cfg = {"filters": Fn, "kernelSize": K, "strides": S, "padding": pad, "dilationRate": Dl, "useBias": bias}
        params = {"kernel": rnd(K, C, Fn, lo=-0.5, hi=0.5)}
        if bias:
            params["bias"] = rnd(Fn, lo=-0.2, hi=0.2)
        out.append(layer_case(f"core conv1d B{B} L{L} {C}->{Fn} k{K} s{S} {pad} d{Dl}{'' if bias else ' nobias'}", 'conv1d', cfg, rnd(B, L, C), params,
                              lambda x, p, S=S, Dl=Dl, pad=pad: conv1d(x, p["kernel"], p.get("bias"), S, Dl, pad)))
    return out


def pool_cases():
    out = []
    for kind, P, S, pad, shape in [('max', 2, 2, 'valid', (2, 16, 4)), ('avg', 2, 2, 'valid', (2, 16, 4)), ('max', 3, 2, 'valid', (1, 15, 3)),
                                   ('avg', 3, 2, 'same', (2, 10, 5)), ('max', 3, 3, 'same', (2, 11, 6)), ('avg', 4, 1, 'valid', (1, 9, 2))]:
        x = f32(torch.randperm(math.prod(shape), dtype=D).reshape(shape) / 10 - 1)  # distinct values: no ties
        out.append(layer_case(f"core {kind}pool1d {shape} size{P} s{S} {pad}", 'pool1d', {"kind": kind, "poolSize": P, "strides": S, "padding": pad},
                              x, {}, lambda x, p, kind=kind, P=P, S=S, pad=pad: pool1d(x, kind, P, S, pad)))
    for kind in ['max', 'avg']:
        x = f32(torch.randperm(3 * 13 * 6, dtype=D).reshape(3, 13, 6) / 10 - 2)
        out.append(layer_case(f"core global {kind} (3, 13, 6)", 'globalPool1d', {"kind": kind}, x, {},
                              lambda x, p, kind=kind: x.max(1).values if kind == 'max' else x.mean(1)))
    return out


def dense_cases():
    out = []
    for B, I, U, bias in [(2, 18, 2, True), (4, 64, 10, True), (3, 5, 7, False)]:
        params = {"kernel": rnd(I, U, lo=-0.5, hi=0.5)}
        if bias:
            params["bias"] = rnd(U, lo=-0.2, hi=0.2)
        out.append(layer_case(f"core dense B{B} {I}->{U}", 'dense', {"units": U, "useBias": bias}, rnd(B, I), params,
                              lambda x, p: x @ p["kernel"] + (p["bias"] if "bias" in p else 0)))
    out.append(layer_case("core flatten (2, 3, 6)", 'flatten', {}, rnd(2, 3, 6), {}, lambda x, p: x.reshape(x.shape[0], -1)))
    return out


def activation_cases():
    acts = dict(ACTS)
    acts.pop('mish')  # in the extra set; the shared set's list follows
    acts['leakyRelu'] = ({"alpha": 0.3}, lambda x: F.leaky_relu(x, 0.3))
    acts['elu'] = ({"alpha": 1.0}, lambda x: F.elu(x, 1.0))
    acts['elu 0.5'] = ({"alpha": 0.5}, lambda x: F.elu(x, 0.5))
    acts['swish'] = ({"beta": 1.0}, lambda x: x * torch.sigmoid(x))
    acts['swish 1.5'] = ({"beta": 1.5}, lambda x: x * torch.sigmoid(1.5 * x))
    out = []
    for key, (extra, fn) in acts.items():
        name = key.split(' ')[0]
        x = rnd(2, 3, 4, lo=-7, hi=7)
        x = torch.where(x.abs() < 1e-2, x + 0.05, x)  # never at a kink
        x = torch.where((x - 6).abs() < 1e-2, x + 0.05, x)
        out.append(layer_case(f"core {name} {extra}", 'activation', {"activation": name, **extra}, x, {}, lambda x, p, fn=fn: fn(x)))
    out.append(layer_case("core softmax (3, 5)", 'activation', {"activation": "softmax"}, rnd(3, 5, lo=-4, hi=4), {}, lambda x, p: torch.softmax(x, -1)))
    x = rnd(2, 5, 3, lo=-2, hi=2)
    out.append(layer_case("core prelu (2, 5, 3)", 'prelu', {}, x, {"alpha": rnd(3, lo=0, hi=0.5)},
                          lambda x, p: torch.where(x > 0, x, p["alpha"] * x)))
    return out


def loss_cases():
    out = []
    B, C = 4, 3
    onehot = F.one_hot(torch.randint(0, C, (B,)), C).to(D)
    signs = torch.where(torch.rand(B, C) < 0.5, -1.0, 1.0).to(D)
    probs = torch.softmax(rnd(B, C, lo=-2, hi=2), -1)
    specs = [('meanSquaredError', {}, rnd(B, C, lo=-2, hi=2), rnd(B, C, lo=-2, hi=2)),
             ('meanAbsoluteError', {}, rnd(B, C, lo=-2, hi=2), rnd(B, C, lo=-2, hi=2)),
             ('huber', {"delta": 1.0}, rnd(B, C, lo=-2, hi=2), rnd(B, C, lo=-2, hi=2)),
             ('logCosh', {}, rnd(B, C, lo=-2, hi=2), rnd(B, C, lo=-2, hi=2)),
             ('categoricalCrossentropy', {"fromLogits": False}, f32(probs), onehot),
             ('categoricalCrossentropy', {"fromLogits": True}, rnd(B, C, lo=-3, hi=3), onehot),
             ('binaryCrossentropy', {"fromLogits": False}, rnd(B, C, lo=0.05, hi=0.95), f32((torch.rand(B, C) < 0.5).to(D))),
             ('binaryCrossentropy', {"fromLogits": True}, rnd(B, C, lo=-3, hi=3), rnd(B, C, lo=0, hi=1)),
             ('hinge', {}, rnd(B, C, lo=-2, hi=2), signs),
             ('exponential', {"beta": 1.0}, rnd(B, C, lo=-1, hi=1), signs),
             ('sparseCategoricalCrossentropy', {"fromLogits": True}, rnd(B, C, lo=-3, hi=3), torch.randint(0, C, (B,)).to(D))]
    for name, cfg, p, t in specs:
        p = p.clone().requires_grad_(True)
        # exponential (shared/golden/README.md): mean over the batch of exp(-beta * sum_j yTrue_j * yPred_j)
        v = torch.exp(-cfg["beta"] * (t * p).sum(-1)).mean() if name == 'exponential' else loss_value(name, cfg, p, t)
        v.backward()
        out.append({"name": f"core {name} {cfg}", "op": "loss", "config": {"loss": name, **cfg}, "yPred": T(p), "yTrue": T(t),
                    "value": float(v), "gradYPred": T(p.grad)})
    return out


def batchnorm_cases():
    B, L, C = 4, 10, 5
    mom, eps = 0.99, 1e-3
    x = rnd(B, L, C, lo=-3, hi=3)
    params = {"gamma": rnd(C, lo=0.5, hi=1.5), "beta": rnd(C, lo=-0.5, hi=0.5), "movingMean": rnd(C, lo=-0.2, hi=0.2), "movingVariance": rnd(C, lo=0.5, hi=1.5)}
    xg = x.clone().requires_grad_(True)
    ps = {k: v.clone().requires_grad_(k in ("gamma", "beta")) for k, v in params.items()}
    m = x.mean((0, 1))
    v = x.var((0, 1), unbiased=False)  # biased, over batch and length
    y = ps["gamma"] * (xg - xg.mean((0, 1))) / torch.sqrt(xg.var((0, 1), unbiased=False) + eps) + ps["beta"]
    gy = rnd(*y.shape)
    (y * gy).sum().backward()
    tr = {"name": f"core batchnorm training {(B, L, C)}", "op": "batchNorm", "config": {"momentum": mom, "epsilon": eps, "training": True},
          "input": T(x), "params": {k: T(v) for k, v in params.items()}, "output": T(y), "gradOutput": T(gy), "gradInput": T(xg.grad),
          "gradParams": {"gamma": T(ps["gamma"].grad), "beta": T(ps["beta"].grad)},
          "movingMeanAfter": T(mom * params["movingMean"] + (1 - mom) * m), "movingVarianceAfter": T(mom * params["movingVariance"] + (1 - mom) * v)}
    yi = params["gamma"] * (x - params["movingMean"]) / torch.sqrt(params["movingVariance"] + eps) + params["beta"]
    inf = {"name": f"core batchnorm inference {(B, L, C)}", "op": "batchNorm", "config": {"momentum": mom, "epsilon": eps, "training": False},
           "input": T(x), "params": {k: T(v) for k, v in params.items()}, "output": T(yi)}
    return [tr, inf]


def network_case(name, spec, x, y, params, forward, loss):
    """Output, loss and gradients of one batch, then the parameters after 3 steps of SGD (lr 0.1,
    momentum 0.9: vel = m*vel - lr*g; p += vel) and of Adam (lr 1e-3) on the same batch, as the
    shared set's networks.json."""
    ps = {k: v.clone().requires_grad_(True) for k, v in params.items()}
    o = forward(x, ps)
    l = loss(o, y)
    l.backward()
    case = {"name": name, "op": "network", "config": {"layers": spec}, "input": T(x), "yTrue": T(y), "params": {k: T(v) for k, v in params.items()},
            "output": T(o), "loss": float(l), "gradParams": {k: T(v.grad) for k, v in ps.items()}}
    lr, m = 0.1, 0.9
    ps = {k: v.clone().requires_grad_(True) for k, v in params.items()}
    vel = {k: torch.zeros_like(v) for k, v in params.items()}
    for _ in range(3):
        g = torch.autograd.grad(loss(forward(x, ps), y), list(ps.values()))
        with torch.no_grad():
            for (k, p), gk in zip(ps.items(), g):
                vel[k] = m * vel[k] - lr * gk
                p += vel[k]
    case["afterSgd3"] = {"config": {"learningRate": lr, "momentum": m}, "params": {k: T(v) for k, v in ps.items()}}
    lr, b1, b2, eps = 1e-3, 0.9, 0.999, 1e-7
    ps = {k: v.clone().requires_grad_(True) for k, v in params.items()}
    mm = {k: torch.zeros_like(v) for k, v in params.items()}
    vv = {k: torch.zeros_like(v) for k, v in params.items()}
    for t in range(1, 4):
        g = torch.autograd.grad(loss(forward(x, ps), y), list(ps.values()))
        with torch.no_grad():
            for (k, p), gk in zip(ps.items(), g):
                mm[k] = b1 * mm[k] + (1 - b1) * gk
                vv[k] = b2 * vv[k] + (1 - b2) * gk * gk
                p -= lr * (mm[k] / (1 - b1 ** t)) / (torch.sqrt(vv[k] / (1 - b2 ** t)) + eps)
    case["afterAdam3"] = {"config": {"learningRate": lr, "beta1": b1, "beta2": b2, "epsilon": eps}, "params": {k: T(v) for k, v in ps.items()}}
    return case


def network_cases():
    # tutorial-18: the tutorial's Table 1 net on [3, 18, 1]
    x = rnd(3, 18, 1)
    y = f32(torch.rand(3, 2, dtype=D))
    p = {"k1": rnd(3, 1, 4, lo=-0.6, hi=0.6), "b1": rnd(4, lo=-0.1, hi=0.1), "k2": rnd(3, 4, 6, lo=-0.45, hi=0.45), "b2": rnd(6, lo=-0.1, hi=0.1),
         "w": rnd(18, 2, lo=-0.5, hi=0.5), "b": rnd(2, lo=-0.1, hi=0.1)}

    def tutorial(x, p):
        h = pool1d(torch.sigmoid(conv1d(x, p["k1"], p["b1"], 1, 1, 'valid')), 'avg', 2, 2, 'valid')
        h = pool1d(torch.sigmoid(conv1d(h, p["k2"], p["b2"], 1, 1, 'valid')), 'avg', 2, 2, 'valid')
        return torch.sigmoid(h.reshape(h.shape[0], -1) @ p["w"] + p["b"])

    a = network_case("tutorial-18", "Conv1D(4,3,valid,sigmoid) > AvgPool1D(2) > Conv1D(6,3,valid,sigmoid) > AvgPool1D(2) > Flatten > Dense(2,sigmoid); loss meanSquaredError",
                     x, y, p, tutorial, lambda o, t: ((o - t) ** 2).mean(-1).mean())
    # keras-seed: the Keras article's model, on length 4 (conv 2 -> pool 1 -> flatten 32) to stay small
    x = rnd(3, 4, 1, lo=-2, hi=2)
    y = F.one_hot(torch.tensor([3, 7, 0]), 10).to(D)
    p = {"k1": rnd(3, 1, 32, lo=-0.4, hi=0.4), "b1": rnd(32, lo=-0.05, hi=0.05), "w1": rnd(32, 128, lo=-0.2, hi=0.2), "c1": rnd(128, lo=-0.05, hi=0.05),
         "w2": rnd(128, 10, lo=-0.2, hi=0.2), "c2": rnd(10, lo=-0.05, hi=0.05)}

    def keras_seed(x, p):
        h = pool1d(torch.relu(conv1d(x, p["k1"], p["b1"], 1, 1, 'valid')), 'max', 2, 2, 'valid')
        h = torch.relu(h.reshape(h.shape[0], -1) @ p["w1"] + p["c1"])
        return torch.softmax(h @ p["w2"] + p["c2"], -1)

    b = network_case("keras-seed (length 4)", "Conv1D(32,3,valid,relu) > MaxPool1D(2) > Flatten > Dense(128,relu) > Dense(10,softmax); loss categoricalCrossentropy",
                     x, y, p, keras_seed, lambda o, t: -(t * torch.log(o)).sum(-1).mean())
    return [a, b]


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    files = {"conv1d.json": conv_cases(), "pool1d.json": pool_cases(), "dense.json": dense_cases(), "activations.json": activation_cases(),
             "losses.json": loss_cases(), "batchnorm.json": batchnorm_cases(), "networks.json": network_cases()}
    for name, cases in files.items():
        with open(os.path.join(OUT, name), 'w') as f:
            json.dump({"cases": rounded(cases)}, f)
        print(f"{name}: {len(cases)} cases")
