// SPDX-License-Identifier: Apache-2.0
#include "atrous/autograd/gradcheck.h"

#include <cmath>
#include <sstream>

#include "atrous/autograd/engine.h"
#include "atrous/autograd/grad_mode.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/view.h"

namespace atrous::autograd {
namespace {

// jacobian[i][o] is a row-major [numel(input i), numel(output o)] matrix.
using Jacobians = std::vector<std::vector<std::vector<double>>>;

std::string index_str(const Shape& sizes, std::int64_t flat) {
  Shape idx(sizes.size());
  for (std::size_t d = sizes.size(); d-- > 0;) {
    idx[d] = flat % sizes[d];
    flat /= sizes[d];
  }
  return shape_str(idx);
}

std::vector<Tensor> run(const GradcheckFunction& fn, const std::vector<Tensor>& inputs, const char* what) {
  std::vector<Tensor> outs = fn(inputs);
  for (std::size_t o = 0; o < outs.size(); ++o) {
    check_arg(outs[o].defined(), "gradcheck", "output ", o, " of the function is undefined (", what, ")");
  }
  return outs;
}

// Outputs may be views of the inputs that the next perturbation would change: keep copies.
std::vector<Tensor> run_and_copy(const GradcheckFunction& fn, const std::vector<Tensor>& inputs, const char* what) {
  std::vector<Tensor> outs = run(fn, inputs, what);
  for (Tensor& o : outs) o = native::clone(o);
  return outs;
}

Jacobians numerical(const GradcheckFunction& fn, const std::vector<Tensor>& inputs, const std::vector<Tensor>& outs,
                    const double eps) {
  const NoGradGuard no_grad;
  Jacobians jac(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].requires_grad()) continue;
    const Tensor& x = inputs[i];  // contiguous float64 clone: see gradcheck()
    double* data = x.data_ptr<double>();
    for (const Tensor& out : outs) jac[i].emplace_back(static_cast<std::size_t>(x.numel() * out.numel()), 0.0);
    for (std::int64_t j = 0; j < x.numel(); ++j) {
      const double orig = data[j];
      data[j] = orig + eps;
      const std::vector<Tensor> plus = run_and_copy(fn, inputs, "at x + eps");
      data[j] = orig - eps;
      const std::vector<Tensor> minus = run_and_copy(fn, inputs, "at x - eps");
      data[j] = orig;
      for (std::size_t o = 0; o < outs.size(); ++o) {
        for (std::int64_t k = 0; k < outs[o].numel(); ++k) {
          jac[i][o][static_cast<std::size_t>(j * outs[o].numel() + k)] =
              (value_at(plus[o], k) - value_at(minus[o], k)) / (2.0 * eps);
        }
      }
    }
  }
  return jac;
}

Jacobians analytical(const GradcheckFunction& fn, const std::vector<Tensor>& inputs) {
  const AutoGradMode grad_on(true);
  Jacobians jac(inputs.size());
  const std::vector<Tensor> outs = run(fn, inputs, "in the analytical pass");
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].requires_grad()) continue;
    for (const Tensor& out : outs) jac[i].emplace_back(static_cast<std::size_t>(inputs[i].numel() * out.numel()), 0.0);
  }
  for (std::size_t o = 0; o < outs.size(); ++o) {
    const Tensor& out = outs[o];
    if (!out.requires_grad()) continue;  // a constant output: its Jacobian is zero
    for (std::int64_t k = 0; k < out.numel(); ++k) {
      for (Tensor x : inputs) {  // a handle copy: resets the shared leaf's gradient
        if (x.requires_grad()) x.mutable_grad() = Tensor();
      }
      Tensor seed = zeros(out.sizes(), out.dtype());
      native::reshape(seed, {-1}).select(0, k).fill_(1.0);
      backward({out}, {seed}, /*retain_graph=*/true);
      for (std::size_t i = 0; i < inputs.size(); ++i) {
        const Tensor& g = inputs[i].requires_grad() ? inputs[i].grad() : Tensor();
        if (!g.defined()) continue;
        for (std::int64_t j = 0; j < inputs[i].numel(); ++j) {
          jac[i][o][static_cast<std::size_t>(j * out.numel() + k)] = value_at(g, j);
        }
      }
    }
  }
  return jac;
}

}  // namespace

GradcheckResult gradcheck(const GradcheckFunction& fn, const std::vector<Tensor>& inputs_in,
                          const GradcheckOptions& opt) {
  std::vector<Tensor> inputs;
  bool any = false;
  for (std::size_t i = 0; i < inputs_in.size(); ++i) {
    const Tensor& x = inputs_in[i];
    if (!x.defined() || !x.requires_grad()) {
      inputs.push_back(x);
      continue;
    }
    check_arg(x.dtype() == kFloat64, "gradcheck", "input ", i, " requires grad but has dtype ", dtype_name(x.dtype()),
              "; gradcheck needs float64 (central differences with eps = ", opt.eps, " are meaningless in float32)");
    // Fresh leaves, so neither the perturbation nor the gradients touch the caller's tensors.
    Tensor leaf = native::clone(x);
    leaf.requires_grad_(true);
    inputs.push_back(leaf);
    any = true;
  }
  check_arg(any, "gradcheck", "no input requires grad: call requires_grad_() on the inputs to check");

  const std::vector<Tensor> outs = [&] {
    const NoGradGuard no_grad;
    return run_and_copy(fn, inputs, "in the reference pass");
  }();
  const Jacobians num = numerical(fn, inputs, outs, opt.eps);
  const Jacobians ana = analytical(fn, inputs);

  GradcheckResult r;
  for (std::size_t i = 0; i < inputs.size() && r.ok; ++i) {
    for (std::size_t o = 0; o < num[i].size() && r.ok; ++o) {
      const std::int64_t n_out = outs[o].numel();
      for (std::size_t e = 0; e < num[i][o].size(); ++e) {
        const double a = ana[i][o][e], n = num[i][o][e];
        if (std::abs(a - n) <= opt.atol + opt.rtol * std::abs(n)) continue;
        r.ok = false;
        r.input = static_cast<int>(i);
        r.output = static_cast<int>(o);
        r.element = static_cast<std::int64_t>(e) / n_out;
        r.output_element = static_cast<std::int64_t>(e) % n_out;
        r.analytical = a;
        r.numerical = n;
        std::ostringstream m;
        m.precision(10);
        m << "gradcheck: Jacobian mismatch for output " << o << " with respect to input " << i << " at input element "
          << r.element << " " << index_str(inputs[i].sizes(), r.element) << " and output element " << r.output_element
          << " " << index_str(outs[o].sizes(), r.output_element) << ": analytical " << a << ", numerical " << n
          << " (|difference| " << std::abs(a - n) << " > atol " << opt.atol << " + rtol " << opt.rtol
          << " * |numerical|)";
        r.message = m.str();
        break;
      }
    }
  }
  if (r.ok && opt.check_reproducible && analytical(fn, inputs) != ana) {
    r.ok = false;
    r.message =
        "gradcheck: backward is not reproducible: two backward passes over the same inputs gave different "
        "gradients";
  }
  if (!r.ok && opt.raise_exception) throw std::runtime_error(r.message);
  return r;
}

GradcheckResult gradcheck(const std::function<Tensor(const std::vector<Tensor>&)>& fn,
                          const std::vector<Tensor>& inputs, const GradcheckOptions& options) {
  return gradcheck(GradcheckFunction([&fn](const std::vector<Tensor>& in) { return std::vector<Tensor>{fn(in)}; }),
                   inputs, options);
}

}  // namespace atrous::autograd
