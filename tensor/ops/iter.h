// SPDX-License-Identifier: Apache-2.0
// The element-wise walker: visits a shape as runs along its innermost (coalesced) dimension,
// handing each operand's element offset to a callback. Every element-wise op, copy and
// broadcast in atrous goes through walk(); for_each_run() adds the gather/scatter that lets
// SIMD kernels see only unit-stride or broadcast (stride 0) runs.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "atrous/tensor/tensor.h"

namespace atrous::native {

// Longest run handed to a callback: bounds scratch buffers, and is the unit of parallel work.
inline constexpr std::int64_t kRunBlock = 4096;

// Calls fn(offsets, n) for runs covering `sizes`; offsets[k] is operand k's element offset of the
// run start, and operand k advances by run_strides[k] per element of the run. Runs are processed
// in parallel when there are enough elements; each element is visited exactly once.
struct Walk {
  Shape sizes;                 // coalesced
  std::vector<Shape> strides;  // per operand, coalesced
  std::vector<std::int64_t> run_strides() const;
};
Walk make_walk(const Shape& sizes, std::vector<Shape> strides);
void walk(const Walk& w, const std::function<void(const std::int64_t*, std::int64_t)>& fn);

// An element-wise kernel over unit-stride (or, for inputs, stride-0) runs:
// kernel(out, in_ptrs, in_strides, n) with in_strides[k] in {0, 1}.
template <typename T, std::size_t K>
using RunKernel =
    std::function<void(T*, const std::array<const T*, K>&, const std::array<std::int64_t, K>&, std::int64_t)>;

// Runs `kernel` over `out` and `inputs` (each broadcast to out's shape), gathering strided
// inputs and scattering strided output through per-thread scratch buffers.
template <typename T, std::size_t K>
void for_each_run(const Tensor& out, const std::array<Tensor, K>& inputs, const RunKernel<T, K>& kernel) {
  std::vector<Shape> strides{out.strides()};
  for (const Tensor& in : inputs) strides.push_back(broadcast_strides(in.sizes(), in.strides(), out.sizes()));
  const Walk w = make_walk(out.sizes(), std::move(strides));
  const std::vector<std::int64_t> rs = w.run_strides();
  T* const out_base = out.data_ptr<T>();
  std::array<const T*, K> in_base{};
  for (std::size_t k = 0; k < K; ++k) in_base[k] = inputs[k].template data_ptr<T>();

  walk(w, [&](const std::int64_t* off, const std::int64_t n) {
    thread_local std::vector<T> scratch;
    scratch.resize(static_cast<std::size_t>(kRunBlock * static_cast<std::int64_t>(K + 1)));
    std::array<const T*, K> in{};
    std::array<std::int64_t, K> in_stride{};
    for (std::size_t k = 0; k < K; ++k) {
      const T* src = in_base[k] + off[k + 1];
      const std::int64_t s = rs[k + 1];
      if (s == 0 || s == 1) {
        in[k] = src;
        in_stride[k] = s;
      } else {
        T* buf = scratch.data() + static_cast<std::int64_t>(k + 1) * kRunBlock;
        for (std::int64_t i = 0; i < n; ++i) buf[i] = src[i * s];
        in[k] = buf;
        in_stride[k] = 1;
      }
    }
    T* dst = out_base + off[0];
    if (rs[0] == 1) {
      kernel(dst, in, in_stride, n);
    } else {
      kernel(scratch.data(), in, in_stride, n);
      for (std::int64_t i = 0; i < n; ++i) dst[i * rs[0]] = scratch[static_cast<std::size_t>(i)];
    }
  });
}

}  // namespace atrous::native
