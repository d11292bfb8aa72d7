#include "tensor/tensor.h"

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
  return dispatch_dtype(dtype(), [&]<typename S>() { return static_cast<T>(*static_cast<S*>(raw_data())); });
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
  return dispatch_dtype(t.dtype(),
                        [&]<typename S>() { return static_cast<double>(static_cast<const S*>(t.raw_data())[offset]); });
}

template float* Tensor::data_ptr<float>() const;
template double* Tensor::data_ptr<double>() const;
template std::int64_t* Tensor::data_ptr<std::int64_t>() const;
template float Tensor::item<float>() const;
template double Tensor::item<double>() const;
template std::int64_t Tensor::item<std::int64_t>() const;
template int Tensor::item<int>() const;

}  // namespace atrous
