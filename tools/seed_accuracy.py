#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Test accuracy over several seeds: build/examples/{vgg,resnet} --seed S against the same model
and recipe in PyTorch 1.13 (../shared/anchors/torch_fmnist.py with torch.manual_seed(S) in place
of its manual_seed(0)), one after the other. Prints each seed's final test accuracy, and each
side's mean and sample standard deviation: a single seed's accuracy moves by a few tenths of a
point, so a recipe is compared over seeds, not by one run.

    /usr/bin/python3 tools/seed_accuracy.py [--models resnet] [--epochs 5] [--seeds 0 1 2 3]
                                            [--threads 2] [--build build]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ANCHOR = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "anchors", "torch_fmnist.py"))
ACCURACY = re.compile(r"epoch (\d+) train_loss [0-9.]+ test_acc ([0-9.]+)")
# Runs the anchor as a script, its seed replaced: argv = [seed, model, epochs, threads].
SEEDED = """
import sys
path, seed = sys.argv[1], sys.argv[2]
source = open(path).read()
assert source.count("torch.manual_seed(0)") == 1, "the anchor's seed line moved"
sys.argv = [path] + sys.argv[3:]
exec(compile(source.replace("torch.manual_seed(0)", f"torch.manual_seed({int(seed)})"), path, "exec"))
"""


def final_accuracy(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({out.returncode}):\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
    found = ACCURACY.findall(out.stdout)
    if not found:
        sys.exit(f"{' '.join(cmd)} printed no epoch line:\n{out.stdout[-2000:]}")
    return float(found[-1][1])


def summary(values):
    spread = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.2%} ± {spread:.2%}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", nargs="+", default=["resnet"], choices=["vgg", "resnet"])
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2, 3])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--build", default="build")
    args = ap.parse_args()

    print(f"{args.epochs} epochs, {args.threads} thread(s); final test accuracy per seed\n")
    print("| model | seed | atrous | PyTorch |")
    print("|---|---:|---:|---:|")
    for model in args.models:
        ours, theirs = [], []
        for seed in args.seeds:
            out_dir = f"/tmp/seed_accuracy_{model}"
            ours.append(final_accuracy([os.path.join(args.build, "examples", model), "--epochs", str(args.epochs),
                                        "--threads", str(args.threads), "--seed", str(seed), "--out", out_dir]))
            subprocess.run(["rm", "-rf", out_dir])
            theirs.append(final_accuracy([sys.executable, "-c", SEEDED, ANCHOR, str(seed), model, str(args.epochs),
                                          str(args.threads)]))
            print(f"| {model} | {seed} | {ours[-1]:.2%} | {theirs[-1]:.2%} |", flush=True)
        print(f"| {model} | mean ± sd | {summary(ours)} | {summary(theirs)} |", flush=True)


if __name__ == "__main__":
    main()
