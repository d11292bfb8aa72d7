// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/conv/pad.h"

#include <algorithm>

#include "atrous/tensor/conv/geometry.h"
#include "atrous/tensor/conv/pad_index.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/view.h"
#include "atrous/tensor/parallel.h"
#include "atrous/tensor/profile.h"

namespace atrous::native {
namespace {

// x viewed as [planes, H, W] over its last two dims (H = 1 for a 1-D pad), contiguous.
struct Planes {
  Tensor data;
  std::int64_t planes, h, w;
};

Planes as_planes(const Tensor& x, const std::size_t pairs) {
  const std::int64_t w = x.sizes().back();
  const std::int64_t h = pairs == 2 ? x.sizes()[static_cast<std::size_t>(x.dim() - 2)] : 1;
  const std::int64_t planes = h * w == 0 ? 0 : x.numel() / (h * w);
  return {contiguous(x), planes, h, w};
}

}  // namespace

void check_pad(const Shape& sizes, const std::vector<std::int64_t>& pads, const PadMode mode) {
  const auto rank = static_cast<std::int64_t>(sizes.size());
  check_arg(pads.size() % 2 == 0, "pad", "padding length must be divisible by 2, got ", pads.size(), " values ",
            shape_str(pads));
  check_arg(static_cast<std::int64_t>(pads.size()) / 2 <= rank, "pad", "padding length too large: ", pads.size() / 2,
            " pairs for a ", rank, "-D input of shape ", shape_str(sizes));
  const std::size_t pairs = pads.size() / 2;
  check_arg(pairs == 1 || pairs == 2, "pad", "atrous pads the last one or two dimensions, got ", pairs, " pairs ",
            shape_str(pads));
  if (mode == PadMode::Constant || mode == PadMode::Zeros) {
    for (std::size_t p = 0; p < pairs; ++p) {
      const std::int64_t d = rank - 1 - static_cast<std::int64_t>(p);
      const std::int64_t n = with_op_name(
          "pad", [&] { return padded_size(sizes[static_cast<std::size_t>(d)], pads[2 * p], pads[2 * p + 1]); });
      check_arg(n >= 0, "pad", "dimension ", d, " of size ", sizes[static_cast<std::size_t>(d)], " plus padding (",
                pads[2 * p], ", ", pads[2 * p + 1], ") gives a negative size ", n);
    }
    return;
  }
  // PyTorch 1.13's _pad_enum: one pair on a 2-D/3-D input, two pairs on a 3-D/4-D input.
  const std::int64_t lo = static_cast<std::int64_t>(pairs) + 1, hi = static_cast<std::int64_t>(pairs) + 2;
  check_arg(rank >= lo && rank <= hi, "pad", pad_mode_name(mode), " padding of ", pairs, " dimension",
            pairs == 1 ? "" : "s", " needs a ", lo, "-D or ", hi, "-D input, got shape ", shape_str(sizes));
  for (std::size_t p = 0; p < pairs; ++p) {
    const std::int64_t d = rank - 1 - static_cast<std::int64_t>(p);
    const std::int64_t n = sizes[static_cast<std::size_t>(d)];
    const std::int64_t before = pads[2 * p], after = pads[2 * p + 1];
    check_arg(before >= 0 && after >= 0, "pad", pad_mode_name(mode), " padding must be non-negative, got (", before,
              ", ", after, ") at dimension ", d);
    check_arg(n > 0, "pad", pad_mode_name(mode), " padding needs a non-empty dimension ", d, " in input ",
              shape_str(sizes));
    if (mode == PadMode::Reflect) {
      check_arg(before < n && after < n, "pad", "Argument #", 4 + 2 * p,
                ": Padding size should be less than the corresponding input dimension, but got: padding (", before,
                ", ", after, ") at dimension ", d, " of input ", shape_str(sizes),
                " (reflect padding needs each pad <= ", n - 1, ")");
    } else if (mode == PadMode::Circular) {
      check_arg(before <= n && after <= n, "pad", "Padding value causes wrapping around more than once: circular ",
                "padding (", before, ", ", after, ") at dimension ", d, " of input ", shape_str(sizes),
                " needs each pad <= ", n);
    }
  }
}

Tensor pad(const Tensor& x, const std::vector<std::int64_t>& pads, const PadMode mode, const double value) {
  const profile::Scope scope("pad");
  check_pad(x.sizes(), pads, mode);
  const std::size_t pairs = pads.size() / 2;
  const Planes in = as_planes(x, pairs);
  const std::int64_t wl = pads[0], wr = pads[1];
  const std::int64_t ht = pairs == 2 ? pads[2] : 0, hb = pairs == 2 ? pads[3] : 0;
  const std::int64_t oh = in.h + ht + hb, ow = in.w + wl + wr;
  Shape out_sizes = x.sizes();
  out_sizes.back() = ow;
  if (pairs == 2) out_sizes[out_sizes.size() - 2] = oh;
  Tensor out = empty(out_sizes, x.dtype());
  if (out.numel() == 0) return out;
  const std::vector<std::int64_t> mh = pad_map(mode, in.h, ht, hb), mw = pad_map(mode, in.w, wl, wr);
  dispatch_dtype(x.dtype(), [&]<typename T>() {
    const T* src = in.data.data_ptr<T>();
    T* dst = out.data_ptr<T>();
    const auto fill = static_cast<T>(value);
    parallel_for(in.planes, std::max<std::int64_t>(1, 65536 / std::max<std::int64_t>(1, oh * ow)),
                 [&](const std::int64_t b, const std::int64_t e) {
                   for (std::int64_t p = b; p < e; ++p) {
                     for (std::int64_t r = 0; r < oh; ++r) {
                       const std::int64_t sr = mh[static_cast<std::size_t>(r)];
                       T* row = dst + (p * oh + r) * ow;
                       for (std::int64_t c = 0; c < ow; ++c) {
                         const std::int64_t sc = mw[static_cast<std::size_t>(c)];
                         row[c] = sr < 0 || sc < 0 ? fill : src[(p * in.h + sr) * in.w + sc];
                       }
                     }
                   }
                 });
  });
  return out;
}

Tensor pad_backward(const Tensor& grad, const Shape& sizes, const std::vector<std::int64_t>& pads, const PadMode mode) {
  const profile::Scope scope("pad_backward");
  const std::size_t pairs = pads.size() / 2;
  Tensor gx = zeros(sizes, grad.dtype());
  if (gx.numel() == 0 || grad.numel() == 0) return gx;
  const Planes g = as_planes(grad, pairs);
  const std::int64_t w = sizes.back(), h = pairs == 2 ? sizes[sizes.size() - 2] : 1;
  const std::int64_t wl = pads[0], wr = pads[1];
  const std::int64_t ht = pairs == 2 ? pads[2] : 0, hb = pairs == 2 ? pads[3] : 0;
  const std::vector<std::int64_t> mh = pad_map(mode, h, ht, hb), mw = pad_map(mode, w, wl, wr);
  // Padded columns [clo, chi) read column c − wl straight: a plain (vectorised) add.
  const std::int64_t clo = std::clamp<std::int64_t>(wl, 0, g.w), chi = std::clamp<std::int64_t>(wl + w, clo, g.w);
  dispatch_dtype(grad.dtype(), [&]<typename T>() {
    const T* src = g.data.data_ptr<T>();
    T* dst = gx.data_ptr<T>();
    // Planes are independent; within a plane the fold runs in index order, so sums are the
    // same for any thread count.
    parallel_for(g.planes, std::max<std::int64_t>(1, 65536 / std::max<std::int64_t>(1, g.h * g.w)),
                 [&](const std::int64_t b, const std::int64_t e) {
                   for (std::int64_t p = b; p < e; ++p) {
                     for (std::int64_t r = 0; r < g.h; ++r) {
                       const std::int64_t sr = mh[static_cast<std::size_t>(r)];
                       if (sr < 0) continue;
                       const T* row = src + (p * g.h + r) * g.w;
                       T* out = dst + (p * h + sr) * w;
                       const auto border = [&](const std::int64_t c) {
                         const std::int64_t sc = mw[static_cast<std::size_t>(c)];
                         if (sc >= 0) out[sc] += row[c];
                       };
                       for (std::int64_t c = 0; c < clo; ++c) border(c);
                       for (std::int64_t c = clo; c < chi; ++c) out[c - wl] += row[c];
                       for (std::int64_t c = chi; c < g.w; ++c) border(c);
                     }
                   }
                 });
  });
  return gx;
}

}  // namespace atrous::native
