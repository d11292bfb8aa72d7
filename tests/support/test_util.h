// SPDX-License-Identifier: Apache-2.0
// Shared test helpers: golden-file paths, tolerant comparisons with computed tolerances,
// a naive reference to compare against, and running code on every compiled Highway target.
#pragma once

#include <functional>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "atrous/tensor/random.h"
#include "atrous/tensor/tensor.h"

namespace atrous::test {

// Path of a committed golden file, e.g. golden_path("tensor/add_broadcast_f32_out.npy").
std::string golden_path(const std::string& relative);
// "2,1" → {2, 1}: per-dimension values as the golden cases.txt files write them.
Shape parse_ints(const std::string& text);

// Asserts same shape and |a - b| <= atol + rtol * |b| element-wise; the failure message names
// the first bad element and the largest difference.
::testing::AssertionResult all_close(const Tensor& actual, const Tensor& expected, double rtol, double atol);

// For sums whose terms may dwarf the result (huge values that cancel): a finite expected element
// allows |a - e| <= tol · (scale + 1), scale being the same sum over |terms| (float64), since
// each rounding errs relative to the terms; a non-finite one must be matched exactly (NaN by NaN).
::testing::AssertionResult close_at_scale(const Tensor& actual, const Tensor& expected, const Tensor& scale,
                                          double tol);

// Asserts same shape, dtype and bit pattern.
::testing::AssertionResult bit_identical(const Tensor& a, const Tensor& b);

// Tolerances for comparing a computed value with an exact one in `dtype`: a few ulps scaled.
double default_rtol(ScalarType dtype);
double default_atol(ScalarType dtype);

// Whether fn() throws an E whose message contains `part`; the failure gives the message it got.
template <typename E, typename Fn>
::testing::AssertionResult throws_with(const Fn& fn, const std::string& part) {
  try {
    fn();
  } catch (const E& e) {
    if (std::string(e.what()).find(part) != std::string::npos) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "the message \"" << e.what() << "\" lacks \"" << part << "\"";
  }
  return ::testing::AssertionFailure() << "no exception of the expected type";
}

// What `os << *holder` prints: a module's repr.
template <typename Holder>
std::string printed(const Holder& holder) {
  std::ostringstream os;
  os << *holder;
  return os.str();
}

// A module run on a uniform(−1, 1) input of `sizes`, and backpropagated from a uniform(−1, 1)
// grad_output: the input (its grad filled in), the output and that grad_output.
struct RandomRun {
  Tensor x, y, gy;
};
template <typename Module>
RandomRun run_with_random_gradient(Module& module, const Shape& sizes, const ScalarType dtype) {
  RandomRun r;
  r.x = uniform(sizes, -1, 1, dtype).requires_grad_();
  r.y = module.forward(r.x);
  r.gy = uniform(r.y.sizes(), -1, 1, dtype);
  (r.y * r.gy).sum().backward();
  return r;
}

// Runs fn(target_name) once per Highway target compiled into atrous and supported here
// (AVX3, AVX2, SCALAR …), forcing dynamic dispatch to that target.
void for_each_simd_target(const std::function<void(const std::string&)>& fn);

// Runs fn with atrous set to `threads` threads, restoring the previous count.
void with_threads(int threads, const std::function<void()>& fn);

// The bytes of a version-1.0 .npy header for `dict` ("{'descr': '<f4', ...}"), padded as NumPy does;
// append the data to make a file.
std::string npy_header(const std::string& dict);

}  // namespace atrous::test
