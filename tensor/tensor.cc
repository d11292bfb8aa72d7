// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/tensor.h"

#include <cmath>

#include "atrous/tensor/ops/view.h"

namespace atrous {

TensorImpl& Tensor::impl() const {
  check_state(impl_ != nullptr, "Tensor",
              "this tensor is undefined (default-constructed); "
              "create one with zeros(), from_vector() or another factory first");
  return *impl_;
}

std::int64_t Tensor::size(const std::int64_t d) const { return sizes()[wrap_dim(d, dim(), "size")]; }

std::int64_t Tensor::stride(const std::int64_t d) const { return strides()[wrap_dim(d, dim(), "stride")]; }

std::int64_t Tensor::numel() const {
  // Zero first: an empty tensor's other sizes may multiply past int64 (a non-empty shape was
  // checked when the tensor was made).
  for (const std::int64_t s : sizes()) {
    if (s == 0) return 0;
  }
  std::int64_t n = 1;
  for (const std::int64_t s : sizes()) n *= s;
  return n;
}

void* Tensor::raw_data() const {
  const TensorImpl& i = impl();
  return static_cast<char*>(i.storage->data()) + i.offset * static_cast<std::int64_t>(element_size());
}

template <typename T>
T* Tensor::data_ptr() const {
  check_arg(dtype_of<T>() == dtype(), "data_ptr", "requested ", dtype_name(dtype_of<T>()), " but the tensor holds ",
            dtype_name(dtype()));
  return static_cast<T*>(raw_data());
}

template <typename T>
T Tensor::item() const {
  check_arg(numel() == 1, "item", "only a one-element tensor has an item, got shape ", shape_str(sizes()), " with ",
            numel(), " elements");
  return dispatch_all_dtypes(dtype(), [&]<typename S>() { return convert_value<T>(*static_cast<S*>(raw_data())); });
}

Scalar Tensor::item() const {
  check_arg(numel() == 1, "item", "only a one-element tensor has an item, got shape ", shape_str(sizes()), " with ",
            numel(), " elements");
  return dispatch_all_dtypes(dtype(), [&]<typename S>() { return Scalar(*static_cast<S*>(raw_data())); });
}

bool Tensor::equal(const Tensor& other) const {
  if (sizes() != other.sizes()) return false;
  for (std::int64_t i = 0; i < numel(); ++i) {
    if (value_at(*this, i) != value_at(other, i)) return false;
  }
  return true;
}

bool Tensor::allclose(const Tensor& other, const double rtol, const double atol, const bool equal_nan) const {
  const Shape shape = broadcast_shapes(sizes(), other.sizes(), "allclose");
  const Tensor a = native::expand(*this, shape), b = native::expand(other, shape);
  for (std::int64_t i = 0; i < a.numel(); ++i) {
    const double x = value_at(a, i), y = value_at(b, i);
    if (std::isnan(x) || std::isnan(y)) {
      if (!(equal_nan && std::isnan(x) && std::isnan(y))) return false;
    } else if (x != y && !(std::abs(x - y) <= atol + rtol * std::abs(y))) {
      return false;
    }
  }
  return true;
}

bool equal(const Tensor& a, const Tensor& b) { return a.equal(b); }
bool allclose(const Tensor& a, const Tensor& b, const double rtol, const double atol, const bool equal_nan) {
  return a.allclose(b, rtol, atol, equal_nan);
}

double value_at(const Tensor& t, std::int64_t flat_index) {
  check_arg(flat_index >= 0 && flat_index < t.numel(), "value_at", "index ", flat_index, " is out of range for ",
            t.numel(), " elements");
  std::int64_t offset = 0;
  for (std::int64_t d = t.dim() - 1; d >= 0; --d) {
    const std::int64_t s = t.sizes()[d];
    offset += (flat_index % s) * t.strides()[d];
    flat_index /= s;
  }
  return dispatch_all_dtypes(
      t.dtype(), [&]<typename S>() { return static_cast<double>(static_cast<const S*>(t.raw_data())[offset]); });
}

template float* Tensor::data_ptr<float>() const;
template double* Tensor::data_ptr<double>() const;
template std::int64_t* Tensor::data_ptr<std::int64_t>() const;
template std::int32_t* Tensor::data_ptr<std::int32_t>() const;
template std::uint8_t* Tensor::data_ptr<std::uint8_t>() const;
template bool* Tensor::data_ptr<bool>() const;
template float Tensor::item<float>() const;
template double Tensor::item<double>() const;
template std::int64_t Tensor::item<std::int64_t>() const;
template int Tensor::item<int>() const;
template std::uint8_t Tensor::item<std::uint8_t>() const;
template bool Tensor::item<bool>() const;

}  // namespace atrous
