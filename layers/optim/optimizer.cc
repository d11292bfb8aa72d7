// SPDX-License-Identifier: Apache-2.0
#include "atrous/layers/optim/optimizer.h"

#include <cmath>
#include <numbers>

#include "atrous/autograd/grad_mode.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/profile.h"

namespace atrous::optim {

OptimizerOptions& OptimizerParamGroup::options() {
  check_state(options_ != nullptr, "OptimizerParamGroup", "this group has no options; add it to an optimizer first");
  return *options_;
}

const OptimizerOptions& OptimizerParamGroup::options() const {
  check_state(options_ != nullptr, "OptimizerParamGroup", "this group has no options; add it to an optimizer first");
  return *options_;
}

Optimizer::Optimizer(std::vector<OptimizerParamGroup> groups, std::unique_ptr<OptimizerOptions> defaults)
    : defaults_(std::move(defaults)) {
  check_arg(defaults_->get_lr() >= 0.0, "optimizer", "Invalid learning rate: ", defaults_->get_lr());
  for (const OptimizerParamGroup& group : groups) add_param_group(group);
}

void Optimizer::check_group(const OptimizerParamGroup& group) const {
  const std::vector<Tensor> existing = parameters();
  for (std::size_t i = 0; i < group.params().size(); ++i) {
    const Tensor& p = group.params()[i];
    check_arg(p.defined(), "optimizer", "parameter ", i, " of the group is undefined");
    check_arg(is_floating(p.dtype()), "optimizer", "parameter ", i, " of the group has dtype ", dtype_name(p.dtype()),
              "; only floating-point tensors can be optimized");
    for (const Tensor& q : existing) {
      check_arg(!q.is_same(p), "add_param_group", "some parameters appear in more than one parameter group");
    }
  }
  if (group.has_options()) {
    check_arg(group.options().get_lr() >= 0.0, "optimizer", "Invalid learning rate: ", group.options().get_lr());
  }
}

void Optimizer::add_param_group(const OptimizerParamGroup& group) {
  check_group(group);
  OptimizerParamGroup added(group.params(), group.has_options() ? group.options().clone() : defaults_->clone());
  groups_.push_back(std::move(added));
  ensure_slots();
}

void Optimizer::ensure_slots() {
  for (auto& [name, slots] : buffers()) slots->resize(size());
}

std::vector<Tensor> Optimizer::parameters() const {
  std::vector<Tensor> out;
  for (const OptimizerParamGroup& group : groups_) out.insert(out.end(), group.params().begin(), group.params().end());
  return out;
}

std::size_t Optimizer::size() const noexcept {
  std::size_t n = 0;
  for (const OptimizerParamGroup& group : groups_) n += group.params().size();
  return n;
}

void Optimizer::zero_grad() {
  const profile::Scope scope("Optimizer.zero_grad");
  for (OptimizerParamGroup& group : groups_) {
    for (Tensor& p : group.params()) p.zero_grad();
  }
}

double Optimizer::lr() const { return groups_.empty() ? defaults_->get_lr() : groups_.front().options().get_lr(); }

void Optimizer::set_lr(const double lr) {
  check_arg(lr >= 0.0, "optimizer", "Invalid learning rate: ", lr);
  for (OptimizerParamGroup& group : groups_) group.options().set_lr(lr);
}

NamedTensors Optimizer::state_dict() {
  ensure_slots();
  std::vector<double> lrs;
  for (const OptimizerParamGroup& group : groups_) lrs.push_back(group.options().get_lr());
  NamedTensors state{{"lr", from_vector(lrs)}};
  for (const auto& [name, slots] : buffers()) {
    for (std::size_t i = 0; i < slots->size(); ++i) {
      if ((*slots)[i].defined()) state.emplace_back(str_cat(name, ".", i), (*slots)[i].clone());
    }
  }
  return state;
}

void Optimizer::load_state_dict(const NamedTensors& state) {
  ensure_slots();
  auto named = buffers();
  const std::vector<Tensor> params = parameters();
  std::vector<std::vector<Tensor>> loaded(named.size(), std::vector<Tensor>(params.size()));
  Tensor lrs;
  for (const auto& [key, t] : state) {
    if (key == "lr") {
      check_arg(t.numel() == static_cast<std::int64_t>(groups_.size()) && is_floating(t.dtype()), "load_state_dict",
                "'lr' must hold one number per parameter group (", groups_.size(), "), got ", dtype_name(t.dtype()),
                shape_str(t.sizes()));
      lrs = t.to(kFloat64).reshape({-1});
      continue;
    }
    const std::size_t dot = key.rfind('.');
    std::size_t b = 0;
    while (b < named.size() && (dot == std::string::npos || named[b].first != key.substr(0, dot))) ++b;
    check_arg(b < named.size(), "load_state_dict", "unexpected entry '", key, "' for this optimizer");
    const std::string index = key.substr(dot + 1);
    check_arg(!index.empty() && index.size() < 10 && index.find_first_not_of("0123456789") == std::string::npos,
              "load_state_dict", "entry '", key, "' does not end in a parameter index");
    const std::size_t i = std::stoul(index);
    check_arg(i < params.size(), "load_state_dict", "entry '", key, "' names parameter ", i, " but the optimizer has ",
              params.size());
    const bool scalar = named[b].first == "step";
    const Shape want = scalar ? Shape{} : params[i].sizes();
    const ScalarType dtype = scalar ? kFloat64 : params[i].dtype();
    check_arg(t.sizes() == want && t.dtype() == dtype, "load_state_dict", "entry '", key, "' is ",
              dtype_name(t.dtype()), shape_str(t.sizes()), " but parameter ", i, " needs ", dtype_name(dtype),
              shape_str(want));
    loaded[b][i] = t.clone();
  }
  check_arg(lrs.defined(), "load_state_dict", "the state has no 'lr' entry");
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const double lr = value_at(lrs, static_cast<std::int64_t>(g));
    check_arg(lr >= 0.0, "load_state_dict", "learning rate ", lr, " of group ", g, " is invalid");
  }
  for (std::size_t g = 0; g < groups_.size(); ++g)
    groups_[g].options().set_lr(value_at(lrs, static_cast<std::int64_t>(g)));
  for (std::size_t b = 0; b < named.size(); ++b) *named[b].second = std::move(loaded[b]);
}

namespace {

void check_sgd(const SGDOptions& o) {
  check_arg(o.momentum() >= 0.0, "SGD", "Invalid momentum value: ", o.momentum());
  check_arg(o.weight_decay() >= 0.0, "SGD", "Invalid weight_decay value: ", o.weight_decay());
  check_arg(!o.nesterov() || (o.momentum() > 0 && o.dampening() == 0), "SGD",
            "Nesterov momentum requires a momentum and zero dampening, got momentum=", o.momentum(),
            ", dampening=", o.dampening());
}

template <typename Options>
void check_adam(const Options& o) {
  const auto [b1, b2] = o.betas();
  check_arg(o.eps() >= 0.0, "Adam", "Invalid epsilon value: ", o.eps());
  check_arg(b1 >= 0.0 && b1 < 1.0, "Adam", "Invalid beta parameter at index 0: ", b1);
  check_arg(b2 >= 0.0 && b2 < 1.0, "Adam", "Invalid beta parameter at index 1: ", b2);
  check_arg(o.weight_decay() >= 0.0, "Adam", "Invalid weight_decay value: ", o.weight_decay());
}

}  // namespace

SGD::SGD(std::vector<OptimizerParamGroup> groups, const SGDOptions& defaults)
    : Optimizer({}, std::make_unique<SGDOptions>(defaults)) {
  check_sgd(defaults);
  for (const OptimizerParamGroup& group : groups) add_param_group(group);
  for (const OptimizerParamGroup& group : param_groups()) check_sgd(static_cast<const SGDOptions&>(group.options()));
}

SGD::SGD(std::vector<Tensor> params, const SGDOptions& defaults)
    : SGD(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, defaults) {}

void SGD::step() {
  const profile::Scope scope("SGD.step");
  const NoGradGuard no_grad;
  for_each_parameter<SGDOptions>([&](Tensor& p, const SGDOptions& o, const std::size_t i) {
    if (!p.grad().defined()) return;
    Tensor d = p.grad();
    if (o.weight_decay() != 0) d = d + p * o.weight_decay();
    if (o.momentum() != 0) {
      Tensor& buf = momentum_buffers_[i];
      if (!buf.defined()) {
        buf = d.clone();
      } else {
        buf.mul_(o.momentum());
        buf.add_(d, 1.0 - o.dampening());
      }
      d = o.nesterov() ? d + buf * o.momentum() : buf;
    }
    p.add_(d, -o.lr());
  });
}

namespace detail {

template <typename Options, bool Decoupled>
AdamFamily<Options, Decoupled>::AdamFamily(std::vector<OptimizerParamGroup> groups, const Options& defaults)
    : Optimizer({}, std::make_unique<Options>(defaults)) {
  check_adam(defaults);
  for (const OptimizerParamGroup& group : groups) add_param_group(group);
  for (const OptimizerParamGroup& group : param_groups()) check_adam(static_cast<const Options&>(group.options()));
}

template <typename Options, bool Decoupled>
void AdamFamily<Options, Decoupled>::step() {
  const profile::Scope scope(Decoupled ? "AdamW.step" : "Adam.step");
  const NoGradGuard no_grad;
  this->template for_each_parameter<Options>([&](Tensor& p, const Options& o, const std::size_t i) {
    if (!p.grad().defined()) return;
    const auto [b1, b2] = o.betas();
    const double lr = o.lr();
    Tensor g = p.grad();
    if (!exp_avg_[i].defined()) {
      exp_avg_[i] = zeros_like(p);
      exp_avg_sq_[i] = zeros_like(p);
      if (o.amsgrad()) max_exp_avg_sq_[i] = zeros_like(p);
      steps_[i] = zeros({}, kFloat64);
    }
    const double t = steps_[i].template item<double>() + 1;
    steps_[i].fill_(t);
    if (Decoupled) {
      p.mul_(1.0 - lr * o.weight_decay());
    } else if (o.weight_decay() != 0) {
      g = g + p * o.weight_decay();
    }
    exp_avg_[i].mul_(b1);
    exp_avg_[i].add_(g, 1.0 - b1);
    exp_avg_sq_[i].mul_(b2);
    exp_avg_sq_[i].add_(g * g, 1.0 - b2);
    const double bias1 = 1.0 - std::pow(b1, t), bias2 = 1.0 - std::pow(b2, t);
    Tensor second = exp_avg_sq_[i];
    if (o.amsgrad()) {
      if (!max_exp_avg_sq_[i].defined()) max_exp_avg_sq_[i] = zeros_like(p);
      max_exp_avg_sq_[i].copy_(maximum(max_exp_avg_sq_[i], exp_avg_sq_[i]));
      second = max_exp_avg_sq_[i];
    }
    const Tensor denom = second.sqrt() / std::sqrt(bias2) + o.eps();
    p.add_(exp_avg_[i] / denom, -lr / bias1);
  });
}

template class AdamFamily<AdamOptions, false>;
template class AdamFamily<AdamWOptions, true>;

}  // namespace detail

StepLR::StepLR(Optimizer& optimizer, const std::int64_t step_size, const double gamma)
    : optimizer_(optimizer), step_size_(step_size), gamma_(gamma) {
  check_arg(step_size > 0, "StepLR", "step_size must be positive, got ", step_size);
}

void StepLR::step() {
  ++epoch_;
  if (epoch_ % step_size_ != 0) return;
  for (OptimizerParamGroup& group : optimizer_.param_groups())
    group.options().set_lr(group.options().get_lr() * gamma_);
}

CosineAnnealingLR::CosineAnnealingLR(Optimizer& optimizer, const std::int64_t T_max, const double eta_min)
    : optimizer_(optimizer), T_max_(T_max), eta_min_(eta_min) {
  check_arg(T_max > 0, "CosineAnnealingLR", "T_max must be positive, got ", T_max);
  for (const OptimizerParamGroup& group : optimizer.param_groups()) base_lrs_.push_back(group.options().get_lr());
}

void CosineAnnealingLR::step() {
  ++epoch_;
  // The closed form; PyTorch's recursive form gives the same values up to rounding.
  const double cos = std::cos(std::numbers::pi * static_cast<double>(epoch_) / static_cast<double>(T_max_));
  auto& groups = optimizer_.param_groups();
  for (std::size_t g = 0; g < groups.size() && g < base_lrs_.size(); ++g) {
    groups[g].options().set_lr(eta_min_ + (base_lrs_[g] - eta_min_) * (1.0 + cos) / 2.0);
  }
}

}  // namespace atrous::optim
