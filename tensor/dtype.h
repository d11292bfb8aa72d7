// SPDX-License-Identifier: Apache-2.0
// Element types a Tensor can hold, their sizes and names, and the switches that turn a runtime
// dtype into a compile-time type. float32, float64 and int64 are the compute types every op
// takes; int32, uint8 and bool are data types (storage, conversion, comparison results, masks,
// indexing), as libtorch programs use them, and arithmetic asks for a conversion first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace atrous {

enum class ScalarType : std::uint8_t { Float32, Float64, Int64, Int32, UInt8, Bool };

inline constexpr ScalarType kFloat32 = ScalarType::Float32;
inline constexpr ScalarType kFloat64 = ScalarType::Float64;
inline constexpr ScalarType kInt64 = ScalarType::Int64;
inline constexpr ScalarType kInt32 = ScalarType::Int32;
inline constexpr ScalarType kUInt8 = ScalarType::UInt8;
inline constexpr ScalarType kBool = ScalarType::Bool;
// libtorch's names.
inline constexpr ScalarType kFloat = kFloat32;
inline constexpr ScalarType kDouble = kFloat64;
inline constexpr ScalarType kLong = kInt64;
inline constexpr ScalarType kInt = kInt32;
inline constexpr ScalarType kByte = kUInt8;

constexpr std::size_t element_size(const ScalarType t) noexcept {
  switch (t) {
    case ScalarType::Float64:
    case ScalarType::Int64: return 8;
    case ScalarType::Float32:
    case ScalarType::Int32: return 4;
    case ScalarType::UInt8:
    case ScalarType::Bool: return 1;
  }
  return 1;
}

// Every dtype, in ScalarType's order, with its name in messages and its tags in the file formats
// atrous reads and writes (.npy descr, safetensors dtype).
struct DtypeNames {
  ScalarType dtype;
  const char* name;
  const char* npy;
  const char* safetensors;
};
inline constexpr DtypeNames kDtypeNames[] = {
    {ScalarType::Float32, "float32", "<f4", "F32"}, {ScalarType::Float64, "float64", "<f8", "F64"},
    {ScalarType::Int64, "int64", "<i8", "I64"},     {ScalarType::Int32, "int32", "<i4", "I32"},
    {ScalarType::UInt8, "uint8", "|u1", "U8"},      {ScalarType::Bool, "bool", "|b1", "BOOL"},
};
constexpr bool dtype_names_in_order() {
  for (std::size_t i = 0; i < std::size(kDtypeNames); ++i) {
    if (static_cast<std::size_t>(kDtypeNames[i].dtype) != i) return false;
  }
  return true;
}
static_assert(dtype_names_in_order(), "kDtypeNames follows ScalarType's order");
// A value outside the enum (a corrupt cast) gets names that match nothing rather than a crash.
inline constexpr DtypeNames kUnknownDtypeNames{ScalarType::Float32, "unknown", "", ""};
constexpr const DtypeNames& dtype_names(const ScalarType t) noexcept {
  const auto i = static_cast<std::size_t>(t);
  return i < std::size(kDtypeNames) ? kDtypeNames[i] : kUnknownDtypeNames;
}

constexpr const char* dtype_name(const ScalarType t) noexcept { return dtype_names(t).name; }

constexpr bool is_floating(const ScalarType t) noexcept { return t == ScalarType::Float32 || t == ScalarType::Float64; }
// The types arithmetic, reductions and kernels take.
constexpr bool is_compute_type(const ScalarType t) noexcept { return is_floating(t) || t == ScalarType::Int64; }

template <typename T>
constexpr ScalarType dtype_of() noexcept;
template <>
constexpr ScalarType dtype_of<float>() noexcept {
  return kFloat32;
}
template <>
constexpr ScalarType dtype_of<double>() noexcept {
  return kFloat64;
}
template <>
constexpr ScalarType dtype_of<std::int64_t>() noexcept {
  return kInt64;
}
template <>
constexpr ScalarType dtype_of<std::int32_t>() noexcept {
  return kInt32;
}
template <>
constexpr ScalarType dtype_of<std::uint8_t>() noexcept {
  return kUInt8;
}
template <>
constexpr ScalarType dtype_of<bool>() noexcept {
  return kBool;
}

[[noreturn]] inline void throw_data_only_dtype(const ScalarType t) {
  throw std::invalid_argument(std::string(dtype_name(t)) +
                              " tensors hold data, comparison results and masks; convert with .to(kFloat) or "
                              ".to(kLong) before arithmetic");
}

// Calls fn.template operator()<T>() with T the C++ type of `t`, a compute type: every compute
// dtype switch in atrous goes through here, so adding one is one edit. A data-only dtype
// raises invalid_argument asking for a conversion.
template <typename Fn>
decltype(auto) dispatch_dtype(const ScalarType t, Fn&& fn) {
  switch (t) {
    case ScalarType::Float32: return fn.template operator()<float>();
    case ScalarType::Float64: return fn.template operator()<double>();
    case ScalarType::Int64: return fn.template operator()<std::int64_t>();
    case ScalarType::Int32:
    case ScalarType::UInt8:
    case ScalarType::Bool: throw_data_only_dtype(t);
  }
  throw std::logic_error("dispatch_dtype: corrupt dtype");
}

// As dispatch_dtype over every dtype, for moving and converting data.
template <typename Fn>
decltype(auto) dispatch_all_dtypes(const ScalarType t, Fn&& fn) {
  switch (t) {
    case ScalarType::Int32: return fn.template operator()<std::int32_t>();
    case ScalarType::UInt8: return fn.template operator()<std::uint8_t>();
    case ScalarType::Bool: return fn.template operator()<bool>();
    default: return dispatch_dtype(t, std::forward<Fn>(fn));
  }
}

// Converts a value to T as PyTorch does: non-zero (NaN included) is true, and integers wrap.
template <typename T, typename S>
constexpr T convert_value(const S v) noexcept {
  if constexpr (std::is_same_v<T, bool>) {
    return v != S{0};
  } else if constexpr (std::is_integral_v<T> && std::is_floating_point_v<S>) {
    // Through int64 so a value outside T's range wraps instead of being undefined.
    return static_cast<T>(static_cast<std::int64_t>(v));
  } else {
    return static_cast<T>(v);
  }
}

// As dispatch_dtype for ops that only make sense on floating point; `op` names the caller.
template <typename Fn>
decltype(auto) dispatch_floating(const ScalarType t, const char* op, Fn&& fn) {
  switch (t) {
    case ScalarType::Float32: return fn.template operator()<float>();
    case ScalarType::Float64: return fn.template operator()<double>();
    default: break;
  }
  throw std::invalid_argument(std::string(op) + ": needs a floating-point tensor (float32 or float64), got " +
                              dtype_name(t));
}

}  // namespace atrous
