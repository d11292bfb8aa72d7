#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Golden data for atrous's layer, loss and optimizer tests, from PyTorch 1.13 (python3-torch).

Writes tests/golden/layers/: pooling outputs and input gradients, BatchNorm train/eval outputs,
gradients and running statistics, every loss with its input gradient, and 20-step optimizer
trajectories of a small MLP from fixed initial weights. Run from the repository root:

    /usr/bin/python3 tools/gen_golden_layers.py
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from state_dict_safetensors import write_safetensors  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "golden", "layers")
rng = np.random.default_rng(11)


def save(name, t):
    a = t.detach().numpy() if torch.is_tensor(t) else t
    np.save(os.path.join(OUT, name + ".npy"), np.array(a, order="C"))


def tensor(*shape, lo=-2.0, hi=2.0):
    return torch.tensor(rng.uniform(lo, hi, shape), dtype=torch.float64)


def save_step(name, fn, x):
    """Runs fn on x with a random grad_output and saves name_{x,y,g,gx}."""
    x.requires_grad_()
    y = fn(x)
    g = tensor(*y.shape)
    y.backward(g)
    for k, v in (("x", x), ("y", y), ("g", g), ("gx", x.grad)):
        save(f"{name}_{k}", v)


def pooling():
    cases = {
        "maxpool2d_k2": lambda x: F.max_pool2d(x, 2),
        "maxpool2d_k3_s2_p1": lambda x: F.max_pool2d(x, 3, 2, 1),
        "maxpool2d_ceil": lambda x: F.max_pool2d(x, 3, 2, 0, ceil_mode=True),
        "maxpool2d_dilated": lambda x: F.max_pool2d(x, (2, 3), (1, 2), (1, 1), dilation=2),
        "avgpool2d_k2": lambda x: F.avg_pool2d(x, 2),
        "avgpool2d_p1_include": lambda x: F.avg_pool2d(x, 3, 2, 1),
        "avgpool2d_p1_exclude": lambda x: F.avg_pool2d(x, 3, 2, 1, count_include_pad=False),
        "avgpool2d_ceil": lambda x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True),
        "adaptiveavg_1x1": lambda x: F.adaptive_avg_pool2d(x, 1),
        "adaptiveavg_3x2": lambda x: F.adaptive_avg_pool2d(x, (3, 2)),
    }
    for name, fn in cases.items():
        save_step(name, fn, tensor(2, 3, 7, 9))
    for name, fn in {"maxpool1d_k3_s2": lambda x: F.max_pool1d(x, 3, 2, 1),
                     "avgpool1d_k4_s3": lambda x: F.avg_pool1d(x, 4, 3)}.items():
        save_step(name, fn, tensor(2, 3, 11))


def batchnorm():
    bn = nn.BatchNorm2d(3, momentum=0.2).double()
    with torch.no_grad():
        bn.weight.copy_(tensor(3, lo=0.5, hi=1.5))
        bn.bias.copy_(tensor(3))
    save("bn_weight", bn.weight)
    save("bn_bias", bn.bias)
    for step in range(2):
        save_step(f"bn_train{step}", bn, tensor(4, 3, 5, 6))
    save("bn_gweight", bn.weight.grad)
    save("bn_gbias", bn.bias.grad)
    save("bn_running_mean", bn.running_mean)
    save("bn_running_var", bn.running_var)
    bn.eval()
    x = tensor(2, 3, 4, 4)
    save("bn_eval_x", x)
    save("bn_eval_y", bn(x))


def losses():
    logits = tensor(6, 5).requires_grad_()
    target = torch.tensor([0, 4, 2, 2, 1, 3])
    target_ignore = torch.tensor([0, -100, 2, 2, -100, 3])
    save("logits", logits)
    save("target", target)
    save("target_ignore", target_ignore)
    cases = {
        "ce_mean": lambda x: F.cross_entropy(x, target),
        "ce_sum": lambda x: F.cross_entropy(x, target, reduction="sum"),
        "ce_none": lambda x: F.cross_entropy(x, target, reduction="none"),
        "ce_smooth": lambda x: F.cross_entropy(x, target, label_smoothing=0.1),
        "ce_ignore": lambda x: F.cross_entropy(x, target_ignore),
        "ce_ignore_smooth": lambda x: F.cross_entropy(x, target_ignore, label_smoothing=0.2),
        "nll_mean": lambda x: F.nll_loss(F.log_softmax(x, 1), target),
        "mse_mean": lambda x: F.mse_loss(x, torch.tanh(logits.detach())),
        "mse_sum": lambda x: F.mse_loss(x, torch.tanh(logits.detach()), reduction="sum"),
        "l1_mean": lambda x: F.l1_loss(x, torch.tanh(logits.detach())),
        "bce_logits": lambda x: F.binary_cross_entropy_with_logits(x * 10, torch.sigmoid(logits.detach() * 3)),
    }
    for name, fn in cases.items():
        x = logits.detach().clone().requires_grad_()
        y = fn(x)
        g = torch.ones_like(y) if y.dim() == 0 else tensor(*y.shape)
        y.backward(g)
        save(f"{name}_y", y)
        save(f"{name}_g", g)
        save(f"{name}_gx", x.grad)


def weighted_and_new_losses():
    """Class weights, BCE on probabilities, pos_weight, smooth L1, Huber and KL divergence; drawn
    after the optimizers so the files written before them keep their values."""
    logits = torch.tensor(rng.uniform(-2, 2, (6, 5)), dtype=torch.float64)
    target = torch.tensor([0, 4, 2, 2, 1, 3])
    target_ignore = torch.tensor([0, -100, 2, 2, -100, 3])
    weight = torch.tensor([0.5, 2.0, 1.0, 3.0, 0.25], dtype=torch.float64)
    probs = torch.sigmoid(torch.tensor(rng.uniform(-3, 3, (6, 5)), dtype=torch.float64))
    bce_weight = torch.tensor(rng.uniform(0.5, 2, (5,)), dtype=torch.float64)
    pos_weight = torch.tensor(rng.uniform(0.5, 3, (5,)), dtype=torch.float64)
    other = torch.tensor(rng.uniform(-2, 2, (6, 5)), dtype=torch.float64)
    for k, v in (("x", logits), ("weight", weight), ("probs", probs), ("bce_weight", bce_weight),
                 ("pos_weight", pos_weight), ("other", other), ("target", target),
                 ("target_ignore", target_ignore)):
        save(f"loss2_{k}", v)
    cases = {
        "nll_weighted": lambda x: F.nll_loss(F.log_softmax(x, 1), target_ignore, weight=weight),
        "nll_weighted_sum": lambda x: F.nll_loss(F.log_softmax(x, 1), target, weight=weight, reduction="sum"),
        "ce_weighted": lambda x: F.cross_entropy(x, target, weight=weight),
        "bce": lambda x: F.binary_cross_entropy(torch.sigmoid(x), probs, weight=bce_weight),
        "bce_pos_weight": lambda x: F.binary_cross_entropy_with_logits(x, probs, pos_weight=pos_weight,
                                                                       weight=bce_weight),
        "smooth_l1": lambda x: F.smooth_l1_loss(x, other, beta=0.5),
        "huber": lambda x: F.huber_loss(x, other, delta=0.7, reduction="sum"),
        "kl_batchmean": lambda x: F.kl_div(F.log_softmax(x, 1), F.softmax(other, 1), reduction="batchmean"),
        "kl_log_target": lambda x: F.kl_div(F.log_softmax(x, 1), F.log_softmax(other, 1), reduction="none",
                                            log_target=True),
    }
    for name, fn in cases.items():
        x = logits.clone().requires_grad_()
        y = fn(x)
        g = torch.ones_like(y) if y.dim() == 0 else torch.tensor(rng.uniform(-2, 2, y.shape), dtype=torch.float64)
        y.backward(g)
        save(f"loss2_{name}_y", y)
        save(f"loss2_{name}_g", g)
        save(f"loss2_{name}_gx", x.grad)


def optimizers():
    torch.manual_seed(0)
    x = tensor(16, 4).float()
    y = torch.tensor(rng.integers(0, 3, 16))
    save("opt_x", x)
    save("opt_y", y)
    base = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 3))
    # The initial weights travel as safetensors, written from the PyTorch state dict.
    write_safetensors(os.path.join(OUT, "opt_init.safetensors"),
                      {k: v.detach().numpy() for k, v in base.state_dict().items()}, {"format": "pt"})
    configs = {
        "sgd": lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
        "sgd_dampening": lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.8, dampening=0.3),
        "adam": lambda ps: torch.optim.Adam(ps, lr=0.01, weight_decay=0.001),
        "adamw": lambda ps: torch.optim.AdamW(ps, lr=0.01),
    }
    for name, make in configs.items():
        net = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 3))
        net.load_state_dict(base.state_dict())
        opt = make(net.parameters())
        losses = []
        for _ in range(20):
            opt.zero_grad()
            loss = F.cross_entropy(net(x), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        save(f"opt_{name}_losses", np.array(losses))
        for pname, p in net.named_parameters():
            save(f"opt_{name}_final_" + pname.replace(".", "_"), p)


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.set_num_threads(1)
    pooling()
    batchnorm()
    losses()
    optimizers()
    weighted_and_new_losses()
    print(f"wrote {len(os.listdir(OUT))} files to {os.path.relpath(OUT)}")


if __name__ == "__main__":
    main()
