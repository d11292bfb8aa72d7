// SPDX-License-Identifier: Apache-2.0
// Convolution arithmetic in one place: output size, effective kernel, 'same' and causal pad
// splits, receptive fields (Araujo et al. 2019), and the formula text used in error messages.
// Used by the layers, the model summary and users working through the seed chapter.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace atrous {

// Every function here takes user-given values and uses checked arithmetic: a result that does
// not fit in int64 raises std::invalid_argument with the formula and its values, never wraps.

// D·(K − 1) + 1: the span of a kernel of K taps spaced D apart.
std::int64_t effective_kernel_size(std::int64_t kernel, std::int64_t dilation);

// I + P_before + P_after: the length of the padded axis.
std::int64_t padded_size(std::int64_t input, std::int64_t pad_before, std::int64_t pad_after);

// floor((I + 2P − D·(K − 1) − 1) / S) + 1, PyTorch's (and Dumoulin & Visin's) output size.
// Needs stride, kernel and dilation >= 1; a result <= 0 means the kernel does not fit.
std::int64_t conv_output_size(std::int64_t input, std::int64_t kernel, std::int64_t padding, std::int64_t stride,
                              std::int64_t dilation);
// The same with asymmetric padding: floor((I + P_before + P_after − D·(K − 1) − 1) / S) + 1.
std::int64_t conv_output_size(std::int64_t input, std::int64_t kernel, std::int64_t pad_before, std::int64_t pad_after,
                              std::int64_t stride, std::int64_t dilation);

// (I − 1)·S − 2P + D·(K − 1) + output_padding + 1, a transposed convolution's output size: the
// input size of the convolution it transposes, output_padding choosing among the S sizes that
// convolution maps onto I. A result <= 0 means the padding crops everything away.
std::int64_t conv_transpose_output_size(std::int64_t input, std::int64_t kernel, std::int64_t padding,
                                        std::int64_t output_padding, std::int64_t stride, std::int64_t dilation);

// 'same' padding (stride 1): total D·(K − 1), split floor/ceil with the extra element at the
// end, as PyTorch does. Returns {before, after}.
std::pair<std::int64_t, std::int64_t> same_padding(std::int64_t kernel, std::int64_t dilation);
// Causal padding: {D·(K − 1), 0}.
std::pair<std::int64_t, std::int64_t> causal_padding(std::int64_t kernel, std::int64_t dilation);

// "floor((5 + 2*0 - 1*(3-1) - 1)/1) + 1 = 3": the output-size formula with the values filled in.
std::string conv_output_formula(std::int64_t input, std::int64_t kernel, std::int64_t pad_before,
                                std::int64_t pad_after, std::int64_t stride, std::int64_t dilation);

// "(5 - 1)*2 - 2*1 + 1*(4-1) + 0 + 1 = 10": the transposed output size with the values filled in.
std::string conv_transpose_output_formula(std::int64_t input, std::int64_t kernel, std::int64_t padding,
                                          std::int64_t output_padding, std::int64_t stride, std::int64_t dilation);

// One layer of a stack, for receptive-field arithmetic (pooling layers count with dilation 1).
struct LayerGeometry {
  std::int64_t kernel = 1;
  std::int64_t stride = 1;
  std::int64_t dilation = 1;
  std::int64_t padding = 0;  // before (left/top); only the start offset depends on it
  bool transposed = false;   // a transposed convolution: it divides the jump by its stride
};

// After a layer: how many input elements one output unit sees, the distance in input elements
// between neighbouring output units, and the input coordinate of the centre of output unit 0.
struct ReceptiveField {
  std::int64_t size = 1;          // r_l = r_{l-1} + (k_l − 1)·d_l·j_{l-1}
  std::int64_t jump = 1;          // j_l = j_{l-1}·s_l
  double start = 0.0;             // c_l = c_{l-1} + ((d_l·(k_l − 1)) / 2 − p_l)·j_{l-1}
  std::int64_t jump_divisor = 1;  // the jump is jump / jump_divisor (in lowest terms): > 1 only past
                                  // transposed layers that up-sample finer than the input
};

// The receptive field after each layer (Araujo, Norris & Sim, Distill 2019), starting from one
// input element (r_0 = 1, j_0 = 1, c_0 = 0). Through a transposed layer (dilation 1, kernel >=
// stride) units sit unevenly over the input, so from there on the field is computed exactly, each
// unit's window through the stack, the widest over one period of units; the start is unit 0's
// centre and the jump divides by the stride (a fraction below one input element in a generator).
// Other transposed layers are refused, naming the layer.
std::vector<ReceptiveField> receptive_field(const std::vector<LayerGeometry>& layers);

// Whether receptive_field can take `layers` (every transposed layer of dilation 1, kernel >= stride).
bool receptive_field_defined(const std::vector<LayerGeometry>& layers);

}  // namespace atrous
