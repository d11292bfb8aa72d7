#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Whole-model training side by side: build/examples/{vgg,resnet} against the same models and
recipe in PyTorch 1.13 (../shared/anchors/torch_fmnist.py), one after the other for a few rounds,
same thread count. Prints each side's median epoch time, peak resident memory and last test
accuracy, and the ratios.

    /usr/bin/python3 tools/compare_training.py [--models vgg resnet] [--epochs 3] [--rounds 1]
                                              [--threads 2] [--build build]

Epoch times: PyTorch runs with glibc's malloc thresholds pinned as tools/compare_pytorch.py does
(otherwise it measures page faults more than oneDNN). Peak memory (/usr/bin/time -v, "Maximum
resident set size"): PyTorch's from a separate one-epoch run with default settings, as a user
runs it; atrous's from its timed run.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ANCHOR = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "anchors", "torch_fmnist.py"))
MALLOC = {"MALLOC_MMAP_THRESHOLD_": str(32 << 20), "MALLOC_TRIM_THRESHOLD_": str(1 << 30)}
EPOCH = re.compile(r"(\w+) epoch (\d+) train_loss ([0-9.]+) test_acc ([0-9.]+) epoch_s ([0-9.]+)")


def timed(cmd, env):
    """Runs cmd under /usr/bin/time -v; returns (epoch lines as tuples, peak RSS in MB)."""
    out = subprocess.run(["/usr/bin/time", "-v"] + cmd, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({out.returncode}):\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
    epochs = [(float(m.group(5)), float(m.group(4))) for m in EPOCH.finditer(out.stdout)]
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", out.stderr).group(1))
    return epochs, rss_kb / 1024.0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", nargs="+", default=["vgg", "resnet"], choices=["vgg", "resnet"])
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--build", default="build")
    args = ap.parse_args()

    plain = {k: v for k, v in os.environ.items() if k not in MALLOC}
    pinned = dict(plain, **MALLOC)
    rows = []
    for model in args.models:
        ours_t, theirs_t, ours_rss, ours_acc, theirs_acc = [], [], [], [], []
        for r in range(args.rounds):
            out_dir = f"/tmp/compare_training_{model}"
            e, rss = timed([os.path.join(args.build, "examples", model), "--epochs", str(args.epochs), "--threads",
                            str(args.threads), "--out", out_dir], plain)
            subprocess.run(["rm", "-rf", out_dir])
            ours_t += [t for t, _ in e]
            ours_rss.append(rss)
            ours_acc.append(e[-1][1])
            print(f"round {r + 1} {model} atrous: epochs {[t for t, _ in e]} s, peak {rss:.0f} MB", flush=True)
            e, _ = timed([sys.executable, ANCHOR, model, str(args.epochs), str(args.threads)], pinned)
            theirs_t += [t for t, _ in e]
            theirs_acc.append(e[-1][1])
            print(f"round {r + 1} {model} PyTorch: epochs {[t for t, _ in e]} s", flush=True)
        _, theirs_rss = timed([sys.executable, ANCHOR, model, "1", str(args.threads)], plain)
        print(f"{model} PyTorch (default malloc, 1 epoch): peak {theirs_rss:.0f} MB", flush=True)
        rows.append((model, statistics.median(ours_t), statistics.median(theirs_t), max(ours_rss), theirs_rss,
                     ours_acc[-1], theirs_acc[-1]))

    print(f"\n{args.threads} thread(s), {args.epochs} epoch(s) x {args.rounds} round(s); median epoch time\n")
    print("| model | atrous epoch | PyTorch epoch | speed | atrous peak RSS | PyTorch peak RSS | memory "
          "| atrous test acc | PyTorch test acc |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for model, ot, tt, orss, trss, oacc, tacc in rows:
        print(f"| {model} | {ot:.1f} s | {tt:.1f} s | {tt / ot:.2f}x | {orss / 1024:.2f} GB | {trss / 1024:.2f} GB "
              f"| {orss / trss:.0%} | {oacc:.2%} | {tacc:.2%} |")


if __name__ == "__main__":
    main()
