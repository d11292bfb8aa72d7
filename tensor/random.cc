// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/random.h"

#include <cmath>
#include <mutex>
#include <numbers>

#include "atrous/tensor/factory.h"
#include "atrous/tensor/parallel.h"

namespace atrous {
namespace {

struct Generator {
  std::mutex mutex;
  std::uint64_t seed = 0x853c49e6748fea9bULL;
  std::uint64_t draws = 0;  // one per random tensor, so consecutive tensors differ
};

Generator& generator() {
  static Generator g;
  return g;
}

// Takes the key for the next random tensor.
std::uint64_t next_key() {
  Generator& g = generator();
  const std::lock_guard<std::mutex> lock(g.mutex);
  return g.seed ^ (0x9e3779b97f4a7c15ULL * ++g.draws);
}

// SplitMix64's finaliser: a bijective mix that passes BigCrush as a counter-based generator.
constexpr std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// 53 random bits as a double in [0, 1).
double unit(const std::uint64_t key, const std::uint64_t counter) {
  return static_cast<double>(mix(key + 0x9e3779b97f4a7c15ULL * (counter + 1)) >> 11) * 0x1.0p-53;
}

template <typename Fill>
Tensor generate(const IntArrayRef shape, const ScalarType dtype, Fill fill) {
  Tensor t = empty(shape, dtype);
  const std::uint64_t key = next_key();
  dispatch_all_dtypes(dtype, [&]<typename T>() {
    T* p = t.data_ptr<T>();
    parallel_for(t.numel(), 1 << 14, [&](const std::int64_t begin, const std::int64_t end) {
      for (std::int64_t i = begin; i < end; ++i) p[i] = convert_value<T>(fill(key, static_cast<std::uint64_t>(i)));
    });
  });
  return t;
}

}  // namespace

void manual_seed(const std::uint64_t seed) {
  Generator& g = generator();
  const std::lock_guard<std::mutex> lock(g.mutex);
  g.seed = mix(seed);
  g.draws = 0;
}

Tensor rand(const IntArrayRef shape, const ScalarType dtype) { return uniform(shape, 0.0, 1.0, dtype); }

Tensor uniform(const IntArrayRef shape, const double low, const double high, const ScalarType dtype) {
  check_arg(low <= high, "uniform", "low = ", low, " must be <= high = ", high);
  dispatch_floating(dtype, "uniform", []<typename T>() {});
  return generate(shape, dtype, [&](const std::uint64_t key, const std::uint64_t i) {
    double v = low + (high - low) * unit(key, i);
    // float rounding can land on `high`; keep the interval half-open as documented.
    if (dtype == kFloat32 && static_cast<float>(v) >= static_cast<float>(high) && high > low) {
      v = std::nextafter(static_cast<float>(high), static_cast<float>(low));
    }
    return v;
  });
}

Tensor randn(const IntArrayRef shape, const ScalarType dtype) {
  dispatch_floating(dtype, "randn", []<typename T>() {});
  // Box-Muller on two independent counters per element.
  return generate(shape, dtype, [](const std::uint64_t key, const std::uint64_t i) {
    const double u1 = 1.0 - unit(key, 2 * i);  // (0, 1], so log is finite
    const double u2 = unit(key, 2 * i + 1);
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  });
}

Tensor normal(const IntArrayRef shape, const double mean, const double std, const ScalarType dtype) {
  check_arg(std >= 0.0 && std::isfinite(std), "normal", "std must be finite and >= 0, got ", std);
  dispatch_floating(dtype, "normal", []<typename T>() {});
  const Tensor z = randn(shape, kFloat64);
  const double* zp = z.data_ptr<double>();
  Tensor t = empty(shape, dtype);
  dispatch_floating(dtype, "normal", [&]<typename T>() {
    T* p = t.data_ptr<T>();
    for (std::int64_t i = 0; i < t.numel(); ++i) p[i] = static_cast<T>(mean + std * zp[i]);
  });
  return t;
}

Tensor randint(const std::int64_t low, const std::int64_t high, const IntArrayRef shape, const ScalarType dtype) {
  check_arg(low < high, "randint", "low = ", low, " must be < high = ", high);
  const auto range = static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low);
  return generate(shape, dtype, [&](const std::uint64_t key, const std::uint64_t i) {
    // In uint64, so a range past INT64_MAX cannot overflow.
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(low) +
                                     mix(key + 0x9e3779b97f4a7c15ULL * (i + 1)) % range);
  });
}

Tensor randint(const std::int64_t high, const IntArrayRef shape, const ScalarType dtype) {
  return randint(0, high, shape, dtype);
}

Tensor rand_like(const Tensor& t) { return rand(t.sizes(), t.dtype()); }
Tensor randn_like(const Tensor& t) { return randn(t.sizes(), t.dtype()); }

Tensor bernoulli(const IntArrayRef shape, const double p, const ScalarType dtype) {
  check_arg(p >= 0.0 && p <= 1.0, "bernoulli", "p must be in [0, 1], got ", p);
  return generate(shape, dtype,
                  [p](const std::uint64_t key, const std::uint64_t i) { return unit(key, i) < p ? 1.0 : 0.0; });
}

Tensor randperm(const std::int64_t n) {
  check_arg(n >= 0, "randperm", "n = ", n, " must be >= 0");
  Tensor t = arange(n);
  auto* p = t.data_ptr<std::int64_t>();
  const std::uint64_t key = next_key();
  for (std::int64_t i = n - 1; i > 0; --i) {
    const auto j =
        static_cast<std::int64_t>(mix(key + static_cast<std::uint64_t>(i)) % static_cast<std::uint64_t>(i + 1));
    std::swap(p[i], p[j]);
  }
  return t;
}

}  // namespace atrous
