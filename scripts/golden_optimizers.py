#!/usr/bin/env python3
"""Writes test/golden/extra/optimizers-more.json: optimizer cases ("op": "optimizer", see
test/golden/runners.ts) for RMSprop (plain, momentum, centered), AdamW, Adagrad, Adamax and NAdam,
gradient clipping (global clipnorm, clipvalue) and learning-rate schedules, each run step by step
in float64 with a different gradient every step; paramsAfter holds the parameters after each step.

Sources, all float64:
- torch.optim.RMSprop / AdamW / Adagrad / Adamax run directly (eps outside the root, PyTorch's
  placement, which cnn1d follows; cnn1d names: rho = alpha, epsilon = eps).
- NAdam: torch.optim.NAdam's formula as of PyTorch 2.0 (the 1.x release installed here computes
  1 - mu_product*mu*mu_next in the momentum denominator, fixed by pytorch/pytorch#92699), written out
  below; it is also Keras's Nadam with momentum_decay 0.004.
- clipnorm: the global norm as Keras global_clipnorm, g * c / max(||g||, c) over the whole block
  (torch.nn.utils.clip_grad_norm_ adds 1e-6 to the norm); clipvalue: torch.nn.utils.clip_grad_value_.
- Schedules: Keras formulas (keras/src/optimizers/schedules/learning_rate_schedule.py) written out,
  the rate set on the param group before each step (step = updates done, 0 first); one-cycle is
  torch.optim.lr_scheduler.OneCycleLR with cycle_momentum=False.
- SGD with momentum in Keras's form (vel = m*vel - lr*g; p += vel), written out, as golden_extra.py.

Run: /usr/bin/python3 scripts/golden_optimizers.py   (only to regenerate; the tests read the JSON)."""
import json, math, os
import torch

torch.manual_seed(2468)
D = torch.float64
OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'golden', 'extra', 'optimizers-more.json')


def f32(t):
    """float32-representable inputs, kept in float64."""
    return t.to(torch.float32).to(D)


def rnd(*shape, lo=-1.0, hi=1.0):
    return f32(torch.rand(*shape, dtype=D) * (hi - lo) + lo)


def T(t):
    t = t.detach()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1)]}


# ---- schedules (Keras formulas), step = completed updates -----------------------------------
def exponential_decay(c):
    return lambda s: c["initialLearningRate"] * c["decayRate"] ** ((s // c["decaySteps"]) if c.get("staircase") else s / c["decaySteps"])


def piecewise_constant(c):
    def rate(s):
        for b, v in zip(c["boundaries"], c["values"]):
            if s <= b:
                return v
        return c["values"][-1]
    return rate


def cosine_decay(c):
    lr0, ds, alpha = c["initialLearningRate"], c["decaySteps"], c.get("alpha", 0.0)
    target, ws = c.get("warmupTarget"), c.get("warmupSteps", 0)

    def decayed(s, start):
        return start * ((1 - alpha) * 0.5 * (1 + math.cos(math.pi * s / ds)) + alpha)

    def rate(s):
        if target is None:
            return decayed(min(s, ds), lr0)
        s = min(s, ds + ws)
        return (target - lr0) * (s / ws) + lr0 if s < ws else decayed(s - ws, target)
    return rate


SCHEDULES = {"ExponentialDecay": exponential_decay, "PiecewiseConstantDecay": piecewise_constant, "CosineDecay": cosine_decay}


# ---- gradient transforms --------------------------------------------------------------------
def clipped(g, config):
    if "clipnorm" in config:
        c = config["clipnorm"]
        return g * (c / max(float(g.norm()), c))
    if "clipvalue" in config:
        g = g.clone()
        p = torch.nn.Parameter(torch.zeros_like(g))
        p.grad = g
        torch.nn.utils.clip_grad_value_([p], config["clipvalue"])
        return p.grad
    return g


# ---- optimizers -------------------------------------------------------------------------------
def torch_optimizer(name, param, c, lr):
    if name == 'rmsprop':
        return torch.optim.RMSprop([param], lr=lr, alpha=c.get("rho", 0.9), eps=c.get("epsilon", 1e-7), momentum=c.get("momentum", 0.0), centered=c.get("centered", False))
    if name == 'adamw':
        return torch.optim.AdamW([param], lr=lr, betas=(c.get("beta1", 0.9), c.get("beta2", 0.999)), eps=c.get("epsilon", 1e-7), weight_decay=c.get("weightDecay", 0.004))
    if name == 'adam':
        return torch.optim.Adam([param], lr=lr, betas=(c.get("beta1", 0.9), c.get("beta2", 0.999)), eps=c.get("epsilon", 1e-7))
    if name == 'adagrad':
        return torch.optim.Adagrad([param], lr=lr, initial_accumulator_value=c.get("initialAccumulatorValue", 0.1), eps=c.get("epsilon", 1e-7))
    if name == 'adamax':
        return torch.optim.Adamax([param], lr=lr, betas=(c.get("beta1", 0.9), c.get("beta2", 0.999)), eps=c.get("epsilon", 1e-7))
    return None


class NAdam:
    """torch.optim.NAdam (PyTorch >= 2.0 single-tensor path), no weight decay."""

    def __init__(self, param, c):
        self.p, self.b1, self.b2 = param, c.get("beta1", 0.9), c.get("beta2", 0.999)
        self.eps, self.psi = c.get("epsilon", 1e-7), c.get("momentumDecay", 0.004)
        self.m, self.v, self.mu_product, self.t = torch.zeros_like(param), torch.zeros_like(param), 1.0, 0

    def step(self, g, lr):
        self.t += 1
        t, b1, b2 = self.t, self.b1, self.b2
        mu = b1 * (1 - 0.5 * 0.96 ** (t * self.psi))
        mu_next = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * self.psi))
        self.mu_product *= mu
        self.m = b1 * self.m + (1 - b1) * g
        self.v = b2 * self.v + (1 - b2) * g * g
        denom = (self.v / (1 - b2 ** t)).sqrt() + self.eps
        self.p -= lr * (1 - mu) / (1 - self.mu_product) * g / denom
        self.p -= lr * mu_next / (1 - self.mu_product * mu_next) * self.m / denom


class KerasSGD:
    def __init__(self, param, c):
        self.p, self.m, self.nesterov = param, c.get("momentum", 0.0), c.get("nesterov", False)
        self.vel = torch.zeros_like(param)

    def step(self, g, lr):
        self.vel = self.m * self.vel - lr * g
        self.p += self.m * self.vel - lr * g if self.nesterov else self.vel


def run(name, shape, config, steps=5, grad_scales=None):
    """config: the cnn1d optimizer config (camelCase); its learningRate is a number or a saved
    schedule {className, config} ({className: 'OneCycle'} runs torch's OneCycleLR)."""
    p0 = rnd(*shape)
    grads = rnd(steps, *shape, lo=-2, hi=2)
    if grad_scales:
        grads = f32(grads * torch.tensor(grad_scales, dtype=D).reshape(-1, *[1] * len(shape)))
    lr_spec = config.get("learningRate", 0.001)
    sched = None
    if isinstance(lr_spec, dict) and lr_spec["className"] != 'OneCycle':
        sched = SCHEDULES[lr_spec["className"]](lr_spec["config"])
    lr0 = sched(0) if sched else (lr_spec if not isinstance(lr_spec, dict) else 0.0)
    param = torch.nn.Parameter(p0.clone())
    opt = torch_optimizer(name, param, config, lr0)
    manual = NAdam(param.data, config) if name == 'nadam' else KerasSGD(param.data, config) if name == 'sgd' else None
    one_cycle = None
    if isinstance(lr_spec, dict) and lr_spec["className"] == 'OneCycle':
        c = lr_spec["config"]
        one_cycle = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=c["maxLearningRate"], total_steps=c["totalSteps"], pct_start=c.get("pctStart", 0.3),
                                                        div_factor=c.get("divFactor", 25.0), final_div_factor=c.get("finalDivFactor", 1e4),
                                                        anneal_strategy=c.get("annealStrategy", 'cos'), three_phase=c.get("threePhase", False), cycle_momentum=False)
    after, rates = [], []
    for s, g in enumerate(grads):
        gc = clipped(g, config)
        lr = sched(s) if sched else (opt.param_groups[0]["lr"] if opt else lr_spec)
        rates.append(lr)
        if manual:
            manual.step(gc, lr)
        else:
            opt.param_groups[0]["lr"] = lr
            param.grad = gc.clone()
            opt.step()
            if one_cycle:
                one_cycle.step()
        after.append(param.detach().clone())
    tag = ' '.join(f"{k}={json.dumps(v) if not isinstance(v, dict) else v['className']}" for k, v in config.items())
    return {"name": f"more {name} {tag} {tuple(shape)} x{steps}", "op": "optimizer", "config": {"optimizer": name, **config},
            "params": T(p0), "grads": T(grads), "paramsAfter": T(torch.stack(after)), "learningRates": rates}


def cases():
    # rates large enough that an update is far above the comparison tolerance (1e-4 + 1e-3*|p|)
    out = [
        run('rmsprop', (3, 5), {"learningRate": 0.05}),
        run('rmsprop', (17,), {"learningRate": 0.05, "rho": 0.8, "momentum": 0.9}),
        run('rmsprop', (3, 5), {"learningRate": 0.05, "centered": True}),
        run('rmsprop', (2, 9), {"learningRate": 0.05, "momentum": 0.5, "centered": True, "epsilon": 1e-6}),
        run('adamw', (3, 5), {"learningRate": 0.1, "weightDecay": 0.5}),
        run('adamw', (17,), {"learningRate": 0.1, "beta1": 0.8, "beta2": 0.99}),
        run('adagrad', (3, 5), {"learningRate": 0.5}),
        run('adagrad', (17,), {"learningRate": 0.3, "initialAccumulatorValue": 0.0, "epsilon": 1e-6}),
        run('adamax', (3, 5), {"learningRate": 0.1}),
        run('adamax', (17,), {"learningRate": 0.1, "beta1": 0.5, "beta2": 0.9}),
        run('nadam', (3, 5), {"learningRate": 0.1}),
        run('nadam', (17,), {"learningRate": 0.1, "beta1": 0.8, "momentumDecay": 0.04}),
        # clipping: gradient scales make the global norm cross clipnorm between steps
        run('sgd', (3, 5), {"learningRate": 0.1, "momentum": 0.9, "clipnorm": 1.0}, grad_scales=[1, 0.05, 2, 0.1, 1]),
        run('adam', (17,), {"learningRate": 0.1, "clipvalue": 0.5}),
        run('rmsprop', (3, 5), {"learningRate": 0.05, "momentum": 0.9, "centered": True, "clipnorm": 2.0}, grad_scales=[1, 0.2, 3, 0.1, 1]),
        run('adamw', (17,), {"learningRate": 0.1, "weightDecay": 0.5, "clipvalue": 0.3}),
        run('adagrad', (3, 5), {"learningRate": 0.5, "clipnorm": 0.5}),
        run('adamax', (17,), {"learningRate": 0.1, "clipvalue": 1.0}),
        run('nadam', (3, 5), {"learningRate": 0.1, "clipnorm": 1.5}, grad_scales=[1, 0.1, 1, 0.1, 1]),
        # schedules
        run('adam', (3, 5), {"learningRate": {"className": "CosineDecay", "config": {"initialLearningRate": 0.0, "decaySteps": 3, "alpha": 0.1, "warmupTarget": 0.2, "warmupSteps": 2}}}, steps=7),
        run('sgd', (17,), {"learningRate": {"className": "ExponentialDecay", "config": {"initialLearningRate": 0.2, "decaySteps": 2, "decayRate": 0.5}}, "momentum": 0.5}),
        run('rmsprop', (3, 5), {"learningRate": {"className": "PiecewiseConstantDecay", "config": {"boundaries": [1, 3], "values": [0.1, 0.05, 0.01]}}, "momentum": 0.9}),
        run('adamw', (17,), {"learningRate": {"className": "OneCycle", "config": {"maxLearningRate": 0.2, "totalSteps": 6}}, "weightDecay": 0.5}, steps=6),
        run('nadam', (3, 5), {"learningRate": {"className": "ExponentialDecay", "config": {"initialLearningRate": 0.2, "decaySteps": 2, "decayRate": 0.5, "staircase": True}}}),
        run('adagrad', (17,), {"learningRate": {"className": "CosineDecay", "config": {"initialLearningRate": 0.5, "decaySteps": 4}}, "clipvalue": 0.8}, steps=6),
    ]
    return out


if __name__ == '__main__':
    cs = cases()
    with open(OUT, 'w') as f:
        json.dump({"cases": cs}, f)
    print(f"optimizers-more.json: {len(cs)} cases")
