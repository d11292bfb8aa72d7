// SPDX-License-Identifier: Apache-2.0
// Convolution throughput on the cases of issue #4, forward and forward+backward, in GFLOP/s and
// % of the measured FMA peak. tools/compare_pytorch.py runs the same cases through PyTorch.
//
//   build/bench/conv_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>

#include "atrous/autograd/grad_mode.h"
#include "atrous/layers/modules/conv.h"
#include "atrous/tensor/conv/conv.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/parallel.h"
#include "atrous/tensor/random.h"
#include "bench/peak_fma.h"

namespace atrous::bench {
namespace {

struct ConvCase {
  const char* name;
  std::int64_t N, Cin, Cout, H, W, k, stride, pad, dilation;
  PadMode mode;
};

const ConvCase kCases[] = {
    {"vgg3x3_64_56", 8, 64, 64, 56, 56, 3, 1, 1, 1, kZeros},
    {"vgg3x3_128_28", 8, 128, 128, 28, 28, 3, 1, 1, 1, kZeros},
    {"res_down3x3_s2", 8, 64, 128, 56, 56, 3, 2, 1, 1, kZeros},
    {"res_proj1x1_s2", 8, 64, 128, 56, 56, 1, 2, 0, 1, kZeros},
    {"res_1x1_256_64", 8, 256, 64, 56, 56, 1, 1, 0, 1, kZeros},
    {"dil3x3_d2_256", 2, 256, 256, 33, 33, 3, 1, 2, 2, kZeros},
    {"reflect3x3_64", 8, 64, 64, 56, 56, 3, 1, 1, 1, kReflect},
};

double conv_flops(const ConvCase& c) {
  const std::int64_t ho = (c.H + 2 * c.pad - c.dilation * (c.k - 1) - 1) / c.stride + 1;
  const std::int64_t wo = (c.W + 2 * c.pad - c.dilation * (c.k - 1) - 1) / c.stride + 1;
  return 2.0 * static_cast<double>(c.N * c.Cout * c.Cin * c.k * c.k * ho * wo);
}

nn::Conv2d make_conv(const ConvCase& c) {
  manual_seed(1);
  return nn::Conv2d(
      nn::Conv2dOptions(c.Cin, c.Cout, c.k).stride(c.stride).padding(c.pad).dilation(c.dilation).padding_mode(c.mode));
}

void BM_ConvForward(benchmark::State& state, const ConvCase c) {
  nn::Conv2d conv = make_conv(c);
  const Tensor x = randn({c.N, c.Cin, c.H, c.W});
  const NoGradGuard no_grad;
  for (auto _ : state) benchmark::DoNotOptimize(conv(x).raw_data());
  report_flops(state, conv_flops(c));
}

void BM_ConvForwardBackward(benchmark::State& state, const ConvCase c) {
  nn::Conv2d conv = make_conv(c);
  Tensor x = randn({c.N, c.Cin, c.H, c.W}).requires_grad_();
  const Tensor g = randn(conv(x).sizes());
  for (auto _ : state) {
    x.mutable_grad() = Tensor();
    conv->zero_grad();
    conv(x).backward(g);
    benchmark::DoNotOptimize(x.grad().raw_data());
  }
  report_flops(state, 3 * conv_flops(c));
}

// The backward passes one at a time (what fwdbwd sums), through the kernels below autograd.
native::ConvParams conv_params(const ConvCase& c) {
  native::ConvParams p;
  p.stride = {c.stride, c.stride};
  p.dilation = {c.dilation, c.dilation};
  p.pad_before = p.pad_after = {c.pad, c.pad};
  p.mode = c.mode;
  return p;
}

void BM_ConvBackwardInput(benchmark::State& state, const ConvCase c) {
  nn::Conv2d conv = make_conv(c);
  const Tensor x = randn({c.N, c.Cin, c.H, c.W});
  const Tensor g = randn(conv(x).sizes());
  for (auto _ : state) {
    benchmark::DoNotOptimize(native::conv_backward_input(g, conv->weight, x.sizes(), conv_params(c)).raw_data());
  }
  report_flops(state, conv_flops(c));
}

void BM_ConvBackwardWeight(benchmark::State& state, const ConvCase c) {
  nn::Conv2d conv = make_conv(c);
  const Tensor x = randn({c.N, c.Cin, c.H, c.W});
  const Tensor g = randn(conv(x).sizes());
  for (auto _ : state) {
    benchmark::DoNotOptimize(native::conv_backward_weight(g, x, conv->weight.sizes(), conv_params(c)).raw_data());
  }
  report_flops(state, conv_flops(c));
}

// Ten causal k = 2 Conv1d layers, 64 channels, dilations 1 … 512, length 16000, each followed by
// ReLU and a residual add (the same stack as ../shared/anchors/torch_conv_bench.py).
struct WaveNet {
  std::vector<nn::Conv1d> layers;
  WaveNet() {
    manual_seed(2);
    for (int l = 0; l < 10; ++l) {
      layers.emplace_back(nn::Conv1dOptions(64, 64, 2).dilation(std::int64_t{1} << l).padding(kCausal));
    }
  }
  Tensor operator()(const Tensor& x) {
    Tensor h = x;
    for (auto& l : layers) h = l(h).relu() + h;
    return h;
  }
};
constexpr double kWaveNetFlops = 10.0 * 2 * 64 * 64 * 2 * 16000;

void BM_WaveNetForward(benchmark::State& state) {
  WaveNet net;
  const Tensor x = randn({1, 64, 16000});
  const NoGradGuard no_grad;
  for (auto _ : state) benchmark::DoNotOptimize(net(x).raw_data());
  report_flops(state, kWaveNetFlops);
}

void BM_WaveNetForwardBackward(benchmark::State& state) {
  WaveNet net;
  Tensor x = randn({1, 64, 16000}).requires_grad_();
  for (auto _ : state) {
    x.mutable_grad() = Tensor();
    for (auto& l : net.layers) l->zero_grad();
    net(x).sum().backward();
    benchmark::DoNotOptimize(x.grad().raw_data());
  }
  report_flops(state, 3 * kWaveNetFlops);
}

int register_all() {
  for (const ConvCase& c : kCases) {
    benchmark::RegisterBenchmark((std::string("fwd/") + c.name).c_str(), BM_ConvForward, c)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((std::string("fwdbwd/") + c.name).c_str(), BM_ConvForwardBackward, c)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((std::string("bwd_input/") + c.name).c_str(), BM_ConvBackwardInput, c)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((std::string("bwd_weight/") + c.name).c_str(), BM_ConvBackwardWeight, c)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::RegisterBenchmark("fwd/wavenet10_c64", BM_WaveNetForward)->UseRealTime()->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("fwdbwd/wavenet10_c64", BM_WaveNetForwardBackward)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
  return 0;
}

}  // namespace
}  // namespace atrous::bench

int main(int argc, char** argv) {
  atrous::bench::register_all();
  return atrous::bench::run_benchmarks(argc, argv);
}
