// SPDX-License-Identifier: Apache-2.0
// Custom differentiable functions, as libtorch's torch::autograd::Function:
//
//   struct MulConstant : atrous::autograd::Function<MulConstant> {
//     static Tensor forward(AutogradContext* ctx, Tensor x, double c) {
//       ctx->saved_data["c"] = c;
//       return x * c;
//     }
//     static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
//       return {grad_outputs[0] * ctx->saved_data["c"].toDouble(), Tensor()};
//     }
//   };
//   Tensor y = MulConstant::apply(x, 5.0);
//
// forward runs without recording a graph; backward returns one gradient per forward argument
// (undefined for arguments that are not tensors or need none). forward returns one tensor.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <variant>
#include <vector>

#include "atrous/autograd/grad_mode.h"
#include "atrous/autograd/node.h"

namespace atrous::autograd {

using variable_list = std::vector<Tensor>;
using tensor_list = std::vector<Tensor>;

// A value kept in ctx->saved_data: a number, a bool, a string or a tensor, read back with
// toDouble(), toInt(), toBool(), toStringRef() or toTensor() (libtorch's IValue, narrowed).
class IValue {
 public:
  IValue() = default;
  template <typename T>
  requires(std::is_arithmetic_v<T>) IValue(const T v) : value_(v) {}  // NOLINT(google-explicit-constructor)
  IValue(Tensor t) : value_(std::move(t)) {}                          // NOLINT(google-explicit-constructor)
  IValue(std::string s) : value_(std::move(s)) {}                     // NOLINT(google-explicit-constructor)
  IValue(const char* s) : value_(std::string(s)) {}                   // NOLINT(google-explicit-constructor)

  bool isNone() const noexcept { return std::holds_alternative<std::monostate>(value_); }
  bool isTensor() const noexcept { return std::holds_alternative<Tensor>(value_); }
  double toDouble() const { return scalar("toDouble").toDouble(); }
  std::int64_t toInt() const { return scalar("toInt").toLong(); }
  bool toBool() const { return scalar("toBool").toBool(); }
  Scalar toScalar() const { return scalar("toScalar"); }
  const std::string& toStringRef() const;
  const Tensor& toTensor() const;

 private:
  Scalar scalar(const char* op) const;
  std::variant<std::monostate, Scalar, std::string, Tensor> value_;
};

class AutogradContext {
 public:
  // Tensors for backward, checked against in-place changes when read back.
  void save_for_backward(const variable_list& tensors);
  variable_list get_saved_variables() const;
  // Outputs that get no gradient (an index, a mask).
  void mark_non_differentiable(const variable_list& outputs);
  bool is_non_differentiable(const Tensor& output) const;
  // Arbitrary values for backward, by name.
  std::map<std::string, IValue> saved_data;

 private:
  std::vector<SavedTensor> saved_;
  std::vector<bool> saved_defined_;
  variable_list non_differentiable_;
};

namespace detail {
std::string function_node_name(const std::type_info& type);
// Records the graph node of a custom function and returns its output.
Tensor record_custom(std::string name, std::shared_ptr<AutogradContext> ctx, const std::vector<Tensor>& inputs,
                     const std::vector<std::size_t>& tensor_positions, std::size_t arguments, Tensor output,
                     std::function<variable_list(AutogradContext*, variable_list)> backward);

template <typename A>
constexpr bool is_tensor_v = std::is_same_v<std::remove_cvref_t<A>, Tensor>;
}  // namespace detail

template <typename T>
struct Function {
  template <typename... Args>
  static Tensor apply(Args&&... args) {
    auto ctx = std::make_shared<AutogradContext>();
    std::vector<Tensor> inputs;
    std::vector<std::size_t> positions;
    std::size_t index = 0;
    (
        [&](const auto& a) {
          if constexpr (detail::is_tensor_v<decltype(a)>) {
            inputs.push_back(a);
            positions.push_back(index);
          }
          ++index;
        }(args),
        ...);
    Tensor output;
    {
      const NoGradGuard no_grad;
      output = T::forward(ctx.get(), std::forward<Args>(args)...);
    }
    static_assert(std::is_same_v<decltype(T::forward(ctx.get(), std::forward<Args>(args)...)), Tensor>,
                  "atrous::autograd::Function: forward must return one Tensor");
    return detail::record_custom(detail::function_node_name(typeid(T)), ctx, inputs, positions, sizeof...(Args),
                                 std::move(output),
                                 [](AutogradContext* c, variable_list g) { return T::backward(c, std::move(g)); });
  }
};

}  // namespace atrous::autograd
