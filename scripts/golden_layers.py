#!/usr/bin/env python3
"""Writes test/golden/layers/layers.json: golden cases for the layers, regularizers and
constraints of issue 10, computed independently in float64 by PyTorch (autograd for every
gradient), with the Keras definitions written out where PyTorch has none:
  layerNormalization  F.layer_norm over the last axis (Keras default epsilon 1e-3)
  embedding           F.embedding; the table gradient by autograd
  flatten             channels_first: x.permute(0, 2, 1).reshape(B, -1) (Keras Flatten data_format)
  timeDistributed     x @ kernel + bias at every step, then the activation
  rrelu               F.rrelu(training=False): slope (lower + upper) / 2 (forward only: inference)
  penalty             l1 * sum|w| + l2 * sum w^2 (Keras L1L2), its gradient by autograd
  constraint          Keras MaxNorm / UnitNorm / NonNeg: w * clip(n, 0, max) / (1e-7 + n),
                      w / (1e-7 + n), w * (w >= 0), n the L2 norm over `axis` (keepdims)
Run: /usr/bin/python3 scripts/golden_layers.py   (only to regenerate; the tests read the JSON)."""
import json, os
import torch
import torch.nn.functional as F

torch.manual_seed(1010)
D = torch.float64
OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'golden', 'layers', 'layers.json')


def f32(t):
    return t.to(torch.float32).to(D)


def rnd(*shape, lo=-1.0, hi=1.0):
    return f32(torch.rand(*shape, dtype=D) * (hi - lo) + lo)


def T(t):
    t = t.detach()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1)]}


def layer_case(name, op, config, x, params, fwd, grad=True):
    """fwd(x, params) -> y; gradients of sum(gy * y) w.r.t. x (when float) and every param."""
    x = x.clone().requires_grad_(grad and x.dtype == D)
    ps = {k: v.clone().requires_grad_(grad) for k, v in params.items()}
    y = fwd(x, ps)
    case = {"name": name, "op": op, "config": config, "input": T(x), "params": {k: T(v) for k, v in params.items()}, "output": T(y)}
    if grad:
        gy = rnd(*y.shape)
        (y * gy).sum().backward()
        case["gradOutput"] = T(gy)
        case["gradInput"] = T(x.grad) if x.grad is not None else T(torch.zeros_like(x))
        case["gradParams"] = {k: T(v.grad) for k, v in ps.items()}
    return case


cases = []
for shape, cfg in [((2, 5, 3), {}), ((3, 7), {"epsilon": 1e-5}), ((2, 4, 9), {"center": False}), ((2, 6, 4), {"scale": False, "epsilon": 0.01})]:
    C = shape[-1]
    params = {}
    if cfg.get("scale", True):
        params["gamma"] = rnd(C, lo=0.5, hi=1.5)
    if cfg.get("center", True):
        params["beta"] = rnd(C)
    eps = cfg.get("epsilon", 1e-3)
    fwd = lambda x, p, C=C, eps=eps: F.layer_norm(x, (C,), p.get("gamma"), p.get("beta"), eps)
    cases.append(layer_case(f"layerNormalization {list(shape)} {cfg}", "layerNormalization", cfg, rnd(*shape, lo=-2, hi=3), params, fwd))

for B, L, V, Dd in [(2, 6, 7, 5), (3, 4, 3, 9)]:
    ids = torch.randint(0, V, (B, L)).to(D)
    cases.append(layer_case(f"embedding V{V} D{Dd}", "embedding", {"inputDim": V, "outputDim": Dd}, ids, {"embeddings": rnd(V, Dd)},
                            lambda x, p: F.embedding(x.long(), p["embeddings"])))

for shape in [(2, 4, 3), (1, 7, 5)]:
    cases.append(layer_case(f"flatten channelsFirst {list(shape)}", "flatten", {"dataFormat": "channelsFirst"}, rnd(*shape), {},
                            lambda x, p: x.permute(0, 2, 1).reshape(x.shape[0], -1)))

for shape, units, act in [((2, 5, 3), 4, "tanh"), ((1, 3, 6), 2, "linear")]:
    fn = torch.tanh if act == "tanh" else (lambda z: z)
    cases.append(layer_case(f"timeDistributed dense {units} {act}", "timeDistributed", {"units": units, "activation": act}, rnd(*shape),
                            {"kernel": rnd(shape[-1], units), "bias": rnd(units)}, lambda x, p, fn=fn: fn(x @ p["kernel"] + p["bias"])))

for lower, upper in [(1 / 8, 1 / 3), (0.05, 0.45)]:
    x = rnd(2, 5, 3, lo=-2, hi=2)
    cases.append(layer_case(f"rrelu inference {lower:.3f}-{upper:.3f}", "rrelu", {"lower": lower, "upper": upper}, x, {},
                            lambda x, p, lo=lower, hi=upper: F.rrelu(x, lo, hi, training=False), grad=False))

for shape, l1, l2 in [((3, 4), 0.01, 0.0), ((2, 3, 5), 0.0, 0.02), ((17,), 0.3, 0.1)]:
    w = rnd(*shape)
    wg = w.clone().requires_grad_(True)
    p = l1 * wg.abs().sum() + l2 * (wg * wg).sum()
    p.backward()
    cases.append({"name": f"penalty l1 {l1} l2 {l2} {list(shape)}", "op": "penalty", "config": {"l1": l1, "l2": l2},
                  "input": T(w), "output": {"shape": [], "data": [float(p)]}, "gradInput": T(wg.grad)})


def norms(w, axis):
    return torch.sqrt((w * w).sum(dim=axis, keepdim=True))


for shape, kind, cfg in [((4, 3), "maxNorm", {"maxValue": 0.8, "axis": 0}), ((3, 2, 4), "maxNorm", {"maxValue": 1.0, "axis": [0, 1]}),
                         ((5, 3), "maxNorm", {"maxValue": 0.5, "axis": -1}), ((3, 2, 4), "unitNorm", {"axis": 0}),
                         ((4, 6), "unitNorm", {"axis": 1}), ((3, 5), "nonNeg", {})]:
    w = rnd(*shape, lo=-1.5, hi=1.5)
    if kind == "maxNorm":
        n = norms(w, cfg["axis"])
        out = w * torch.clamp(n, 0, cfg["maxValue"]) / (1e-7 + n)
    elif kind == "unitNorm":
        out = w / (1e-7 + norms(w, cfg["axis"]))
    else:
        out = w * (w >= 0).to(D)
    cases.append({"name": f"constraint {kind} {cfg} {list(shape)}", "op": "constraint", "config": {"kind": kind, **cfg}, "input": T(w), "output": T(out)})

with open(OUT, "w") as fh:
    json.dump({"cases": cases}, fh)
print(f"golden_layers: {len(cases)} cases -> {OUT}")
