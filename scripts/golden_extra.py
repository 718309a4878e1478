#!/usr/bin/env python3
"""Writes test/golden/extra/*.json: golden cases in the format of test/golden/README.md with
shapes and configurations the shared set does not have, computed independently in float64 by
PyTorch autograd (Debian's python3-torch). Keras conventions are implemented explicitly: channels
last, 'same' padding with the smaller half on the left, pools that ignore padding, batch-norm moving
statistics from the biased variance, SGD vel = m*vel - lr*g (Nesterov: p += m*vel - lr*g), Adam
with eps outside the root, max pooling routing the gradient to the first maximum of a window.

Run: /usr/bin/python3 scripts/golden_extra.py   (only to regenerate; CI reads the JSON)."""
import json, math, os
import torch
import torch.nn.functional as F

torch.manual_seed(1234)
D = torch.float64
OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'golden', 'extra')


def f32(t):
    """float32-representable inputs (the README's promise), kept in float64."""
    return t.to(torch.float32).to(D)


def rnd(*shape, lo=-1.0, hi=1.0):
    return f32(torch.rand(*shape, dtype=D) * (hi - lo) + lo)


def T(t):
    t = t.detach()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1)]}


def geometry(L, span, S, padding):
    if padding == 'valid':
        return (L - span) // S + 1, 0, 0
    if padding == 'same':
        Tn = -(-L // S)
        total = max((Tn - 1) * S + span - L, 0)
        return Tn, total // 2, total - total // 2
    return (L - 1) // S + 1, span - 1, 0  # causal


def conv1d(x, k, b, S, Dl, padding):
    """x [B, L, C], k [K, C, F] -> [B, T, F], cross-correlation."""
    K = k.shape[0]
    _, pl, pr = geometry(x.shape[1], (K - 1) * Dl + 1, S, padding)
    xc = F.pad(x.transpose(1, 2), (pl, pr))
    y = F.conv1d(xc, k.permute(2, 1, 0), b, stride=S, dilation=Dl)
    return y.transpose(1, 2)


def pool1d(x, kind, P, S, padding):
    L = x.shape[1]
    _, pl, pr = geometry(L, P, S, padding)
    xc = x.transpose(1, 2)
    if kind == 'max':
        y = F.max_pool1d(F.pad(xc, (pl, pr), value=-math.inf), P, S)
    else:
        ones = torch.ones_like(xc[:, :1, :])
        y = F.avg_pool1d(F.pad(xc, (pl, pr)), P, S) / F.avg_pool1d(F.pad(ones, (pl, pr)), P, S)
    return y.transpose(1, 2)


def layer_case(name, op, config, x, params, fn):
    x = x.clone().requires_grad_(True)
    ps = {k: v.clone().requires_grad_(True) for k, v in params.items()}
    y = fn(x, ps)
    gy = rnd(*y.shape)
    (y * gy).sum().backward()
    case = {"name": name, "op": op, "config": config, "input": T(x), "params": {k: T(v) for k, v in params.items()},
            "output": T(y), "gradOutput": T(gy), "gradInput": T(x.grad), "gradParams": {k: T(v.grad) for k, v in ps.items()}}
    return case


def conv_cases():
    out = []
    for B, L, C, Fn, K, S, Dl, pad, bias in [(3, 13, 5, 6, 4, 2, 1, 'same', True), (2, 20, 3, 2, 3, 1, 3, 'causal', True),
                                              (1, 31, 7, 9, 5, 3, 1, 'valid', True), (2, 16, 4, 8, 2, 1, 1, 'same', False),
                                              (2, 9, 2, 3, 3, 2, 2, 'same', True), (2, 6, 17, 5, 1, 2, 1, 'valid', True)]:
        cfg = {"filters": Fn, "kernelSize": K, "strides": S, "padding": pad, "dilationRate": Dl, "useBias": bias}
        params = {"kernel": rnd(K, C, Fn, lo=-0.5, hi=0.5)}
        if bias:
            params["bias"] = rnd(Fn, lo=-0.2, hi=0.2)
        out.append(layer_case(f"extra conv1d B{B} L{L} {C}->{Fn} k{K} s{S} {pad} d{Dl}", 'conv1d', cfg, rnd(B, L, C), params,
                              lambda x, p, S=S, Dl=Dl, pad=pad: conv1d(x, p["kernel"], p.get("bias"), S, Dl, pad)))
    return out


def pool_cases():
    out = []
    for kind, P, S, pad, shape in [('max', 5, 3, 'same', (2, 14, 3)), ('avg', 2, 1, 'same', (1, 7, 4)), ('max', 4, 4, 'valid', (2, 17, 2)),
                                   ('avg', 3, 3, 'same', (3, 10, 5)), ('max', 3, 1, 'same', (1, 8, 9))]:
        x = f32(torch.randperm(math.prod(shape), dtype=D).reshape(shape) / 10 - 1)  # distinct values: no ties
        out.append(layer_case(f"extra {kind}pool1d {shape} size{P} s{S} {pad}", 'pool1d', {"kind": kind, "poolSize": P, "strides": S, "padding": pad},
                              x, {}, lambda x, p, kind=kind, P=P, S=S, pad=pad: pool1d(x, kind, P, S, pad)))
    for kind in ['max', 'avg']:
        x = f32(torch.randperm(2 * 5 * 9, dtype=D).reshape(2, 5, 9) / 10 - 2)
        out.append(layer_case(f"extra global {kind} (2, 5, 9)", 'globalPool1d', {"kind": kind}, x, {},
                              lambda x, p, kind=kind: x.max(1).values if kind == 'max' else x.mean(1)))
    return out


def dense_cases():
    out = []
    for B, I, U, bias in [(5, 13, 9, True), (1, 4, 17, False), (2, 33, 3, True)]:
        params = {"kernel": rnd(I, U, lo=-0.5, hi=0.5)}
        if bias:
            params["bias"] = rnd(U, lo=-0.2, hi=0.2)
        out.append(layer_case(f"extra dense B{B} {I}->{U}", 'dense', {"units": U, "useBias": bias}, rnd(B, I), params,
                              lambda x, p: x @ p["kernel"] + (p["bias"] if "bias" in p else 0)))
    out.append(layer_case("extra flatten (3, 4, 5)", 'flatten', {}, rnd(3, 4, 5), {}, lambda x, p: x.reshape(x.shape[0], -1)))
    return out


ACTS = {
    'sigmoid': ({}, torch.sigmoid), 'tanh': ({}, torch.tanh), 'relu': ({}, torch.relu),
    'relu6': ({}, lambda x: torch.clamp(x, 0, 6)), 'softplus': ({}, F.softplus),
    'leakyRelu': ({"alpha": 0.1}, lambda x: F.leaky_relu(x, 0.1)), 'elu': ({"alpha": 1.5}, lambda x: F.elu(x, 1.5)),
    'selu': ({}, F.selu), 'swish': ({"beta": 0.7}, lambda x: x * torch.sigmoid(0.7 * x)),
    'gelu': ({}, lambda x: F.gelu(x)), 'softsign': ({}, F.softsign), 'linear': ({}, lambda x: x),
    'mish': ({}, lambda x: x * torch.tanh(F.softplus(x))),
}


def activation_cases():
    out = []
    for name, (extra, fn) in ACTS.items():
        x = rnd(3, 5, 2, lo=-7, hi=7)
        x = torch.where(x.abs() < 1e-2, x + 0.05, x)  # never at a kink
        x = torch.where((x - 6).abs() < 1e-2, x + 0.05, x)
        out.append(layer_case(f"extra {name} {extra}", 'activation', {"activation": name, **extra}, x, {}, lambda x, p, fn=fn: fn(x)))
    out.append(layer_case("extra softmax (4, 7)", 'activation', {"activation": "softmax"}, rnd(4, 7, lo=-4, hi=4), {}, lambda x, p: torch.softmax(x, -1)))
    x = rnd(3, 4, 2, lo=-2, hi=2)
    out.append(layer_case("extra prelu (3, 4, 2)", 'prelu', {}, x, {"alpha": rnd(2, lo=0, hi=0.5)},
                          lambda x, p: torch.where(x > 0, x, p["alpha"] * x)))
    return out


def loss_value(name, cfg, p, t):
    eps = 1e-7
    if name == 'meanSquaredError':
        return ((p - t) ** 2).mean(-1).mean()
    if name == 'meanAbsoluteError':
        return (p - t).abs().mean(-1).mean()
    if name == 'huber':
        d = cfg["delta"]
        e = (p - t).abs()
        return torch.where(e <= d, 0.5 * e ** 2, d * e - 0.5 * d * d).mean(-1).mean()
    if name == 'logCosh':
        return torch.log(torch.cosh(p - t)).mean(-1).mean()
    if name == 'categoricalCrossentropy':
        if cfg["fromLogits"]:
            return -(t * torch.log_softmax(p, -1)).sum(-1).mean()
        # as the shared golden set: no renormalisation of p (its gradient is -t/p/B)
        return -(t * torch.log(p.clamp(eps, 1 - eps))).sum(-1).mean()
    if name == 'binaryCrossentropy':
        if cfg["fromLogits"]:
            return (p.clamp(min=0) - p * t + torch.log1p(torch.exp(-p.abs()))).mean(-1).mean()
        q = p.clamp(eps, 1 - eps)
        return -(t * torch.log(q) + (1 - t) * torch.log(1 - q)).mean(-1).mean()
    if name == 'hinge':
        return torch.clamp(1 - t * p, min=0).mean(-1).mean()
    if name == 'squaredHinge':
        return (torch.clamp(1 - t * p, min=0) ** 2).mean(-1).mean()
    if name == 'sparseCategoricalCrossentropy':
        return F.cross_entropy(p, t.long())
    raise ValueError(name)


def loss_cases():
    out = []
    B, C = 5, 4
    onehot = F.one_hot(torch.randint(0, C, (B,)), C).to(D)
    signs = torch.where(torch.rand(B, C) < 0.5, -1.0, 1.0).to(D)
    probs = torch.softmax(rnd(B, C, lo=-2, hi=2), -1)
    specs = [('meanSquaredError', {}, rnd(B, C, lo=-2, hi=2), rnd(B, C, lo=-2, hi=2)),
             ('meanAbsoluteError', {}, rnd(B, C, lo=-2, hi=2), rnd(B, C, lo=-2, hi=2)),
             ('huber', {"delta": 0.5}, rnd(B, C, lo=-2, hi=2), rnd(B, C, lo=-2, hi=2)),
             ('logCosh', {}, rnd(B, C, lo=-2, hi=2), rnd(B, C, lo=-2, hi=2)),
             ('categoricalCrossentropy', {"fromLogits": False}, f32(probs), onehot),
             ('categoricalCrossentropy', {"fromLogits": True}, rnd(B, C, lo=-3, hi=3), onehot),
             ('binaryCrossentropy', {"fromLogits": False}, rnd(B, C, lo=0.05, hi=0.95), f32((torch.rand(B, C) < 0.5).to(D))),
             ('binaryCrossentropy', {"fromLogits": True}, rnd(B, C, lo=-3, hi=3), rnd(B, C, lo=0, hi=1)),
             ('hinge', {}, rnd(B, C, lo=-2, hi=2), signs),
             ('squaredHinge', {}, rnd(B, C, lo=-2, hi=2), signs),
             ('sparseCategoricalCrossentropy', {"fromLogits": True}, rnd(B, C, lo=-3, hi=3), torch.randint(0, C, (B,)).to(D))]
    for name, cfg, p, t in specs:
        p = p.clone().requires_grad_(True)
        v = loss_value(name, cfg, p, t)
        v.backward()
        out.append({"name": f"extra {name} {cfg}", "op": "loss", "config": {"loss": name, **cfg}, "yPred": T(p), "yTrue": T(t),
                    "value": float(v), "gradYPred": T(p.grad)})
    return out


def batchnorm_cases():
    B, L, C = 3, 7, 2
    mom, eps = 0.9, 1e-5
    x = rnd(B, L, C, lo=-3, hi=3)
    params = {"gamma": rnd(C, lo=0.5, hi=1.5), "beta": rnd(C, lo=-0.5, hi=0.5), "movingMean": rnd(C, lo=-0.2, hi=0.2), "movingVariance": rnd(C, lo=0.5, hi=1.5)}

    def train(x, p):
        m = x.mean((0, 1))
        v = x.var((0, 1), unbiased=False)
        return p["gamma"] * (x - m) / torch.sqrt(v + eps) + p["beta"]

    xg = x.clone().requires_grad_(True)
    ps = {k: v.clone().requires_grad_(k in ("gamma", "beta")) for k, v in params.items()}
    y = train(xg, ps)
    gy = rnd(*y.shape)
    (y * gy).sum().backward()
    m = x.mean((0, 1))
    v = x.var((0, 1), unbiased=False)
    tr = {"name": f"extra batchnorm training {(B, L, C)}", "op": "batchNorm", "config": {"momentum": mom, "epsilon": eps, "training": True},
          "input": T(x), "params": {k: T(v) for k, v in params.items()}, "output": T(y), "gradOutput": T(gy), "gradInput": T(xg.grad),
          "gradParams": {"gamma": T(ps["gamma"].grad), "beta": T(ps["beta"].grad)},
          "movingMeanAfter": T(mom * params["movingMean"] + (1 - mom) * m), "movingVarianceAfter": T(mom * params["movingVariance"] + (1 - mom) * v)}
    yi = params["gamma"] * (x - params["movingMean"]) / torch.sqrt(params["movingVariance"] + eps) + params["beta"]
    inf = {"name": f"extra batchnorm inference {(B, L, C)}", "op": "batchNorm", "config": {"momentum": mom, "epsilon": eps, "training": False},
           "input": T(x), "params": {k: T(v) for k, v in params.items()}, "output": T(yi)}
    return [tr, inf]


def network_case(name, spec, x, y, params, forward, loss, nesterov=False):
    def run(ps):
        return forward(x, ps)

    ps = {k: v.clone().requires_grad_(True) for k, v in params.items()}
    out = run(ps)
    l = loss(out, y)
    l.backward()
    case = {"name": name, "op": "network", "config": {"layers": spec}, "input": T(x), "yTrue": T(y), "params": {k: T(v) for k, v in params.items()},
            "output": T(out), "loss": float(l), "gradParams": {k: T(v.grad) for k, v in ps.items()}}
    # 3 steps of SGD (Keras form) and Adam on the same batch
    lr, m = 0.05, 0.9
    ps = {k: v.clone().requires_grad_(True) for k, v in params.items()}
    vel = {k: torch.zeros_like(v) for k, v in params.items()}
    for _ in range(3):
        g = torch.autograd.grad(loss(run(ps), y), list(ps.values()))
        with torch.no_grad():
            for (k, p), gk in zip(ps.items(), g):
                vel[k] = m * vel[k] - lr * gk
                p += m * vel[k] - lr * gk if nesterov else vel[k]
    sgd = {"learningRate": lr, "momentum": m, **({"nesterov": True} if nesterov else {})}
    case["afterSgd3"] = {"config": sgd, "params": {k: T(v) for k, v in ps.items()}}
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-7
    ps = {k: v.clone().requires_grad_(True) for k, v in params.items()}
    mm = {k: torch.zeros_like(v) for k, v in params.items()}
    vv = {k: torch.zeros_like(v) for k, v in params.items()}
    for t in range(1, 4):
        g = torch.autograd.grad(loss(run(ps), y), list(ps.values()))
        with torch.no_grad():
            for (k, p), gk in zip(ps.items(), g):
                mm[k] = b1 * mm[k] + (1 - b1) * gk
                vv[k] = b2 * vv[k] + (1 - b2) * gk * gk
                p -= lr * (mm[k] / (1 - b1 ** t)) / (torch.sqrt(vv[k] / (1 - b2 ** t)) + eps)
    case["afterAdam3"] = {"config": {"learningRate": lr, "beta1": b1, "beta2": b2, "epsilon": eps}, "params": {k: T(v) for k, v in ps.items()}}
    return case


def network_cases():
    B = 4
    x = rnd(B, 24, 2)
    y = F.one_hot(torch.tensor([0, 2, 1, 2]), 3).to(D)
    params = {"k1": rnd(5, 2, 3, lo=-0.5, hi=0.5), "b1": rnd(3, lo=-0.1, hi=0.1), "k2": rnd(3, 3, 4, lo=-0.5, hi=0.5), "b2": rnd(4, lo=-0.1, hi=0.1),
              "w": rnd(4, 3, lo=-0.5, hi=0.5), "b": rnd(3, lo=-0.1, hi=0.1)}

    def fwd(x, p):
        h = torch.tanh(conv1d(x, p["k1"], p["b1"], 1, 1, 'same'))
        h = pool1d(h, 'max', 2, 2, 'valid')
        h = torch.relu(conv1d(h, p["k2"], p["b2"], 1, 1, 'causal'))
        h = h.mean(1)
        return torch.softmax(h @ p["w"] + p["b"], -1)

    a = network_case("extra conv-tanh-maxpool-causal-gap", "Conv1D(3,5,same,tanh) > MaxPool1D(2) > Conv1D(4,3,causal,relu) > GlobalAvgPool1D > Dense(3,softmax); loss categoricalCrossentropy",
                     x, y, params, fwd, lambda o, t: -(t * torch.log(o)).sum(-1).mean())
    x2 = rnd(3, 15, 1)
    y2 = rnd(3, 2)
    p2 = {"k1": rnd(3, 1, 4, lo=-0.5, hi=0.5), "b1": rnd(4, lo=-0.1, hi=0.1), "w": rnd(16, 2, lo=-0.5, hi=0.5), "b": rnd(2, lo=-0.1, hi=0.1)}

    def fwd2(x, p):
        h = torch.sigmoid(conv1d(x, p["k1"], p["b1"], 2, 1, 'valid'))
        h = pool1d(h, 'avg', 3, 2, 'same')
        return h.reshape(h.shape[0], -1) @ p["w"] + p["b"]

    b = network_case("extra strided-avgpool-linear-mse", "Conv1D(4,3,valid,sigmoid,strides=2) > AvgPool1D(3,2,same) > Flatten > Dense(2); loss meanSquaredError",
                     x2, y2, p2, fwd2, lambda o, t: ((o - t) ** 2).mean(-1).mean())
    return [a, b]


# ---- cases added later: drawn after every case above, from their own seed, so the cases above keep
# their values when the script is rerun ---------------------------------------------------------

def max_first(windows):
    """Max over the last axis with the gradient routed to the FIRST maximum (tutorial eq. 7):
    torch.argmax returns the first maximal index; gather passes the gradient to it alone."""
    i = windows.argmax(-1, keepdim=True)
    return windows.gather(-1, i).squeeze(-1)


def maxpool_first(x, P, S, padding):
    """x [B, L, C] -> [B, T, C]; padded positions are -inf, never the winner."""
    _, pl, pr = geometry(x.shape[1], P, S, padding)
    xp = F.pad(x.transpose(1, 2), (pl, pr), value=-math.inf)
    return max_first(xp.unfold(2, P, S)).transpose(1, 2)


def tie_cases():
    out = []
    for P, S, pad, shape in [(3, 1, 'valid', (2, 9, 3)), (4, 2, 'same', (2, 11, 2)), (2, 2, 'valid', (1, 8, 4))]:
        x = f32(torch.randint(-2, 3, shape, dtype=D) * 0.5)  # five levels: most windows hold equal maxima
        c = layer_case(f"extra maxpool1d ties {shape} size{P} s{S} {pad} (first maximum wins)", 'pool1d',
                       {"kind": "max", "poolSize": P, "strides": S, "padding": pad}, x, {},
                       lambda x, p, P=P, S=S, pad=pad: maxpool_first(x, P, S, pad))
        # observable: routing to the last maximum instead gives another gradInput
        xl = x.flip(1).clone().requires_grad_(True)
        _, pl, pr = geometry(shape[1], P, S, pad)
        yl = max_first(F.pad(xl.transpose(1, 2), (pr, pl), value=-math.inf).unfold(2, P, S)).transpose(1, 2).flip(1)
        (yl * torch.tensor(c["gradOutput"]["data"], dtype=D).reshape(yl.shape)).sum().backward()
        assert not torch.allclose(xl.grad.flip(1), torch.tensor(c["gradInput"]["data"], dtype=D).reshape(shape)), "ties not observable"
        out.append(c)
    x = f32(torch.randint(-1, 2, (3, 6, 4), dtype=D))
    out.append(layer_case("extra global max ties (3, 6, 4) (first maximum wins)", 'globalPool1d', {"kind": "max"}, x, {},
                          lambda x, p: max_first(x.transpose(1, 2))))
    return out


def dense3d_cases():
    out = []
    for shape, U, bias in [((2, 7, 5), 3, True), ((3, 4, 6), 9, False), ((2, 2, 3, 4), 5, True)]:
        I = shape[-1]
        params = {"kernel": rnd(I, U, lo=-0.5, hi=0.5)}
        if bias:
            params["bias"] = rnd(U, lo=-0.2, hi=0.2)
        out.append(layer_case(f"extra dense on {shape} -> {U} (every position a row)", 'dense', {"units": U, "useBias": bias}, rnd(*shape), params,
                              lambda x, p: x @ p["kernel"] + (p["bias"] if "bias" in p else 0)))
    return out


def more_activation_cases():
    # hardSigmoid as cnn1d, TF.js and Keras 2 define it: clip(0.2x + 0.5, 0, 1) (Keras 3 uses relu6(x + 3) / 6)
    x = rnd(4, 6, 3, lo=-4, hi=4)
    x = torch.where((x.abs() - 2.5).abs() < 1e-2, x + 0.05, x)  # never at a kink
    hs = layer_case("extra hardSigmoid clip(0.2x + 0.5, 0, 1)", 'activation', {"activation": "hardSigmoid"}, x, {},
                    lambda x, p: torch.clamp(0.2 * x + 0.5, 0, 1))
    assert (x.abs() > 2.5).any() and (x.abs() < 2.5).any()
    mish = layer_case("extra mish (5, 8) wide range", 'activation', {"activation": "mish"}, rnd(5, 8, lo=-9, hi=5), {},
                      lambda x, p: x * torch.tanh(F.softplus(x)))
    return [hs, mish]


def more_loss_cases():
    eps = 1e-7
    B, C = 5, 4
    onehot = F.one_hot(torch.randint(0, C, (B,)), C).to(D)
    specs = [
        ('categoricalHinge', rnd(B, C, lo=-1, hi=2), onehot,
         lambda p, t: torch.clamp(((1 - t) * p).max(-1).values - (t * p).sum(-1) + 1, min=0).mean()),
        ('kullbackLeiblerDivergence', f32(torch.softmax(rnd(B, C, lo=-2, hi=2), -1)), f32(torch.softmax(rnd(B, C, lo=-2, hi=2), -1)),
         lambda p, t: (t.clamp(eps, 1) * torch.log(t.clamp(eps, 1) / p.clamp(eps, 1))).sum(-1).mean()),
        ('poisson', rnd(B, C, lo=0.1, hi=3), f32(torch.randint(0, 4, (B, C)).to(D)),
         lambda p, t: (p - t * torch.log(p + eps)).mean(-1).mean()),
        ('meanAbsolutePercentageError', rnd(B, C, lo=-2, hi=2), rnd(B, C, lo=0.2, hi=2) * torch.where(torch.rand(B, C) < 0.5, -1.0, 1.0).to(D),
         lambda p, t: (100 * (t - p).abs() / t.abs().clamp(min=eps)).mean(-1).mean()),
        ('meanSquaredLogarithmicError', rnd(B, C, lo=0, hi=3), rnd(B, C, lo=0, hi=3),
         lambda p, t: ((torch.log(p.clamp(min=eps) + 1) - torch.log(t.clamp(min=eps) + 1)) ** 2).mean(-1).mean()),
    ]
    out = []
    for name, p, t, fn in specs:
        p = p.clone().requires_grad_(True)
        v = fn(p, t)
        v.backward()
        out.append({"name": f"extra {name}", "op": "loss", "config": {"loss": name}, "yPred": T(p), "yTrue": T(t), "value": float(v), "gradYPred": T(p.grad)})
    return out


def optimizer_cases():
    """Keras SGD with Nesterov momentum, step by step with a different gradient each step:
    vel = m*vel - lr*g; p += m*vel - lr*g."""
    out = []
    for shape, lr, m, steps in [((3, 5), 0.1, 0.9, 5), ((17,), 0.05, 0.5, 4)]:
        p = rnd(*shape)
        grads = rnd(steps, *shape, lo=-2, hi=2)
        vel = torch.zeros_like(p)
        q = p.clone()
        after = []
        for g in grads:
            vel = m * vel - lr * g
            q = q + m * vel - lr * g
            after.append(q.clone())
        out.append({"name": f"extra sgd nesterov {shape} lr{lr} m{m} x{steps}", "op": "optimizer",
                    "config": {"optimizer": "sgd", "learningRate": lr, "momentum": m, "nesterov": True},
                    "params": T(p), "grads": T(grads), "paramsAfter": T(torch.stack(after))})
    return out


def nesterov_network_case():
    x = rnd(3, 12, 2)
    y = F.one_hot(torch.tensor([1, 0, 1]), 2).to(D)
    params = {"k1": rnd(3, 2, 4, lo=-0.5, hi=0.5), "b1": rnd(4, lo=-0.1, hi=0.1), "w": rnd(4, 2, lo=-0.5, hi=0.5), "b": rnd(2, lo=-0.1, hi=0.1)}

    def fwd(x, p):
        h = torch.tanh(conv1d(x, p["k1"], p["b1"], 2, 1, 'same'))
        return torch.softmax(h.mean(1) @ p["w"] + p["b"], -1)

    return network_case("extra sgd-nesterov conv-gap-dense", "Conv1D(4,3,same,tanh,strides=2) > GlobalAvgPool1D > Dense(2,softmax); loss categoricalCrossentropy",
                        x, y, params, fwd, lambda o, t: -(t * torch.log(o)).sum(-1).mean(), nesterov=True)


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    files = {"conv1d.json": conv_cases(), "pool1d.json": pool_cases(), "dense.json": dense_cases(), "activations.json": activation_cases(),
             "losses.json": loss_cases(), "batchnorm.json": batchnorm_cases(), "networks.json": network_cases()}
    torch.manual_seed(5678)
    files["pool1d.json"] += tie_cases()
    files["dense.json"] += dense3d_cases()
    files["activations.json"] += more_activation_cases()
    files["losses.json"] += more_loss_cases()
    files["networks.json"].append(nesterov_network_case())
    files["optimizers.json"] = optimizer_cases()
    for name, cases in files.items():
        with open(os.path.join(OUT, name), 'w') as f:
            json.dump({"cases": cases}, f)
        print(f"{name}: {len(cases)} cases")
