#include "layers/optim/optimizer.h"

#include <cmath>
#include <numbers>

#include "autograd/grad_mode.h"
#include "tensor/factory.h"

namespace atrous::optim {

Optimizer::Optimizer(std::vector<Tensor> params, const double lr) : params_(std::move(params)), lr_(lr) {
  check_arg(lr >= 0.0, "optimizer", "Invalid learning rate: ", lr);
  for (std::size_t i = 0; i < params_.size(); ++i) {
    check_arg(params_[i].defined(), "optimizer", "parameter ", i, " is undefined");
    check_arg(is_floating(params_[i].dtype()), "optimizer", "parameter ", i, " has dtype ",
              dtype_name(params_[i].dtype()), "; only floating-point tensors can be optimized");
  }
}

void Optimizer::zero_grad() {
  for (Tensor& p : params_) p.zero_grad();
}

void Optimizer::set_lr(const double lr) {
  check_arg(lr >= 0.0, "optimizer", "Invalid learning rate: ", lr);
  lr_ = lr;
}

NamedTensors Optimizer::state_dict() {
  NamedTensors state{{"lr", full({}, lr_, kFloat64)}};
  for (const auto& [name, slots] : buffers()) {
    for (std::size_t i = 0; i < slots->size(); ++i) {
      if ((*slots)[i].defined()) state.emplace_back(str_cat(name, ".", i), (*slots)[i].clone());
    }
  }
  return state;
}

void Optimizer::load_state_dict(const NamedTensors& state) {
  auto named = buffers();
  std::vector<std::vector<Tensor>> loaded(named.size(), std::vector<Tensor>(params_.size()));
  double lr = -1;
  for (const auto& [key, t] : state) {
    if (key == "lr") {
      check_arg(t.numel() == 1, "load_state_dict", "'lr' must hold one number, got shape ", shape_str(t.sizes()));
      lr = t.to(kFloat64).item<double>();
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
    check_arg(i < params_.size(), "load_state_dict", "entry '", key, "' names parameter ", i, " but the optimizer has ",
              params_.size());
    const bool scalar = named[b].first == "step";
    const Shape want = scalar ? Shape{} : params_[i].sizes();
    const ScalarType dtype = scalar ? kFloat64 : params_[i].dtype();
    check_arg(t.sizes() == want && t.dtype() == dtype, "load_state_dict", "entry '", key, "' is ",
              dtype_name(t.dtype()), shape_str(t.sizes()), " but parameter ", i, " needs ", dtype_name(dtype),
              shape_str(want));
    loaded[b][i] = t.clone();
  }
  check_arg(lr >= 0, "load_state_dict", "the state has no valid 'lr' entry");
  lr_ = lr;
  for (std::size_t b = 0; b < named.size(); ++b) *named[b].second = std::move(loaded[b]);
}

SGD::SGD(std::vector<Tensor> params, const SGDOptions& options)
    : Optimizer(std::move(params), options.lr()), options_(options), momentum_buffers_(params_.size()) {
  check_arg(options.momentum() >= 0.0, "SGD", "Invalid momentum value: ", options.momentum());
  check_arg(options.weight_decay() >= 0.0, "SGD", "Invalid weight_decay value: ", options.weight_decay());
  check_arg(!options.nesterov() || (options.momentum() > 0 && options.dampening() == 0), "SGD",
            "Nesterov momentum requires a momentum and zero dampening, got momentum=", options.momentum(),
            ", dampening=", options.dampening());
}

void SGD::step() {
  const NoGradGuard no_grad;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    Tensor& p = params_[i];
    if (!p.grad().defined()) continue;
    Tensor d = p.grad();
    if (options_.weight_decay() != 0) d = d + p * options_.weight_decay();
    if (options_.momentum() != 0) {
      Tensor& buf = momentum_buffers_[i];
      if (!buf.defined()) {
        buf = d.clone();
      } else {
        buf.mul_(options_.momentum());
        buf.add_(d, 1.0 - options_.dampening());
      }
      d = options_.nesterov() ? d + buf * options_.momentum() : buf;
    }
    p.add_(d, -lr_);
  }
}

Adam::Adam(std::vector<Tensor> params, const AdamOptions& options) : Adam(std::move(params), options, false) {}

Adam::Adam(std::vector<Tensor> params, const AdamOptions& options, const bool decoupled)
    : Optimizer(std::move(params), options.lr()),
      options_(options),
      decoupled_(decoupled),
      exp_avg_(params_.size()),
      exp_avg_sq_(params_.size()),
      steps_(params_.size()) {
  check_arg(options.eps() >= 0.0, "Adam", "Invalid epsilon value: ", options.eps());
  check_arg(options.beta1() >= 0.0 && options.beta1() < 1.0, "Adam",
            "Invalid beta parameter at index 0: ", options.beta1());
  check_arg(options.beta2() >= 0.0 && options.beta2() < 1.0, "Adam",
            "Invalid beta parameter at index 1: ", options.beta2());
  check_arg(options.weight_decay() >= 0.0, "Adam", "Invalid weight_decay value: ", options.weight_decay());
}

void Adam::step() {
  const NoGradGuard no_grad;
  const double b1 = options_.beta1(), b2 = options_.beta2();
  for (std::size_t i = 0; i < params_.size(); ++i) {
    Tensor& p = params_[i];
    if (!p.grad().defined()) continue;
    Tensor g = p.grad();
    if (!exp_avg_[i].defined()) {
      exp_avg_[i] = zeros_like(p);
      exp_avg_sq_[i] = zeros_like(p);
      steps_[i] = zeros({}, kFloat64);
    }
    const double t = steps_[i].item<double>() + 1;
    steps_[i].fill_(t);
    if (decoupled_) {
      p.mul_(1.0 - lr_ * options_.weight_decay());
    } else if (options_.weight_decay() != 0) {
      g = g + p * options_.weight_decay();
    }
    exp_avg_[i].mul_(b1);
    exp_avg_[i].add_(g, 1.0 - b1);
    exp_avg_sq_[i].mul_(b2);
    exp_avg_sq_[i].add_(g * g, 1.0 - b2);
    const double bias1 = 1.0 - std::pow(b1, t), bias2 = 1.0 - std::pow(b2, t);
    const double step_size = lr_ / bias1;
    const Tensor denom = exp_avg_sq_[i].sqrt() / std::sqrt(bias2) + options_.eps();
    p.add_(exp_avg_[i] / denom, -step_size);
  }
}

StepLR::StepLR(Optimizer& optimizer, const std::int64_t step_size, const double gamma)
    : optimizer_(optimizer), step_size_(step_size), gamma_(gamma) {
  check_arg(step_size > 0, "StepLR", "step_size must be positive, got ", step_size);
}

void StepLR::step() {
  ++epoch_;
  if (epoch_ % step_size_ == 0) optimizer_.set_lr(optimizer_.lr() * gamma_);
}

CosineAnnealingLR::CosineAnnealingLR(Optimizer& optimizer, const std::int64_t T_max, const double eta_min)
    : optimizer_(optimizer), T_max_(T_max), base_lr_(optimizer.lr()), eta_min_(eta_min) {
  check_arg(T_max > 0, "CosineAnnealingLR", "T_max must be positive, got ", T_max);
}

void CosineAnnealingLR::step() {
  ++epoch_;
  // The closed form; PyTorch's recursive form gives the same values up to rounding.
  const double cos = std::cos(std::numbers::pi * static_cast<double>(epoch_) / static_cast<double>(T_max_));
  optimizer_.set_lr(eta_min_ + (base_lr_ - eta_min_) * (1.0 + cos) / 2.0);
}

}  // namespace atrous::optim
