// SPDX-License-Identifier: Apache-2.0
// TensorOptions: what a factory is asked for, as libtorch spells it:
// `zeros({2, 3}, atrous::dtype(atrous::kDouble).requires_grad(true))`. A bare ScalarType or
// Device converts to one. Unset fields take the factory's default (float32 for most).
#pragma once

#include <optional>

#include "atrous/tensor/device.h"
#include "atrous/tensor/dtype.h"

namespace atrous {

class TensorOptions {
 public:
  TensorOptions() = default;
  TensorOptions(const ScalarType dtype) : dtype_(dtype) {}     // NOLINT(google-explicit-constructor)
  TensorOptions(const Device& device) : device_(device) {}     // NOLINT(google-explicit-constructor)
  TensorOptions(const DeviceType device) : device_(device) {}  // NOLINT(google-explicit-constructor)

  TensorOptions dtype(const ScalarType v) const { return TensorOptions(*this).set_dtype(v); }
  TensorOptions requires_grad(const bool v) const {
    TensorOptions out(*this);
    out.requires_grad_ = v;
    return out;
  }
  TensorOptions device(const Device& v) const {
    TensorOptions out(*this);
    out.device_ = v;
    return out;
  }

  bool has_dtype() const noexcept { return dtype_.has_value(); }
  ScalarType dtype() const noexcept { return dtype_.value_or(kFloat32); }
  std::optional<ScalarType> dtype_opt() const noexcept { return dtype_; }
  bool requires_grad() const noexcept { return requires_grad_; }
  Device device() const noexcept { return device_; }

 private:
  TensorOptions& set_dtype(const ScalarType v) { return dtype_ = v, *this; }

  std::optional<ScalarType> dtype_;
  Device device_{kCPU};
  bool requires_grad_ = false;
};

inline TensorOptions dtype(const ScalarType v) { return TensorOptions().dtype(v); }
inline TensorOptions requires_grad(const bool v = true) { return TensorOptions().requires_grad(v); }
inline TensorOptions device(const Device& v) { return TensorOptions().device(v); }

}  // namespace atrous
