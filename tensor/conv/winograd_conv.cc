// Winograd F(2×2, 3×3) (see winograd_conv.h). A task takes a run of tiles of one (image, group):
// it fills the bands of the virtual rows they read (band-inl.h, every padding mode), then per NR
// tiles transforms the input into V (vectors over a tile row's tiles: a tile's 4×4 block is
// columns 2t … 2t + 3, two deinterleaved loads per row), runs the 16 GEMMs M[ξ] = U[ξ] · V[ξ] on
// the micro-kernel, and transforms M into the tiles' 2×2 output blocks.
#include "tensor/conv/winograd_conv.h"

#include <algorithm>
#include <utility>
#include <vector>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "tensor/conv/winograd_conv.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "tensor/conv/band-inl.h"
#include "tensor/gemm/gemm_microkernel-inl.h"
#include "tensor/gemm/scratch.h"
#include "tensor/parallel.h"

#ifndef ATROUS_TENSOR_CONV_WINOGRAD_SHARED_
#define ATROUS_TENSOR_CONV_WINOGRAD_SHARED_  // once, not per target
namespace atrous::native {
namespace {
constexpr std::int64_t kPoints = 16;     // transform-domain points ξ = 4·i + j per tile
constexpr std::int64_t kTileBlocks = 4;  // NR-tile blocks per task, sharing one band fill
constexpr std::int64_t kMaxNR = 32;      // the widest micro-kernel tile (float32, AVX-512)

// Virtual rows a run of tiles reads: tile rows [ty0, ty1] → 2·ty0 … 2·ty1 + 3.
std::int64_t band_rows(const std::int64_t ty0, const std::int64_t ty1) { return 2 * (ty1 - ty0) + 4; }
}  // namespace
}  // namespace atrous::native
#endif

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// U = G·g·Gᵀ for every (group, output channel, input channel), in micro-kernel A panels: panel
// (g, ξ, ip) holds U[ξ] of output channels ip·MR … ip·MR + MR − 1 at [ci·MR + r], zero past Co.
template <typename T>
void TransformWeights(const DirectConvPlan& p, const T* w, const std::int64_t a_panels, T* u) {
  const auto MR = static_cast<std::int64_t>(kGemmMR);
  parallel_for(p.G * a_panels, 1, [&](const std::int64_t b, const std::int64_t e) {
    for (std::int64_t id = b; id < e; ++id) {
      const std::int64_t g = id / a_panels, ip = id % a_panels;
      for (std::int64_t r = 0; r < MR; ++r) {
        const std::int64_t o = ip * MR + r;
        for (std::int64_t ci = 0; ci < p.Ci; ++ci) {
          T out[kPoints] = {};
          if (o < p.Co) {
            const T* wc = w + g * p.w_group + o * p.w_out + ci * p.w_in;
            T t[4][3];  // G·g: over ky
            for (std::int64_t kx = 0; kx < 3; ++kx) {
              const T g0 = wc[p.w_taps[static_cast<std::size_t>(kx)]];
              const T g1 = wc[p.w_taps[static_cast<std::size_t>(3 + kx)]];
              const T g2 = wc[p.w_taps[static_cast<std::size_t>(6 + kx)]];
              t[0][kx] = g0;
              t[1][kx] = T(0.5) * (g0 + g1 + g2);
              t[2][kx] = T(0.5) * (g0 - g1 + g2);
              t[3][kx] = g2;
            }
            for (std::int64_t i = 0; i < 4; ++i) {  // ·Gᵀ: over kx
              out[4 * i + 0] = t[i][0];
              out[4 * i + 1] = T(0.5) * (t[i][0] + t[i][1] + t[i][2]);
              out[4 * i + 2] = T(0.5) * (t[i][0] - t[i][1] + t[i][2]);
              out[4 * i + 3] = t[i][2];
            }
          }
          for (std::int64_t xi = 0; xi < kPoints; ++xi) {
            u[((g * kPoints + xi) * a_panels + ip) * p.Ci * MR + ci * MR + r] = out[xi];
          }
        }
      }
    }
  });
}

// The tiles [t, t1) of tile rows TW wide as runs along one tile row: fn(ty, tx, count, offset)
// with offset the run's first tile relative to `base`.
template <class RunFn>
HWY_INLINE void ForEachTileRun(const std::int64_t base, const std::int64_t t1, const std::int64_t TW, const RunFn& fn) {
  for (std::int64_t t = base; t < t1;) {
    const std::int64_t ty = t / TW, tx = t % TW, count = std::min(t1 - t, TW - tx);
    fn(ty, tx, count, t - base);
    t += count;
  }
}

template <typename T>
void WinogradConvT(const std::vector<DirectConvPlan>& plans, const T* src, const T* w, const T* bias, T* out) {
  const hn::ScalableTag<T> d;
  using V = hn::Vec<decltype(d)>;
  const auto L = static_cast<std::int64_t>(hn::Lanes(d));
  const auto MR = static_cast<std::int64_t>(kGemmMR);
  const auto NR = static_cast<std::int64_t>(GemmNR<T>());
  const DirectConvPlan& p0 = plans.front();  // the plans differ only in their planes' geometry
  const std::int64_t a_panels = (p0.Co + MR - 1) / MR, Cp = a_panels * MR, run = kTileBlocks * NR;
  // Per plan, its first unit (N · G · runs of its tiles each); per channel, the most band values a
  // run reads, with slack for the last vectors' overreach.
  std::vector<std::int64_t> first_unit{0};
  std::int64_t band = 0;
  for (const DirectConvPlan& p : plans) {
    const std::int64_t TW = (p.OW + 1) / 2, tiles = (p.OH + 1) / 2 * TW;
    first_unit.push_back(first_unit.back() + p.N * p.G * ((tiles + run - 1) / run));
    band = std::max(band, (band_rows(0, (run - 1) / TW + 1) * p.Wg() + 2 * L + 4 + 15) / 16 * 16);
  }
  const std::int64_t v_point = (p0.Ci * NR + L + 15) / 16 * 16;  // one ξ of V, apart from the next

  const PackBuffer<T> u(static_cast<std::size_t>(p0.G * kPoints * a_panels * p0.Ci * MR));
  TransformWeights(p0, w, a_panels, u.get());

  parallel_for(first_unit.back(), 1, [&](const std::int64_t b, const std::int64_t e) {
    T* bands = scratch<T, 3>(static_cast<std::size_t>(p0.Ci * band));
    T* v = scratch<T, 4>(static_cast<std::size_t>(kPoints * v_point));
    T* m = scratch<T, 5>(static_cast<std::size_t>(kPoints * Cp * NR + L));
    for (std::int64_t id = b; id < e; ++id) {
      const auto plan = std::upper_bound(first_unit.begin(), first_unit.end(), id) - first_unit.begin() - 1;
      const DirectConvPlan& p = plans[static_cast<std::size_t>(plan)];
      const std::int64_t TW = (p.OW + 1) / 2, tiles = (p.OH + 1) / 2 * TW, runs = (tiles + run - 1) / run;
      const std::int64_t Wg = p.Wg(), unit = id - first_unit[static_cast<std::size_t>(plan)];
      const std::int64_t n = unit / (p.G * runs), g = unit / runs % p.G;
      const std::int64_t t0 = unit % runs * run, t1 = std::min(tiles, t0 + run);
      const std::int64_t ty0 = t0 / TW, len = band_rows(ty0, (t1 - 1) / TW) * Wg;
      FillBands(p, src + (n * p.G + g) * p.Ci * p.Hs * p.Ws, band, 2 * ty0 * Wg, len, 0, p.Ci, bands);
      for (std::int64_t ci = 0; ci < p.Ci; ++ci) std::fill(bands + ci * band + len, bands + (ci + 1) * band, T(0));

      // The run's tiles in blocks of NR, each through all three steps while its V and M stay in
      // L2 (sharing U panels between blocks measured slower: V and M then spill to L3).
      for (std::int64_t b0 = t0; b0 < t1; b0 += NR) {
        const std::int64_t b1 = std::min(t1, b0 + NR);
        // V = Bᵀ·d·B, channel by channel (a run's vector overreach lands in the next channel's
        // row, written after it), over each tile row's run in vectors of L tiles.
        for (std::int64_t ci = 0; ci < p.Ci; ++ci) {
          ForEachTileRun(
              b0, b1, TW,
              [&](const std::int64_t ty, const std::int64_t tx, const std::int64_t count, const std::int64_t at) {
                const T* rows = bands + ci * band + (2 * ty - 2 * ty0) * Wg + 2 * tx;
                for (std::int64_t c = 0; c < count; c += L) {
                  V h[4][4];
                  for (std::int64_t i = 0; i < 4; ++i) {
                    V e0, o0, e1, o1;  // columns 2t, 2t + 1, 2t + 2, 2t + 3 of tile t
                    hn::LoadInterleaved2(d, rows + i * Wg + 2 * c, e0, o0);
                    hn::LoadInterleaved2(d, rows + i * Wg + 2 * c + 2, e1, o1);
                    h[i][0] = hn::Sub(e0, e1);
                    h[i][1] = hn::Add(o0, e1);
                    h[i][2] = hn::Sub(e1, o0);
                    h[i][3] = hn::Sub(o0, o1);
                  }
                  T* dst = v + ci * NR + at + c;
                  for (std::int64_t j = 0; j < 4; ++j) {
                    hn::StoreU(hn::Sub(h[0][j], h[2][j]), d, dst + (0 + j) * v_point);
                    hn::StoreU(hn::Add(h[1][j], h[2][j]), d, dst + (4 + j) * v_point);
                    hn::StoreU(hn::Sub(h[2][j], h[1][j]), d, dst + (8 + j) * v_point);
                    hn::StoreU(hn::Sub(h[1][j], h[3][j]), d, dst + (12 + j) * v_point);
                  }
                }
              });
        }
        // M[ξ] = U[ξ] · V[ξ]: Cp × NR, the reduction over the group's input channels.
        for (std::int64_t xi = 0; xi < kPoints; ++xi) {
          for (std::int64_t ip = 0; ip < a_panels; ++ip) {
            MicroKernelOf(
                static_cast<std::size_t>(p.Ci), PackedA<T>{u.get() + ((g * kPoints + xi) * a_panels + ip) * p.Ci * MR},
                PackedB<T>{v + xi * v_point}, m + (xi * Cp + ip * MR) * NR, static_cast<std::size_t>(NR), false);
          }
        }
        // Y = Aᵀ·M·A + bias, stored as the tiles' 2×2 blocks (cut at odd output edges).
        for (std::int64_t o = 0; o < p.Co; ++o) {
          const V bv = hn::Set(d, bias != nullptr ? bias[g * p.Co + o] : T(0));
          T* plane = out + ((n * p.G + g) * p.Co + o) * p.out_plane + p.out_offset;
          ForEachTileRun(
              b0, b1, TW,
              [&](const std::int64_t ty, const std::int64_t tx, const std::int64_t count, const std::int64_t at) {
                for (std::int64_t c = 0; c < count; c += L) {
                  V s[4][2];
                  for (std::int64_t i = 0; i < 4; ++i) {
                    const T* mi = m + (4 * i * Cp + o) * NR + at + c;
                    const V m0 = hn::LoadU(d, mi), m1 = hn::LoadU(d, mi + Cp * NR);
                    const V m2 = hn::LoadU(d, mi + 2 * Cp * NR), m3 = hn::LoadU(d, mi + 3 * Cp * NR);
                    s[i][0] = hn::Add(hn::Add(m0, m1), m2);
                    s[i][1] = hn::Sub(hn::Sub(m1, m2), m3);
                  }
                  const std::int64_t x0 = 2 * (tx + c), cols = std::min(2 * std::min(L, count - c), p.OW - x0);
                  for (std::int64_t r = 0; r < 2 && 2 * ty + r < p.OH; ++r) {
                    V y[2];
                    for (std::int64_t j = 0; j < 2; ++j) {
                      y[j] = r == 0 ? hn::Add(hn::Add(hn::Add(s[0][j], s[1][j]), s[2][j]), bv)
                                    : hn::Add(hn::Sub(hn::Sub(s[1][j], s[2][j]), s[3][j]), bv);
                    }
                    T* dst = plane + (2 * ty + r) * p.out_row + x0 * p.out_col;
                    if (cols == 2 * L && p.out_col == 1) {
                      hn::StoreInterleaved2(y[0], y[1], d, dst);
                    } else {
                      HWY_ALIGN T tmp[2 * hn::MaxLanes(d)];
                      hn::StoreInterleaved2(y[0], y[1], d, tmp);
                      for (std::int64_t t = 0; t < cols; ++t) dst[t * p.out_col] = tmp[t];
                    }
                  }
                }
              });
        }
      }
    }
  });
}

void WinogradConvF32(const std::vector<DirectConvPlan>& plans, const float* src, const float* w, const float* bias,
                     float* out) {
  WinogradConvT(plans, src, w, bias, out);
}
void WinogradConvF64(const std::vector<DirectConvPlan>& plans, const double* src, const double* w, const double* bias,
                     double* out) {
  WinogradConvT(plans, src, w, bias, out);
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace atrous::native {

HWY_EXPORT(WinogradConvF32);
HWY_EXPORT(WinogradConvF64);

namespace {

// A dilated plan as dH · dW undilated ones, one per phase (a, b) of its outputs: outputs
// (a + dH·y, b + dW·x) read the virtual plane's rows a + dH·(y + ky) and columns b + dW·(x + kx),
// which is a convolution with stride = dilation = (dH, dW) of the plane shifted by (a, b): one
// phase grid, on which the taps are undilated. An undilated plan is its own only phase.
std::vector<DirectConvPlan> output_phases(const DirectConvPlan& p) {
  if (p.dH == 1 && p.dW == 1) return {p};
  std::vector<DirectConvPlan> phases;
  for (std::int64_t a = 0; a < p.dH; ++a) {
    for (std::int64_t b = 0; b < p.dW; ++b) {
      DirectConvPlan q = p;
      q.OH = (p.OH - a + p.dH - 1) / p.dH;
      q.OW = (p.OW - b + p.dW - 1) / p.dW;
      if (q.OH <= 0 || q.OW <= 0) continue;
      q.map_h.assign(p.map_h.begin() + a, p.map_h.end());
      q.map_w.assign(p.map_w.begin() + b, p.map_w.end());
      q.lo = std::max<std::int64_t>(0, p.lo - b);
      q.hi = std::max(q.lo, p.hi - b);
      q.shift = p.shift - b;
      q.sH = p.dH;
      q.sW = p.dW;
      q.out_offset = p.out_offset + a * p.out_row + b * p.out_col;
      q.out_row = p.dH * p.out_row;
      q.out_col = p.dW * p.out_col;
      phases.push_back(std::move(q));
    }
  }
  return phases;
}

}  // namespace

bool winograd_applies(const DirectConvPlan& p, const std::size_t element_size) {
  if (p.kH != 3 || p.kW != 3 || p.sH != 1 || p.sW != 1 || p.out_col != 1) return false;
  if (p.Ci < 8 || p.Co < 8 || p.OH < 2 || p.OW < 2) return false;
  // Per thread: the bands of a run's rows, V and M (at the widest tile).
  const std::int64_t run = kTileBlocks * kMaxNR, TW = (p.OW + 1) / 2;
  const std::int64_t band = band_rows(0, (run - 1) / TW + 1) * p.Wv() + 2 * kMaxNR;
  const std::int64_t values = p.Ci * band + kPoints * (p.Ci + p.Co + 8) * kMaxNR;
  return static_cast<double>(values) * static_cast<double>(element_size) <= double{8 << 20};
}

void winograd_conv(const DirectConvPlan& p, const float* src, const float* w, const float* bias, float* out) {
  HWY_DYNAMIC_DISPATCH(WinogradConvF32)(output_phases(p), src, w, bias, out);
}
void winograd_conv(const DirectConvPlan& p, const double* src, const double* w, const double* bias, double* out) {
  HWY_DYNAMIC_DISPATCH(WinogradConvF64)(output_phases(p), src, w, bias, out);
}

namespace {
template <typename T>
void run_conv_plan_t(const DirectConvPlan& p, const T* src, const T* w, const T* bias, T* out) {
  if (winograd_applies(p, sizeof(T))) return winograd_conv(p, src, w, bias, out);
  direct_conv(p, src, w, bias, out);
}
}  // namespace
void run_conv_plan(const DirectConvPlan& p, const float* src, const float* w, const float* bias, float* out) {
  run_conv_plan_t(p, src, w, bias, out);
}
void run_conv_plan(const DirectConvPlan& p, const double* src, const double* w, const double* bias, double* out) {
  run_conv_plan_t(p, src, w, bias, out);
}

}  // namespace atrous::native
#endif  // HWY_ONCE
