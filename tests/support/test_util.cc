// SPDX-License-Identifier: Apache-2.0
#include "tests/support/test_util.h"

#include <cmath>
#include <cstring>
#include <sstream>

#include "atrous/tensor/ops/view.h"
#include "atrous/tensor/parallel.h"
#include "hwy/targets.h"

namespace atrous::test {

std::string golden_path(const std::string& relative) { return std::string(ATROUS_GOLDEN_DIR) + "/" + relative; }

Shape parse_ints(const std::string& text) {
  Shape v;
  std::stringstream s(text);
  for (std::string item; std::getline(s, item, ',');) v.push_back(std::stoll(item));
  return v;
}

::testing::AssertionResult all_close(const Tensor& actual, const Tensor& expected, const double rtol,
                                     const double atol) {
  if (actual.sizes() != expected.sizes()) {
    return ::testing::AssertionFailure() << "shape " << shape_str(actual.sizes()) << " != expected "
                                         << shape_str(expected.sizes());
  }
  double worst = 0;
  std::int64_t first_bad = -1;
  for (std::int64_t i = 0; i < actual.numel(); ++i) {
    const double a = value_at(actual, i), e = value_at(expected, i);
    if (std::isnan(a) && std::isnan(e)) continue;
    if (a == e) continue;  // also equal infinities
    const double diff = std::abs(a - e);
    worst = std::max(worst, std::isnan(diff) ? INFINITY : diff);
    if (!(diff <= atol + rtol * std::abs(e)) && first_bad < 0) first_bad = i;
  }
  if (first_bad < 0) return ::testing::AssertionSuccess();
  std::ostringstream m;
  m.precision(10);
  m << "element " << first_bad << ": " << value_at(actual, first_bad) << " vs expected "
    << value_at(expected, first_bad) << " (rtol " << rtol << ", atol " << atol << "); largest |difference| " << worst;
  return ::testing::AssertionFailure() << m.str();
}

::testing::AssertionResult close_at_scale(const Tensor& actual, const Tensor& expected, const Tensor& scale,
                                          const double tol) {
  if (actual.sizes() != expected.sizes() || scale.sizes() != expected.sizes()) {
    return ::testing::AssertionFailure() << "shapes " << shape_str(actual.sizes()) << ", expected "
                                         << shape_str(expected.sizes()) << ", scale " << shape_str(scale.sizes());
  }
  for (std::int64_t i = 0; i < actual.numel(); ++i) {
    const double a = value_at(actual, i), e = value_at(expected, i), bound = tol * (value_at(scale, i) + 1);
    const bool ok = std::isfinite(e) ? std::abs(a - e) <= bound : (std::isnan(e) ? std::isnan(a) : a == e);
    if (!ok) {
      std::ostringstream m;
      m.precision(10);
      m << "element " << i << ": " << a << " vs expected " << e << " (allowed |difference| " << bound << ")";
      return ::testing::AssertionFailure() << m.str();
    }
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult bit_identical(const Tensor& a, const Tensor& b) {
  if (a.sizes() != b.sizes() || a.dtype() != b.dtype()) {
    return ::testing::AssertionFailure() << "shape/dtype differ: " << shape_str(a.sizes()) << " "
                                         << dtype_name(a.dtype()) << " vs " << shape_str(b.sizes()) << " "
                                         << dtype_name(b.dtype());
  }
  const Tensor ca = native::contiguous(a), cb = native::contiguous(b);
  const auto bytes = static_cast<std::size_t>(a.numel()) * a.element_size();
  if (std::memcmp(ca.raw_data(), cb.raw_data(), bytes) == 0) return ::testing::AssertionSuccess();
  for (std::int64_t i = 0; i < a.numel(); ++i) {
    if (value_at(ca, i) != value_at(cb, i)) {
      return ::testing::AssertionFailure()
             << "first difference at element " << i << ": " << value_at(ca, i) << " vs " << value_at(cb, i);
    }
  }
  return ::testing::AssertionFailure() << "bit patterns differ (NaN payloads or signed zeros)";
}

// Highway's float32 Exp/Log/Tanh are within a few ulp (hwy/contrib/math); PyTorch's Sleef
// kernels likewise, so two correct results can differ by ~4 ulp plus the op's own rounding.
double default_rtol(const ScalarType dtype) { return dtype == kFloat32 ? 1e-5 : 1e-12; }
double default_atol(const ScalarType dtype) { return dtype == kFloat32 ? 1e-6 : 1e-13; }

void for_each_simd_target(const std::function<void(const std::string&)>& fn) {
  for (const std::int64_t target : hwy::SupportedAndGeneratedTargets()) {
    hwy::SetSupportedTargetsForTest(target);
    fn(hwy::TargetName(target));
  }
  hwy::SetSupportedTargetsForTest(0);
}

void with_threads(const int threads, const std::function<void()>& fn) {
  const int before = get_num_threads();
  set_num_threads(threads);
  try {
    fn();
  } catch (...) {
    set_num_threads(before);
    throw;
  }
  set_num_threads(before);
}

std::string npy_header(const std::string& dict) {
  std::string h = dict;
  while ((10 + h.size() + 1) % 64 != 0) h += ' ';
  h += '\n';
  std::string s = "\x93NUMPY";
  s += '\x01';
  s += '\x00';
  s += static_cast<char>(h.size() & 0xff);
  s += static_cast<char>(h.size() >> 8);
  return s + h;
}

}  // namespace atrous::test
