// SPDX-License-Identifier: Apache-2.0
// nll_loss and its gradient right below: −1 (or −1/count for the mean) at each target class.
#include "atrous/autograd/ops/loss.h"

#include "atrous/autograd/node.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/view.h"

namespace atrous::autograd {

Tensor nll_loss(const Tensor& input_in, const Tensor& target_in, const Reduction reduction,
                const std::int64_t ignore_index) {
  check_arg(input_in.dim() == 1 || input_in.dim() == 2, "nll_loss", "expected input of shape (N, C) or (C), got ",
            shape_str(input_in.sizes()));
  check_arg(target_in.dtype() == kInt64, "nll_loss", "expected int64 class indices as target, got ",
            dtype_name(target_in.dtype()));
  check_arg(is_floating(input_in.dtype()), "nll_loss", "expected a floating-point input, got ",
            dtype_name(input_in.dtype()));
  const bool unbatched = input_in.dim() == 1;
  const Tensor input = unbatched ? native::unsqueeze(input_in, 0) : input_in;
  const Tensor target = native::contiguous(unbatched ? native::reshape(target_in, {1}) : target_in);
  check_arg(target.dim() == 1 && target.size(0) == input.size(0), "nll_loss", "expected target of shape [",
            input.size(0), "] for input of shape ", shape_str(input_in.sizes()), ", got ",
            shape_str(target_in.sizes()));
  const std::int64_t N = input.size(0), C = input.size(1);
  const std::int64_t* t = target.data_ptr<std::int64_t>();
  std::int64_t count = 0;
  for (std::int64_t i = 0; i < N; ++i) {
    if (t[i] == ignore_index) continue;
    check_arg(t[i] >= 0 && t[i] < C, "nll_loss", "target ", t[i], " of sample ", i, " is out of bounds for ", C,
              " classes (expected 0 <= target < ", C, ", or ignore_index ", ignore_index, ")");
    ++count;
  }
  const Tensor x = native::contiguous(input);
  Tensor per_sample = empty({N}, x.dtype());
  Tensor out;
  dispatch_floating(x.dtype(), "nll_loss", [&]<typename T>() {
    const T* px = x.data_ptr<T>();
    T* ps = per_sample.data_ptr<T>();
    T total = 0;
    for (std::int64_t i = 0; i < N; ++i) {
      ps[i] = t[i] == ignore_index ? T(0) : -px[i * C + t[i]];
      total += ps[i];  // in sample order: deterministic
    }
    if (reduction == kNone) {
      out = unbatched ? native::reshape(per_sample, {}) : per_sample;
    } else {
      // PyTorch: the mean over zero counted samples is NaN (0/0).
      out = full(
          {}, reduction == kSum ? static_cast<double>(total) : static_cast<double>(total) / static_cast<double>(count),
          x.dtype());
    }
  });
  return record("NllLossBackward0", {input_in}, out,
                [target, sizes = input_in.sizes(), N, C, count, reduction, ignore_index, unbatched](const Tensor& g) {
                  Tensor gx = zeros({N, C}, g.dtype());
                  const Tensor gc = native::contiguous(g);
                  const std::int64_t* tt = target.data_ptr<std::int64_t>();
                  dispatch_floating(g.dtype(), "nll_loss", [&]<typename T>() {
                    T* d = gx.data_ptr<T>();
                    const T* pg = gc.data_ptr<T>();
                    for (std::int64_t i = 0; i < N; ++i) {
                      if (tt[i] == ignore_index) continue;
                      const T gi = reduction == kNone ? pg[i] : pg[0];
                      d[i * C + tt[i]] = reduction == kMean ? -gi / static_cast<T>(count) : -gi;
                    }
                  });
                  return std::vector<Tensor>{unbatched ? native::reshape(gx, sizes) : gx};
                });
}

}  // namespace atrous::autograd
