// SPDX-License-Identifier: Apache-2.0
// One golden case of a convolution module (Conv or ConvTranspose) against PyTorch 1.13
// (tools/gen_golden_conv.py): the case's weight and bias copied in, its input run forward and
// backward with its upstream gradient, and the output and all three gradients compared.
#pragma once

#include <string>

#include <gtest/gtest.h>

#include "atrous/autograd/grad_mode.h"
#include "atrous/tensor/io/npy.h"
#include "tests/support/test_util.h"

namespace atrous::test {

// golden/<folder>/<name>_<suffix>.npy
inline Tensor load_conv_golden(const std::string& folder, const std::string& name, const char* suffix) {
  return load_npy(golden_path(folder + "/" + name + "_" + suffix + ".npy"));
}

// `forward(x)` runs `conv`, built for the case's weight shape and options. float64 results differ
// from PyTorch's only by summation order, float32 ones by a few ulp of the sums: `tol` for both.
template <class Module, class Forward>
void expect_conv_matches_golden(const std::string& folder, const std::string& name, Module& conv, const bool bias,
                                const double tol, const Forward& forward) {
  const auto load = [&](const char* suffix) { return load_conv_golden(folder, name, suffix); };
  {
    const NoGradGuard no_grad;
    conv.weight.copy_(load("w"));
    if (bias) conv.bias.copy_(load("b"));
  }
  Tensor x = load("x").requires_grad_();
  const Tensor y = forward(x);
  ASSERT_TRUE(all_close(y, load("y"), tol, tol)) << "output";
  (y * load("gy")).sum().backward();
  if (x.numel() > 0) {
    EXPECT_TRUE(all_close(x.grad(), load("gx"), tol, tol)) << "grad_input";
  }
  EXPECT_TRUE(all_close(conv.weight.grad(), load("gw"), tol, tol)) << "grad_weight";
  if (bias) {
    EXPECT_TRUE(all_close(conv.bias.grad(), load("gb"), tol, tol)) << "grad_bias";
  }
}

}  // namespace atrous::test
