// SPDX-License-Identifier: Apache-2.0
// Optimizers (namespace atrous::optim) with PyTorch's update formulas, applied in place under
// NoGradGuard, and libtorch's structure: parameter groups, each with its own options, so
//   for (auto& g : opt.param_groups()) static_cast<optim::AdamOptions&>(g.options()).lr(1e-4);
// changes a learning rate as in libtorch. Parameters without a gradient are skipped.
#pragma once

#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "atrous/tensor/io/safetensors.h"
#include "atrous/tensor/tensor.h"

namespace atrous::optim {

// What every optimizer's options have: a learning rate, and a copy of themselves.
class OptimizerOptions {
 public:
  virtual ~OptimizerOptions() = default;
  virtual std::unique_ptr<OptimizerOptions> clone() const = 0;
  virtual double get_lr() const = 0;
  virtual void set_lr(double lr) = 0;
};

template <typename Derived>
class OptimizerCloneableOptions : public OptimizerOptions {
 public:
  std::unique_ptr<OptimizerOptions> clone() const override {
    return std::make_unique<Derived>(static_cast<const Derived&>(*this));
  }
  double get_lr() const override { return static_cast<const Derived&>(*this).lr(); }
  void set_lr(const double lr) override { static_cast<Derived&>(*this).lr(lr); }
};

// Parameters that share options; a group made without options takes the optimizer's defaults.
class OptimizerParamGroup {
 public:
  OptimizerParamGroup(std::vector<Tensor> params) : params_(std::move(params)) {}  // NOLINT: as libtorch
  OptimizerParamGroup(std::vector<Tensor> params, std::unique_ptr<OptimizerOptions> options)
      : params_(std::move(params)), options_(std::move(options)) {}
  OptimizerParamGroup(const OptimizerParamGroup& other)
      : params_(other.params_), options_(other.options_ ? other.options_->clone() : nullptr) {}
  OptimizerParamGroup& operator=(const OptimizerParamGroup& other) {
    params_ = other.params_;
    options_ = other.options_ ? other.options_->clone() : nullptr;
    return *this;
  }
  OptimizerParamGroup(OptimizerParamGroup&&) = default;
  OptimizerParamGroup& operator=(OptimizerParamGroup&&) = default;

  bool has_options() const noexcept { return options_ != nullptr; }
  OptimizerOptions& options();
  const OptimizerOptions& options() const;
  void set_options(std::unique_ptr<OptimizerOptions> options) { options_ = std::move(options); }
  std::vector<Tensor>& params() noexcept { return params_; }
  const std::vector<Tensor>& params() const noexcept { return params_; }

 private:
  std::vector<Tensor> params_;
  std::unique_ptr<OptimizerOptions> options_;
};

class Optimizer {
 public:
  Optimizer(std::vector<OptimizerParamGroup> groups, std::unique_ptr<OptimizerOptions> defaults);
  virtual ~Optimizer() = default;
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  virtual void step() = 0;
  // Zeroes every parameter's gradient (PyTorch 1.13's default set_to_none=False).
  void zero_grad();

  // Adds parameters with their own options (or the defaults); they must not already be here.
  void add_param_group(const OptimizerParamGroup& group);
  std::vector<OptimizerParamGroup>& param_groups() noexcept { return groups_; }
  const std::vector<OptimizerParamGroup>& param_groups() const noexcept { return groups_; }
  const OptimizerOptions& defaults() const noexcept { return *defaults_; }
  // Every parameter, group by group: the order state_dict numbers them in.
  std::vector<Tensor> parameters() const;
  std::size_t size() const noexcept;

  // The first group's learning rate, and setting it in every group (for the schedulers).
  double lr() const;
  void set_lr(double lr);

  // The optimizer's state for checkpoints: "lr.<group>" and each subclass's per-parameter
  // buffers named "<buffer>.<parameter index>". load_state_dict replaces the whole state and
  // refuses names it does not know, shapes that do not fit the parameters, and a dtype other
  // than the parameter's.
  NamedTensors state_dict();
  void load_state_dict(const NamedTensors& state);

 protected:
  // The per-parameter buffers by name (one slot per parameter, undefined until its first step).
  virtual std::vector<std::pair<std::string, std::vector<Tensor>*>> buffers() { return {}; }
  // Calls fn(parameter, its options as Options, flat index) for every parameter.
  template <typename Options, typename Fn>
  void for_each_parameter(Fn&& fn) {
    ensure_slots();
    std::size_t index = 0;
    for (OptimizerParamGroup& group : groups_) {
      const auto& options = static_cast<const Options&>(group.options());
      for (Tensor& p : group.params()) fn(p, options, index++);
    }
  }

 private:
  void check_group(const OptimizerParamGroup& group) const;
  void ensure_slots();

  std::vector<OptimizerParamGroup> groups_;
  std::unique_ptr<OptimizerOptions> defaults_;
};

class SGDOptions : public OptimizerCloneableOptions<SGDOptions> {
 public:
  SGDOptions(const double lr) : lr_(lr) {}  // NOLINT(google-explicit-constructor): SGD(params, 0.01)
  SGDOptions& lr(const double v) { return lr_ = v, *this; }
  SGDOptions& momentum(const double v) { return momentum_ = v, *this; }
  SGDOptions& dampening(const double v) { return dampening_ = v, *this; }
  SGDOptions& weight_decay(const double v) { return weight_decay_ = v, *this; }
  SGDOptions& nesterov(const bool v) { return nesterov_ = v, *this; }
  double lr() const noexcept { return lr_; }
  double momentum() const noexcept { return momentum_; }
  double dampening() const noexcept { return dampening_; }
  double weight_decay() const noexcept { return weight_decay_; }
  bool nesterov() const noexcept { return nesterov_; }

 private:
  double lr_, momentum_ = 0, dampening_ = 0, weight_decay_ = 0;
  bool nesterov_ = false;
};

class SGD : public Optimizer {
 public:
  SGD(std::vector<OptimizerParamGroup> groups, const SGDOptions& defaults);
  SGD(std::vector<Tensor> params, const SGDOptions& defaults);
  void step() override;

 protected:
  std::vector<std::pair<std::string, std::vector<Tensor>*>> buffers() override {
    return {{"momentum_buffer", &momentum_buffers_}};
  }

 private:
  std::vector<Tensor> momentum_buffers_;
};

// Adam's and AdamW's options share their fields; each setter returns the class it is called on.
template <typename Self>
class AdamOptionsBase : public OptimizerCloneableOptions<Self> {
 public:
  AdamOptionsBase(const double lr, const double weight_decay) : lr_(lr), weight_decay_(weight_decay) {}
  Self& lr(const double v) { return lr_ = v, self(); }
  Self& betas(const std::tuple<double, double>& v) { return betas_ = v, self(); }
  Self& eps(const double v) { return eps_ = v, self(); }
  Self& weight_decay(const double v) { return weight_decay_ = v, self(); }
  Self& amsgrad(const bool v) { return amsgrad_ = v, self(); }
  double lr() const noexcept { return lr_; }
  const std::tuple<double, double>& betas() const noexcept { return betas_; }
  double eps() const noexcept { return eps_; }
  double weight_decay() const noexcept { return weight_decay_; }
  bool amsgrad() const noexcept { return amsgrad_; }

 private:
  Self& self() { return static_cast<Self&>(*this); }
  double lr_, weight_decay_;
  std::tuple<double, double> betas_{0.9, 0.999};
  double eps_ = 1e-8;
  bool amsgrad_ = false;
};

class AdamOptions : public AdamOptionsBase<AdamOptions> {
 public:
  AdamOptions(const double lr = 1e-3) : AdamOptionsBase(lr, 0.0) {}  // NOLINT(google-explicit-constructor)
};

// AdamW's defaults differ from Adam's only in weight_decay = 1e-2.
class AdamWOptions : public AdamOptionsBase<AdamWOptions> {
 public:
  AdamWOptions(const double lr = 1e-3) : AdamOptionsBase(lr, 1e-2) {}  // NOLINT(google-explicit-constructor)
};

namespace detail {
// Adam, or AdamW when decoupled (weight decay applied to the parameter, not the gradient).
template <typename Options, bool Decoupled>
class AdamFamily : public Optimizer {
 public:
  AdamFamily(std::vector<OptimizerParamGroup> groups, const Options& defaults);
  AdamFamily(std::vector<Tensor> params, const Options& defaults)
      : AdamFamily(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, defaults) {}
  void step() override;

 protected:
  std::vector<std::pair<std::string, std::vector<Tensor>*>> buffers() override {
    return {
        {"exp_avg", &exp_avg_}, {"exp_avg_sq", &exp_avg_sq_}, {"max_exp_avg_sq", &max_exp_avg_sq_}, {"step", &steps_}};
  }

 private:
  // steps_[i] is a float64 scalar, as PyTorch keeps `step` as a tensor.
  std::vector<Tensor> exp_avg_, exp_avg_sq_, max_exp_avg_sq_, steps_;
};
}  // namespace detail

class Adam : public detail::AdamFamily<AdamOptions, false> {
 public:
  using AdamFamily::AdamFamily;
};

class AdamW : public detail::AdamFamily<AdamWOptions, true> {
 public:
  using AdamFamily::AdamFamily;
};

// Learning-rate schedules: call step() once per epoch, after the optimizer's steps. Each
// group's rate follows the schedule from its own starting value.
class StepLR {
 public:
  StepLR(Optimizer& optimizer, std::int64_t step_size, double gamma = 0.1);
  void step();

 private:
  Optimizer& optimizer_;
  std::int64_t step_size_, epoch_ = 0;
  double gamma_;
};

class CosineAnnealingLR {
 public:
  CosineAnnealingLR(Optimizer& optimizer, std::int64_t T_max, double eta_min = 0.0);
  void step();

 private:
  Optimizer& optimizer_;
  std::int64_t T_max_, epoch_ = 0;
  std::vector<double> base_lrs_;
  double eta_min_;
};

}  // namespace atrous::optim
