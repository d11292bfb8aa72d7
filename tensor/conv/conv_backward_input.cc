// SPDX-License-Identifier: Apache-2.0
// grad_input. Zero padding: the direct kernels (direct_conv.h, one stride-1 convolution of dY per
// input phase) when they pay, else a GEMM and a fold: per (image, group) and pixel tile,
// cols[K × tile] = Wᵀ[K × Og] · dY[Og × tile], then col2im adds each column into the input pixel
// it was read from. A task owns a block of input channels (their dX planes) and walks the pixel
// tiles in order: deterministic for any thread count. Reflect/replicate/circular: the gradient of
// the padded input (an unpadded convolution's, by the same paths) folded back onto the source
// pixels by pad_backward — a buffer of the padded input's size, never a padded copy of the input.
#include "atrous/tensor/conv/conv.h"

#include <limits>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "atrous/tensor/conv/conv_backward_input.cc"
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
void ConvBackwardInputT(const ConvPlan& p, const T* gy, const T* w, T* gx) {
  const auto MR = static_cast<std::int64_t>(kGemmMR);
  const auto NR = static_cast<std::int64_t>(GemmNR<T>());
  const std::int64_t khw = p.kH * p.kW;
  const std::int64_t block_channels = std::max<std::int64_t>(1, (kConvBackwardRows + khw - 1) / khw);
  const std::int64_t blocks = (p.Cg + block_channels - 1) / block_channels;
  const std::int64_t block_panels = (block_channels * khw + MR - 1) / MR;
  // Wᵀ per (group, channel block): rows k of the block, reduction over the group's output
  // channels, A(k, co) = w[co, k]; panels start at the block's first row.
  const PackBuffer<T> apack(static_cast<std::size_t>(p.G * blocks * block_panels * p.Og * MR));
  parallel_for(p.G * blocks * block_panels, 1, [&](const std::int64_t b, const std::int64_t e) {
    for (std::int64_t id = b; id < e; ++id) {
      const std::int64_t g = id / (blocks * block_panels), blk = (id / block_panels) % blocks, ip = id % block_panels;
      const std::int64_t k_rows = std::min(block_channels, p.Cg - blk * block_channels) * khw;
      if (ip * MR >= k_rows) continue;
      const std::int64_t k = blk * block_channels * khw + ip * MR;
      PackA(w + g * p.Og * p.K + k, 1, p.K, std::min(MR, k_rows - ip * MR), p.Og, apack.get() + id * p.Og * MR);
    }
  });
  const std::int64_t tiles = (p.P + kConvPixelTile - 1) / kConvPixelTile;
  parallel_for(p.N * p.G * blocks, 1, [&](const std::int64_t b, const std::int64_t e) {
    T* bpack = scratch<T, 0>(static_cast<std::size_t>(kConvKC * kConvPixelTile));
    T* cols = scratch<T, 2>(static_cast<std::size_t>(block_panels * MR * kConvPixelTile));
    for (std::int64_t id = b; id < e; ++id) {
      const std::int64_t n = id / (p.G * blocks), g = (id / blocks) % p.G, blk = id % blocks;
      const std::int64_t c0 = blk * block_channels;
      const std::int64_t k_rows = std::min(block_channels, p.Cg - c0) * khw;
      const T* a = apack.get() + (g * blocks + blk) * block_panels * p.Og * MR;
      const T* gyg = gy + (n * p.O + g * p.Og) * p.P;
      T* gxg = gx + (n * p.C + g * p.Cg) * p.H * p.W;
      std::fill(gxg + c0 * p.H * p.W, gxg + (c0 + k_rows / khw) * p.H * p.W, T(0));  // this task's planes
      for (std::int64_t tile = 0; tile < tiles; ++tile) {
        const std::int64_t p0 = tile * kConvPixelTile, count = std::min(kConvPixelTile, p.P - p0);
        const std::int64_t npanels = (count + NR - 1) / NR;
        for (std::int64_t co0 = 0; co0 < p.Og; co0 += kConvKC) {
          const std::int64_t kc = std::min(kConvKC, p.Og - co0);
          // dY rows are contiguous along pixels: whole panels are straight copies.
          const std::int64_t full = count / NR;
          for (std::int64_t kk = 0; kk < kc; ++kk) {
            const T* src = gyg + (co0 + kk) * p.P + p0;
            for (std::int64_t jp = 0; jp < full; ++jp) {
              std::memcpy(bpack + (jp * kc + kk) * NR, src + jp * NR, static_cast<std::size_t>(NR) * sizeof(T));
            }
            if (full < npanels) {
              T* dst = bpack + (full * kc + kk) * NR;
              const std::int64_t rest = count - full * NR;
              std::memcpy(dst, src + full * NR, static_cast<std::size_t>(rest) * sizeof(T));
              std::fill(dst + rest, dst + NR, T(0));
            }
          }
          for (std::int64_t jp = 0; jp < npanels; ++jp) {
            for (std::int64_t ip = 0; ip * MR < k_rows; ++ip) {
              Tile(static_cast<std::size_t>(kc), a + (ip * p.Og + co0) * MR, bpack + jp * kc * NR,
                   cols + ip * MR * kConvPixelTile + jp * NR, static_cast<std::size_t>(kConvPixelTile), co0 > 0,
                   static_cast<std::size_t>(std::min(MR, k_rows - ip * MR)),
                   static_cast<std::size_t>(std::min(NR, count - jp * NR)));
            }
          }
        }
        for (std::int64_t r = 0; r < k_rows && p.Og > 0; ++r) {
          const std::int64_t ci = c0 + r / khw, tap = r % khw;
          Col2imRowAdd(p, cols + r * kConvPixelTile, tap / p.kW, tap % p.kW, p0, count, gxg + ci * p.H * p.W);
        }
      }
    }
  });
}

void ConvBackwardInputF32(const ConvPlan& p, const float* gy, const float* w, float* gx) {
  ConvBackwardInputT(p, gy, w, gx);
}
void ConvBackwardInputF64(const ConvPlan& p, const double* gy, const double* w, double* gx) {
  ConvBackwardInputT(p, gy, w, gx);
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include "atrous/tensor/conv/depthwise_conv.h"
#include "atrous/tensor/conv/direct_conv.h"
#include "atrous/tensor/conv/direct_or_winograd.h"
#include "atrous/tensor/conv/pad.h"
#include "atrous/tensor/conv/scattered_conv.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/reduce.h"
#include "atrous/tensor/ops/view.h"
#include "atrous/tensor/profile.h"

namespace atrous::native {

inline constexpr std::int64_t kDirectInputMinWork = 16;

HWY_EXPORT(ConvBackwardInputF32);
HWY_EXPORT(ConvBackwardInputF64);

namespace {

// A phase's bands are copied once per dY channel and each copied element feeds Co·kH·kW
// multiply-adds; the packed path's col2im instead adds each of its rows once per Og of them. With
// few input channels per group (a transposed layer's 1-channel output) the copies would dominate.
bool direct_input_pays(const DirectConvPlan& phase, const std::size_t element_size) {
  if (depthwise_conv_applies(phase, element_size)) return true;
  return phase.Co * phase.kH * phase.kW >= kDirectInputMinWork && direct_conv_pays(phase, element_size);
}

void packed_conv_backward_input(const ConvPlan& p, const float* gy, const float* w, float* gx) {
  HWY_DYNAMIC_DISPATCH(ConvBackwardInputF32)(p, gy, w, gx);
}
void packed_conv_backward_input(const ConvPlan& p, const double* gy, const double* w, double* gx) {
  HWY_DYNAMIC_DISPATCH(ConvBackwardInputF64)(p, gy, w, gx);
}
}  // namespace

Tensor conv_backward_input(const Tensor& grad_output, const Tensor& weight, const Shape& input_sizes,
                           const ConvParams& given) {
  const profile::Scope scope("conv_backward_input");
  if (grad_output.numel() == 0) return zeros(input_sizes, grad_output.dtype());
  note_conv_profile(input_sizes, weight.sizes(), grad_output.sizes());
  const ConvParams params = canonical_conv_params(input_sizes, weight.sizes(), given);
  if (!conv_is_compact(input_sizes, weight.sizes(), params)) {
    profile::note_path("scattered");
    return scattered_conv_backward_input(grad_output, weight, input_sizes, params);
  }
  if (params.mode != PadMode::Zeros) {
    // The gradient of the padded input (that of an unpadded convolution, which the direct
    // kernels take), folded back through the padding: reflect, replicate and circular alike.
    ConvParams unpadded = params;
    unpadded.mode = PadMode::Zeros;
    Shape padded = input_sizes;
    std::vector<std::int64_t> pads;  // F.pad order: last dimension first
    for (std::int64_t d = params.dims - 1; d >= 0; --d) {
      const auto i = static_cast<std::size_t>(d);
      padded[2 + i] += params.pad_before[i] + params.pad_after[i];
      pads.push_back(params.pad_before[i]);
      pads.push_back(params.pad_after[i]);
      unpadded.pad_before[i] = unpadded.pad_after[i] = 0;
    }
    return pad_backward(conv_backward_input(grad_output, weight, padded, unpadded), input_sizes, pads, params.mode);
  }
  const ConvPlan p = make_conv_plan(input_sizes, weight.sizes(), params);
  Tensor gx = empty(input_sizes, grad_output.dtype());
  if (gx.numel() == 0) return gx;
  const Tensor gy = contiguous(grad_output), w = contiguous(weight);
  dispatch_floating(gx.dtype(), "conv", [&]<typename T>() {
    // The direct kernels convolve zero-bordered dY, so an infinite weight meeting the border would
    // give NaN where PyTorch, summing only real dY pixels (the packed path's col2im), gives ±Inf.
    const std::vector<DirectConvPlan> phases = direct_backward_input_phases(p);
    if (largest_magnitude(w.data_ptr<T>(), w.numel()) <= std::numeric_limits<T>::max() &&
        std::all_of(phases.begin(), phases.end(),
                    [](const DirectConvPlan& phase) { return direct_input_pays(phase, sizeof(T)); })) {
      profile::note_path("one-pass strided");
      if (direct_conv_input(p, phases, gy.data_ptr<T>(), w.data_ptr<T>(), gx.data_ptr<T>())) return;
      std::int64_t reached = 0;  // phases are disjoint: zero-fill only if some pixel is in none
      for (const DirectConvPlan& phase : phases) reached += phase.OH * phase.OW;
      if (reached < p.H * p.W) std::fill_n(gx.data_ptr<T>(), gx.numel(), T(0));
      for (const DirectConvPlan& phase : phases) {
        conv_direct_or_winograd(phase, gy.data_ptr<T>(), w.data_ptr<T>(), static_cast<const T*>(nullptr),
                                gx.data_ptr<T>());
      }
      return;
    }
    profile::note_path("packed GEMM");
    packed_conv_backward_input(p, gy.data_ptr<T>(), w.data_ptr<T>(), gx.data_ptr<T>());
  });
  return gx;
}

}  // namespace atrous::native
#endif  // HWY_ONCE
