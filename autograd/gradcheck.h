// SPDX-License-Identifier: Apache-2.0
// gradcheck: compares autograd's gradients with central finite differences, following
// torch.autograd.gradcheck (float64, eps 1e-6, atol 1e-5, rtol 1e-3), and checks that backward
// is reproducible. Public API: use it to test your own differentiable functions.
//
//   auto x = atrous::randn({3, 4}, atrous::kFloat64).requires_grad_();
//   auto r = atrous::autograd::gradcheck(
//       [](const std::vector<atrous::Tensor>& in) { return (in[0] * in[0]).sum(); }, {x});
//   if (!r) std::cerr << r.message << "\n";
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "atrous/tensor/tensor.h"

namespace atrous::autograd {

struct GradcheckOptions {
  double eps = 1e-6;   // finite-difference step
  double atol = 1e-5;  // |analytical - numerical| <= atol + rtol * |numerical|
  double rtol = 1e-3;
  bool check_reproducible = true;  // two backward passes must agree bit for bit
  bool raise_exception = false;    // throw std::runtime_error(message) on failure

  GradcheckOptions& set_eps(const double v) { return eps = v, *this; }
  GradcheckOptions& set_atol(const double v) { return atol = v, *this; }
  GradcheckOptions& set_rtol(const double v) { return rtol = v, *this; }
  GradcheckOptions& set_raise_exception(const bool v) { return raise_exception = v, *this; }
};

struct GradcheckResult {
  bool ok = true;
  int input = -1;                    // which input's gradient failed
  int output = -1;                   // which output
  std::int64_t element = -1;         // flat index into that input
  std::int64_t output_element = -1;  // flat index into that output
  double analytical = 0.0;
  double numerical = 0.0;
  std::string message;  // empty when ok; otherwise says all of the above in words

  explicit operator bool() const noexcept { return ok; }
};

using GradcheckFunction = std::function<std::vector<Tensor>(const std::vector<Tensor>&)>;

// Checks every float64 input that requires grad against every output of fn. Inputs that
// require grad must be float64 (float32 differences are too coarse at eps = 1e-6).
GradcheckResult gradcheck(const GradcheckFunction& fn, const std::vector<Tensor>& inputs,
                          const GradcheckOptions& options = {});
GradcheckResult gradcheck(const std::function<Tensor(const std::vector<Tensor>&)>& fn,
                          const std::vector<Tensor>& inputs, const GradcheckOptions& options = {});

}  // namespace atrous::autograd
