// Optimizers (namespace atrous::optim) with PyTorch's update formulas, applied in place under
// NoGradGuard. Parameters without a gradient are skipped, as in PyTorch.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "tensor/io/safetensors.h"
#include "tensor/tensor.h"

namespace atrous::optim {

class Optimizer {
 public:
  explicit Optimizer(std::vector<Tensor> params, double lr);
  virtual ~Optimizer() = default;
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  virtual void step() = 0;
  // Zeroes every parameter's gradient (PyTorch 1.13's default set_to_none=False).
  void zero_grad();

  double lr() const noexcept { return lr_; }
  void set_lr(double lr);
  const std::vector<Tensor>& parameters() const noexcept { return params_; }

  // The optimizer's state for checkpoints: "lr" and each subclass's per-parameter buffers named
  // "<buffer>.<parameter index>". load_state_dict replaces the whole state and refuses names it
  // does not know, shapes that do not fit the parameters, and a dtype other than the parameter's.
  NamedTensors state_dict();
  void load_state_dict(const NamedTensors& state);

 protected:
  // The per-parameter buffers by name (one slot per parameter, undefined until its first step).
  virtual std::vector<std::pair<std::string, std::vector<Tensor>*>> buffers() { return {}; }

  std::vector<Tensor> params_;
  double lr_;
};

class SGDOptions {
 public:
  explicit SGDOptions(const double learning_rate) : lr_(learning_rate) {}
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
  SGD(std::vector<Tensor> params, const SGDOptions& options);
  void step() override;

 protected:
  std::vector<std::pair<std::string, std::vector<Tensor>*>> buffers() override {
    return {{"momentum_buffer", &momentum_buffers_}};
  }

 private:
  SGDOptions options_;
  std::vector<Tensor> momentum_buffers_;
};

class AdamOptions {
 public:
  explicit AdamOptions(const double learning_rate = 1e-3, const double weight_decay = 0.0)
      : lr_(learning_rate), weight_decay_(weight_decay) {}
  AdamOptions& betas(const double b1, const double b2) { return beta1_ = b1, beta2_ = b2, *this; }
  AdamOptions& eps(const double v) { return eps_ = v, *this; }
  AdamOptions& weight_decay(const double v) { return weight_decay_ = v, *this; }
  double lr() const noexcept { return lr_; }
  double beta1() const noexcept { return beta1_; }
  double beta2() const noexcept { return beta2_; }
  double eps() const noexcept { return eps_; }
  double weight_decay() const noexcept { return weight_decay_; }

 private:
  double lr_, weight_decay_, beta1_ = 0.9, beta2_ = 0.999, eps_ = 1e-8;
};

// Adam; with decoupled = true it is AdamW (weight decay applied to the parameter, not the grad).
class Adam : public Optimizer {
 public:
  Adam(std::vector<Tensor> params, const AdamOptions& options);
  void step() override;

 protected:
  Adam(std::vector<Tensor> params, const AdamOptions& options, bool decoupled);
  std::vector<std::pair<std::string, std::vector<Tensor>*>> buffers() override {
    return {{"exp_avg", &exp_avg_}, {"exp_avg_sq", &exp_avg_sq_}, {"step", &steps_}};
  }

 private:
  AdamOptions options_;
  bool decoupled_;
  // steps_[i] is a float64 scalar, as PyTorch keeps `step` as a tensor.
  std::vector<Tensor> exp_avg_, exp_avg_sq_, steps_;
};

// AdamW's defaults differ from Adam's only in weight_decay = 1e-2.
class AdamWOptions : public AdamOptions {
 public:
  explicit AdamWOptions(const double learning_rate = 1e-3) : AdamOptions(learning_rate, 1e-2) {}
};

class AdamW : public Adam {
 public:
  AdamW(std::vector<Tensor> params, const AdamWOptions& options) : Adam(std::move(params), options, true) {}
};

// Learning-rate schedules: call step() once per epoch, after the optimizer's steps.
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
  double base_lr_, eta_min_;
};

}  // namespace atrous::optim
