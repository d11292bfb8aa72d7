// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/ops/compare.h"

#include <type_traits>

#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/iter.h"
#include "atrous/tensor/ops/view.h"
#include "atrous/tensor/profile.h"

namespace atrous::native {
namespace {

const char* compare_name(const CompareOp op) {
  switch (op) {
    case CompareOp::Eq: return "eq";
    case CompareOp::Ne: return "ne";
    case CompareOp::Lt: return "lt";
    case CompareOp::Le: return "le";
    case CompareOp::Gt: return "gt";
    case CompareOp::Ge: return "ge";
  }
  return "compare";
}

template <typename T>
bool apply(const CompareOp op, const T x, const T y) {
  switch (op) {
    case CompareOp::Eq: return x == y;
    case CompareOp::Ne: return x != y;
    case CompareOp::Lt: return x < y;
    case CompareOp::Le: return x <= y;
    case CompareOp::Gt: return x > y;
    case CompareOp::Ge: return x >= y;
  }
  return false;
}

// Calls fn(i, offsets) for every element of `out` with each operand's element offset; operands
// are broadcast to out's shape.
template <typename Fn>
void for_each_element(const Tensor& out, const std::vector<Tensor>& inputs, Fn&& fn) {
  std::vector<Shape> strides{out.strides()};
  for (const Tensor& in : inputs) strides.push_back(broadcast_strides(in.sizes(), in.strides(), out.sizes()));
  const Walk w = make_walk(out.sizes(), std::move(strides));
  const std::vector<std::int64_t> rs = w.run_strides();
  walk(w, [&](const std::int64_t* off, const std::int64_t n) {
    std::int64_t o[4] = {};
    for (std::int64_t i = 0; i < n; ++i) {
      for (std::size_t k = 0; k < rs.size(); ++k) o[k] = off[k] + i * rs[k];
      fn(o);
    }
  });
}

}  // namespace

Tensor compare(const CompareOp op, const Tensor& a, const Tensor& b) {
  const profile::Scope scope(compare_name(op));
  const char* name = compare_name(op);
  Tensor out = empty(broadcast_shapes(a.sizes(), b.sizes(), name), kBool);
  dispatch_all_dtypes(a.dtype(), [&]<typename A>() {
    dispatch_all_dtypes(b.dtype(), [&]<typename B>() {
      using C = std::conditional_t<std::is_same_v<A, bool> && std::is_same_v<B, bool>, int, std::common_type_t<A, B>>;
      const A* pa = a.data_ptr<A>();
      const B* pb = b.data_ptr<B>();
      bool* po = out.data_ptr<bool>();
      for_each_element(out, {a, b}, [&](const std::int64_t* o) {
        po[o[0]] = apply<C>(op, static_cast<C>(pa[o[1]]), static_cast<C>(pb[o[2]]));
      });
    });
  });
  return out;
}

Tensor logical_not(const Tensor& x) {
  Tensor out = empty(x.sizes(), kBool);
  dispatch_all_dtypes(x.dtype(), [&]<typename T>() {
    const T* px = x.data_ptr<T>();
    bool* po = out.data_ptr<bool>();
    for_each_element(out, {x}, [&](const std::int64_t* o) { po[o[0]] = !convert_value<bool>(px[o[1]]); });
  });
  return out;
}

Tensor all(const Tensor& x) {
  const Tensor c = contiguous(x);
  bool result = true;
  dispatch_all_dtypes(c.dtype(), [&]<typename T>() {
    const T* p = c.data_ptr<T>();
    for (std::int64_t i = 0; i < c.numel() && result; ++i) result = convert_value<bool>(p[i]);
  });
  return full({}, result, kBool);
}

Tensor any(const Tensor& x) {
  const Tensor c = contiguous(x);
  bool result = false;
  dispatch_all_dtypes(c.dtype(), [&]<typename T>() {
    const T* p = c.data_ptr<T>();
    for (std::int64_t i = 0; i < c.numel() && !result; ++i) result = convert_value<bool>(p[i]);
  });
  return full({}, result, kBool);
}

Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) {
  const profile::Scope scope("where");
  check_arg(cond.dtype() == kBool, "where", "the condition must be a bool tensor, got ", dtype_name(cond.dtype()),
            "; compare (x > 0) or convert with .to(kBool)");
  check_arg(a.dtype() == b.dtype(), "where", "both value tensors must have the same dtype, got ", dtype_name(a.dtype()),
            " and ", dtype_name(b.dtype()));
  const Shape shape = broadcast_shapes(cond.sizes(), broadcast_shapes(a.sizes(), b.sizes(), "where"), "where");
  Tensor out = empty(shape, a.dtype());
  dispatch_all_dtypes(a.dtype(), [&]<typename T>() {
    const bool* pc = cond.data_ptr<bool>();
    const T* pa = a.data_ptr<T>();
    const T* pb = b.data_ptr<T>();
    T* po = out.data_ptr<T>();
    for_each_element(out, {cond, a, b}, [&](const std::int64_t* o) { po[o[0]] = pc[o[1]] ? pa[o[2]] : pb[o[3]]; });
  });
  return out;
}

}  // namespace atrous::native
