// Winograd F(2×2, 3×3) (see winograd_conv.h). A task takes a run of tiles of one (image, group):
// it fills the bands of the virtual rows they read (band-inl.h, every padding mode), then per NR
// tiles transforms the input into V (vectors over a tile row's tiles: a tile's 4×4 block is
// columns 2t … 2t + 3, two deinterleaved loads per row), runs the 16 GEMMs M[ξ] = U[ξ] · V[ξ] on
// the micro-kernel, and transforms M into the tiles' 2×2 output blocks.
#include "tensor/conv/winograd_conv.h"

#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "tensor/conv/winograd_conv.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "tensor/conv/band-inl.h"
#include "tensor/gemm/gemm_microkernel-inl.h"
#include "tensor/gemm/scratch.h"
#include "tensor/ops/magnitude-inl.h"
#include "tensor/parallel.h"

#ifndef ATROUS_TENSOR_CONV_WINOGRAD_SHARED_
#define ATROUS_TENSOR_CONV_WINOGRAD_SHARED_  // once, not per target
namespace atrous::native {
namespace {
constexpr std::int64_t kPoints = 16;      // transform-domain points ξ = 4·i + j per tile
constexpr std::int64_t kTileBlocks = 4;   // NR-tile blocks per task where there are many blocks
constexpr std::int64_t kManyBlocks = 64;  // … that is, at least this many per group
constexpr std::int64_t kMaxNR = 32;       // the widest micro-kernel tile (float32, AVX-512)
constexpr std::int64_t kBandSlack = 48;   // past a band's rows: the last vectors' overreach (2·L + 4)

std::int64_t tile_cols(const DirectConvPlan& p) { return (p.OW + 1) / 2; }
std::int64_t tiles_of(const DirectConvPlan& p) { return (p.OH + 1) / 2 * tile_cols(p); }

// Band values per channel that a piece of tiles [t0, t1) of `p` reads: tile rows ty0 … ty1 cover
// virtual rows 2·ty0 … 2·ty1 + 3.
std::int64_t piece_len(const DirectConvPlan& p, const std::int64_t t0, const std::int64_t t1) {
  const std::int64_t TW = tile_cols(p);
  return (2 * ((t1 - 1) / TW - t0 / TW) + 4) * p.Wg();
}
// … and the room they take, with slack for the last vectors' overreach, padded to 16 values.
std::int64_t piece_band(const DirectConvPlan& p, const std::int64_t t0, const std::int64_t t1) {
  return (piece_len(p, t0, t1) + kBandSlack + 15) / 16 * 16;
}

// The tiles of every (image, plan) of one group, one after another, so that a block of NR tiles
// (the GEMMs' columns, which are independent) may take tiles from several small output phases
// instead of leaving the last block of each part empty.
class TileList {
 public:
  explicit TileList(const std::vector<DirectConvPlan>& plans) : plans_(plans) {
    for (std::int64_t n = 0; n < plans.front().N; ++n) {
      for (std::size_t k = 0; k < plans.size(); ++k) {
        segments_.push_back({k, n, total_});
        total_ += tiles_of(plans[k]);
      }
    }
  }
  std::int64_t total() const { return total_; }

  // fn(segment, p, n, lt0, lt1, at) for each segment's share [lt0, lt1) (in its plan's tile
  // numbers) of tiles [t0, t1); `at` is where the share starts, relative to t0.
  template <class Fn>
  void ForEachPiece(const std::int64_t t0, const std::int64_t t1, const Fn& fn) const {
    auto s = static_cast<std::size_t>(
        std::upper_bound(segments_.begin(), segments_.end(), t0,
                         [](const std::int64_t t, const Segment& seg) { return t < seg.first; }) -
        segments_.begin() - 1);
    for (std::int64_t t = t0; t < t1; ++s) {
      const Segment& seg = segments_[s];
      const DirectConvPlan& p = plans_[seg.plan];
      const std::int64_t end = std::min(t1, seg.first + tiles_of(p));
      fn(s, p, seg.n, t - seg.first, end - seg.first, t - t0);
      t = end;
    }
  }

  // Values of all the bands tiles [t0, t1) read, per channel.
  std::int64_t band(const std::int64_t t0, const std::int64_t t1) const {
    std::int64_t values = 0;
    ForEachPiece(t0, t1,
                 [&](std::size_t, const DirectConvPlan& p, std::int64_t, const std::int64_t lt0, const std::int64_t lt1,
                     std::int64_t) { values += piece_band(p, lt0, lt1); });
    return values;
  }

 private:
  struct Segment {
    std::size_t plan;
    std::int64_t n, first;
  };
  const std::vector<DirectConvPlan>& plans_;
  std::vector<Segment> segments_;
  std::int64_t total_ = 0;
};

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
}  // namespace atrous::native
#endif

HWY_BEFORE_NAMESPACE();
namespace atrous::native {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// U = G·g·Gᵀ for every (group, output channel, input channel), in micro-kernel A panels: panel
// (g, ξ, ip) holds U[ξ] of output channels ip·MR … ip·MR + MR − 1 at [ci·MR + r], zero past Co,
// at u + (g·16 + ξ)·u_point + ip·Ci·MR. u_point is padded off a multiple of 4 KiB: the 16 ξ
// written together would otherwise share one L1 set and evict each other on every store.
template <typename T>
void TransformWeights(const DirectConvPlan& p, const T* w, const std::int64_t a_panels, const std::int64_t u_point,
                      T* u) {
  constexpr auto MR = static_cast<std::int64_t>(kGemmMR);
  parallel_for(p.G * a_panels, 1, [&](const std::int64_t b, const std::int64_t e) {
    for (std::int64_t id = b; id < e; ++id) {
      const std::int64_t g = id / a_panels, ip = id % a_panels, rows = std::min(MR, p.Co - ip * MR);
      for (std::int64_t ci = 0; ci < p.Ci; ++ci) {
        T k[9][MR] = {};  // the MR output channels' taps, zero past Co
        for (std::int64_t r = 0; r < rows; ++r) {
          const T* wc = w + g * p.w_group + (ip * MR + r) * p.w_out + ci * p.w_in;
          for (std::size_t t = 0; t < 9; ++t) k[t][r] = wc[p.w_taps[t]];
        }
        T t[4][3][MR];  // G·g: over ky
        for (std::int64_t kx = 0; kx < 3; ++kx) {
          for (std::int64_t r = 0; r < MR; ++r) {
            const T g0 = k[kx][r], g1 = k[3 + kx][r], g2 = k[6 + kx][r];
            t[0][kx][r] = g0;
            t[1][kx][r] = T(0.5) * (g0 + g1 + g2);
            t[2][kx][r] = T(0.5) * (g0 - g1 + g2);
            t[3][kx][r] = g2;
          }
        }
        for (std::int64_t i = 0; i < 4; ++i) {  // ·Gᵀ: over kx
          T out[4][MR];
          for (std::int64_t r = 0; r < MR; ++r) {
            out[0][r] = t[i][0][r];
            out[1][r] = T(0.5) * (t[i][0][r] + t[i][1][r] + t[i][2][r]);
            out[2][r] = T(0.5) * (t[i][0][r] - t[i][1][r] + t[i][2][r]);
            out[3][r] = t[i][2][r];
          }
          for (std::int64_t j = 0; j < 4; ++j) {
            std::copy_n(out[j], MR, u + (g * kPoints + 4 * i + j) * u_point + (ip * p.Ci + ci) * MR);
          }
        }
      }
    }
  });
}

// The largest |input| of a tile whose outputs Winograd computes: with |w| <= w_max, V = Bᵀ·d·B
// is at most 4·|d|, U at most 2.25·w_max, M a sum of Ci·… products, and Y = Aᵀ·M·A at most
// 81·Ci·w_max·|d| — kept a factor 4 below the largest finite value, so no transform overflows
// where the direct sum would not. Tiles past it, or holding Inf or NaN, take the direct sum.
template <typename T>
T SafeInputBound(const DirectConvPlan& p, const T w_max) {
  // w_max at least 1: the bound then also keeps V (4·|d|) and the sums of M finite.
  return std::numeric_limits<T>::max() / (T(324) * static_cast<T>(p.Ci) * std::max(w_max, T(1)));
}

// Output block of tile (ty, tx) of `p` as the direct sum, bias first, then over channels and
// taps in order: the tiles whose input Winograd cannot transform exactly.
template <typename T>
void DirectTile(const DirectConvPlan& p, const T* band, const std::int64_t band_stride, const std::int64_t ty0,
                const std::int64_t ty, const std::int64_t tx, const T* w, const T* bias, const std::int64_t g,
                T* out_group) {
  const std::int64_t Wg = p.Wg();
  for (std::int64_t o = 0; o < p.Co; ++o) {
    T* plane = out_group + o * p.out_plane + p.out_offset;
    for (std::int64_t r = 0; r < 2 && 2 * ty + r < p.OH; ++r) {
      for (std::int64_t c = 0; c < 2 && 2 * tx + c < p.OW; ++c) {
        T acc = bias != nullptr ? bias[g * p.Co + o] : T(0);
        for (std::int64_t ci = 0; ci < p.Ci; ++ci) {
          const T* taps = w + g * p.w_group + o * p.w_out + ci * p.w_in;
          const T* at = band + ci * band_stride + (2 * (ty - ty0) + r) * Wg + 2 * tx + c;
          for (std::int64_t ky = 0; ky < 3; ++ky) {
            for (std::int64_t kx = 0; kx < 3; ++kx)
              acc += taps[p.w_taps[static_cast<std::size_t>(3 * ky + kx)]] * at[ky * Wg + kx];
          }
        }
        plane[(2 * ty + r) * p.out_row + (2 * tx + c) * p.out_col] = acc;
      }
    }
  }
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

// Returns false, having written nothing, where a weight is not finite: the caller takes the
// direct path, which multiplies padded zeros by it as PyTorch does (0·Inf = NaN).
template <typename T>
bool WinogradConvT(const std::vector<DirectConvPlan>& plans, const T* src, const T* w, const T* bias, T* out) {
  const hn::ScalableTag<T> d;
  using V = hn::Vec<decltype(d)>;
  const auto L = static_cast<std::int64_t>(hn::Lanes(d));
  const auto MR = static_cast<std::int64_t>(kGemmMR);
  const auto NR = static_cast<std::int64_t>(GemmNR<T>());
  const DirectConvPlan& p0 = plans.front();  // the plans differ only in their planes' geometry
  const std::int64_t a_panels = (p0.Co + MR - 1) / MR, Cp = a_panels * MR;
  const TileList tiles(plans);
  // A task: a run of tiles of one group. Several blocks share their bands' overlapping rows where
  // there are blocks enough to keep both cores busy; else one block each, for balance.
  const std::int64_t blocks = (tiles.total() + NR - 1) / NR;
  const std::int64_t run = (blocks >= kManyBlocks ? kTileBlocks : 1) * NR, runs = (tiles.total() + run - 1) / run;
  const std::int64_t v_point = (p0.Ci * NR + L + 15) / 16 * 16;  // one ξ of V, apart from the next
  const std::int64_t u_point = a_panels * p0.Ci * MR + 16;

  const PackBuffer<T> u(static_cast<std::size_t>(p0.G * kPoints * u_point));
  // The plans read every weight of the convolution (its 3×3 taps, forward or flipped).
  const T w_max = LargestMagnitude(d, w, p0.G * p0.Co * p0.Ci * 9);
  if (!(w_max <= std::numeric_limits<T>::max())) return false;
  TransformWeights(p0, w, a_panels, u_point, u.get());
  const T bound = SafeInputBound(p0, w_max);

  parallel_for(p0.G * runs, 1, [&](const std::int64_t b, const std::int64_t e) {
    T* v = scratch<T, 4>(static_cast<std::size_t>(kPoints * v_point));
    T* m = scratch<T, 5>(static_cast<std::size_t>(kPoints * Cp * NR + L));
    struct Band {
      const T* at;  // channel 0, tile row ty0 of its plan
      std::int64_t stride, ty0;
      bool exact;  // every value within the bound: its tiles may take Winograd
    };
    std::vector<Band> piece_bands;  // per segment the run touches
    struct Piece {
      const DirectConvPlan* p;
      const Band* band;
      std::int64_t n, lt0, lt1, at;  // image, the plan's tiles [lt0, lt1), from column `at` on
    };
    std::vector<Piece> pieces;  // the block's tiles, per segment
    for (std::int64_t id = b; id < e; ++id) {
      const std::int64_t g = id / runs, t0 = id % runs * run, t1 = std::min(tiles.total(), t0 + run);
      T* bands = scratch<T, 3>(static_cast<std::size_t>(p0.Ci * tiles.band(t0, t1)));
      piece_bands.clear();
      std::size_t first_segment = 0;
      tiles.ForEachPiece(
          t0, t1,
          [&](const std::size_t segment, const DirectConvPlan& p, const std::int64_t n, const std::int64_t lt0,
              const std::int64_t lt1, std::int64_t) {
            if (piece_bands.empty()) first_segment = segment;
            const std::int64_t stride = piece_band(p, lt0, lt1), ty0 = lt0 / tile_cols(p);
            const std::int64_t len = piece_len(p, lt0, lt1);
            FillBands(p, src + (n * p.G + g) * p.Ci * p.Hs * p.Ws, stride, 2 * ty0 * p.Wg(), len, 0, p.Ci, bands);
            for (std::int64_t ci = 0; ci < p.Ci; ++ci)
              std::fill(bands + ci * stride + len, bands + (ci + 1) * stride, T(0));
            // Checked once here, while in cache, rather than in each of the four tiles a value feeds.
            piece_bands.push_back({bands, stride, ty0, LargestMagnitude(d, bands, p.Ci * stride) <= bound});
            bands += p.Ci * stride;
          });

      // The run's tiles in blocks of NR, each through all three steps while its V and M stay in
      // L2 (sharing U panels between blocks measured slower: V and M then spill to L3).
      for (std::int64_t b0 = t0; b0 < t1; b0 += NR) {
        const std::int64_t b1 = std::min(t1, b0 + NR);
        // V = Bᵀ·d·B, channel by channel (a vector's overreach lands in columns or rows written
        // after it), over each tile row's run in vectors of L tiles.
        pieces.clear();
        tiles.ForEachPiece(b0, b1,
                           [&](const std::size_t segment, const DirectConvPlan& p, const std::int64_t n,
                               const std::int64_t lt0, const std::int64_t lt1, const std::int64_t at) {
                             pieces.push_back({&p, &piece_bands[segment - first_segment], n, lt0, lt1, at});
                           });
        for (std::int64_t ci = 0; ci < p0.Ci; ++ci) {
          for (const Piece& piece : pieces) {
            const DirectConvPlan& p = *piece.p;
            const Band& band = *piece.band;
            const std::int64_t Wg = p.Wg(), at = piece.at;
            ForEachTileRun(
                piece.lt0, piece.lt1, tile_cols(p),
                [&](const std::int64_t ty, const std::int64_t tx, const std::int64_t count, const std::int64_t run_at) {
                  const T* rows = band.at + ci * band.stride + 2 * (ty - band.ty0) * Wg + 2 * tx;
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
                    T* dst = v + ci * NR + at + run_at + c;
                    for (std::int64_t j = 0; j < 4; ++j) {
                      hn::StoreU(hn::Sub(h[0][j], h[2][j]), d, dst + (0 + j) * v_point);
                      hn::StoreU(hn::Add(h[1][j], h[2][j]), d, dst + (4 + j) * v_point);
                      hn::StoreU(hn::Sub(h[2][j], h[1][j]), d, dst + (8 + j) * v_point);
                      hn::StoreU(hn::Sub(h[1][j], h[3][j]), d, dst + (12 + j) * v_point);
                    }
                  }
                });
          }
        }
        // M[ξ] = U[ξ] · V[ξ]: Cp × NR, the reduction over the group's input channels.
        for (std::int64_t xi = 0; xi < kPoints; ++xi) {
          for (std::int64_t ip = 0; ip < a_panels; ++ip) {
            MicroKernelOf(
                static_cast<std::size_t>(p0.Ci), PackedA<T>{u.get() + (g * kPoints + xi) * u_point + ip * p0.Ci * MR},
                PackedB<T>{v + xi * v_point}, m + (xi * Cp + ip * MR) * NR, static_cast<std::size_t>(NR), false);
          }
        }
        // Y = Aᵀ·M·A + bias, stored as the tiles' 2×2 blocks (cut at odd output edges).
        for (std::int64_t o = 0; o < p0.Co; ++o) {
          const V bv = hn::Set(d, bias != nullptr ? bias[g * p0.Co + o] : T(0));
          for (const Piece& piece : pieces) {
            const DirectConvPlan& p = *piece.p;
            const std::int64_t at = piece.at;
            T* plane = out + ((piece.n * p.G + g) * p.Co + o) * p.out_plane + p.out_offset;
            ForEachTileRun(
                piece.lt0, piece.lt1, tile_cols(p),
                [&](const std::int64_t ty, const std::int64_t tx, const std::int64_t count, const std::int64_t run_at) {
                  for (std::int64_t c = 0; c < count; c += L) {
                    V s[4][2];
                    for (std::int64_t i = 0; i < 4; ++i) {
                      const T* mi = m + (4 * i * Cp + o) * NR + at + run_at + c;
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
        // Bands holding non-finite or huge inputs: their tiles' Winograd blocks are overwritten by the direct sum.
        for (const Piece& piece : pieces) {
          if (piece.band->exact) continue;
          const DirectConvPlan& p = *piece.p;
          for (std::int64_t lt = piece.lt0; lt < piece.lt1; ++lt) {
            DirectTile(p, piece.band->at, piece.band->stride, piece.band->ty0, lt / tile_cols(p), lt % tile_cols(p), w,
                       bias, g, out + (piece.n * p.G + g) * p.Co * p.out_plane);
          }
        }
      }
    }
  });
  return true;
}

bool WinogradConvF32(const std::vector<DirectConvPlan>& plans, const float* src, const float* w, const float* bias,
                     float* out) {
  return WinogradConvT(plans, src, w, bias, out);
}
bool WinogradConvF64(const std::vector<DirectConvPlan>& plans, const double* src, const double* w, const double* bias,
                     double* out) {
  return WinogradConvT(plans, src, w, bias, out);
}

}  // namespace HWY_NAMESPACE
}  // namespace atrous::native
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace atrous::native {

HWY_EXPORT(WinogradConvF32);
HWY_EXPORT(WinogradConvF64);

namespace {

// Whether Winograd takes `p`: a 3×3 stride-1 plan (any dilation, its output phases `phases`)
// with a plain output plane, channels enough to fill the micro-kernel, and per-thread bands of
// the longest run's rows, V and M (at the widest tile) within a bounded workspace.
bool winograd_fits(const DirectConvPlan& p, const std::vector<DirectConvPlan>& phases, const std::size_t element_size) {
  const TileList tiles(phases);
  const std::int64_t run = kTileBlocks * kMaxNR;  // every run of a task lies within one of these
  std::int64_t band = 0;
  for (std::int64_t t0 = 0; t0 < tiles.total(); t0 += run) {
    band = std::max(band, tiles.band(t0, std::min(tiles.total(), t0 + run)));
  }
  const std::int64_t values = p.Ci * band + kPoints * (p.Ci + p.Co + 8) * kMaxNR;
  return static_cast<double>(values) * static_cast<double>(element_size) <= double{8 << 20};
}

bool winograd_shape(const DirectConvPlan& p) {
  return p.kH == 3 && p.kW == 3 && p.sH == 1 && p.sW == 1 && p.out_col == 1 && p.Ci >= 8 && p.Co >= 8 && p.OH >= 2 &&
         p.OW >= 2;
}

bool winograd_conv(const std::vector<DirectConvPlan>& phases, const float* src, const float* w, const float* bias,
                   float* out) {
  return HWY_DYNAMIC_DISPATCH(WinogradConvF32)(phases, src, w, bias, out);
}
bool winograd_conv(const std::vector<DirectConvPlan>& phases, const double* src, const double* w, const double* bias,
                   double* out) {
  return HWY_DYNAMIC_DISPATCH(WinogradConvF64)(phases, src, w, bias, out);
}

template <typename T>
void run_conv_plan_t(const DirectConvPlan& p, const T* src, const T* w, const T* bias, T* out) {
  if (winograd_shape(p)) {
    const std::vector<DirectConvPlan> phases = output_phases(p);
    if (winograd_fits(p, phases, sizeof(T)) && winograd_conv(phases, src, w, bias, out)) return;
  }
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
