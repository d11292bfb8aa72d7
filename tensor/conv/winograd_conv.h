// SPDX-License-Identifier: Apache-2.0
// Winograd F(m×m, 3×3), m = 2 or 4, for 3×3 stride-1 convolutions on a direct convolution's
// plan (the padded input of a forward, the zero-bordered dY of a stride-1 grad_input); a dilated
// one runs as one undilated convolution per phase of its outputs (dH·dW of them). Each m×m block
// of outputs comes from an (m + 2)×(m + 2) block of the virtual plane through (m + 2)²
// element-wise products instead of 9·m², as (m + 2)² GEMMs U[ξ] · V[ξ] over the channels on the
// shared micro-kernel, with U = G·g·Gᵀ (the weights, once per call, in float64 and rounded once)
// and V = Bᵀ·d·B (the input, per tile), and Y = Aᵀ·M·A: 2.25× (m = 2) or 4× (m = 4) fewer
// multiply-adds; the transforms add a few operations per value. winograd::tile_for picks m.
// Results differ from the direct sum by rounding only (F(4×4)'s larger coefficients, up to 8 in
// Aᵀ and 5 in Bᵀ, round a little more), and tasks own disjoint outputs: bit-identical for any
// thread count. The transforms add and cancel values that the direct sum never forms, so a tile
// whose input holds Inf, NaN or values large enough to overflow them is computed as the direct
// sum instead (found while its input is transformed), and non-finite weights send the whole call
// to direct_conv: PyTorch's IEEE results, not NaN from Inf − Inf.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "atrous/tensor/conv/direct_conv.h"

namespace atrous::native {

// The plans Winograd computes `p` as: its output phases (one for an undilated plan), where `p`
// is a 3×3 stride-1 plan with a plain output plane, 8 or more channels each way and bands within
// a bounded per-thread workspace; else none.
std::vector<DirectConvPlan> winograd_plans(const DirectConvPlan& p, std::size_t element_size);

// The convolution the plans (from winograd_plans) describe, with direct_conv's contract (direct_conv.h),
// in tiles of `tile` × `tile` outputs (2 or 4; 0: winograd::tile_for's choice). Returns false,
// having written nothing, where a weight is not finite, or so large (F(2×2): above 1/2.5 of the
// largest finite value) that its transform would overflow: the caller takes the direct path,
// which multiplies padded zeros by it as PyTorch does (0·Inf = NaN).
bool winograd_conv(const std::vector<DirectConvPlan>& plans, const float* src, const float* w, const float* bias,
                   float* out, std::int64_t tile = 0);
bool winograd_conv(const std::vector<DirectConvPlan>& plans, const double* src, const double* w, const double* bias,
                   double* out, std::int64_t tile = 0);

// The weight gradient of the convolution the plans describe (direct_conv_weight's contract,
// direct_conv.h), in tiles of `tile` × `tile` outputs (2 or 4; 0: winograd::weight_tile_for's
// choice): dW = Gᵀ·[Σ over tiles of (A·dY·Aᵀ) ⊙ (Bᵀ·d·B)]·G. Returns false, having written
// nothing, where weight_tile_for expects the direct sum to be faster, or an input or dY value is
// not finite or so large that the sums over the tiles could overflow: the caller then takes the
// direct path (for the latter, PyTorch's IEEE result).
bool winograd_conv_weight(const std::vector<DirectConvPlan>& plans, const float* src, const float* gy, float* gw,
                          std::int64_t tile = 0);
bool winograd_conv_weight(const std::vector<DirectConvPlan>& plans, const double* src, const double* gy, double* gw,
                          std::int64_t tile = 0);

}  // namespace atrous::native
