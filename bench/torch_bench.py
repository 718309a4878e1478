"""PyTorch side of `npm run bench` (bench/systems/torch.ts): one JSON command per stdin line, one
JSON answer per stdout line. The model is built from the workload's layer list of
bench/workloads.ts with the weights cnn1d exported, channels-first inside:
  x [B, L, C] -> [B, C, L]; conv weight [K, C, F] -> [F, C, K]; dense weight [I, U] -> [U, I].
Timing runs here (time.perf_counter), so the pipe is never inside a timed interval."""
import json
import sys
import time

import torch
from torch import nn


class ChannelsLast(nn.Module):
    """[B, C, L] -> [B, L, C], so Flatten orders values as Keras does."""

    def forward(self, x):
        return x.transpose(1, 2)


class GlobalAvgPool(nn.Module):
    def forward(self, x):
        return x.mean(dim=2)


def activation(name, last):
    if name == "relu":
        return [nn.ReLU()]
    if name == "sigmoid":
        return [nn.Sigmoid()]
    if name == "softmax":
        # the loss takes the logits (log-softmax inside CrossEntropyLoss); inference adds softmax
        assert last, "softmax is only supported as the output activation"
        return []
    return []


def build(w):
    mods, params = [], []  # params: (tensor, transform) in cnn1d's getWeights() order
    shape = w["input"]  # [L, C] or [N]
    flat = False
    n = len(w["layers"])
    for i, l in enumerate(w["layers"]):
        k = l["kind"]
        if k == "conv":
            C = shape[1]
            pad = "same" if l["padding"] == "same" else 0
            conv = nn.Conv1d(C, l["filters"], l["kernel"], stride=l["stride"], padding=pad)
            mods.append(conv)
            params += [(conv.weight, lambda t: t.permute(2, 1, 0)), (conv.bias, None)]
            mods += activation(l["activation"], i == n - 1)
            L = (-(-shape[0] // l["stride"])) if l["padding"] == "same" else (shape[0] - l["kernel"]) // l["stride"] + 1
            shape = [L, l["filters"]]
        elif k == "bn":
            bn = nn.BatchNorm1d(shape[1], eps=1e-3, momentum=0.01)  # Keras momentum 0.99
            mods.append(bn)
            params += [(bn.weight, None), (bn.bias, None), (bn.running_mean, None), (bn.running_var, None)]
        elif k == "act":
            mods += activation(l["activation"], i == n - 1)
        elif k in ("maxpool", "avgpool"):
            mods.append(nn.MaxPool1d(l["pool"]) if k == "maxpool" else nn.AvgPool1d(l["pool"]))
            shape = [shape[0] // l["pool"], shape[1]]
        elif k == "flatten":
            mods += [ChannelsLast(), nn.Flatten()]
            shape, flat = [shape[0] * shape[1]], True
        elif k == "gap":
            mods.append(GlobalAvgPool())
            shape, flat = [shape[1]], True
        elif k == "dense":
            lin = nn.Linear(shape[0], l["units"])
            mods.append(lin)
            params += [(lin.weight, lambda t: t.t()), (lin.bias, None)]
            mods += activation(l["activation"], i == n - 1)
            shape = [l["units"]]
    assert flat, "the network must end in flatten/gap and dense layers"
    return nn.Sequential(*mods), params


class Bench:
    def __init__(self, threads):
        torch.set_num_threads(threads)
        torch.manual_seed(0)

    def load(self, msg):
        w = self.w = msg["workload"]
        L, C = w["input"]
        self.softmax = w["layers"][-1].get("activation") == "softmax"
        self.shapes = [s for s in msg["weightShapes"]]
        self.weights = [torch.tensor(v, dtype=torch.float32).reshape(s) for v, s in zip(msg["weights"], self.shapes)]
        x = lambda v, b: torch.tensor(v, dtype=torch.float32).reshape(b, L, C).transpose(1, 2).contiguous()
        self.x_train = x(msg["xTrain"], w["batch"])
        self.x_infer = x(msg["xInfer"], msg["inferBatch"])
        self.x_one = x(msg["xOne"], 1)
        y = torch.tensor(msg["yTrain"], dtype=torch.float32)
        self.y_train = y.long() if w["loss"] == "sce" else y.reshape(w["batch"], -1)
        self.loss = nn.CrossEntropyLoss() if w["loss"] == "sce" else nn.MSELoss()
        self.adam = msg["adam"]
        self.reset()
        return {}

    def reset(self):
        self.model, params = build(self.w)
        with torch.no_grad():
            for (p, f), v in zip(params, self.weights):
                p.copy_(f(v) if f else v)
        a = self.adam
        self.opt = torch.optim.Adam(self.model.parameters(), lr=a["learningRate"], betas=(a["beta1"], a["beta2"]), eps=a["epsilon"])

    def infer(self, x):
        self.model.eval()
        with torch.no_grad():
            y = self.model(x)
            return torch.softmax(y, dim=1) if self.softmax else y

    def step(self):
        self.model.train()
        self.opt.zero_grad()
        loss = self.loss(self.model(self.x_train), self.y_train)
        loss.backward()
        self.opt.step()
        return loss.item()

    def infer_outputs(self, msg):
        return {"out": self.infer(self.x_infer).reshape(-1).tolist()}

    def train_losses(self, msg):
        self.reset()
        losses, seconds = [], []
        for _ in range(msg["steps"]):
            t0 = time.perf_counter()
            losses.append(self.step())
            seconds.append(time.perf_counter() - t0)
        return {"losses": losses, "seconds": seconds}

    def time(self, msg):
        what, n = msg["what"], msg["n"]
        if what == "train":
            t0 = time.perf_counter()
            for _ in range(n):
                self.step()
            return {"seconds": time.perf_counter() - t0}
        if what == "infer":
            t0 = time.perf_counter()
            for _ in range(n):
                self.infer(self.x_infer)
            return {"seconds": time.perf_counter() - t0}
        ts = []
        for _ in range(n):
            t0 = time.perf_counter()
            self.infer(self.x_one)
            ts.append(time.perf_counter() - t0)
        ts.sort()
        return {"seconds": ts[len(ts) // 2]}


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    bench = Bench(threads)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        msg = json.loads(line)
        try:
            out = getattr(bench, msg["cmd"])(msg)
        except Exception as e:  # reported to the JS side, which names the workload
            out = {"error": f"{type(e).__name__}: {e}"}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
