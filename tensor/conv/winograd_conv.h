// SPDX-License-Identifier: Apache-2.0
// Winograd F(2×2, 3×3) for 3×3 stride-1 convolutions on a direct convolution's plan (the padded
// input of a forward, the zero-bordered dY of a stride-1 grad_input); a dilated one runs as one
// undilated convolution per phase of its outputs (dH·dW of them). Each 2×2 block
// of outputs comes from a 4×4 block of the virtual plane through 16 element-wise products
// instead of 36, as 16 GEMMs U[ξ] · V[ξ] over the channels on the shared micro-kernel, with
// U = G·g·Gᵀ (the weights, once per call) and V = Bᵀ·d·B (the input, per tile), and
// Y = Aᵀ·M·A. 2.25× fewer multiply-adds; the transforms add a few additions per value.
// Results differ from the direct sum by rounding only (the transforms' coefficients are 0, ±1
// and ±1/2), and tasks own disjoint outputs: bit-identical for any thread count. The transforms
// add and cancel values that the direct sum never forms, so a tile whose input holds Inf, NaN or
// values large enough to overflow them is computed as the direct sum instead (found while its
// input is transformed), and non-finite weights send the whole call to direct_conv: PyTorch's
// IEEE results, not NaN from Inf − Inf.
#pragma once

#include <cstddef>
#include <vector>

#include "atrous/tensor/conv/direct_conv.h"

namespace atrous::native {

// The plans Winograd computes `p` as: its output phases (one for an undilated plan), where `p`
// is a 3×3 stride-1 plan with a plain output plane, 8 or more channels each way and bands within
// a bounded per-thread workspace; else none.
std::vector<DirectConvPlan> winograd_plans(const DirectConvPlan& p, std::size_t element_size);

// The convolution the plans (from winograd_plans) describe, with direct_conv's contract (direct_conv.h).
// Returns false, having written nothing, where a weight is not finite: the caller takes the
// direct path, which multiplies padded zeros by it as PyTorch does (0·Inf = NaN).
bool winograd_conv(const std::vector<DirectConvPlan>& plans, const float* src, const float* w, const float* bias,
                   float* out);
bool winograd_conv(const std::vector<DirectConvPlan>& plans, const double* src, const double* w, const double* bias,
                   double* out);

}  // namespace atrous::native
