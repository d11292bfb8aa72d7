// Element types a Tensor can hold, their sizes and names, and the one switch that turns a
// runtime dtype into a compile-time type.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace atrous {

enum class ScalarType : std::uint8_t { Float32, Float64, Int64 };

inline constexpr ScalarType kFloat32 = ScalarType::Float32;
inline constexpr ScalarType kFloat64 = ScalarType::Float64;
inline constexpr ScalarType kInt64 = ScalarType::Int64;

constexpr std::size_t element_size(const ScalarType t) noexcept {
  return t == ScalarType::Float32 ? 4 : 8;
}

constexpr const char* dtype_name(const ScalarType t) noexcept {
  switch (t) {
    case ScalarType::Float32: return "float32";
    case ScalarType::Float64: return "float64";
    case ScalarType::Int64: return "int64";
  }
  return "unknown";
}

constexpr bool is_floating(const ScalarType t) noexcept { return t != ScalarType::Int64; }

template <typename T>
constexpr ScalarType dtype_of() noexcept;
template <>
constexpr ScalarType dtype_of<float>() noexcept { return kFloat32; }
template <>
constexpr ScalarType dtype_of<double>() noexcept { return kFloat64; }
template <>
constexpr ScalarType dtype_of<std::int64_t>() noexcept { return kInt64; }

// Calls fn.template operator()<T>() with T the C++ type of `t`: every dtype switch in atrous
// goes through here, so adding a dtype is one edit.
template <typename Fn>
decltype(auto) dispatch_dtype(const ScalarType t, Fn&& fn) {
  switch (t) {
    case ScalarType::Float32: return fn.template operator()<float>();
    case ScalarType::Float64: return fn.template operator()<double>();
    case ScalarType::Int64: return fn.template operator()<std::int64_t>();
  }
  throw std::logic_error("dispatch_dtype: corrupt dtype");
}

// As dispatch_dtype for ops that only make sense on floating point; `op` names the caller.
template <typename Fn>
decltype(auto) dispatch_floating(const ScalarType t, const char* op, Fn&& fn) {
  switch (t) {
    case ScalarType::Float32: return fn.template operator()<float>();
    case ScalarType::Float64: return fn.template operator()<double>();
    case ScalarType::Int64: break;
  }
  throw std::invalid_argument(std::string(op) +
                              ": needs a floating-point tensor (float32 or float64), got int64");
}

}  // namespace atrous
