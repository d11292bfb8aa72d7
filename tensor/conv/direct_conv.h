// SPDX-License-Identifier: Apache-2.0
// Direct convolution: no im2col at all. On a virtual plane (the padded input, or for grad_input
// the zero-bordered dY), output pixel (y, x) and tap (ky, kx) read virtual pixel
// (y·sH + ky·dH, x·sW + kx·dW). Split the virtual plane into its sH × sW phases (every sH-th row
// from row a, every sW-th column from column b): a tap reads one phase, shifted by a whole
// number of phase rows and columns. Numbering output pixels on the phase grid, q = y·Wg + x,
// every tap is then a constant shift of q, so the im2col row of a tap over a run of pixels is a
// contiguous run of one phase: the micro-kernel reads its operand in place from the band of each
// phase a task's pixels touch, which the task copies through the padding maps once per channel,
// not once per tap. Grid tiles compute Wg − OW wrap-around columns per row that they never
// store; pixel-major tiles gather only real output pixels.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "atrous/tensor/conv/conv_plan.h"

namespace atrous::native {

struct DirectConvPlan {
  std::int64_t N, G, Ci, Co;  // images, groups, source and output channels per group
  std::int64_t src_h, src_w;  // the source plane: the input, or for grad_input dY
  std::int64_t kH, kW, sH, sW, dH, dW;
  // Virtual row / column → source row / column, or −1 for a zero. Virtual columns
  // [copy_lo, copy_hi) read source column x − copy_shift: a band copies them straight.
  std::vector<std::int64_t> map_h, map_w;
  std::int64_t copy_lo, copy_hi, copy_shift;
  std::int64_t OH, OW;  // output pixels
  // Output pixel (y, x) of channel plane c lands at out[c·out_plane + out_offset + y·out_row +
  // x·out_col]: a plain OH × OW plane, or one stride phase of grad_input's plane.
  std::int64_t out_plane, out_row, out_col, out_offset;
  // The phases (a·sW + b) some tap reads, in order: each gets one band slot per channel.
  std::vector<std::int64_t> phases;
  // Weight (o, ci, tap t) of group g is w[g·w_group + o·w_out + ci·w_in + w_taps[t]], taps in
  // (ky, kx) order: (G·Co, Ci, kH, kW) contiguous for a forward; for a grad_input phase, the
  // convolution's own weight read transposed and flipped, with no per-call copy.
  std::int64_t w_group = 0, w_out = 0, w_in = 0;
  std::vector<std::int64_t> w_taps;

  std::int64_t virtual_h() const { return static_cast<std::int64_t>(map_h.size()); }
  std::int64_t virtual_w() const { return static_cast<std::int64_t>(map_w.size()); }
  std::int64_t grid_w() const { return (virtual_w() + sW - 1) / sW; }  // phase-grid width
  // Whether the virtual plane is the source plane itself (stride 1, no padding): tasks can then
  // read the source in place instead of copying bands.
  bool virtual_is_source() const;
  // Largest tap shift on the phase grid.
  std::int64_t max_offset() const { return (kH - 1) * dH / sH * grid_w() + (kW - 1) * dW / sW; }
};

// Forward (and grad_weight) of a convolution with any stride and padding mode: the virtual
// plane is the padded input.
DirectConvPlan direct_forward_plan(const ConvPlan& p);
// grad_input of a zero-padded convolution as sH·sW direct convolutions of dY, one per phase of
// the input (rows ≡ a, columns ≡ b modulo the stride): each sums the taps whose dilated offset
// lands in that phase, flipped. For stride 1 that is one convolution with the kernel flipped.
// Phases that no tap reaches are left out: their gradient is zero. Each reads the convolution's
// weight (G·Og, Cg, kH, kW) itself, through its w_* layout.
std::vector<DirectConvPlan> direct_backward_input_phases(const ConvPlan& p);

// Whether the direct path pays: a task's bands (tile + the largest shift, per channel and phase)
// cost no more to copy than the packed path's two copies of the im2col rows they replace, and
// fit a bounded per-thread workspace.
bool direct_conv_pays(const DirectConvPlan& p, std::size_t element_size);

// out[n, g·Co + o] = bias[g·Co + o] + Σ w[g·Co + o, ci, ky, kx] · virtual(n, g·Ci + ci)[y + ky·dH,
// x + kx·dW], weights read through p's w_* layout; bias may be null. Deterministic: every output
// sums its terms in one fixed order whatever the thread count.
void direct_conv(const DirectConvPlan& p, const float* src, const float* w, const float* bias, float* out);
void direct_conv(const DirectConvPlan& p, const double* src, const double* w, const double* bias, double* out);

// grad_input of a strided, zero-padded convolution from its phases (direct_backward_input_phases,
// all of which pay) in one pass over dX: a tile of dX takes every phase's pixels from one band of
// dY and stores its dX runs whole, where the phases would each fill their own bands and store
// every sW-th column. The same numbers as running the phases. Returns false, touching nothing,
// where it does not apply: stride 1 (one phase), or dX channels per group not in whole NR panels.
bool direct_conv_input(const ConvPlan& p, const std::vector<DirectConvPlan>& phases, const float* gy, const float* w,
                       float* gx);
bool direct_conv_input(const ConvPlan& p, const std::vector<DirectConvPlan>& phases, const double* gy, const double* w,
                       double* gx);

// gw[g·Co + o, ci, ky, kx] = Σ_n Σ_(y,x) gy[n, g·Co + o, y, x] · virtual(n, g·Ci + ci)[y + ky·dH,
// x + kx·dW]: the weight gradient of the convolution `p` describes (`x` is its source). The sum
// is split into ranges fixed by the shape, so it is bit-identical for any thread count.
void direct_conv_weight(const DirectConvPlan& p, const float* x, const float* gy, float* gw);
void direct_conv_weight(const DirectConvPlan& p, const double* x, const double* gy, double* gw);

}  // namespace atrous::native
