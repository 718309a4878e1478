#!/usr/bin/env python3
"""Train a 1D CNN with PyTorch DistributedDataParallel and export it to ONNX for cnn1d.

One process per GPU or CPU worker, on one machine or many (torchrun sets the rank variables):

    # one machine, two CPU workers (gloo); the smoke test of docs/guides/onnx.md
    torchrun --standalone --nproc_per_node 2 scripts/onnx_ddp_train.py --out fcn.onnx --epochs 3

    # two machines with 4 GPUs each (run on both; NODE0 is the first machine's address)
    torchrun --nnodes 2 --nproc_per_node 4 --rdzv_backend c10d --rdzv_endpoint NODE0:29500 \\
        scripts/onnx_ddp_train.py --backend nccl --out fcn.onnx --epochs 30

The data here is a synthetic three-class signal set (replace `dataset()` with yours); rank 0
exports the trained model with a dynamic batch and length (opset 17), which cnn1d loads with
`await loadModel('fcn.onnx')`, fine-tunes with fit and streams with model.stream().
Without torchrun (Debian's python3-torch 1.13 has none, and its `python3 -m torch.distributed.run`
fails on Python 3.12), start one process per worker with the variables torchrun would set:

    export MASTER_ADDR=127.0.0.1 MASTER_PORT=29500 WORLD_SIZE=2
    RANK=1 python3 scripts/onnx_ddp_train.py --out fcn.onnx --epochs 3 &
    RANK=0 python3 scripts/onnx_ddp_train.py --out fcn.onnx --epochs 3
"""
import argparse
import math
import os

import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler


class FCN(nn.Module):
    """Wang et al. 2017 fully convolutional network (odd kernels: torch.onnx cannot export 'same')."""

    def __init__(self, channels=1, classes=3, width=32):
        super().__init__()
        layers = []
        for c_in, c_out, k in ((channels, width, 7), (width, 2 * width, 5), (2 * width, width, 3)):
            layers += [nn.Conv1d(c_in, c_out, k, padding=k // 2), nn.BatchNorm1d(c_out), nn.ReLU()]
        self.body = nn.Sequential(*layers)
        self.fc = nn.Linear(width, classes)

    def forward(self, x):  # x [batch, channels, length]
        return self.fc(self.body(x).mean(dim=-1))


def dataset(n=3000, length=128, seed=0):
    """Three classes: a sine, a square wave and a chirp, with random phase and noise."""
    g = torch.Generator().manual_seed(seed)
    t = torch.linspace(0, 1, length)
    y = torch.randint(0, 3, (n,), generator=g)
    phase = torch.rand(n, 1, generator=g) * 2 * math.pi
    f = 4 + 4 * torch.rand(n, 1, generator=g)
    waves = [torch.sin(2 * math.pi * f * t + phase), torch.sign(torch.sin(2 * math.pi * f * t + phase)), torch.sin(2 * math.pi * f * t * (1 + 2 * t) + phase)]
    x = torch.stack([waves[int(k)][i] for i, k in enumerate(y)]) + 0.3 * torch.randn(n, length, generator=g)
    return TensorDataset(x.unsqueeze(1), y)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--out', default='fcn.onnx')
    p.add_argument('--epochs', type=int, default=5)
    p.add_argument('--batch', type=int, default=64)
    p.add_argument('--backend', default='gloo', help='gloo (CPU) or nccl (GPU)')
    args = p.parse_args()

    dist.init_process_group(args.backend)
    rank, world = dist.get_rank(), dist.get_world_size()
    device = torch.device(f'cuda:{int(os.environ.get("LOCAL_RANK", 0))}') if args.backend == 'nccl' else torch.device('cpu')
    torch.manual_seed(0)  # the same initial weights on every rank (DDP also broadcasts rank 0's)
    model = FCN().to(device)
    ddp = DistributedDataParallel(model, device_ids=[device] if device.type == 'cuda' else None)
    data = dataset()
    sampler = DistributedSampler(data, num_replicas=world, rank=rank, shuffle=True)
    loader = DataLoader(data, batch_size=args.batch, sampler=sampler)
    opt = torch.optim.Adam(ddp.parameters(), lr=3e-3)
    for epoch in range(args.epochs):
        sampler.set_epoch(epoch)
        ddp.train()
        total, correct, seen = 0.0, 0, 0
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            opt.zero_grad()
            logits = ddp(x)
            loss = F.cross_entropy(logits, y)
            loss.backward()  # gradients all-reduced across every rank here
            opt.step()
            total += loss.item() * len(y)
            correct += (logits.argmax(1) == y).sum().item()
            seen += len(y)
        stats = torch.tensor([total, correct, seen], dtype=torch.float64, device=device)
        dist.all_reduce(stats)
        if rank == 0:
            print(f'epoch {epoch + 1}: loss {stats[0] / stats[2]:.4f}, accuracy {stats[1] / stats[2]:.3f} ({world} workers)')
    if rank == 0:
        model.eval().cpu()
        torch.onnx.export(model, torch.randn(1, 1, 128), args.out, opset_version=17, input_names=['x'], output_names=['logits'],
                          dynamic_axes={'x': {0: 'batch', 2: 'length'}, 'logits': {0: 'batch'}})
        print(f'wrote {args.out}')
    dist.destroy_process_group()


if __name__ == '__main__':
    main()
