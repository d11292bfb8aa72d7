// SPDX-License-Identifier: Apache-2.0
// DeepLab's atrous spatial pyramid pooling (Chen et al. 2017, DeepLabv3): parallel 3×3
// convolutions with dilations 6, 12, 18 (and 24 with --with-24), a 1×1 branch and an image-pooling
// branch look at one feature map at several scales; their outputs are concatenated and fused by a
// 1×1 convolution. Padding = dilation keeps every branch at the input's size ('same'), which is
// what lets the branches be concatenated at all.
//
//   aspp                       # (2, 256, 33, 33), DeepLab's output-stride-16 map for 513×513
//   aspp --size 17 --in-channels 32 --channels 16   # a quick run
#include <atrous/atrous.h>
#include <CLI/CLI.hpp>

#include "examples/common/cli_checks.h"

#include <chrono>
#include <cstdio>
#include <iostream>

namespace {

using namespace atrous;

// conv → BatchNorm → ReLU, the unit of every DeepLabv3 branch.
nn::Sequential conv_bn_relu(const std::int64_t in, const std::int64_t out, const std::int64_t kernel,
                            const std::int64_t dilation) {
  return nn::Sequential(
      nn::Conv2d(nn::Conv2dOptions(in, out, kernel).padding(kernel == 1 ? 0 : dilation).dilation(dilation).bias(false)),
      nn::BatchNorm2d(out), nn::ReLU());
}

class ASPPImpl : public nn::Module {
 public:
  ASPPImpl(const std::int64_t in, const std::int64_t out, const std::vector<std::int64_t>& rates)
      : nn::Module("ASPP"), rates_(rates) {
    branches_ = register_module("convs", nn::ModuleList());
    branches_->push_back(conv_bn_relu(in, out, 1, 1));
    for (const std::int64_t r : rates) branches_->push_back(conv_bn_relu(in, out, 3, r));
    pooling_ = register_module(
        "pooling", nn::Sequential(nn::AdaptiveAvgPool2d(nn::AdaptiveAvgPool2dOptions(1)), conv_bn_relu(in, out, 1, 1)));
    const auto branches = static_cast<std::int64_t>(rates.size()) + 2;
    project_ = register_module("project", conv_bn_relu(branches * out, out, 1, 1));
  }

  // Every branch's output; the image-pooling one is broadcast back to the input's size (bilinear
  // upsampling of a 1×1 map, as DeepLab does, is exactly this broadcast).
  std::vector<Tensor> branch_outputs(const Tensor& x) {
    std::vector<Tensor> outs;
    for (const auto& branch : *branches_) outs.push_back(branch->as<nn::Sequential>()->forward(x));
    const Tensor pooled = pooling_(x);
    outs.push_back(pooled.expand({pooled.size(0), pooled.size(1), x.size(2), x.size(3)}));
    return outs;
  }

  Tensor forward(const Tensor& x) { return project_(cat(branch_outputs(x), 1)); }

  const std::vector<std::int64_t>& rates() const { return rates_; }

  // Parameters of branch i, in the order of branch_outputs (the image-pooling branch last).
  std::int64_t branch_parameters(const std::size_t i) const {
    const nn::Module& m = i < branches_->size() ? *(*branches_)[i] : *pooling_;
    std::int64_t n = 0;
    for (const Tensor& p : m.parameters()) n += p.numel();
    return n;
  }

 private:
  std::vector<std::int64_t> rates_;
  nn::ModuleList branches_{nullptr};
  nn::Sequential pooling_{nullptr}, project_{nullptr};
};

class ASPP : public nn::ModuleHolder<ASPPImpl> {
 public:
  using nn::ModuleHolder<ASPPImpl>::ModuleHolder;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("DeepLab atrous spatial pyramid pooling: branches, receptive fields, forward and backward");
  std::int64_t batch = 2, in_channels = 256, channels = 64, size = 33;
  int threads = 0;
  bool with_24 = false;
  app.add_option("--batch-size", batch, "feature maps per batch")->capture_default_str()->check(examples::kPositive);
  app.add_option("--in-channels", in_channels, "channels of the input feature map")
      ->capture_default_str()
      ->check(examples::kPositive);
  app.add_option("--channels", channels, "channels of every branch")->capture_default_str()->check(examples::kPositive);
  app.add_option("--size", size, "height and width of the feature map")
      ->capture_default_str()
      ->check(examples::kPositive);
  app.add_option("--threads", threads, "worker threads (0: ATROUS_NUM_THREADS or all cores)")
      ->check(examples::kNonNegative);
  app.add_flag("--with-24", with_24, "add a fourth atrous branch with dilation 24");
  CLI11_PARSE(app, argc, argv);
  try {
    if (threads > 0) set_num_threads(threads);
    manual_seed(0);
    std::vector<std::int64_t> rates{6, 12, 18};
    if (with_24) rates.push_back(24);
    ASPP aspp(in_channels, channels, rates);
    const Tensor x = randn({batch, in_channels, size, size});

    std::printf("input %s\n%-22s %-18s %-5s %-7s %-30s\n", shape_str(x.sizes()).c_str(), "branch", "output", "RF",
                "params", "output size");
    const std::vector<Tensor> outs = aspp->branch_outputs(x);
    bool same = true;
    std::vector<std::string> warnings;
    for (std::size_t i = 0; i < outs.size(); ++i) {
      const bool pooled = i + 1 == outs.size();
      const std::int64_t d = i == 0 || pooled ? 1 : rates[i - 1], k = i == 0 || pooled ? 1 : 3, p = k == 1 ? 0 : d;
      const std::string name = pooled   ? "image pooling"
                               : k == 1 ? "1x1 conv"
                                        : "3x3 conv, dilation " + std::to_string(d);
      const std::int64_t field = receptive_field({{.kernel = k, .dilation = d, .padding = p}})[0].size;
      const std::string rf = pooled ? "all" : std::to_string(field);
      const std::string formula =
          pooled ? "1 (broadcast back to " + std::to_string(size) + ")" : conv_output_formula(size, k, p, p, 1, d);
      std::printf("%-22s %-18s %-5s %-7lld %-30s\n", name.c_str(), shape_str(outs[i].sizes()).c_str(), rf.c_str(),
                  static_cast<long long>(aspp->branch_parameters(i)), formula.c_str());
      same = same && outs[i].size(2) == size && outs[i].size(3) == size;
      if (!pooled && field > size) {
        // A tap d away from any position of a size-wide map lands in the padding once d >= size.
        warnings.push_back("warning: the " + name + " branch's receptive field (" + std::to_string(field) +
                           ") exceeds the " + std::to_string(size) + "x" + std::to_string(size) + " map; " +
                           (d >= size ? "every tap but the centre reads zero padding, so it acts as a 1x1 conv"
                                      : "its outer taps read zero padding at the map's borders"));
      }
    }
    for (const std::string& w : warnings) std::printf("%s\n", w.c_str());
    std::printf("dilation is free: every 3x3 branch has %lld parameters, whatever its dilation\n",
                static_cast<long long>(aspp->branch_parameters(1)));
    std::printf("every branch keeps the %lldx%lld size: %s\n", static_cast<long long>(size),
                static_cast<long long>(size), same ? "yes" : "NO");

    Tensor input = x.clone().requires_grad_();
    const auto t0 = std::chrono::steady_clock::now();
    const Tensor y = aspp(input);
    const auto t1 = std::chrono::steady_clock::now();
    const Tensor loss = (y * y).mean();
    loss.backward();
    const auto t2 = std::chrono::steady_clock::now();
    std::size_t with_grad = 0;
    const auto params = aspp->parameters();
    for (const Tensor& p : params) with_grad += p.grad().defined() ? 1 : 0;
    std::printf(
        "fused output %s; forward %.1f ms, backward %.1f ms; gradients for %zu/%zu parameters and the input %s\n",
        shape_str(y.sizes()).c_str(), std::chrono::duration<double, std::milli>(t1 - t0).count(),
        std::chrono::duration<double, std::milli>(t2 - t1).count(), with_grad, params.size(),
        shape_str(input.grad().sizes()).c_str());
    return same && with_grad == params.size() && input.grad().sizes() == x.sizes() ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "aspp: " << e.what() << '\n';
    return 1;
  }
}
