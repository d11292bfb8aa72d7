#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Golden data for atrous's tensor and autograd tests, computed by PyTorch 1.13 (python3-torch).

For every case: the inputs, the forward output, and the gradient of sum(output * w) with respect
to every input (w is a fixed random weight, saved too), as .npy files under tests/golden/tensor/.
Printing cases save the input and PyTorch's repr. Run from the repository root:

    /usr/bin/python3 tools/gen_golden_tensor.py

The outputs are committed; neither the build nor the tests need Python.
"""
import os
import sys

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "golden", "tensor")
rng = np.random.default_rng(20261125)


def arr(*shape, lo=-2.0, hi=2.0, dtype=np.float64):
    return rng.uniform(lo, hi, size=shape).astype(dtype)


def positive(*shape, dtype=np.float64):
    return arr(*shape, lo=0.2, hi=3.0, dtype=dtype)


# name -> (function of torch tensors, list of numpy inputs). Each case runs in float32 and float64.
CASES = {
    "add_broadcast": (lambda a, b: a + b, [arr(2, 3, 4), arr(3, 1)]),
    "sub_broadcast": (lambda a, b: a - b, [arr(4), arr(2, 3, 4)]),
    "mul_broadcast": (lambda a, b: a * b, [arr(2, 1, 4), arr(3, 1)]),
    "div_broadcast": (lambda a, b: a / b, [arr(2, 3), positive(3)]),
    "maximum": (lambda a, b: torch.maximum(a, b), [arr(3, 4), arr(4)]),
    "minimum": (lambda a, b: torch.minimum(a, b), [arr(3, 4), arr(3, 1)]),
    "pow_tensor": (lambda a, b: torch.pow(a, b), [positive(2, 3), arr(2, 3)]),
    "pow_scalar": (lambda a: torch.pow(a, 3.0), [arr(5, 3)]),
    "pow_half": (lambda a: torch.pow(a, 0.5), [positive(4, 3)]),
    "neg": (lambda a: -a, [arr(3, 5)]),
    "exp": (lambda a: torch.exp(a), [arr(4, 7)]),
    "log": (lambda a: torch.log(a), [positive(4, 7)]),
    "sqrt": (lambda a: torch.sqrt(a), [positive(33)]),
    "relu": (lambda a: torch.relu(a), [arr(6, 5)]),
    "tanh": (lambda a: torch.tanh(a), [arr(37)]),
    "sigmoid": (lambda a: torch.sigmoid(a), [arr(3, 19)]),
    "abs": (lambda a: torch.abs(a), [arr(3, 19)]),
    "clamp": (lambda a: torch.clamp(a, -0.5, 0.7), [arr(4, 9)]),
    "erf": (lambda a: torch.erf(a), [arr(4, 9)]),
    "gelu": (lambda a: torch.nn.functional.gelu(a), [arr(5, 7, lo=-4, hi=4)]),
    "sum_all": (lambda a: a.sum(), [arr(3, 4, 5)]),
    "sum_dim1_keepdim": (lambda a: a.sum(dim=1, keepdim=True), [arr(3, 4, 5)]),
    "sum_dims02": (lambda a: a.sum(dim=(0, 2)), [arr(3, 4, 5)]),
    "mean_all": (lambda a: a.mean(), [arr(6, 7)]),
    "mean_dim_neg1": (lambda a: a.mean(dim=-1), [arr(6, 7)]),
    "max_dim": (lambda a: a.max(dim=1)[0], [arr(4, 6, 3)]),
    "max_all": (lambda a: a.max(), [arr(5, 6)]),
    "matmul_2d": (lambda a, b: a @ b, [arr(5, 7), arr(7, 9)]),
    "matmul_batched_broadcast": (lambda a, b: a @ b, [arr(2, 1, 4, 3), arr(3, 3, 5)]),
    "matmul_vec_mat": (lambda a, b: a @ b, [arr(6), arr(6, 4)]),
    "matmul_mat_vec": (lambda a, b: a @ b, [arr(3, 6), arr(6)]),
    "matmul_dot": (lambda a, b: a @ b, [arr(11), arr(11)]),
    "softmax_last": (lambda a: torch.softmax(a, dim=-1), [arr(4, 10, lo=-5, hi=5)]),
    "softmax_dim0": (lambda a: torch.softmax(a, dim=0), [arr(5, 3, lo=-5, hi=5)]),
    "log_softmax_last": (lambda a: torch.log_softmax(a, dim=-1), [arr(4, 10, lo=-5, hi=5)]),
    "log_softmax_dim1": (lambda a: torch.log_softmax(a, dim=1), [arr(2, 6, 3, lo=-5, hi=5)]),
    "transpose_reshape": (lambda a: a.transpose(0, 1).reshape(6, 4) * 2.0, [arr(4, 3, 2)]),
    "permute_contiguous": (lambda a: a.permute(2, 0, 1).contiguous(), [arr(2, 3, 4)]),
    "narrow_select": (lambda a: a.narrow(1, 1, 2).select(0, 2), [arr(4, 5)]),
    "slice_step": (lambda a: a[:, 1:7:2], [arr(3, 8)]),
    "cat_dim1": (lambda a, b: torch.cat([a, b], dim=1), [arr(2, 3), arr(2, 5)]),
    "expand_mul": (lambda a, b: a.expand(3, 4) * b, [arr(1, 4), arr(3, 4)]),
    "composite_mlp": (lambda x, w, b: torch.tanh(x @ w + b).sum(dim=1), [arr(5, 3), arr(3, 4), arr(4)]),
}

# The libtorch-surface ops, from their own generator so the cases above keep their inputs.
rng_surface = np.random.default_rng(20261206)


def arr2(*shape, lo=-2.0, hi=2.0):
    return rng_surface.uniform(lo, hi, size=shape)


CASES.update({
    "where": (lambda a, b: torch.where(a > 0, a * 2.0, b), [arr2(3, 4), arr2(4)]),
    "masked_fill": (lambda a: a.masked_fill(a < 0, 1.5) * a, [arr2(3, 4)]),
    "var_all": (lambda a: a.var(), [arr2(4, 5)]),
    "std_dim_keepdim": (lambda a: a.std(dim=1, keepdim=True), [arr2(4, 5)]),
    "norm": (lambda a: a.norm(), [arr2(3, 4)]),
    "min_dim": (lambda a: a.min(dim=1)[0], [arr2(4, 6)]),
    "stack_dim1": (lambda a, b: torch.stack([a, b.exp()], dim=1), [arr2(2, 3), arr2(2, 3)]),
    "bmm": (lambda a, b: torch.bmm(a, b), [arr2(3, 2, 4), arr2(3, 4, 5)]),
    "addmm": (lambda c, a, b: torch.addmm(c, a, b, beta=0.5, alpha=2.0), [arr2(3, 5), arr2(3, 4), arr2(4, 5)]),
    "index_slice_none": (lambda a: a[1:, None, 0:4:2], [arr2(3, 5)]),
})

# Values chosen to hit PyTorch's formatter modes: integer, fixed, scientific, wrapping, summarising.
PRINT_CASES = {
    "print_int_mode": (np.array([[1.0, 2.0], [3.0, -4.0]], np.float32)),
    "print_fixed": (np.array([0.1, -2.25, 3.14159, 10.5], np.float32)),
    "print_sci": (np.array([1e-5, 1.0, 12345.678], np.float32)),
    "print_float64": (np.array([[1.5, 2.25]], np.float64)),
    "print_int64": (np.array([[1, -20, 300], [4, 5, 6]], np.int64)),
    "print_scalar": (np.array(3.5, np.float32)),
    "print_wrap": (np.linspace(-1, 1, 30).astype(np.float32)),
    "print_3d": (np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 8),
    "print_summarize": (np.arange(2000, dtype=np.float32).reshape(40, 50)),
    "print_nonfinite": (np.array([1.0, np.inf, -np.inf, np.nan, 0.5], np.float32)),
    "print_empty": (np.zeros((0, 3), np.float32)),
    "print_zeros": (np.zeros((2, 2), np.float32)),
}


def save(name, tensor_or_array):
    a = tensor_or_array.detach().numpy() if torch.is_tensor(tensor_or_array) else tensor_or_array
    np.save(os.path.join(OUT, name + ".npy"), np.array(a, order="C"))  # keeps 0-d arrays 0-d


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.set_num_threads(1)
    for name, (fn, inputs) in CASES.items():
        for dt, suffix in ((torch.float32, "f32"), (torch.float64, "f64")):
            ts = [torch.tensor(x, dtype=dt, requires_grad=True) for x in inputs]
            out = fn(*ts)
            w = torch.tensor(arr(*out.shape), dtype=dt) if out.dim() else torch.tensor(1.5, dtype=dt)
            (out * w).sum().backward()
            base = f"{name}_{suffix}"
            for i, t in enumerate(ts):
                save(f"{base}_in{i}", t)
                save(f"{base}_grad{i}", t.grad)
            save(f"{base}_out", out)
            save(f"{base}_w", w)
    for name, value in PRINT_CASES.items():
        save(name, value)
        with open(os.path.join(OUT, name + ".txt"), "w") as f:
            f.write(repr(torch.from_numpy(value)).replace("torch.", "atrous."))
    with open(os.path.join(OUT, "cases.txt"), "w") as f:
        f.write("\n".join(sorted(CASES)) + "\n")
    print(f"wrote {len(CASES)} op cases and {len(PRINT_CASES)} print cases to {os.path.relpath(OUT)}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
