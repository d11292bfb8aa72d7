// SPDX-License-Identifier: Apache-2.0
// Tensor::index and index_put_: each index becomes a view op (select, slice, unsqueeze), so the
// result is a view with the views' gradients, and index_put_ writes through it with copy_.
#include <limits>
#include <sstream>
#include <vector>

#include "atrous/tensor/factory.h"
#include "atrous/tensor/indexing.h"

namespace atrous {
namespace indexing {

TensorIndex::TensorIndex(const char* text) : kind_(Kind::OtherDims) {
  check_arg(text != nullptr && std::string(text) == "...", "index",
            "the only string index is \"...\" (Ellipsis), got \"", text == nullptr ? "(null)" : text, "\"");
}

std::string TensorIndex::str() const {
  const auto part = [](const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : std::string("None"); };
  switch (kind_) {
    case Kind::Integer: return std::to_string(integer_);
    case Kind::Slice: return part(slice_.start()) + ":" + part(slice_.stop()) + ":" + part(slice_.step());
    case Kind::NewAxis: return "None";
    case Kind::OtherDims: return "...";
  }
  return "?";
}

}  // namespace indexing

namespace {

using indexing::TensorIndex;

std::string describe(const std::vector<TensorIndex>& indices) {
  std::string out = "{";
  for (std::size_t i = 0; i < indices.size(); ++i) out += (i ? ", " : "") + indices[i].str();
  return out + "}";
}

}  // namespace

Tensor Tensor::index(const std::vector<TensorIndex>& indices) const {
  std::int64_t consumed = 0, ellipses = 0;
  for (const TensorIndex& i : indices) {
    consumed += i.kind() == TensorIndex::Kind::Integer || i.kind() == TensorIndex::Kind::Slice;
    ellipses += i.kind() == TensorIndex::Kind::OtherDims;
  }
  check_arg(ellipses <= 1, "index", "an index can only have a single ellipsis ('...'), got ", describe(indices));
  check_arg(consumed <= dim(), "index", "too many indices for tensor of dimension ", dim(), ": ", describe(indices),
            " indexes ", consumed, " dimensions of shape ", shape_str(sizes()));
  Tensor out = *this;
  std::int64_t d = 0;  // the dimension of `out` the next index applies to
  for (const TensorIndex& i : indices) {
    switch (i.kind()) {
      case TensorIndex::Kind::Integer: {
        const std::int64_t n = out.size(d), k = i.integer();
        check_arg(k >= -n && k < n, "index", "index ", k, " is out of bounds for dimension ", d, " with size ", n,
                  " (indices ", describe(indices), ", shape ", shape_str(sizes()), ")");
        out = out.select(d, k);
        break;
      }
      case TensorIndex::Kind::Slice: {
        const auto& s = i.slice();
        const std::int64_t step = s.step().value_or(1);
        check_arg(step > 0, "index", "slice step must be positive, got ", step, " in ", describe(indices));
        out = out.slice(d, s.start().value_or(0), s.stop().value_or(std::numeric_limits<std::int64_t>::max()), step);
        ++d;
        break;
      }
      case TensorIndex::Kind::NewAxis: out = out.unsqueeze(d), ++d; break;
      case TensorIndex::Kind::OtherDims: d += dim() - consumed; break;
    }
  }
  return out;
}

Tensor Tensor::index(const std::initializer_list<TensorIndex> indices) const {
  return index(std::vector<TensorIndex>(indices));
}

const Tensor& Tensor::index_put_(const std::vector<TensorIndex>& indices, const Tensor& value) const {
  Tensor view = index(indices);
  check_arg(broadcast_shapes(view.sizes(), value.sizes(), "index_put_") == view.sizes(), "index_put_",
            "value of shape ", shape_str(value.sizes()), " cannot be broadcast to the indexed shape ",
            shape_str(view.sizes()));
  view.copy_(value);
  return *this;
}

const Tensor& Tensor::index_put_(const std::vector<TensorIndex>& indices, const Scalar& value) const {
  return index_put_(indices, full({}, value, dtype()));
}

const Tensor& Tensor::index_put_(const std::initializer_list<TensorIndex> indices, const Tensor& value) const {
  return index_put_(std::vector<TensorIndex>(indices), value);
}

const Tensor& Tensor::index_put_(const std::initializer_list<TensorIndex> indices, const Scalar& value) const {
  return index_put_(std::vector<TensorIndex>(indices), value);
}

}  // namespace atrous
