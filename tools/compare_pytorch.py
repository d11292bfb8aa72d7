#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Side-by-side convolution throughput: atrous (bench/conv_bench) then PyTorch 1.13 (oneDNN), in
one run, same cases, same thread count, alternating for a few rounds; prints medians and the
ratio per case.

    /usr/bin/python3 tools/compare_pytorch.py [--threads 2] [--reps 5] [--rounds 3] [--passes]
        [--isa avx512|avx2] [--filter NAME] [--bench build/bench/conv_bench]

--isa avx2 limits both sides to AVX2 (ATROUS_SIMD=avx2, ONEDNN_MAX_CPU_ISA=AVX2): what an AVX2
machine gets, measured on an AVX-512 one.

--passes adds the backward passes one at a time (bwd_input, bwd_weight rows; not in the geometric
mean, which is over the issue's forward and forward+backward cases).

The PyTorch cases mirror ../shared/anchors/torch_conv_bench.py (medians instead of minima).
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time

CASES = [  # name, N, Cin, Cout, spatial (H, W) or (L,), kernel, stride, padding, dilation, groups, mode
    ("vgg3x3_64_56", 8, 64, 64, (56, 56), (3, 3), 1, (1, 1), 1, 1, "zeros"),
    ("vgg3x3_128_28", 8, 128, 128, (28, 28), (3, 3), 1, (1, 1), 1, 1, "zeros"),
    ("res_down3x3_s2", 8, 64, 128, (56, 56), (3, 3), 2, (1, 1), 1, 1, "zeros"),
    ("res_proj1x1_s2", 8, 64, 128, (56, 56), (1, 1), 2, (0, 0), 1, 1, "zeros"),
    ("res_1x1_256_64", 8, 256, 64, (56, 56), (1, 1), 1, (0, 0), 1, 1, "zeros"),
    ("dil3x3_d2_256", 2, 256, 256, (33, 33), (3, 3), 1, (2, 2), 2, 1, "zeros"),
    ("reflect3x3_64", 8, 64, 64, (56, 56), (3, 3), 1, (1, 1), 1, 1, "reflect"),
    ("dw3x3_144_56", 8, 144, 144, (56, 56), (3, 3), 1, (1, 1), 1, 144, "zeros"),
    ("dw3x3_s2_96_112", 8, 96, 96, (112, 112), (3, 3), 2, (1, 1), 1, 96, "zeros"),
    ("dw7x7_96_56", 8, 96, 96, (56, 56), (7, 7), 1, (3, 3), 1, 96, "zeros"),
    ("dw1d_k31_256", 8, 256, 256, (1000,), (31,), 1, (15,), 1, 256, "zeros"),
    ("resnext3x3_g32", 8, 128, 128, (56, 56), (3, 3), 1, (1, 1), 1, 32, "zeros"),
    ("b1_3x3_512_7", 1, 512, 512, (7, 7), (3, 3), 1, (1, 1), 1, 1, "zeros"),
    ("b1_3x3_128_28", 1, 128, 128, (28, 28), (3, 3), 1, (1, 1), 1, 1, "zeros"),
    ("b1_3x3_256_14", 1, 256, 256, (14, 14), (3, 3), 1, (1, 1), 1, 1, "zeros"),
    ("conv5x5_64_56", 8, 64, 64, (56, 56), (5, 5), 1, (2, 2), 1, 1, "zeros"),
    ("incep1x7_128_17", 8, 128, 128, (17, 17), (1, 7), 1, (0, 3), 1, 1, "zeros"),
    ("incep7x1_128_17", 8, 128, 128, (17, 17), (7, 1), 1, (3, 0), 1, 1, "zeros"),
    ("stem7x7_s2_224", 8, 3, 64, (224, 224), (7, 7), 2, (3, 3), 1, 1, "zeros"),
    # ResNet-small's 3x3 layers, stem and stride-2 projections as examples/resnet trains them (batch 128, issue 21).
    ("rs3x3_32_28_b128", 128, 32, 32, (28, 28), (3, 3), 1, (1, 1), 1, 1, "zeros"),
    ("rs3x3_s2_32_64_b128", 128, 32, 64, (28, 28), (3, 3), 2, (1, 1), 1, 1, "zeros"),
    ("rs3x3_64_14_b128", 128, 64, 64, (14, 14), (3, 3), 1, (1, 1), 1, 1, "zeros"),
    ("rs3x3_128_7_b128", 128, 128, 128, (7, 7), (3, 3), 1, (1, 1), 1, 1, "zeros"),
    ("rs_stem3x3_1_32_b128", 128, 1, 32, (28, 28), (3, 3), 1, (1, 1), 1, 1, "zeros"),
    ("rs_proj1x1_s2_32_64_b128", 128, 32, 64, (28, 28), (1, 1), 2, (0, 0), 1, 1, "zeros"),
    ("rs_proj1x1_s2_64_128_b128", 128, 64, 128, (14, 14), (1, 1), 2, (0, 0), 1, 1, "zeros"),
    # ConvTranspose (mode "transposed"): spatial is the input's.
    ("tr_dcgan4x4_256_7", 64, 256, 128, (7, 7), (4, 4), 2, (1, 1), 1, 1, "transposed"),
    ("tr_dcgan4x4_128_14", 64, 128, 1, (14, 14), (4, 4), 2, (1, 1), 1, 1, "transposed"),
    ("tr_unet2x2_128_28", 8, 128, 64, (28, 28), (2, 2), 2, (0, 0), 1, 1, "transposed"),
    ("tr_up1d_k16_s8", 8, 64, 64, (4000,), (16,), 8, (4,), 1, 1, "transposed"),
]
WAVENET_FLOPS = 10 * 2 * 64 * 64 * 2 * 16000
# --isa: what atrous (ATROUS_SIMD) and oneDNN (ONEDNN_MAX_CPU_ISA) may use; both read at start-up.
ISA_ENV = {"avx512": {"ATROUS_SIMD": "avx512", "ONEDNN_MAX_CPU_ISA": "AVX512_CORE"},
           "avx2": {"ATROUS_SIMD": "avx2", "ONEDNN_MAX_CPU_ISA": "AVX2"}}


def flops(n, ci, co, spatial, kernel, s, pad, d, groups, mode):
    """Multiply-adds × 2; a transposed layer counts every input element times every tap."""
    f = 2 * n * co * (ci // groups)
    for size, k, p in zip(spatial, kernel, pad):
        f *= k * (size if mode == "transposed" else (size + 2 * p - d * (k - 1) - 1) // s + 1)
    return f


def make_conv(torch, ci, co, spatial, kernel, s, pad, d, groups, mode):
    if mode == "transposed":
        cls = torch.nn.ConvTranspose1d if len(spatial) == 1 else torch.nn.ConvTranspose2d
        return cls(ci, co, kernel, stride=s, padding=pad, dilation=d, groups=groups)
    cls = torch.nn.Conv1d if len(spatial) == 1 else torch.nn.Conv2d
    return cls(ci, co, kernel, stride=s, padding=pad, dilation=d, groups=groups, padding_mode=mode)


def run_ours(bench, threads, reps, passes, only_cases):
    env = {k: v for k, v in os.environ.items() if k not in PYTORCH_MALLOC}
    env["ATROUS_NUM_THREADS"] = str(threads)
    only = [f"--benchmark_filter={'' if passes else '^fwd'}.*{only_cases}"]
    out = subprocess.run([bench, "--benchmark_format=json", f"--benchmark_repetitions={reps}",
                          "--benchmark_report_aggregates_only=true"] + only, env=env, check=True,
                         capture_output=True, text=True)
    header = out.stderr.strip() or out.stdout.split("{", 1)[0].strip()
    data = json.loads(out.stdout[out.stdout.index("{"):])
    result = {}
    for b in data["benchmarks"]:
        if b.get("aggregate_name") == "median":
            result[b["run_name"].replace("/real_time", "")] = (b["GFLOPs"], b["peak%"])
    return header, result


def median_time(fn, reps):
    fn()
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


# glibc's malloc serves each large block by a fresh mmap and trims freed heap tops, so PyTorch's
# per-call buffers (outputs, oneDNN reorders) are page-faulted anew on every call until its
# adaptive thresholds happen to settle. On this VM that made the dilated forward 21 ms instead of
# 7 ms, varying from case to case and run to run. PyTorch is measured with the thresholds pinned
# (large blocks stay in the heap), at its best; atrous's own allocator does not depend on them.
PYTORCH_MALLOC = {"MALLOC_MMAP_THRESHOLD_": str(32 << 20), "MALLOC_TRIM_THRESHOLD_": str(1 << 30)}


def warm_up(torch):
    """One untimed pass over every case, so no case pays first-call costs (oneDNN kernel JIT)."""
    with torch.no_grad():
        for name, n, ci, co, spatial, *options in CASES:
            conv = make_conv(torch, ci, co, spatial, *options)
            x = torch.randn(n, ci, *spatial)
            for _ in range(3):
                conv(x)


def run_torch(threads, reps, passes, only_cases):
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(threads)
    warm_up(torch)
    result = {}
    for name, n, ci, co, spatial, kernel, s, p, d, groups, mode in CASES:
        conv = make_conv(torch, ci, co, spatial, kernel, s, p, d, groups, mode)
        x = torch.randn(n, ci, *spatial, requires_grad=True)
        with torch.no_grad():
            tf = median_time(lambda: conv(x), reps)
        g = torch.randn_like(conv(x))

        def fb():
            x.grad = None
            conv.zero_grad()
            conv(x).backward(g)
        tfb = median_time(fb, reps)
        f = flops(n, ci, co, spatial, kernel, s, p, d, groups, mode)
        result[f"fwd/{name}"] = f / tf / 1e9
        result[f"fwdbwd/{name}"] = 3 * f / tfb / 1e9
        if passes:  # one gradient each: aten::convolution_backward with a one-output mask
            y = conv(x)
            for key, wrt in (("bwd_input", x), ("bwd_weight", conv.weight)):
                t = median_time(lambda: torch.autograd.grad(y, wrt, g, retain_graph=True), reps)
                result[f"{key}/{name}"] = f / t / 1e9
    x = torch.randn(1, 64, 16000, requires_grad=True)
    convs = [torch.nn.Conv1d(64, 64, 2, dilation=2 ** i) for i in range(10)]
    # The WaveNet stack as users write it: causal padding by F.pad, then Conv1d; with ReLU and a
    # residual add per layer, and the ten convolutions alone.
    for name, block in (("wavenet10_c64", lambda c, h, i: torch.relu(c(F.pad(h, (2 ** i, 0)))) + h),
                        ("wavenet10_convs_c64", lambda c, h, i: c(F.pad(h, (2 ** i, 0))))):
        if only_cases not in name:
            continue
        def wn():
            h = x
            for i, c in enumerate(convs):
                h = block(c, h, i)
            return h
        with torch.no_grad():
            tf = median_time(wn, reps)

        def wnb():
            x.grad = None
            for c in convs:
                c.zero_grad()
            wn().sum().backward()
        tfb = median_time(wnb, reps)
        result[f"fwd/{name}"] = WAVENET_FLOPS / tf / 1e9
        result[f"fwdbwd/{name}"] = 3 * WAVENET_FLOPS / tfb / 1e9
    return torch.__version__, result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=3,
                    help="alternate atrous and PyTorch this many times; a case's ratio is the median of its rounds'")
    ap.add_argument("--passes", action="store_true", help="also compare grad_input and grad_weight alone")
    ap.add_argument("--isa", choices=sorted(ISA_ENV), default="avx512",
                    help="the highest instruction set both sides may use (avx2 on an AVX-512 machine: "
                         "what an AVX2 machine gets)")
    ap.add_argument("--filter", default="", help="only the cases whose name contains this")
    ap.add_argument("--bench", default=os.path.join(os.path.dirname(__file__), "..", "build", "bench", "conv_bench"))
    args = ap.parse_args()
    wanted = dict(PYTORCH_MALLOC, **ISA_ENV[args.isa])
    if any(os.environ.get(k) != v for k, v in wanted.items()):  # glibc and oneDNN read them at start-up
        os.execve(sys.executable, [sys.executable] + sys.argv, dict(os.environ, **wanted))
    if args.filter:
        CASES[:] = [c for c in CASES if args.filter in c[0]]
    # On a shared machine a slow minute hits whichever side runs in it; alternating the two and
    # taking per-round ratios pairs measurements made close together.
    headers, rounds = [], []
    for _ in range(args.rounds):
        header, ours = run_ours(args.bench, args.threads, args.reps, args.passes, args.filter)
        version, theirs = run_torch(args.threads, args.reps, args.passes, args.filter)
        headers.append(header)
        rounds.append((ours, theirs))
    print(f"# {headers[0]}; PyTorch {version} with ONEDNN_MAX_CPU_ISA={wanted['ONEDNN_MAX_CPU_ISA']}; "
          f"threads={args.threads}; medians of {args.reps} runs; "
          f"{args.rounds} alternating rounds")
    if args.rounds > 1:
        print("# per-round headers: " + " | ".join(h.split(" measured ")[-1] for h in headers))
    print("| case | atrous GFLOP/s | % of peak | PyTorch GFLOP/s | atrous / PyTorch | range over rounds |")
    print("|---|---:|---:|---:|---:|---:|")
    ratios = []
    for key in rounds[0][1]:
        if any(key not in ours for ours, _ in rounds):
            print(f"| {key} | missing | | | | |")
            continue
        per_round = [ours[key][0] / theirs[key] for ours, theirs in rounds]
        ratio = statistics.median(per_round)
        if key.startswith("fwd"):
            ratios.append(ratio)
        gf = statistics.median(ours[key][0] for ours, _ in rounds)
        pk = statistics.median(ours[key][1] for ours, _ in rounds)
        theirs_gf = statistics.median(theirs[key] for _, theirs in rounds)
        print(f"| {key} | {gf:.1f} | {pk:.0f} % | {theirs_gf:.1f} | {ratio:.2f}x | "
              f"{min(per_round):.2f}–{max(per_round):.2f} |")
    if ratios:
        geo = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
        print(f"\ngeometric mean of atrous / PyTorch over {len(ratios)} cases: {geo:.2f}x")


if __name__ == "__main__":
    sys.exit(main())
