#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Inference side by side: eval mode, no autograd, batch 1 and 128, the VGG-small and ResNet-small
of ../shared/anchors/torch_fmnist.py in PyTorch 1.13 against build/examples/{vgg,resnet}
--inference, alternating rounds, same thread count. Both time forward passes over the test images
(normalised per batch on the atrous side, as in its training) for rounds of at least 0.5 s and
report the median images/s; this prints the medians over rounds and the ratios. PyTorch runs
with glibc's malloc thresholds pinned, as tools/compare_pytorch.py does.

    /usr/bin/python3 tools/compare_inference.py [--models vgg resnet] [--rounds 3] [--threads 2]
                                                [--build build]
"""
import argparse
import gzip
import os
import re
import statistics
import subprocess
import sys
import time

# As tools/compare_pytorch.py: glibc's malloc thresholds pinned, or PyTorch measures page faults.
MALLOC = {"MALLOC_MMAP_THRESHOLD_": str(32 << 20), "MALLOC_TRIM_THRESHOLD_": str(1 << 30)}
LINE = re.compile(r"(\w+) inference batch (\d+) images_per_s ([0-9.]+)")
DATA = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"


def torch_models():
    """The models of torch_fmnist.py, which runs its training when imported."""
    import torch.nn as nn
    import torch.nn.functional as F

    def vgg():
        c = lambda i, o: [nn.Conv2d(i, o, 3, padding=1), nn.ReLU()]
        return nn.Sequential(*c(1, 32), *c(32, 32), nn.MaxPool2d(2), *c(32, 64), *c(64, 64), nn.MaxPool2d(2),
                             *c(64, 128), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(128 * 9, 256), nn.ReLU(),
                             nn.Dropout(0.3), nn.Linear(256, 10))

    class Block(nn.Module):
        def __init__(s, i, o, stride):
            super().__init__()
            s.c1 = nn.Conv2d(i, o, 3, stride, 1, bias=False); s.b1 = nn.BatchNorm2d(o)
            s.c2 = nn.Conv2d(o, o, 3, 1, 1, bias=False); s.b2 = nn.BatchNorm2d(o)
            s.sc = nn.Sequential() if stride == 1 and i == o else nn.Sequential(
                nn.Conv2d(i, o, 1, stride, bias=False), nn.BatchNorm2d(o))

        def forward(s, x):
            return F.relu(s.b2(s.c2(F.relu(s.b1(s.c1(x))))) + s.sc(x))

    def resnet():
        return nn.Sequential(nn.Conv2d(1, 32, 3, 1, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
                             Block(32, 32, 1), Block(32, 64, 2), Block(64, 128, 2),
                             nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(128, 10))

    return {"vgg": vgg, "resnet": resnet}


def torch_throughput(model_name, threads):
    """Runs in a child process so each round starts fresh, like the atrous side."""
    code = f"""
import gzip, time, statistics, numpy as np, torch, sys
sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r})
from compare_inference import torch_models
torch.set_num_threads({threads}); torch.manual_seed(0)
with gzip.open({DATA!r}) as f: x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
x = (torch.tensor(x, dtype=torch.float32) / 255 - 0.2860) / 0.3530
m = torch_models()[{model_name!r}]().eval()
for batch in (1, 128):
    nxt = 0
    def step():
        global nxt
        s = nxt % (len(x) - batch + 1); nxt += batch
        return m(x[s:s + batch])
    with torch.no_grad():
        step(); rates = []
        for r in range(5):
            t0 = time.perf_counter(); done = 0
            while time.perf_counter() - t0 < 0.5: step(); done += batch
            rates.append(done / (time.perf_counter() - t0))
    print(f"{model_name} inference batch {{batch}} images_per_s {{statistics.median(rates):.1f}}", flush=True)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ, **MALLOC))
    if out.returncode != 0:
        sys.exit(f"PyTorch side failed:\n{out.stderr[-2000:]}")
    return {int(m.group(2)): float(m.group(3)) for m in LINE.finditer(out.stdout)}


def atrous_throughput(model_name, threads, build):
    cmd = [os.path.join(build, "examples", model_name), "--inference", "--threads", str(threads)]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
    return {int(m.group(2)): float(m.group(3)) for m in LINE.finditer(out.stdout)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", nargs="+", default=["vgg", "resnet"], choices=["vgg", "resnet"])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--build", default="build")
    args = ap.parse_args()
    print("| model | batch | atrous images/s | PyTorch images/s | ratio |\n|---|---:|---:|---:|---:|")
    for model in args.models:
        ours, theirs = {1: [], 128: []}, {1: [], 128: []}
        for _ in range(args.rounds):
            for b, v in atrous_throughput(model, args.threads, args.build).items(): ours[b].append(v)
            for b, v in torch_throughput(model, args.threads).items(): theirs[b].append(v)
        for b in (1, 128):
            o, t = statistics.median(ours[b]), statistics.median(theirs[b])
            print(f"| {model} | {b} | {o:.0f} | {t:.0f} | {o / t:.2f}x |", flush=True)


if __name__ == "__main__":
    main()
