// SPDX-License-Identifier: Apache-2.0
// Forward convolution as an implicit GEMM per (image, group): Y[Og × P] = W[Og × K] · Xcol[K × P]
// with the weights packed once and Xcol packed tile by tile (im2col folded into packing).
// Tasks own (image, group, pixel tile) blocks of Y: no reductions are split, so results are
// bit-identical for any thread count.
#include "atrous/tensor/conv/conv.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "atrous/tensor/conv/conv_forward.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

#include "atrous/tensor/conv/conv_pack-inl.h"
#include "atrous/tensor/gemm/gemm_microkernel-inl.h"
#include "atrous/tensor/gemm/scratch.h"
#include "atrous/tensor/parallel.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {

template <typename T>
void ConvForwardT(const ConvPlan& p, const T* x, const T* w, const T* bias, T* y) {
  const auto MR = static_cast<std::int64_t>(kGemmMR);
  const auto NR = static_cast<std::int64_t>(GemmNR<T>());
  const std::int64_t a_panels = (p.Og + MR - 1) / MR;
  // Weights packed once: for group g and panel ip, all K columns k-major (MR values per k).
  const PackBuffer<T> apack(static_cast<std::size_t>(p.G * a_panels * p.K * MR));
  parallel_for(p.G * a_panels, 1, [&](const std::int64_t b, const std::int64_t e) {
    for (std::int64_t id = b; id < e; ++id) {
      const std::int64_t g = id / a_panels, ip = id % a_panels;
      const std::int64_t rows = std::min(MR, p.Og - ip * MR);
      PackA(w + (g * p.Og + ip * MR) * p.K, p.K, 1, rows, p.K, apack.get() + id * p.K * MR);
    }
  });
  const std::int64_t tiles = (p.P + kConvPixelTile - 1) / kConvPixelTile;
  const std::int64_t khw = p.kH * p.kW;
  parallel_for(p.N * p.G * tiles, 1, [&](const std::int64_t b, const std::int64_t e) {
    T* bpack = scratch<T, 0>(static_cast<std::size_t>(kConvKC * kConvPixelTile));
    T* rowbuf = scratch<T, 1>(static_cast<std::size_t>(kConvPixelTile));
    for (std::int64_t id = b; id < e; ++id) {
      const std::int64_t n = id / (p.G * tiles), g = (id / tiles) % p.G, tile = id % tiles;
      const std::int64_t p0 = tile * kConvPixelTile, count = std::min(kConvPixelTile, p.P - p0);
      const std::int64_t npanels = (count + NR - 1) / NR;
      const T* xg = x + (n * p.C + g * p.Cg) * p.H * p.W;
      T* yg = y + (n * p.O + g * p.Og) * p.P;
      for (std::int64_t k0 = 0; k0 < p.K; k0 += kConvKC) {
        const std::int64_t kc = std::min(kConvKC, p.K - k0);
        PackBRows(
            kc, count,
            [&](const std::int64_t kk, T* out) {
              const std::int64_t k = k0 + kk, ci = k / khw, r = k % khw;
              Im2colRow(p, xg + ci * p.H * p.W, r / p.kW, r % p.kW, p0, count, out);
            },
            rowbuf, bpack);
        for (std::int64_t jp = 0; jp < npanels; ++jp) {
          for (std::int64_t ip = 0; ip < a_panels; ++ip) {
            // The bias seeds the first k block's accumulators: no second pass over the output.
            Tile(static_cast<std::size_t>(kc), apack.get() + ((g * a_panels + ip) * p.K + k0) * MR,
                 bpack + jp * kc * NR, yg + ip * MR * p.P + p0 + jp * NR, static_cast<std::size_t>(p.P), k0 > 0,
                 static_cast<std::size_t>(std::min(MR, p.Og - ip * MR)),
                 static_cast<std::size_t>(std::min(NR, count - jp * NR)),
                 bias != nullptr ? bias + g * p.Og + ip * MR : nullptr);
          }
        }
      }
    }
  });
}

void ConvForwardF32(const ConvPlan& p, const float* x, const float* w, const float* b, float* y) {
  ConvForwardT(p, x, w, b, y);
}
void ConvForwardF64(const ConvPlan& p, const double* x, const double* w, const double* b, double* y) {
  ConvForwardT(p, x, w, b, y);
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include "atrous/tensor/conv/direct_conv.h"
#include "atrous/tensor/conv/direct_or_winograd.h"
#include "atrous/tensor/conv/scattered_conv.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/view.h"
#include "atrous/tensor/profile.h"

namespace atrous::native {

HWY_EXPORT(ConvForwardF32);
HWY_EXPORT(ConvForwardF64);

namespace {
void packed_conv_forward(const ConvPlan& p, const float* x, const float* w, const float* bias, float* out) {
  HWY_DYNAMIC_DISPATCH(ConvForwardF32)(p, x, w, bias, out);
}
void packed_conv_forward(const ConvPlan& p, const double* x, const double* w, const double* bias, double* out) {
  HWY_DYNAMIC_DISPATCH(ConvForwardF64)(p, x, w, bias, out);
}
}  // namespace

Tensor conv_forward(const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvParams& given) {
  const profile::Scope scope("conv_forward");
  Tensor out = empty(conv_output_shape(input.sizes(), weight.sizes(), given), input.dtype());
  if (out.numel() == 0) return out;  // before any plan: an empty batch may come with a vast padding
  note_conv_profile(input.sizes(), weight.sizes(), out.sizes());
  const ConvParams params = canonical_conv_params(input.sizes(), weight.sizes(), given);
  if (!conv_is_compact(input.sizes(), weight.sizes(), params)) {
    profile::note_path("scattered");
    return scattered_conv_forward(input, weight, bias, params);
  }
  const ConvPlan p = make_conv_plan(input.sizes(), weight.sizes(), params);
  const Tensor x = contiguous(input), w = contiguous(weight);
  const Tensor b = bias.defined() ? contiguous(bias) : Tensor();
  dispatch_floating(input.dtype(), "conv", [&]<typename T>() {
    const T* bp = b.defined() ? b.data_ptr<T>() : nullptr;
    if (const DirectConvPlan direct = direct_forward_plan(p); direct_conv_pays(direct, sizeof(T))) {
      conv_direct_or_winograd(direct, x.data_ptr<T>(), w.data_ptr<T>(), bp, out.data_ptr<T>());
      return;
    }
    profile::note_path("packed GEMM");
    packed_conv_forward(p, x.data_ptr<T>(), w.data_ptr<T>(), bp, out.data_ptr<T>());
  });
  return out;
}

}  // namespace atrous::native
#endif  // HWY_ONCE
