// SPDX-License-Identifier: Apache-2.0
// grad_weight as a GEMM reduced over every (image, pixel): dW[Og × K] = Σ dY[Og × NP] · Xcolᵀ.
// The reduction is split into a shape-fixed number of ranges, each a task with its own partial
// dW (packing dY and im2col rows once per step of kConvWeightChunk pairs), and the partials are
// summed in order. The association of every sum depends only on the shape: bit-identical for
// any thread count.
#include "atrous/tensor/conv/conv.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "atrous/tensor/conv/conv_backward_weight.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

#include "atrous/tensor/conv/conv_pack-inl.h"
#include "atrous/tensor/gemm/gemm_microkernel-inl.h"
#include "atrous/tensor/gemm/scratch.h"
#include "atrous/tensor/parallel.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {

// Calls fn(n, p0, count, offset) for the per-image pieces of the flat (image, pixel) range
// [f0, f0 + len): image n, pixels [p0, p0 + count), at `offset` within the range.
template <class Fn>
void ForEachImageSegment(const ConvPlan& p, const std::int64_t f0, const std::int64_t len, const Fn& fn) {
  for (std::int64_t off = 0; off < len;) {
    const std::int64_t f = f0 + off, n = f / p.P, p0 = f % p.P;
    const std::int64_t count = std::min(len - off, p.P - p0);
    fn(n, p0, count, off);
    off += count;
  }
}

// Packs step [f0, f0 + len) of the reduction — dY rows (A) and im2col rows (B) for every group
// — and accumulates it into out (the O × K weight gradient layout). `first` overwrites instead.
template <typename T>
void AccumulateStep(const ConvPlan& p, const T* gy, const T* x, const std::int64_t f0, const std::int64_t len,
                    const bool first, T* HWY_RESTRICT apack, T* HWY_RESTRICT bpack, T* HWY_RESTRICT im2col,
                    T* HWY_RESTRICT out) {
  const auto MR = static_cast<std::int64_t>(kGemmMR);
  const auto NR = static_cast<std::int64_t>(GemmNR<T>());
  const std::int64_t khw = p.kH * p.kW, CH = kConvWeightChunk;
  const std::int64_t a_panels = (p.Og + MR - 1) / MR, b_panels = (p.K + NR - 1) / NR;
  for (std::int64_t g = 0; g < p.G; ++g) {
    for (std::int64_t ip = 0; ip < a_panels; ++ip) {  // dY rows of MR output channels, k-major
      const std::int64_t rows = std::min(MR, p.Og - ip * MR);
      T* dst = apack + (g * a_panels + ip) * CH * MR;
      ForEachImageSegment(p, f0, len, [&](std::int64_t n, std::int64_t p0, std::int64_t count, std::int64_t off) {
        PackA(gy + (n * p.O + g * p.Og + ip * MR) * p.P + p0, p.P, 1, rows, count, dst + off * MR);
      });
    }
    for (std::int64_t jp = 0; jp < b_panels; ++jp) {  // NR im2col rows (weight columns k)
      T* dst = bpack + (g * b_panels + jp) * CH * NR;
      for (std::int64_t j = 0; j < NR; ++j) {  // rows first, contiguous ...
        T* row = im2col + j * CH;
        const std::int64_t k = jp * NR + j;
        if (k >= p.K) {
          std::fill(row, row + len, T(0));
          continue;
        }
        const std::int64_t ci = k / khw, tap = k % khw;
        ForEachImageSegment(p, f0, len, [&](std::int64_t n, std::int64_t p0, std::int64_t count, std::int64_t off) {
          Im2colRow(p, x + (n * p.C + g * p.Cg + ci) * p.H * p.W, tap / p.kW, tap % p.kW, p0, count, row + off);
        });
      }
      // ... then transposed into the k-major panel in blocks of 16 pixels, so the writes stay
      // within a few cache lines instead of striding over the whole panel once per row.
      for (std::int64_t kk0 = 0; kk0 < len; kk0 += 16) {
        const std::int64_t kk1 = std::min(len, kk0 + 16);
        for (std::int64_t j = 0; j < NR; ++j) {
          const T* row = im2col + j * CH;
          for (std::int64_t kk = kk0; kk < kk1; ++kk) dst[kk * NR + j] = row[kk];
        }
      }
    }
    for (std::int64_t jp = 0; jp < b_panels; ++jp) {
      const T* bp = bpack + (g * b_panels + jp) * CH * NR;
      for (std::int64_t ip = 0; ip < a_panels; ++ip) {
        const T* a = apack + (g * a_panels + ip) * CH * MR;
        T* c = out + (g * p.Og + ip * MR) * p.K + jp * NR;
        for (std::int64_t k0 = 0; k0 < len; k0 += kConvKC) {  // in order: part of the fixed association
          Tile(static_cast<std::size_t>(std::min(kConvKC, len - k0)), a + k0 * MR, bp + k0 * NR, c,
               static_cast<std::size_t>(p.K), !first || k0 > 0, static_cast<std::size_t>(std::min(MR, p.Og - ip * MR)),
               static_cast<std::size_t>(std::min(NR, p.K - jp * NR)));
        }
      }
    }
  }
}

template <typename T>
void ConvBackwardWeightT(const ConvPlan& p, const T* gy, const T* x, T* gw) {
  const auto MR = static_cast<std::int64_t>(kGemmMR);
  const auto NR = static_cast<std::int64_t>(GemmNR<T>());
  const std::int64_t a_panels = (p.Og + MR - 1) / MR, b_panels = (p.K + NR - 1) / NR;
  const std::int64_t CH = kConvWeightChunk, total = p.N * p.P, size = p.O * p.K;
  // The reduction over (image, pixel) is cut into R ranges fixed by the shape: each is one task
  // with its own partial dW, and the partials are summed in range order. No task waits for
  // another until the end, and the association never depends on the thread count.
  const std::int64_t R = conv_weight_partials(total, size);
  const PackBuffer<T> partials(static_cast<std::size_t>(R > 1 ? R * size : 0));
  parallel_for(R, 1, [&](const std::int64_t b, const std::int64_t e) {
    T* apack = scratch<T, 4>(static_cast<std::size_t>(p.G * a_panels * CH * MR));
    T* bpack = scratch<T, 5>(static_cast<std::size_t>(p.G * b_panels * CH * NR));
    T* im2col = scratch<T, 3>(static_cast<std::size_t>(NR * CH));
    for (std::int64_t r = b; r < e; ++r) {
      const std::int64_t begin = total * r / R, end = total * (r + 1) / R;
      T* out = R > 1 ? partials.get() + r * size : gw;
      if (begin == end) std::fill(out, out + size, T(0));
      for (std::int64_t f0 = begin; f0 < end; f0 += CH) {
        AccumulateStep(p, gy, x, f0, std::min(CH, end - f0), f0 == begin, apack, bpack, im2col, out);
      }
    }
  });
  if (R == 1) return;
  parallel_for(size, 1 << 14, [&](const std::int64_t b, const std::int64_t e) {
    for (std::int64_t i = b; i < e; ++i) {
      T acc = partials.get()[i];
      for (std::int64_t r = 1; r < R; ++r) acc += partials.get()[r * size + i];
      gw[i] = acc;
    }
  });
}

void ConvBackwardWeightF32(const ConvPlan& p, const float* gy, const float* x, float* gw) {
  ConvBackwardWeightT(p, gy, x, gw);
}
void ConvBackwardWeightF64(const ConvPlan& p, const double* gy, const double* x, double* gw) {
  ConvBackwardWeightT(p, gy, x, gw);
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include "atrous/tensor/conv/depthwise_conv.h"
#include "atrous/tensor/conv/direct_conv.h"
#include "atrous/tensor/conv/scattered_conv.h"
#include "atrous/tensor/conv/winograd_conv.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/reduce.h"
#include "atrous/tensor/ops/view.h"
#include "atrous/tensor/profile.h"

namespace atrous::native {

HWY_EXPORT(ConvBackwardWeightF32);
HWY_EXPORT(ConvBackwardWeightF64);

namespace {
void packed_conv_backward_weight(const ConvPlan& p, const float* gy, const float* x, float* gw) {
  HWY_DYNAMIC_DISPATCH(ConvBackwardWeightF32)(p, gy, x, gw);
}
void packed_conv_backward_weight(const ConvPlan& p, const double* gy, const double* x, double* gw) {
  HWY_DYNAMIC_DISPATCH(ConvBackwardWeightF64)(p, gy, x, gw);
}
}  // namespace

Tensor conv_backward_weight(const Tensor& grad_output, const Tensor& input, const Shape& weight_sizes,
                            const ConvParams& given) {
  const profile::Scope scope("conv_backward_weight");
  if (grad_output.numel() == 0) return zeros(weight_sizes, grad_output.dtype());
  note_conv_profile(input.sizes(), weight_sizes, grad_output.sizes());
  const ConvParams params = canonical_conv_params(input.sizes(), weight_sizes, given);
  if (!conv_is_compact(input.sizes(), weight_sizes, params)) {
    profile::note_path("scattered");
    return scattered_conv_backward_weight(grad_output, input, weight_sizes, params);
  }
  const ConvPlan p = make_conv_plan(input.sizes(), weight_sizes, params);
  Tensor gw = atrous::empty(weight_sizes, grad_output.dtype());  // every path writes every weight
  if (gw.numel() == 0) return gw;
  const Tensor gy = contiguous(grad_output), x = contiguous(input);
  dispatch_floating(gw.dtype(), "conv", [&]<typename T>() {
    if (const DirectConvPlan direct = direct_forward_plan(p); direct_conv_pays(direct, sizeof(T))) {
      if (depthwise_conv_applies(direct, sizeof(T))) {
        profile::note_path("depthwise");
        depthwise_conv_weight(direct, x.data_ptr<T>(), gy.data_ptr<T>(), gw.data_ptr<T>());
      } else if (const std::vector<DirectConvPlan> plans = winograd_plans(direct, sizeof(T));
                 plans.empty() || !winograd_conv_weight(plans, x.data_ptr<T>(), gy.data_ptr<T>(), gw.data_ptr<T>())) {
        profile::note_path("direct");
        direct_conv_weight(direct, x.data_ptr<T>(), gy.data_ptr<T>(), gw.data_ptr<T>());
      }
      return;
    }
    profile::note_path("packed GEMM");
    packed_conv_backward_weight(p, gy.data_ptr<T>(), x.data_ptr<T>(), gw.data_ptr<T>());
  });
  return gw;
}

Tensor conv_backward_bias(const Tensor& grad_output) {
  const profile::Scope scope("conv_backward_bias");
  // Over each image's contiguous pixels first, then over the images: summing dims (0, 2, 3) at
  // once would copy dY into a channel-major layout first.
  const Tensor gy = contiguous(grad_output);
  const std::int64_t N = gy.size(0), O = gy.size(1);
  std::int64_t pixels = 1;
  for (std::int64_t d = 2; d < gy.dim(); ++d) pixels *= gy.size(d);
  return native::sum(native::sum(view(gy, {N, O, pixels}), {2}, false), {0}, false);
}

}  // namespace atrous::native
#endif  // HWY_ONCE
