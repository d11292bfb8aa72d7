#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Side-by-side DCGAN epoch time: examples/dcgan (atrous) and the same model, data and recipe in
PyTorch 1.13, one after the other for a few rounds, same thread count; prints each side's median
epoch time and the ratio.

    /usr/bin/python3 tools/compare_dcgan.py [--threads 2] [--rounds 3] [--limit 0] [--dcgan build/examples/dcgan]

--limit N trains both on the first N images (0: all 60,000). PyTorch runs with glibc's malloc
thresholds pinned as tools/compare_pytorch.py does.
"""
import argparse
import gzip
import os
import re
import statistics
import subprocess
import sys
import time

D = "/usr/share/datasets/fashion-mnist/"
MALLOC = {"MALLOC_MMAP_THRESHOLD_": str(32 << 20), "MALLOC_TRIM_THRESHOLD_": str(1 << 30)}


def torch_epoch(threads, limit, batch=64, noise=100):
    """One epoch of the examples/dcgan model and recipe in PyTorch; returns its seconds."""
    import numpy as np
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    with gzip.open(D + "train-images-idx3-ubyte.gz") as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
    x = torch.tensor(x[:limit] if limit else x, dtype=torch.float32) / 255 * 2 - 1
    g = nn.Sequential(nn.ConvTranspose2d(noise, 128, 7, bias=False), nn.BatchNorm2d(128), nn.ReLU(),
                      nn.ConvTranspose2d(128, 64, 4, 2, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU(),
                      nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Tanh())
    d = nn.Sequential(nn.Conv2d(1, 64, 4, 2, 1), nn.LeakyReLU(0.2),
                      nn.Conv2d(64, 128, 4, 2, 1, bias=False), nn.BatchNorm2d(128), nn.LeakyReLU(0.2),
                      nn.Conv2d(128, 1, 7), nn.Flatten())
    og = torch.optim.Adam(g.parameters(), 2e-4, betas=(0.5, 0.999))
    od = torch.optim.Adam(d.parameters(), 2e-4, betas=(0.5, 0.999))
    bce = F.binary_cross_entropy_with_logits
    perm = torch.randperm(len(x))
    t = time.perf_counter()
    for i in range(0, len(x), batch):
        real = x[perm[i:i + batch]]
        n = len(real)
        ones, zeros = torch.ones(n, 1), torch.zeros(n, 1)
        fake = g(torch.randn(n, noise, 1, 1))
        d_loss = bce(d(real), ones) + bce(d(fake.detach()), zeros)
        od.zero_grad()
        d_loss.backward()
        od.step()
        g_loss = bce(d(fake), ones)
        og.zero_grad()
        g_loss.backward()
        og.step()
        d_loss.item(), g_loss.item()
    return time.perf_counter() - t


def atrous_epoch(dcgan, threads, limit, out):
    cmd = [dcgan, "--epochs", "1", "--threads", str(threads), "--limit", str(limit), "--out", out]
    text = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return float(re.search(r"dcgan epoch 1 .*epoch_s ([0-9.]+)", text).group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--dcgan", default=os.path.join(os.path.dirname(__file__), "..", "build", "examples", "dcgan"))
    ap.add_argument("--torch-epoch", action="store_true", help=argparse.SUPPRESS)  # internal: one PyTorch epoch
    args = ap.parse_args()
    if args.torch_epoch:
        print(torch_epoch(args.threads, args.limit))
        return
    ours, theirs = [], []
    for _ in range(args.rounds):
        ours.append(atrous_epoch(args.dcgan, args.threads, args.limit, "/tmp/compare_dcgan_run"))
        cmd = [sys.executable, __file__, "--torch-epoch", "--threads", str(args.threads), "--limit", str(args.limit)]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=dict(os.environ, **MALLOC))
        theirs.append(float(out.stdout.strip().splitlines()[-1]))
    a, p = statistics.median(ours), statistics.median(theirs)
    images = args.limit or 60000
    print(f"# DCGAN epoch on {images} Fashion-MNIST images, batch 64, threads={args.threads}, "
          f"medians of {args.rounds} alternating rounds")
    print("| | atrous | PyTorch 1.13 | PyTorch / atrous |")
    print("|---|---:|---:|---:|")
    print(f"| epoch time | {a:.1f} s | {p:.1f} s | {p / a:.2f}x |")
    print(f"| rounds | {', '.join(f'{t:.1f}' for t in ours)} | {', '.join(f'{t:.1f}' for t in theirs)} | |")


if __name__ == "__main__":
    main()
