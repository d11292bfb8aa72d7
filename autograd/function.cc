// SPDX-License-Identifier: Apache-2.0
#include "atrous/autograd/function.h"

namespace atrous::autograd {

const std::string& IValue::toStringRef() const {
  const auto* s = std::get_if<std::string>(&value_);
  check_arg(s != nullptr, "IValue::toStringRef", "the saved value is not a string");
  return *s;
}

const Tensor& IValue::toTensor() const {
  const auto* t = std::get_if<Tensor>(&value_);
  check_arg(t != nullptr, "IValue::toTensor", "the saved value is not a tensor");
  return *t;
}

Scalar IValue::scalar(const char* op) const {
  const auto* s = std::get_if<Scalar>(&value_);
  check_arg(s != nullptr, op, "the saved value is not a number",
            isNone() ? " (nothing was saved under this name)" : "");
  return *s;
}

void AutogradContext::save_for_backward(const variable_list& tensors) {
  saved_.clear();
  saved_defined_.clear();
  for (const Tensor& t : tensors) {
    saved_.push_back(t.defined() ? SavedTensor(t) : SavedTensor());
    saved_defined_.push_back(t.defined());
  }
}

variable_list AutogradContext::get_saved_variables() const {
  variable_list out;
  for (std::size_t i = 0; i < saved_.size(); ++i) out.push_back(saved_defined_[i] ? saved_[i].unpack() : Tensor());
  return out;
}

void AutogradContext::mark_non_differentiable(const variable_list& outputs) {
  non_differentiable_.insert(non_differentiable_.end(), outputs.begin(), outputs.end());
}

bool AutogradContext::is_non_differentiable(const Tensor& output) const {
  for (const Tensor& t : non_differentiable_) {
    if (t.is_same(output)) return true;
  }
  return false;
}

namespace detail {

std::string function_node_name(const std::type_info& type) { return "CppNode<" + demangled_name(type) + ">"; }

Tensor record_custom(std::string name, std::shared_ptr<AutogradContext> ctx, const std::vector<Tensor>& inputs,
                     const std::vector<std::size_t>& tensor_positions, const std::size_t arguments, Tensor output,
                     std::function<variable_list(AutogradContext*, variable_list)> backward) {
  if (ctx->is_non_differentiable(output)) return output;
  // The output is a new tensor as far as the graph is concerned, even when forward returned an
  // input or a view of one.
  Tensor result = output.detach();
  return record(
      name, inputs, result, [ctx, tensor_positions, arguments, name, backward = std::move(backward)](const Tensor& g) {
        variable_list grads = backward(ctx.get(), {g});
        check_state(grads.size() == arguments, "backward", "function ", name,
                    " returned an incorrect number of gradients (expected ", arguments, ", got ", grads.size(), ")");
        std::vector<Tensor> per_input;
        for (const std::size_t p : tensor_positions) per_input.push_back(grads[p]);
        return per_input;
      });
}

}  // namespace detail
}  // namespace atrous::autograd
