#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Golden data for atrous's Conv1d/Conv2d and ConvTranspose1d/2d tests, computed by PyTorch 1.13
(python3-torch).

Each case is a Conv module configuration, an input x, the module's weight and bias, and a
grad_output gy; PyTorch computes y = conv(x) and the gradients of sum(y * gy) with respect to x,
weight and bias. Everything is written to tests/golden/conv/<case>_{x,w,b,gy,y,gx,gw,gb}.npy and
the configurations to tests/golden/conv/cases.txt, one line per case:

    name dims stride padding dilation groups mode bias dtype

with per-dimension values joined by commas and padding one of the ints, "same", "valid" or
"causal" (causal = left-only zero/mode padding of dilation*(k-1), atrous's extension, computed
here with F.pad followed by an unpadded conv). Transposed convolutions go the same way to
tests/golden/conv_transpose/, one line per case:

    name dims stride padding output_padding dilation groups bias dtype output_size

output_size "-" when the module's forward gets none, else the spatial sizes it is given (the
module then picks output_padding, which the line still records as configured). Run from the
repository root:

    /usr/bin/python3 tools/gen_golden_conv.py
"""
import itertools
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "golden")
OUT = os.path.join(GOLDEN, "conv")
OUT_T = os.path.join(GOLDEN, "conv_transpose")
rng = np.random.default_rng(3)
rng_t = np.random.default_rng(5)  # its own stream: adding transposed cases leaves the conv data as it was
lines = []
lines_t = []


def tup(v, dims):
    return tuple(v) if isinstance(v, (tuple, list)) else (v,) * dims


def save(name, suffix, t, out=OUT):
    np.save(os.path.join(out, f"{name}_{suffix}.npy"), np.array(t.detach().numpy(), order="C"))


def case(name, dims, cin, cout, kernel, in_spatial, batch=2, stride=1, padding=0, dilation=1, groups=1,
         mode="zeros", bias=True, dtype=torch.float64, x=None, w=None, b=None, gy=None):
    conv_cls = nn.Conv1d if dims == 1 else nn.Conv2d
    causal = padding == "causal"
    torch_padding = 0 if causal else padding
    m = conv_cls(cin, cout, kernel, stride=stride, padding=torch_padding, dilation=dilation, groups=groups,
                 bias=bias, padding_mode=mode).to(dtype)
    with torch.no_grad():
        m.weight.copy_(torch.tensor(rng.uniform(-1, 1, m.weight.shape)) if w is None else w)
        if bias:
            m.bias.copy_(torch.tensor(rng.uniform(-1, 1, m.bias.shape)) if b is None else b)
    if x is None:
        x = torch.tensor(rng.uniform(-2, 2, (batch, cin) + tuple(in_spatial)), dtype=dtype)
    x = x.to(dtype).clone().requires_grad_(True)
    if causal:
        k, d = tup(kernel, 1)[0], tup(dilation, 1)[0]
        pad_mode = "constant" if mode == "zeros" else mode
        y = F.conv1d(F.pad(x, ((k - 1) * d, 0), mode=pad_mode), m.weight, m.bias, stride=stride,
                     dilation=dilation, groups=groups)
    else:
        y = m(x)
    gy = torch.tensor(rng.uniform(-1, 1, y.shape)) if gy is None else gy
    gy = gy.to(dtype)
    (y * gy).sum().backward()
    for suffix, t in (("x", x), ("w", m.weight), ("gy", gy), ("y", y), ("gx", x.grad), ("gw", m.weight.grad)):
        save(name, suffix, t)
    if bias:
        save(name, "b", m.bias)
        save(name, "gb", m.bias.grad)
    pad_text = padding if isinstance(padding, str) else ",".join(map(str, tup(padding, dims)))
    lines.append(" ".join([name, str(dims), ",".join(map(str, tup(stride, dims))), pad_text,
                           ",".join(map(str, tup(dilation, dims))), str(groups), mode, str(int(bias)),
                           "f64" if dtype == torch.float64 else "f32"]))


def spec_cases():
    """PyTorch's own conv test configurations (common_nn.py / common_modules.py, spec §8.1)."""
    c = case
    c("nn_conv1d", 1, 4, 5, 3, (10,))
    c("nn_conv1d_stride", 1, 4, 5, 3, (10,), stride=2)
    c("nn_conv1d_pad1", 1, 4, 5, 3, (10,), padding=1)
    c("nn_conv1d_pad2", 1, 4, 5, 5, (10,), padding=2)
    c("nn_conv1d_pad1size1", 1, 4, 4, 3, (1,), batch=1, padding=1)
    c("nn_conv1d_pad2size1", 1, 4, 4, 5, (1,), batch=1, padding=2)
    c("nn_conv1d_zero_batch", 1, 4, 5, 3, (10,), batch=0)
    c("nn_conv1d_dilated", 1, 4, 5, 3, (10,), dilation=2)
    c("nn_conv1d_groups", 1, 4, 6, 3, (6,), groups=2)
    c("nn_conv1d_pad_valid", 1, 4, 5, 3, (10,), padding="valid")
    c("nn_conv1d_pad_same", 1, 4, 5, 3, (10,), padding="same")
    c("nn_conv1d_pad_same2", 1, 4, 5, 4, (10,), padding="same")
    c("nn_conv1d_pad_same_dilated", 1, 4, 5, 4, (10,), padding="same", dilation=2)
    c("nn_conv2d", 2, 3, 4, (3, 2), (7, 5))
    c("nn_conv2d_strided", 2, 3, 4, (3, 3), (6, 6), stride=(2, 2))
    c("nn_conv2d_padding", 2, 3, 4, (3, 3), (6, 6), stride=(2, 2), padding=(1, 1))
    c("nn_conv2d_dilated", 2, 3, 2, (3, 3), (8, 8), stride=(2, 2), padding=(1, 1), dilation=(2, 2))
    c("nn_conv2d_no_bias", 2, 3, 4, (3, 2), (6, 5), bias=False)
    c("nn_conv2d_zero_batch", 2, 3, 4, (3, 2), (7, 5), batch=0)
    c("nn_conv2d_groups", 2, 4, 6, (3, 2), (6, 5), groups=2)
    c("nn_conv2d_pad_valid", 2, 2, 4, (3, 4), (6, 5), padding="valid")
    c("nn_conv2d_pad_same", 2, 2, 4, (3, 4), (6, 5), padding="same")
    c("nn_conv2d_pad_same_dilated", 2, 2, 4, (3, 4), (6, 5), padding="same", dilation=2)
    c("nn_conv2d_depthwise", 2, 4, 4, (3, 3), (6, 6), groups=4)
    c("nn_conv2d_depthwise_with_multiplier", 2, 4, 8, (3, 3), (6, 6), groups=4)
    c("nn_conv2d_depthwise_strided", 2, 4, 4, (3, 3), (6, 6), stride=(2, 2), groups=4)
    c("nn_conv2d_depthwise_padded", 2, 4, 4, (3, 3), (6, 6), padding=(1, 1), groups=4)
    c("nn_conv2d_depthwise_dilated", 2, 4, 4, (2, 2), (5, 5), dilation=(2, 2), groups=4)
    for mode in ("reflect", "circular", "replicate", "zeros"):
        c(f"nn_conv1d_{mode}_stride2_pad2", 1, 2, 3, 3, (4,), stride=2, padding=1, mode=mode)
        c(f"nn_conv2d_{mode}_stride2_pad2", 2, 2, 3, 3, (4, 4), stride=2, padding=(1, 2), mode=mode)
    c("modules_conv1d", 1, 4, 5, 3, (3,))
    c("modules_conv1d_same", 1, 4, 5, 3, (3,), padding="same")
    c("modules_conv2d", 2, 4, 5, 3, (3, 4))
    c("modules_conv2d_same", 2, 4, 5, 3, (3, 4), padding="same")
    c("depthwise_backward", 2, 2, 2, (3, 5), (4, 20), stride=(1, 10), groups=2)
    # Spec §8.3 G1 and G2: fixed weights, loss = y.sum().
    x6 = torch.arange(1.0, 7.0).view(1, 1, 6)
    for mode in ("zeros", "reflect", "replicate", "circular"):
        for p in (1, 2):
            c(f"g1_{mode}_p{p}", 1, 1, 1, 3, (6,), batch=1, padding=p, mode=mode, x=x6,
              w=torch.tensor([[[1.0, 2.0, -1.0]]]), b=torch.tensor([0.5]), gy=torch.ones(1, 1, 6 + 2 * p - 2))
    x8 = torch.arange(1.0, 9.0).view(1, 1, 8)
    for d in (1, 2, 3):
        for mode in ("zeros", "reflect", "replicate", "circular"):
            c(f"g2_d{d}_{mode}", 1, 1, 1, 4, (8,), batch=1, padding="same", dilation=d, mode=mode, bias=False, x=x8,
              w=torch.tensor([[[1.0, -2.0, 3.0, -4.0]]]), gy=torch.ones(1, 1, 8))
    # G3: groups, unequal stride/padding/dilation per axis.
    c("g3", 2, 4, 4, (2, 3), (5, 6), stride=(2, 1), padding=(1, 0), dilation=(1, 2), groups=2,
      x=torch.arange(240.0).view(2, 4, 5, 6) / 10, w=(torch.arange(48.0) - 12).view(4, 2, 2, 3) / 4,
      b=torch.tensor([1.0, -1.0, 2.0, -2.0]), gy=(torch.arange(48.0).view(2, 4, 3, 2) % 5) - 2)


def grid_cases():
    """stride × padding × dilation × mode, with groups and bias alternating; H ≠ W, non-square kernels."""
    strides = [(1, 1), (2, 1), (2, 3)]
    paddings = [0, 1, (2, 1), "same", "valid"]
    dilations = [(1, 1), (2, 1), (1, 3)]
    modes = ["zeros", "reflect", "replicate", "circular"]
    i = 0
    for s, p, d, m in itertools.product(strides, paddings, dilations, modes):
        if p == "same" and s != (1, 1):
            continue
        groups = 2 if i % 2 else 1
        dtype = torch.float32 if i % 5 == 0 else torch.float64
        case(f"grid2d_{i:03d}", 2, 4, 6, (3, 2), (7, 9), stride=s, padding=p, dilation=d, groups=groups, mode=m,
             bias=i % 3 != 0, dtype=dtype)
        i += 1
    j = 0
    for s, p, d, k, m in itertools.product([1, 2, 3], [0, 2, "same", "valid", "causal"], [1, 2, 4], [2, 3], modes):
        if p == "same" and s != 1:
            continue
        if (j % 3) != 0:  # a third of the 1-D grid keeps it small while crossing every value
            j += 1
            continue
        case(f"grid1d_{j:03d}", 1, 4, 4, k, (11,), stride=s, padding=p, dilation=d, groups=2 if j % 2 else 1,
             mode=m, bias=j % 4 != 0, dtype=torch.float32 if j % 7 == 0 else torch.float64)
        j += 1


def transpose_case(name, dims, cin, cout, kernel, in_spatial, batch=2, stride=1, padding=0, output_padding=0,
                   dilation=1, groups=1, bias=True, dtype=torch.float64, output_size=None):
    cls = nn.ConvTranspose1d if dims == 1 else nn.ConvTranspose2d
    m = cls(cin, cout, kernel, stride=stride, padding=padding, output_padding=output_padding, groups=groups,
            bias=bias, dilation=dilation).to(dtype)
    with torch.no_grad():
        m.weight.copy_(torch.tensor(rng_t.uniform(-1, 1, m.weight.shape)))
        if bias:
            m.bias.copy_(torch.tensor(rng_t.uniform(-1, 1, m.bias.shape)))
    x = torch.tensor(rng_t.uniform(-2, 2, (batch, cin) + tuple(in_spatial)), dtype=dtype).requires_grad_(True)
    y = m(x, output_size=output_size)
    gy = torch.tensor(rng_t.uniform(-1, 1, y.shape)).to(dtype)
    (y * gy).sum().backward()
    for suffix, t in (("x", x), ("w", m.weight), ("gy", gy), ("y", y), ("gx", x.grad), ("gw", m.weight.grad)):
        save(name, suffix, t, OUT_T)
    if bias:
        save(name, "b", m.bias, OUT_T)
        save(name, "gb", m.bias.grad, OUT_T)
    j = lambda v: ",".join(map(str, tup(v, dims)))
    lines_t.append(" ".join([name, str(dims), j(stride), j(padding), j(output_padding), j(dilation), str(groups),
                             str(int(bias)), "f64" if dtype == torch.float64 else "f32",
                             "-" if output_size is None else ",".join(map(str, output_size))]))


def transpose_cases():
    """PyTorch's own ConvTranspose test configurations, generator layers, output_size, and a grid
    crossing stride × padding × output_padding × dilation × groups × bias, H ≠ W, non-square kernels."""
    c = transpose_case
    c("nn_convtranspose1d", 1, 3, 4, 3, (7,), stride=3, padding=1, output_padding=1)
    c("nn_convtranspose1d_no_bias", 1, 3, 4, 3, (7,), stride=2, padding=1, output_padding=1, bias=False)
    c("nn_convtranspose1d_dilated", 1, 3, 4, 3, (7,), stride=2, padding=1, output_padding=1, dilation=2)
    c("nn_convtranspose1d_groups", 1, 4, 6, 3, (7,), stride=3, padding=1, output_padding=1, groups=2)
    c("nn_convtranspose2d", 2, 3, 4, 3, (3, 4), stride=(3, 2), padding=1, output_padding=(1, 1))
    c("nn_convtranspose2d_no_bias", 2, 3, 4, 3, (3, 4), stride=(2, 3), padding=1, output_padding=(1, 1), bias=False)
    c("nn_convtranspose2d_dilated", 2, 3, 4, 3, (3, 4), dilation=2)
    c("nn_convtranspose2d_groups", 2, 2, 4, 3, (5, 3), groups=2)
    c("nn_convtranspose2d_depthwise", 2, 4, 4, 3, (5, 6), stride=2, padding=1, groups=4)
    c("dcgan_7to14", 2, 8, 4, 4, (7, 7), stride=2, padding=1)
    c("dcgan_14to28", 2, 4, 1, 4, (14, 14), stride=2, padding=1, dtype=torch.float32)
    c("dcgan_noise_to_7", 2, 10, 6, 7, (1, 1), batch=3)
    c("unet_up2", 2, 6, 3, 2, (5, 6), stride=2)
    c("upsample1d_k16_s8", 1, 3, 2, 16, (9,), stride=8, padding=4, dtype=torch.float32)
    c("batch1_3x3", 2, 5, 3, 3, (4, 5), batch=1, padding=1)
    c("zero_batch", 2, 3, 4, 3, (4, 5), batch=0, stride=2)
    # output_padding >= stride, allowed when the dilation is larger.
    c("output_padding_up_to_dilation", 2, 2, 3, 3, (4, 5), stride=(1, 2), output_padding=(2, 1), dilation=(3, 2))
    c("output_padding_up_to_dilation_1d", 1, 2, 2, 2, (6,), stride=2, output_padding=3, dilation=4)
    c("output_size_2d", 2, 4, 2, 3, (5, 5), stride=2, padding=1, output_size=[10, 9])
    c("output_size_full", 2, 4, 2, 3, (5, 5), stride=(3, 2), padding=1, output_size=[2, 2, 14, 9])
    c("output_size_1d", 1, 3, 2, 4, (6,), stride=4, padding=2, output_size=[23])
    i = 0
    for s, p, d in itertools.product([(1, 1), (2, 1), (2, 3)], [0, 1, (2, 1)], [(1, 1), (2, 1), (1, 3)]):
        ops = [op for op in [(0, 0), (1, 0), (0, 2), (1, 1)]
               if all(o < max(sv, dv) for o, sv, dv in zip(op, s, d))]
        for op in ops:
            c(f"grid2d_{i:03d}", 2, 4, 6, (3, 2), (5, 4), stride=s, padding=p, output_padding=op, dilation=d,
              groups=2 if i % 2 else 1, bias=i % 3 != 0, dtype=torch.float32 if i % 5 == 0 else torch.float64)
            i += 1
    j = 0
    for s, p, d, k in itertools.product([1, 2, 3], [0, 1, 3], [1, 2, 4], [2, 3, 4]):
        for op in range(max(s, d)):
            out = (9 - 1) * s - 2 * p + d * (k - 1) + op + 1
            if out > 0 and j % 3 == 0:
                c(f"grid1d_{j:03d}", 1, 4, 4, k, (9,), stride=s, padding=p, output_padding=op, dilation=d,
                  groups=2 if j % 2 else 1, bias=j % 4 != 0, dtype=torch.float32 if j % 7 == 0 else torch.float64)
            j += 1


def main():
    os.makedirs(OUT, exist_ok=True)
    os.makedirs(OUT_T, exist_ok=True)
    torch.set_num_threads(1)
    spec_cases()
    grid_cases()
    transpose_cases()
    for out, written in ((OUT, lines), (OUT_T, lines_t)):
        with open(os.path.join(out, "cases.txt"), "w") as f:
            f.write("\n".join(written) + "\n")
        print(f"wrote {len(written)} cases to {os.path.relpath(out)}")


if __name__ == "__main__":
    main()
