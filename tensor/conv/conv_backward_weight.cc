// grad_weight as a GEMM reduced over every (image, pixel): dW[Og × K] = Σ dY[Og × NP] · Xcolᵀ.
// The reduction runs in fixed steps of kConvWeightChunk (image, pixel) pairs, in order; in each
// step dY and the im2col rows are packed once (in parallel), then every dW tile — owned by one
// task — accumulates the step's terms in k order. The association of every sum therefore
// depends only on the shape: bit-identical for any thread count.
#include "tensor/conv/conv.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "tensor/conv/conv_backward_weight.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "tensor/conv/conv_pack-inl.h"
#include "tensor/gemm/gemm_microkernel-inl.h"
#include "tensor/gemm/scratch.h"
#include "tensor/parallel.h"

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

template <typename T>
void ConvBackwardWeightT(const ConvPlan& p, const T* gy, const T* x, T* gw) {
  const auto MR = static_cast<std::int64_t>(kGemmMR);
  const auto NR = static_cast<std::int64_t>(GemmNR<T>());
  const std::int64_t khw = p.kH * p.kW;
  const std::int64_t a_panels = (p.Og + MR - 1) / MR, b_panels = (p.K + NR - 1) / NR;
  const std::int64_t CH = kConvWeightChunk;
  const PackBuffer<T> apack(static_cast<std::size_t>(p.G * a_panels * CH * MR));
  const PackBuffer<T> bpack(static_cast<std::size_t>(p.G * b_panels * CH * NR));
  std::fill(gw, gw + p.O * p.K, T(0));
  const std::int64_t total = p.N * p.P;
  const std::int64_t tiles = p.G * a_panels * b_panels;
  // About 2^20 multiply-adds per task at a full chunk: enough to hide the task overhead.
  const std::int64_t tile_grain = std::max<std::int64_t>(1, (std::int64_t{1} << 20) / (CH * MR * NR));
  for (std::int64_t f0 = 0; f0 < total; f0 += CH) {
    const std::int64_t len = std::min(CH, total - f0);
    parallel_for(p.G * (a_panels + b_panels), 1, [&](const std::int64_t b, const std::int64_t e) {
      T* im2col = scratch<T, 3>(static_cast<std::size_t>(NR * CH));
      for (std::int64_t job = b; job < e; ++job) {
        if (job < p.G * a_panels) {  // A panel: dY rows of MR output channels, transposed to k-major
          const std::int64_t g = job / a_panels, ip = job % a_panels;
          const std::int64_t rows = std::min(MR, p.Og - ip * MR);
          T* dst = apack.get() + job * CH * MR;
          ForEachImageSegment(p, f0, len, [&](std::int64_t n, std::int64_t p0, std::int64_t count, std::int64_t off) {
            PackA(gy + (n * p.O + g * p.Og + ip * MR) * p.P + p0, p.P, 1, rows, count, dst + off * MR);
          });
        } else {  // B panel: NR im2col rows (weight columns k), pixels along the reduction
          const std::int64_t id = job - p.G * a_panels, g = id / b_panels, jp = id % b_panels;
          T* dst = bpack.get() + id * CH * NR;
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
      }
    });
    parallel_for(tiles, tile_grain, [&](const std::int64_t b, const std::int64_t e) {
      for (std::int64_t t = b; t < e; ++t) {
        const std::int64_t g = t / (a_panels * b_panels), ip = (t / b_panels) % a_panels, jp = t % b_panels;
        const T* a = apack.get() + (g * a_panels + ip) * CH * MR;
        const T* bp = bpack.get() + (g * b_panels + jp) * CH * NR;
        T* c = gw + (g * p.Og + ip * MR) * p.K + jp * NR;
        for (std::int64_t k0 = 0; k0 < len; k0 += kConvKC) {  // in order: part of the fixed association
          Tile(static_cast<std::size_t>(std::min(kConvKC, len - k0)), a + k0 * MR, bp + k0 * NR, c,
               static_cast<std::size_t>(p.K), f0 > 0 || k0 > 0, static_cast<std::size_t>(std::min(MR, p.Og - ip * MR)),
               static_cast<std::size_t>(std::min(NR, p.K - jp * NR)));
        }
      }
    });
  }
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
#include "tensor/factory.h"
#include "tensor/ops/reduce.h"
#include "tensor/ops/view.h"

namespace atrous::native {

HWY_EXPORT(ConvBackwardWeightF32);
HWY_EXPORT(ConvBackwardWeightF64);

Tensor conv_backward_weight(const Tensor& grad_output, const Tensor& input, const Shape& weight_sizes,
                            const ConvParams& params) {
  const ConvPlan p = make_conv_plan(input.sizes(), weight_sizes, params);
  Tensor gw = zeros(weight_sizes, grad_output.dtype());
  if (gw.numel() == 0 || grad_output.numel() == 0) return gw;
  const Tensor gy = contiguous(grad_output), x = contiguous(input);
  dispatch_floating(gw.dtype(), "conv", [&]<typename T>() {
    if constexpr (std::is_same_v<T, float>) {
      HWY_DYNAMIC_DISPATCH(ConvBackwardWeightF32)(p, gy.data_ptr<T>(), x.data_ptr<T>(), gw.data_ptr<T>());
    } else {
      HWY_DYNAMIC_DISPATCH(ConvBackwardWeightF64)(p, gy.data_ptr<T>(), x.data_ptr<T>(), gw.data_ptr<T>());
    }
  });
  return gw;
}

Tensor conv_backward_bias(const Tensor& grad_output) {
  Shape dims{0};
  for (std::int64_t d = 2; d < grad_output.dim(); ++d) dims.push_back(d);
  return native::sum(grad_output, dims, false);
}

}  // namespace atrous::native
#endif  // HWY_ONCE
