#!/usr/bin/env python3
"""PyTorch definitions of published 1D CNNs, exported with torch.onnx.export at opsets 13 and 17
into test/fixtures/onnx/<name>-op<opset>.onnx (the fixtures of test/io/onnx-import.test.ts).

    /usr/bin/python3 scripts/onnx_fixtures.py            # torch 1.13 (Debian python3-torch)

Small widths keep the files small; BatchNorm layers run a few training batches first (non-trivial
running statistics), get random affine parameters, and the models are exported in eval mode: at
opset 13 as torch does by default (each BatchNorm folded into the conv before it), at opset 17 with
TrainingMode.PRESERVE (BatchNormalization nodes kept).
Input [batch, channels, length] with a dynamic batch and (where the model allows) length.
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'onnx')


def conv_bn(c_in, c_out, k, **kw):
    return nn.Sequential(nn.Conv1d(c_in, c_out, k, **kw), nn.BatchNorm1d(c_out), nn.ReLU())


class FCN(nn.Module):
    """Wang, Yan & Oates 2017: 3 x [conv-BN-ReLU] (k 7, 5, 3; odd, as torch.onnx cannot export padding='same'), global average pooling, linear."""

    def __init__(self, c=1, classes=3):
        super().__init__()
        self.body = nn.Sequential(conv_bn(c, 8, 7, padding=3), conv_bn(8, 12, 5, padding=2), conv_bn(12, 8, 3, padding=1))
        self.fc = nn.Linear(8, classes)

    def forward(self, x):
        return self.fc(self.body(x).mean(dim=-1))


class ResBlock(nn.Module):
    def __init__(self, c_in, c_out, stride=1):
        super().__init__()
        self.c1 = nn.Conv1d(c_in, c_out, 7, stride=stride, padding=3, bias=False)
        self.b1 = nn.BatchNorm1d(c_out)
        self.c2 = nn.Conv1d(c_out, c_out, 5, padding=2, bias=False)
        self.b2 = nn.BatchNorm1d(c_out)
        self.short = nn.Sequential(nn.Conv1d(c_in, c_out, 1, stride=stride, bias=False), nn.BatchNorm1d(c_out)) if stride != 1 or c_in != c_out else nn.Identity()

    def forward(self, x):
        y = F.relu(self.b1(self.c1(x)))
        return F.relu(self.b2(self.c2(y)) + self.short(x))


class ResNet1D(nn.Module):
    """A 1D ResNet (He et al. 2016 basic blocks, the stem of Hannun et al. 2019 / torchvision):
    conv stem with max pooling (padding 1), two residual blocks, adaptive average pooling."""

    def __init__(self, c=2, classes=4):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv1d(c, 8, 7, stride=2, padding=3, bias=False), nn.BatchNorm1d(8), nn.ReLU(), nn.MaxPool1d(3, stride=2, padding=1))
        self.blocks = nn.Sequential(ResBlock(8, 8), ResBlock(8, 12, stride=2))
        self.pool = nn.AdaptiveAvgPool1d(1)
        self.fc = nn.Linear(12, classes)

    def forward(self, x):
        return self.fc(torch.flatten(self.pool(self.blocks(self.stem(x))), 1))


class Inception(nn.Module):
    def __init__(self, c_in, nf=4, bottleneck=4):
        super().__init__()
        self.bottleneck = nn.Conv1d(c_in, bottleneck, 1, bias=False)
        self.convs = nn.ModuleList([nn.Conv1d(bottleneck, nf, k, padding=k // 2, bias=False) for k in (9, 19, 39)])
        self.pool_conv = nn.Sequential(nn.MaxPool1d(3, stride=1, padding=1), nn.Conv1d(c_in, nf, 1, bias=False))
        self.bn = nn.BatchNorm1d(4 * nf)

    def forward(self, x):
        b = self.bottleneck(x)
        return F.relu(self.bn(torch.cat([c(b) for c in self.convs] + [self.pool_conv(x)], dim=1)))


class InceptionTime(nn.Module):
    """Ismail Fawaz et al. 2020: inception modules (bottleneck, k 9/19/39 convs, max-pool branch),
    a residual shortcut, global average pooling."""

    def __init__(self, c=1, classes=3):
        super().__init__()
        self.i1 = Inception(c)
        self.i2 = Inception(16)
        self.short = nn.Sequential(nn.Conv1d(c, 16, 1, bias=False), nn.BatchNorm1d(16))
        self.fc = nn.Linear(16, classes)

    def forward(self, x):
        y = F.relu(self.i2(self.i1(x)) + self.short(x))
        return self.fc(F.adaptive_avg_pool1d(y, 1).squeeze(-1))


class SampleCNN(nn.Module):
    """Lee et al. 2017 sample-level CNN: strided frame conv (k 3, s 3), [conv k3 - BN - ReLU -
    maxpool 3] blocks, a sigmoid multi-label head."""

    def __init__(self, classes=5):
        super().__init__()
        self.frame = conv_bn(1, 8, 3, stride=3)
        self.blocks = nn.Sequential(*[nn.Sequential(conv_bn(8, 8, 3, padding=1), nn.MaxPool1d(3)) for _ in range(3)])
        self.fc = nn.Linear(8, classes)

    def forward(self, x):
        y = self.blocks(self.frame(x))
        return torch.sigmoid(self.fc(y.max(dim=-1)[0]))


class M5(nn.Module):
    """Dai et al. 2017 'Very deep CNNs for raw waveforms' M5 (the torchaudio tutorial's version):
    conv k80 s16, BN, ReLU, max pool 4, three conv k3 blocks, global average pooling, linear."""

    def __init__(self, classes=6, w=8):
        super().__init__()
        self.net = nn.Sequential(conv_bn(1, w, 80, stride=16), nn.MaxPool1d(4), conv_bn(w, w, 3), nn.MaxPool1d(4), conv_bn(w, 2 * w, 3), nn.MaxPool1d(4), conv_bn(2 * w, 2 * w, 3), nn.MaxPool1d(4))
        self.fc = nn.Linear(2 * w, classes)

    def forward(self, x):
        y = self.net(x).mean(-1, keepdim=True)  # the tutorial's avg_pool1d over the whole length
        return self.fc(y.permute(0, 2, 1)).squeeze(1)


class Chomp(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.n = n

    def forward(self, x):
        return x[:, :, :-self.n]


class TemporalBlock(nn.Module):
    def __init__(self, c_in, c_out, k, d):
        super().__init__()
        p = (k - 1) * d
        self.net = nn.Sequential(nn.Conv1d(c_in, c_out, k, padding=p, dilation=d), Chomp(p), nn.ReLU(), nn.Dropout(0.2),
                                 nn.Conv1d(c_out, c_out, k, padding=p, dilation=d), Chomp(p), nn.ReLU(), nn.Dropout(0.2))
        self.down = nn.Conv1d(c_in, c_out, 1) if c_in != c_out else None

    def forward(self, x):
        return F.relu(self.net(x) + (x if self.down is None else self.down(x)))


class TCN(nn.Module):
    """Bai, Kolter & Koltun 2018 causal TCN (their Chomp1d after symmetric padding), dilations 1, 2,
    4, a per-step 1x1 conv head: a sequence output [batch, classes, length]."""

    def __init__(self, c=2, classes=3):
        super().__init__()
        self.blocks = nn.Sequential(TemporalBlock(c, 8, 3, 1), TemporalBlock(8, 8, 3, 2), TemporalBlock(8, 8, 3, 4))
        self.head = nn.Conv1d(8, classes, 1)

    def forward(self, x):
        return self.head(self.blocks(x))


class FlattenHead(nn.Module):
    """The Keras-tutorial shape in PyTorch: conv, max pool, x.view(n, -1), two linear layers; a
    fixed input length (the channels-first flatten PyTorch's view means)."""

    def __init__(self, c=3, L=32, classes=4):
        super().__init__()
        self.conv = nn.Conv1d(c, 6, 5)
        self.pool = nn.MaxPool1d(2)
        self.fc1 = nn.Linear(6 * ((L - 4) // 2), 16)
        self.fc2 = nn.Linear(16, classes)

    def forward(self, x):
        y = self.pool(F.relu(self.conv(x)))
        return F.softmax(self.fc2(F.relu(self.fc1(y.view(y.size(0), -1)))), dim=1)


class GroupedDepthwise(nn.Module):
    """Grouped conv (groups 2), depthwise conv (groups = channels, multiplier 2, dilation 2), a
    pointwise conv (a separable conv as MobileNet writes it), ELU and LeakyReLU, average pooling."""

    def __init__(self, c=4, classes=3):
        super().__init__()
        self.g = nn.Conv1d(c, 8, 3, padding=1, groups=2)
        self.bn = nn.BatchNorm1d(8)
        self.dw = nn.Conv1d(8, 16, 5, padding=4, dilation=2, groups=8)
        self.pw = nn.Conv1d(16, 8, 1)
        self.pool = nn.AvgPool1d(2)
        self.fc = nn.Linear(8, classes)

    def forward(self, x):
        y = F.elu(self.bn(self.g(x)))
        y = F.leaky_relu(self.pw(self.dw(y)), 0.1)
        return self.fc(self.pool(y).mean(-1))


class SE(nn.Module):
    def __init__(self, c, r=2):
        super().__init__()
        self.fc1 = nn.Linear(c, c // r)
        self.fc2 = nn.Linear(c // r, c)

    def forward(self, x):
        s = torch.sigmoid(self.fc2(F.relu(self.fc1(x.mean(-1)))))
        return x * s.unsqueeze(-1)


class SENet(nn.Module):
    """Squeeze-and-excitation (Hu et al. 2018) after conv-BN-ReLU blocks, a residual add."""

    def __init__(self, c=2, classes=3):
        super().__init__()
        self.c1 = conv_bn(c, 8, 5, padding=2)
        self.c2 = nn.Sequential(nn.Conv1d(8, 8, 3, padding=1), nn.BatchNorm1d(8))
        self.se = SE(8)
        self.fc = nn.Linear(8, classes)

    def forward(self, x):
        y = self.c1(x)
        y = F.relu(self.se(self.c2(y)) + y)
        return self.fc(F.adaptive_max_pool1d(y, 1).flatten(1))


# --- architectures the issue does not name: the acceptance set ---

class GatedCNN(nn.Module):
    """Dauphin et al. 2017 gated linear units (torch.chunk: Split / Slice) with GELU and Mish,
    causal left padding by F.pad, and a softmax over classes per step."""

    def __init__(self, c=2, classes=3):
        super().__init__()
        self.c1 = nn.Conv1d(c, 16, 3)
        self.c2 = nn.Conv1d(8, 8, 3, padding=1)
        self.out = nn.Conv1d(8, classes, 1)

    def forward(self, x):
        a, b = self.c1(F.pad(x, (2, 0))).chunk(2, dim=1)
        y = a * torch.sigmoid(b)
        y = F.mish(F.gelu(self.c2(y)))
        return torch.softmax(self.out(y), dim=1)


class ConvAutoencoder(nn.Module):
    """A denoising autoencoder: strided convs down, ConvTranspose1d up (padding, output padding),
    Tanh, SELU, Softplus, PReLU, average pooling with count_include_pad."""

    def __init__(self, c=1):
        super().__init__()
        self.e1 = nn.Conv1d(c, 8, 5, stride=2, padding=2)
        self.e2 = nn.Conv1d(8, 8, 3, stride=2, padding=1)
        self.act = nn.PReLU(8)
        self.pool = nn.AvgPool1d(3, stride=1, padding=1, count_include_pad=True)
        self.d1 = nn.ConvTranspose1d(8, 8, 4, stride=2, padding=1)
        self.d2 = nn.ConvTranspose1d(8, c, 5, stride=2, padding=2, output_padding=1)

    def forward(self, x):
        y = self.act(self.e2(torch.tanh(self.e1(x))))
        y = self.pool(F.selu(y))
        return self.d2(F.softplus(self.d1(y)))


class WaveNetHead(nn.Module):
    """A WaveNet-style classifier: dilated causal convs with tanh/sigmoid gates, skip sums, a
    LayerNorm-free 1x1 head, global max pooling, Hardtanh (Clip) and Softsign."""

    def __init__(self, c=1, classes=4):
        super().__init__()
        self.inp = nn.Conv1d(c, 8, 1)
        self.f = nn.ModuleList([nn.Conv1d(8, 8, 2, dilation=d) for d in (1, 2, 4)])
        self.g = nn.ModuleList([nn.Conv1d(8, 8, 2, dilation=d) for d in (1, 2, 4)])
        self.head = nn.Linear(8, classes)

    def forward(self, x):
        y = self.inp(x)
        skip = 0
        for f, g, d in zip(self.f, self.g, (1, 2, 4)):
            p = F.pad(y, (d, 0))
            z = torch.tanh(f(p)) * torch.sigmoid(g(p))
            skip = skip + z
            y = y + z
        y = F.softsign(F.hardtanh(skip, 0.0, 6.0))
        return self.head(torch.amax(y, dim=-1))


class Normalized(nn.Module):
    """Input standardisation and constant arithmetic ((x - mean) / std, 2 - x, x * 0.5 + 1),
    channel splits of unequal sizes, a concat along the length, ReLU6, SiLU, ELU, average pooling
    with 'same'-like padding, a [N, C, 1] reshape gate and a softmax over classes."""

    def __init__(self, c=3, classes=4):
        super().__init__()
        self.register_buffer('mean', torch.tensor([0.5, -0.2, 0.1]).view(1, 3, 1))
        self.register_buffer('std', torch.tensor([2.0, 0.5, 1.5]).view(1, 3, 1))
        self.c1 = nn.Conv1d(c, 8, 3, padding=1)
        self.c2 = nn.Conv1d(3, 6, 3, padding=1)
        self.c3 = nn.Conv1d(5, 6, 3, padding=1)
        self.pool = nn.AvgPool1d(3, stride=1, padding=1, count_include_pad=False)
        self.gate = nn.Linear(6, 6)
        self.fc = nn.Linear(6, classes)

    def forward(self, x):
        x = (x - self.mean) / self.std
        x = 2 - x * 0.5 + 1
        a, b = torch.split(self.c1(x), [3, 5], dim=1)
        y = torch.cat([F.relu6(self.c2(a)), F.silu(self.c3(b))], dim=2)
        y = self.pool(F.elu(y, 0.7))
        g = torch.sigmoid(self.gate(y.mean(-1))).view(y.size(0), 6, 1)
        return torch.softmax(self.fc((y * g).amax(-1)), dim=1)


class TransposedHead(nn.Module):
    """Linear layers per step on x.transpose(1, 2) (MatMul + Add on [N, L, C]), back to [N, C, L]
    for a conv, a strided max pool with ceil_mode off, and a channel slice."""

    def __init__(self, c=2, classes=3):
        super().__init__()
        self.proj = nn.Linear(c, 8)
        self.conv = nn.Conv1d(8, 8, 5, stride=2, padding=2)
        self.out = nn.Linear(4, classes)

    def forward(self, x):
        y = F.gelu(self.proj(x.transpose(1, 2))).transpose(1, 2)
        y = F.max_pool1d(F.relu(self.conv(y)), 2)
        y = y[:, 2:6]
        return self.out(y.transpose(1, 2)).transpose(1, 2)


def settle(model, c, L):
    """A few training batches for BatchNorm running statistics, random BN affine parameters."""
    model.train()
    with torch.no_grad():
        for _ in range(4):
            model(torch.randn(8, c, L) * 2 + 0.5)
        for m in model.modules():
            if isinstance(m, nn.BatchNorm1d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.3, 0.3)
    model.eval()


# name -> (model, channels, length, dynamic length)
MODELS = {
    'fcn': (lambda: FCN(), 1, 64, True),
    'resnet': (lambda: ResNet1D(), 2, 64, True),
    'inception-time': (lambda: InceptionTime(), 1, 48, True),
    'sample-cnn': (lambda: SampleCNN(), 1, 243, True),
    'm5': (lambda: M5(), 1, 8000, True),
    'tcn': (lambda: TCN(), 2, 40, True),
    'flatten-head': (lambda: FlattenHead(), 3, 32, False),
    'grouped-depthwise': (lambda: GroupedDepthwise(), 4, 40, True),
    'squeeze-excite': (lambda: SENet(), 2, 40, True),
    'gated-cnn': (lambda: GatedCNN(), 2, 30, True),
    'autoencoder': (lambda: ConvAutoencoder(), 1, 32, True),
    'wavenet-head': (lambda: WaveNetHead(), 1, 40, True),
    'normalized': (lambda: Normalized(), 3, 24, True),
    'transposed-head': (lambda: TransposedHead(), 2, 32, True),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    only = sys.argv[1:]
    for name, (make, c, L, dynamic) in MODELS.items():
        if only and name not in only:
            continue
        torch.manual_seed(sum(map(ord, name)))
        model = make()
        settle(model, c, L)
        x = torch.randn(2, c, L)
        axes = {'x': {0: 'batch', 2: 'length'} if dynamic else {0: 'batch'}, 'y': {0: 'batch'}}
        for opset in (13, 17):
            path = os.path.join(OUT, f'{name}-op{opset}.onnx')
            # opset 13: torch's default (EVAL folds each BatchNorm into the conv before it);
            # opset 17: PRESERVE keeps BatchNormalization nodes (in inference mode, as model.eval())
            mode = torch.onnx.TrainingMode.EVAL if opset == 13 else torch.onnx.TrainingMode.PRESERVE
            torch.onnx.export(model, x, path, opset_version=opset, input_names=['x'], output_names=['y'], dynamic_axes=axes, do_constant_folding=True, training=mode)
            print(path, os.path.getsize(path))


if __name__ == '__main__':
    main()
