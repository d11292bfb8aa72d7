// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/ops/batch_norm.h"

#include <cmath>

#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/view.h"
#include "atrous/tensor/parallel.h"
#include "atrous/tensor/profile.h"

namespace atrous::native {
namespace {

// t in `dtype`: itself when it already is, else a converted copy.
Tensor in_dtype(const Tensor& t, const ScalarType dtype) { return t.dtype() == dtype ? t : to(t, dtype); }

// (N, C, S): the planes of channel c are x + (n·C + c)·S for n < N.
struct Layout {
  std::int64_t N, C, S;
};

Layout layout_of(const Tensor& x) {
  std::int64_t S = 1;
  for (std::int64_t d = 2; d < x.dim(); ++d) S *= x.size(d);
  return {x.size(0), x.size(1), S};
}

// Sums over one channel in a fixed order: 8 running partial sums per plane (so the compiler can
// vectorise), combined in a fixed tree.
template <typename T, typename Fn>
double channel_sum(const Layout& l, const std::int64_t c, const Fn& term) {
  double total = 0;
  for (std::int64_t n = 0; n < l.N; ++n) {
    const std::int64_t base = (n * l.C + c) * l.S;
    double part[8] = {};
    std::int64_t s = 0;
    for (; s + 8 <= l.S; s += 8) {
      for (int j = 0; j < 8; ++j) part[j] += term(base + s + j);
    }
    for (; s < l.S; ++s) part[0] += term(base + s);
    total += ((part[0] + part[1]) + (part[2] + part[3])) + ((part[4] + part[5]) + (part[6] + part[7]));
  }
  return total;
}

constexpr std::int64_t kChannelGrain = 1;

}  // namespace

BatchNormForward batch_norm(const Tensor& input, const Tensor& weight, const Tensor& bias, const Tensor& running_mean,
                            const Tensor& running_var, const bool training, const double eps) {
  const profile::Scope scope("batch_norm");
  const Tensor x = contiguous(input);
  const Layout l = layout_of(x);
  BatchNormForward out{empty(x.sizes(), x.dtype()), empty({l.C}, x.dtype()), empty({l.C}, x.dtype()),
                       training ? empty({l.C}, x.dtype()) : Tensor()};
  const Tensor w = weight.defined() ? contiguous(in_dtype(weight, x.dtype())) : Tensor();
  const Tensor b = bias.defined() ? contiguous(in_dtype(bias, x.dtype())) : Tensor();
  const Tensor rm = training ? Tensor() : contiguous(in_dtype(running_mean, kFloat64));
  const Tensor rv = training ? Tensor() : contiguous(in_dtype(running_var, kFloat64));
  dispatch_floating(x.dtype(), "batch_norm", [&]<typename T>() {
    const T* src = x.data_ptr<T>();
    T* dst = out.output.data_ptr<T>();
    parallel_for(l.C, kChannelGrain, [&](const std::int64_t c0, const std::int64_t c1) {
      for (std::int64_t c = c0; c < c1; ++c) {
        double mean, var;
        if (training) {
          const auto count = static_cast<double>(l.N * l.S);
          mean = channel_sum<T>(l, c, [src](const std::int64_t i) { return static_cast<double>(src[i]); }) / count;
          var = channel_sum<T>(l, c,
                               [src, mean](const std::int64_t i) {
                                 const double d = static_cast<double>(src[i]) - mean;
                                 return d * d;
                               }) /
                count;
          out.var.data_ptr<T>()[c] = static_cast<T>(var);
        } else {
          mean = rm.data_ptr<double>()[c];
          var = rv.data_ptr<double>()[c];
        }
        const double invstd = 1.0 / std::sqrt(var + eps);
        out.mean.data_ptr<T>()[c] = static_cast<T>(mean);
        out.invstd.data_ptr<T>()[c] = static_cast<T>(invstd);
        const double scale = invstd * (w.defined() ? static_cast<double>(w.data_ptr<T>()[c]) : 1.0);
        const double shift = (b.defined() ? static_cast<double>(b.data_ptr<T>()[c]) : 0.0) - mean * scale;
        const auto sc = static_cast<T>(scale), sh = static_cast<T>(shift);
        for (std::int64_t n = 0; n < l.N; ++n) {
          const std::int64_t base = (n * l.C + c) * l.S;
          for (std::int64_t s = 0; s < l.S; ++s) dst[base + s] = src[base + s] * sc + sh;
        }
      }
    });
  });
  return out;
}

BatchNormGrads batch_norm_backward(const Tensor& grad_output, const Tensor& input, const Tensor& weight,
                                   const Tensor& mean_t, const Tensor& invstd_t, const bool training,
                                   const bool need_input, const bool need_weight, const bool need_bias) {
  const profile::Scope scope("batch_norm_backward");
  const Tensor x = contiguous(input), g = contiguous(in_dtype(grad_output, x.dtype()));
  const Layout l = layout_of(x);
  BatchNormGrads grads{need_input ? empty(x.sizes(), x.dtype()) : Tensor(),
                       need_weight ? empty({l.C}, x.dtype()) : Tensor(),
                       need_bias ? empty({l.C}, x.dtype()) : Tensor()};
  const Tensor w = weight.defined() ? contiguous(in_dtype(weight, x.dtype())) : Tensor();
  const Tensor mean_c = contiguous(mean_t), invstd_c = contiguous(invstd_t);
  dispatch_floating(x.dtype(), "batch_norm_backward", [&]<typename T>() {
    const T* xs = x.data_ptr<T>();
    const T* gs = g.data_ptr<T>();
    parallel_for(l.C, kChannelGrain, [&](const std::int64_t c0, const std::int64_t c1) {
      for (std::int64_t c = c0; c < c1; ++c) {
        const auto mean = static_cast<double>(mean_c.data_ptr<T>()[c]);
        const auto invstd = static_cast<double>(invstd_c.data_ptr<T>()[c]);
        // sum(dy) and sum(dy · (x − mean)); x̂ = (x − mean)·invstd.
        const double sum_g = channel_sum<T>(l, c, [gs](const std::int64_t i) { return static_cast<double>(gs[i]); });
        const double dot = channel_sum<T>(l, c, [gs, xs, mean](const std::int64_t i) {
          return static_cast<double>(gs[i]) * (static_cast<double>(xs[i]) - mean);
        });
        if (need_weight) grads.weight.data_ptr<T>()[c] = static_cast<T>(dot * invstd);
        if (need_bias) grads.bias.data_ptr<T>()[c] = static_cast<T>(sum_g);
        if (!need_input) continue;
        const double wc = w.defined() ? static_cast<double>(w.data_ptr<T>()[c]) : 1.0;
        T* dx = grads.input.data_ptr<T>();
        // dx = w·invstd·(dy − mean(dy) − x̂·mean(dy·x̂)) in training, w·invstd·dy otherwise,
        // as dx = a·dy + b·x + e per element.
        const auto count = static_cast<double>(l.N * l.S);
        const double a = wc * invstd;
        const double k = training ? dot * invstd * invstd / count : 0.0;
        const double gm = training ? sum_g / count : 0.0;
        const auto av = static_cast<T>(a), bv = static_cast<T>(-a * k), ev = static_cast<T>(a * (k * mean - gm));
        for (std::int64_t n = 0; n < l.N; ++n) {
          const std::int64_t base = (n * l.C + c) * l.S;
          for (std::int64_t s = 0; s < l.S; ++s) dx[base + s] = gs[base + s] * av + xs[base + s] * bv + ev;
        }
      }
    });
  });
  return grads;
}

}  // namespace atrous::native
