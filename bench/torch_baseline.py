#!/usr/bin/python3
"""PyTorch baseline for bench/train-speed.ts: the same minis (ViT, ResNet, hybrid, Swin), same batch,
same optimiser (AdamW), random data. Prints one JSON line per model.

Run with Debian's python (python3-torch + libopenblas0-openmp), not a pyenv one:
    /usr/bin/python3 bench/torch_baseline.py --threads 1 --steps 10 --batch 128

Architectures mirror models/{vit,resnet,hybrid,swin}.ts (vit_mini_patch4_28, resnet_mini_28,
hybrid_mini_28, swin_mini_28); each run prints its parameter count to compare with tfjs's.
"""
import argparse, json, time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, dim, heads, mlp_ratio):
        super().__init__()
        self.heads = heads
        self.norm1 = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.norm2 = nn.LayerNorm(dim)
        self.fc1 = nn.Linear(dim, dim * mlp_ratio)
        self.fc2 = nn.Linear(dim * mlp_ratio, dim)

    def forward(self, x):
        B, N, C = x.shape
        h = self.heads
        qkv = self.qkv(self.norm1(x)).reshape(B, N, 3, h, C // h).permute(2, 0, 3, 1, 4)  # (3, B, h, N, d)
        q, k, v = qkv[0], qkv[1], qkv[2]
        att = (q @ k.transpose(-2, -1)) * (C // h) ** -0.5  # (B, h, N, N)
        y = (att.softmax(-1) @ v).transpose(1, 2).reshape(B, N, C)
        x = x + self.proj(y)
        return x + self.fc2(F.gelu(self.fc1(self.norm2(x))))


class MiniViT(nn.Module):
    """patch 4 on 28×28 → 49 tokens + cls, D=64, depth 6, 4 heads, MLP ×2."""
    def __init__(self, patch=4, dim=64, depth=6, heads=4, mlp_ratio=2, classes=10, img=28, chans=1, stem=None):
        super().__init__()
        self.stem = stem if stem is not None else nn.Identity()
        self.patch_embed = nn.Conv2d(chans, dim, patch, patch)
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos = nn.Parameter(torch.randn(1, (img // patch) ** 2 + 1, dim) * 0.02)
        self.blocks = nn.Sequential(*[Block(dim, heads, mlp_ratio) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, classes)

    def forward(self, x):
        x = self.patch_embed(self.stem(x)).flatten(2).transpose(1, 2)  # (B, 49, D)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], 1) + self.pos
        return self.head(self.norm(self.blocks(x))[:, 0])


class Basic(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False); self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False); self.b2 = nn.BatchNorm2d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = self.b2(self.c2(F.relu(self.b1(self.c1(x)))))
        return F.relu(y + (self.down(x) if self.down is not None else x))


class MiniResNet(nn.Module):
    """3×3 stem (16), three stages 16/32/64 of two basic blocks, GAP, linear."""
    def __init__(self, widths=(16, 32, 64), layers=(2, 2, 2), classes=10, chans=1):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(chans, widths[0], 3, 1, 1, bias=False), nn.BatchNorm2d(widths[0]), nn.ReLU())
        blocks, cin = [], widths[0]
        for i, (w, n) in enumerate(zip(widths, layers)):
            for j in range(n):
                blocks.append(Basic(cin, w, 2 if (i > 0 and j == 0) else 1)); cin = w
        self.blocks = nn.Sequential(*blocks)
        self.head = nn.Linear(cin, classes)

    def forward(self, x):
        return self.head(self.blocks(self.stem(x)).mean((2, 3)))


def conv_bn_relu(cin, cout, stride):
    return [nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]


def mini_hybrid():
    """3×3 conv-BN-ReLU 1→16 (28²) →32 (/2) →64 (/4): 7×7 map, 1×1 patches → ViT (D=64, 5 layers, 4 heads, MLP ×2)."""
    stem = nn.Sequential(*conv_bn_relu(1, 16, 1), *conv_bn_relu(16, 32, 2), *conv_bn_relu(32, 64, 2))
    return MiniViT(patch=1, dim=64, depth=5, heads=4, mlp_ratio=2, img=7, chans=64, stem=stem)


def window_partition(x, w):  # (B, H, W, C) → (B·nW, w·w, C)
    B, H, W, C = x.shape
    return x.view(B, H // w, w, W // w, w, C).permute(0, 1, 3, 2, 4, 5).reshape(-1, w * w, C)


def window_reverse(x, w, B, H, W):  # (B·nW, w·w, C) → (B, H, W, C)
    return x.view(B, H // w, W // w, w, w, -1).permute(0, 1, 3, 2, 4, 5).reshape(B, H, W, -1)


class SwinBlock(Block):
    # Block's layers (same order, so the same seeded init) plus the window's relative-position bias.
    def __init__(self, dim, heads, window, shift, res, mlp_ratio=4):
        super().__init__(dim, heads, mlp_ratio)
        self.window, self.shift = window, shift
        self.rel_table = nn.Parameter(torch.zeros((2 * window - 1) ** 2, heads))
        c = torch.stack(torch.meshgrid(torch.arange(window), torch.arange(window), indexing='ij')).flatten(1)  # (2, N)
        d = (c[:, :, None] - c[:, None, :]).permute(1, 2, 0) + (window - 1)
        self.register_buffer('rel_index', d[..., 0] * (2 * window - 1) + d[..., 1], persistent=False)
        mask = None
        if shift:
            img = torch.zeros(1, res, res, 1)
            for i, hs in enumerate((slice(0, -window), slice(-window, -shift), slice(-shift, None))):
                for j, ws in enumerate((slice(0, -window), slice(-window, -shift), slice(-shift, None))):
                    img[:, hs, ws, :] = i * 3 + j
            mw = window_partition(img, window).squeeze(-1)
            mask = (mw[:, None, :] - mw[:, :, None]).ne(0).float() * -100.0  # (nW, N, N)
        self.register_buffer('mask', mask, persistent=False)

    def forward(self, x):  # (B, H, W, C)
        B, H, W, C = x.shape
        h, w = self.heads, self.window
        y = self.norm1(x)
        if self.shift:
            y = torch.roll(y, (-self.shift, -self.shift), (1, 2))
        win = window_partition(y, w)  # (B·nW, N, C)
        Bw, N, _ = win.shape
        q, k, v = self.qkv(win).reshape(Bw, N, 3, h, C // h).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-2, -1)) * (C // h) ** -0.5 + self.rel_table[self.rel_index].permute(2, 0, 1)
        if self.mask is not None:
            nW = self.mask.shape[0]
            att = (att.view(Bw // nW, nW, h, N, N) + self.mask[None, :, None]).view(Bw, h, N, N)
        o = self.proj((att.softmax(-1) @ v).transpose(1, 2).reshape(Bw, N, C))
        o = window_reverse(o, w, B, H, W)
        if self.shift:
            o = torch.roll(o, (self.shift, self.shift), (1, 2))
        x = x + o
        return x + self.fc2(F.gelu(self.fc1(self.norm2(x))))


class MiniSwin(nn.Module):
    """patch 2 on 28×28 → 14×14 (2×2 windows of 7, shifted every other block), C=32, 2 heads, 2 blocks;
    patch merging → 7×7 (one window), C=64, 4 heads, 4 blocks; MLP ×4; LN, GAP, linear."""
    def __init__(self, dim=32, depths=(2, 4), heads=(2, 4), window=7, classes=10):
        super().__init__()
        self.patch_embed = nn.Conv2d(1, dim, 2, 2)
        self.embed_norm = nn.LayerNorm(dim)
        self.stage1 = nn.Sequential(*[SwinBlock(dim, heads[0], window, 3 if j % 2 else 0, 14) for j in range(depths[0])])
        self.merge_norm = nn.LayerNorm(4 * dim)
        self.merge = nn.Linear(4 * dim, 2 * dim, bias=False)
        self.stage2 = nn.Sequential(*[SwinBlock(2 * dim, heads[1], window, 0, 7) for _ in range(depths[1])])
        self.norm = nn.LayerNorm(2 * dim)
        self.head = nn.Linear(2 * dim, classes)

    def forward(self, x):
        x = self.embed_norm(self.patch_embed(x).permute(0, 2, 3, 1))  # (B, 14, 14, C)
        x = self.stage1(x)
        B, H, W, C = x.shape
        x = x.view(B, H // 2, 2, W // 2, 2, C).permute(0, 1, 3, 2, 4, 5).reshape(B, H // 2, W // 2, 4 * C)
        x = self.stage2(self.merge(self.merge_norm(x)))
        return self.head(self.norm(x).mean((1, 2)))


def blas_library():
    """The BLAS that torch's matmuls run on, read off the libraries mapped into this process after one matmul.
    Debian's python3-torch calls whatever libblas.so.3 points to; with only libblas3 installed that is the
    reference (netlib) BLAS, 10-20x slower than OpenBLAS on the ViT's matmuls: not a baseline worth comparing with."""
    torch.ones(64, 64) @ torch.ones(64, 64)
    try:
        maps = open('/proc/self/maps').read()
    except OSError:
        return 'unknown'
    for name in ('openblas', 'mkl', 'blis'):
        if name in maps:
            return name
    return 'reference' if 'libblas.so' in maps else 'unknown'


MODELS = {'vit_mini_patch4_28': MiniViT, 'resnet_mini_28': MiniResNet, 'hybrid_mini_28': mini_hybrid, 'swin_mini_28': MiniSwin}


def bench(name, steps, warmup, batch, device='cpu'):
    torch.manual_seed(0)
    model = MODELS[name]().to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
    x = torch.randn(batch, 1, 28, 28, device=device)
    y = torch.randint(0, 10, (batch,), device=device)
    sync = torch.cuda.synchronize if device.startswith('cuda') else (lambda: None)
    times = []
    for i in range(warmup + steps):
        t = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        sync()
        if i >= warmup:
            times.append(time.perf_counter() - t)
    times.sort()
    med = times[len(times) // 2]
    return {'model': name, 'imgPerSec': batch / med, 'msPerStep': med * 1000, 'steps': steps, 'batch': batch,
            'params': sum(p.numel() for p in model.parameters())}


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--steps', type=int, default=10)
    ap.add_argument('--warmup', type=int, default=3)
    ap.add_argument('--batch', type=int, default=128)
    ap.add_argument('--models', default=','.join(MODELS))
    ap.add_argument('--device', default='cpu', help='cpu, or cuda on the GPU check machine')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    blas = blas_library()
    if a.device == 'cpu' and blas == 'reference':
        raise SystemExit('PyTorch runs on the reference BLAS (libblas3): install OpenBLAS first '
                         '(apt-get install -y libopenblas0-openmp), or the baseline is 10-20x too slow on matmuls')
    for name in a.models.split(','):
        r = bench(name, a.steps, a.warmup, a.batch, a.device)
        r.update(threads=a.threads, torch=torch.__version__, device=a.device, blas=blas)
        print(json.dumps(r), flush=True)
