// SPDX-License-Identifier: Apache-2.0
// Per-target blocked GEMM for strided matrices (the conv passes have their own packers, same
// micro-kernel). Tasks own MC × NC blocks of C and pack their own A and B slices per KC step.
#include "atrous/tensor/gemm/gemm.h"

#include <algorithm>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "atrous/tensor/gemm/gemm.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

#include "atrous/tensor/gemm/gemm_pack-inl.h"
#include "atrous/tensor/gemm/scratch.h"
#include "atrous/tensor/parallel.h"

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {

// Block sizes: KC as the convolutions (a 256 × 32 B panel is 32 KiB, L1); MC × KC of A = 96 × 256
// floats = 96 KiB and KC × NC of B = 256 × 256 = 256 KiB stay in L2.
constexpr std::int64_t kGemmKC = 256, kGemmMC = 96, kGemmNC = 256;

template <typename T>
void GemmT(const T* a, const std::int64_t sam, const std::int64_t sak, const T* b, const std::int64_t sbk,
           const std::int64_t sbn, T* c, const std::int64_t ldc, const std::int64_t M, const std::int64_t N,
           const std::int64_t K) {
  const auto MR = static_cast<std::int64_t>(kGemmMR);
  const auto NR = static_cast<std::int64_t>(GemmNR<T>());
  const std::int64_t mb = (M + kGemmMC - 1) / kGemmMC, nb = (N + kGemmNC - 1) / kGemmNC;
  // Tasks of about 2^20 multiply-adds are worth a thread.
  const std::int64_t grain =
      std::max<std::int64_t>(1, (std::int64_t{1} << 20) / std::max<std::int64_t>(1, kGemmMC * kGemmNC * K));
  parallel_for(mb * nb, grain, [&](const std::int64_t begin, const std::int64_t end) {
    T* apack = scratch<T, 6>(static_cast<std::size_t>(kGemmMC * kGemmKC));
    T* bpack = scratch<T, 7>(static_cast<std::size_t>(kGemmKC * kGemmNC));
    for (std::int64_t t = begin; t < end; ++t) {
      const std::int64_t i0 = (t / nb) * kGemmMC, j0 = (t % nb) * kGemmNC;
      const std::int64_t mc = std::min(kGemmMC, M - i0), nc = std::min(kGemmNC, N - j0);
      const std::int64_t a_panels = (mc + MR - 1) / MR, b_panels = (nc + NR - 1) / NR;
      if (K == 0) {
        for (std::int64_t i = 0; i < mc; ++i) std::fill(c + (i0 + i) * ldc + j0, c + (i0 + i) * ldc + j0 + nc, T(0));
      }
      for (std::int64_t k0 = 0; k0 < K; k0 += kGemmKC) {
        const std::int64_t kc = std::min(kGemmKC, K - k0);
        for (std::int64_t ip = 0; ip < a_panels; ++ip) {
          PackA(a + (i0 + ip * MR) * sam + k0 * sak, sam, sak, std::min(MR, mc - ip * MR), kc, apack + ip * kc * MR);
        }
        for (std::int64_t jp = 0; jp < b_panels; ++jp) {  // B panel [kc][NR]: rows of B, zero-padded
          const std::int64_t cols = std::min(NR, nc - jp * NR);
          T* dst = bpack + jp * kc * NR;
          for (std::int64_t k = 0; k < kc; ++k) {
            const T* src = b + (k0 + k) * sbk + (j0 + jp * NR) * sbn;
            T* row = dst + k * NR;
            if (sbn == 1) {
              std::copy(src, src + cols, row);
            } else {
              for (std::int64_t j = 0; j < cols; ++j) row[j] = src[j * sbn];
            }
            std::fill(row + cols, row + NR, T(0));
          }
        }
        for (std::int64_t jp = 0; jp < b_panels; ++jp) {
          for (std::int64_t ip = 0; ip < a_panels; ++ip) {
            Tile(static_cast<std::size_t>(kc), apack + ip * kc * MR, bpack + jp * kc * NR,
                 c + (i0 + ip * MR) * ldc + j0 + jp * NR, static_cast<std::size_t>(ldc), k0 > 0,
                 static_cast<std::size_t>(std::min(MR, mc - ip * MR)),
                 static_cast<std::size_t>(std::min(NR, nc - jp * NR)));
          }
        }
      }
    }
  });
}

void GemmF32(const float* a, std::int64_t sam, std::int64_t sak, const float* b, std::int64_t sbk, std::int64_t sbn,
             float* c, std::int64_t ldc, std::int64_t M, std::int64_t N, std::int64_t K) {
  GemmT(a, sam, sak, b, sbk, sbn, c, ldc, M, N, K);
}
void GemmF64(const double* a, std::int64_t sam, std::int64_t sak, const double* b, std::int64_t sbk, std::int64_t sbn,
             double* c, std::int64_t ldc, std::int64_t M, std::int64_t N, std::int64_t K) {
  GemmT(a, sam, sak, b, sbk, sbn, c, ldc, M, N, K);
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace atrous::native {

HWY_EXPORT(GemmF32);
HWY_EXPORT(GemmF64);

void gemm(const float* a, std::int64_t sam, std::int64_t sak, const float* b, std::int64_t sbk, std::int64_t sbn,
          float* c, std::int64_t ldc, std::int64_t M, std::int64_t N, std::int64_t K) {
  HWY_DYNAMIC_DISPATCH(GemmF32)(a, sam, sak, b, sbk, sbn, c, ldc, M, N, K);
}
void gemm(const double* a, std::int64_t sam, std::int64_t sak, const double* b, std::int64_t sbk, std::int64_t sbn,
          double* c, std::int64_t ldc, std::int64_t M, std::int64_t N, std::int64_t K) {
  HWY_DYNAMIC_DISPATCH(GemmF64)(a, sam, sak, b, sbk, sbn, c, ldc, M, N, K);
}

}  // namespace atrous::native
#endif  // HWY_ONCE
