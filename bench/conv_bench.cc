// SPDX-License-Identifier: Apache-2.0
// Convolution throughput on the cases of issues #4, #20 and #22 (transposed), forward and forward+backward, in GFLOP/s
// and % of the measured FMA peak. tools/compare_pytorch.py runs the same cases through PyTorch.
//
//   build/bench/conv_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>

#include "atrous/autograd/grad_mode.h"
#include "atrous/layers/modules/conv.h"
#include "atrous/tensor/conv/conv.h"
#include "atrous/tensor/conv/conv_transpose.h"
#include "atrous/tensor/conv/geometry.h"
#include "atrous/tensor/factory.h"
#include "atrous/tensor/parallel.h"
#include "atrous/tensor/random.h"
#include "bench/peak_fma.h"

namespace atrous::bench {
namespace {

struct ConvCase {
  const char* name;
  std::int64_t N, Cin, Cout;
  Shape spatial, kernel;  // (H, W) and (kH, kW), or (L) and (k) for a Conv1d
  std::int64_t stride;
  Shape pad;
  std::int64_t dilation, groups;
  PadMode mode;
  bool transposed = false;  // ConvTranspose: Cin → Cout, spatial is the input's
};

// The layers users train: VGG, ResNet and dilated (issue #4), then depthwise (MobileNetV2,
// ConvNeXt, Conformer's Conv1d), ResNeXt groups, batch-1 inference, 5×5, Inception's 1×7 and
// 7×1, and the ImageNet stem (issue #20). tools/compare_pytorch.py runs the same list.
const ConvCase kCases[] = {
    {"vgg3x3_64_56", 8, 64, 64, {56, 56}, {3, 3}, 1, {1, 1}, 1, 1, kZeros},
    {"vgg3x3_128_28", 8, 128, 128, {28, 28}, {3, 3}, 1, {1, 1}, 1, 1, kZeros},
    {"res_down3x3_s2", 8, 64, 128, {56, 56}, {3, 3}, 2, {1, 1}, 1, 1, kZeros},
    {"res_proj1x1_s2", 8, 64, 128, {56, 56}, {1, 1}, 2, {0, 0}, 1, 1, kZeros},
    {"res_1x1_256_64", 8, 256, 64, {56, 56}, {1, 1}, 1, {0, 0}, 1, 1, kZeros},
    {"dil3x3_d2_256", 2, 256, 256, {33, 33}, {3, 3}, 1, {2, 2}, 2, 1, kZeros},
    {"reflect3x3_64", 8, 64, 64, {56, 56}, {3, 3}, 1, {1, 1}, 1, 1, kReflect},
    {"dw3x3_144_56", 8, 144, 144, {56, 56}, {3, 3}, 1, {1, 1}, 1, 144, kZeros},
    {"dw3x3_s2_96_112", 8, 96, 96, {112, 112}, {3, 3}, 2, {1, 1}, 1, 96, kZeros},
    {"dw7x7_96_56", 8, 96, 96, {56, 56}, {7, 7}, 1, {3, 3}, 1, 96, kZeros},
    {"dw1d_k31_256", 8, 256, 256, {1000}, {31}, 1, {15}, 1, 256, kZeros},
    {"resnext3x3_g32", 8, 128, 128, {56, 56}, {3, 3}, 1, {1, 1}, 1, 32, kZeros},
    {"b1_3x3_512_7", 1, 512, 512, {7, 7}, {3, 3}, 1, {1, 1}, 1, 1, kZeros},
    {"b1_3x3_128_28", 1, 128, 128, {28, 28}, {3, 3}, 1, {1, 1}, 1, 1, kZeros},
    {"b1_3x3_256_14", 1, 256, 256, {14, 14}, {3, 3}, 1, {1, 1}, 1, 1, kZeros},
    {"conv5x5_64_56", 8, 64, 64, {56, 56}, {5, 5}, 1, {2, 2}, 1, 1, kZeros},
    {"incep1x7_128_17", 8, 128, 128, {17, 17}, {1, 7}, 1, {0, 3}, 1, 1, kZeros},
    {"incep7x1_128_17", 8, 128, 128, {17, 17}, {7, 1}, 1, {3, 0}, 1, 1, kZeros},
    {"stem7x7_s2_224", 8, 3, 64, {224, 224}, {7, 7}, 2, {3, 3}, 1, 1, kZeros},
    // ResNet-small's 3×3 layers, stem and stride-2 projections as examples/resnet trains them (batch 128, issue #21).
    {"rs3x3_32_28_b128", 128, 32, 32, {28, 28}, {3, 3}, 1, {1, 1}, 1, 1, kZeros},
    {"rs3x3_s2_32_64_b128", 128, 32, 64, {28, 28}, {3, 3}, 2, {1, 1}, 1, 1, kZeros},
    {"rs3x3_64_14_b128", 128, 64, 64, {14, 14}, {3, 3}, 1, {1, 1}, 1, 1, kZeros},
    {"rs3x3_128_7_b128", 128, 128, 128, {7, 7}, {3, 3}, 1, {1, 1}, 1, 1, kZeros},
    {"rs_stem3x3_1_32_b128", 128, 1, 32, {28, 28}, {3, 3}, 1, {1, 1}, 1, 1, kZeros},
    {"rs_proj1x1_s2_32_64_b128", 128, 32, 64, {28, 28}, {1, 1}, 2, {0, 0}, 1, 1, kZeros},
    {"rs_proj1x1_s2_64_128_b128", 128, 64, 128, {14, 14}, {1, 1}, 2, {0, 0}, 1, 1, kZeros},
    // Transposed (issue #22): DCGAN's generator layers, a U-Net 2× up-sampling, a 1-D up-sampler.
    {"tr_dcgan4x4_256_7", 64, 256, 128, {7, 7}, {4, 4}, 2, {1, 1}, 1, 1, kZeros, true},
    {"tr_dcgan4x4_128_14", 64, 128, 1, {14, 14}, {4, 4}, 2, {1, 1}, 1, 1, kZeros, true},
    {"tr_unet2x2_128_28", 8, 128, 64, {28, 28}, {2, 2}, 2, {0, 0}, 1, 1, kZeros, true},
    {"tr_up1d_k16_s8", 8, 64, 64, {4000}, {16}, 8, {4}, 1, 1, kZeros, true},
};

// Multiply-adds × 2. A transposed layer counts every input element times every tap of its
// channel's filters, cropped or not, as does tools/compare_pytorch.py.
double conv_flops(const ConvCase& c) {
  double flops = 2.0 * static_cast<double>(c.N * c.Cout * (c.Cin / c.groups));
  for (std::size_t i = 0; i < c.spatial.size(); ++i) {
    if (c.transposed) {
      flops *= static_cast<double>(c.kernel[i] * c.spatial[i]);
      continue;
    }
    flops *= static_cast<double>(c.kernel[i] *
                                 conv_output_size(c.spatial[i], c.kernel[i], c.pad[i], c.pad[i], c.stride, c.dilation));
  }
  return flops;
}

template <std::size_t D, bool T>
using Module = std::conditional_t<T, nn::ConvTransposeNdImpl<D>, nn::ConvNdImpl<D>>;

template <std::size_t D, bool T>
Module<D, T> make_conv(const ConvCase& c) {
  manual_seed(1);
  if constexpr (T) {
    return Module<D, T>(nn::ConvTransposeOptions<D>(c.Cin, c.Cout, c.kernel)
                            .stride(c.stride)
                            .padding(c.pad)
                            .dilation(c.dilation)
                            .groups(c.groups));
  } else {
    return Module<D, T>(nn::ConvOptions<D>(c.Cin, c.Cout, c.kernel)
                            .stride(c.stride)
                            .padding(c.pad)
                            .dilation(c.dilation)
                            .groups(c.groups)
                            .padding_mode(c.mode));
  }
}

Shape input_shape(const ConvCase& c) {
  Shape s{c.N, c.Cin};
  s.insert(s.end(), c.spatial.begin(), c.spatial.end());
  return s;
}

template <std::size_t D, bool T>
void BM_ConvForward(benchmark::State& state, const ConvCase c) {
  Module<D, T> conv = make_conv<D, T>(c);
  const Tensor x = randn(input_shape(c));
  const NoGradGuard no_grad;
  for (auto _ : state) benchmark::DoNotOptimize(conv.forward(x).raw_data());
  report_flops(state, conv_flops(c));
}

template <std::size_t D, bool T>
void BM_ConvForwardBackward(benchmark::State& state, const ConvCase c) {
  Module<D, T> conv = make_conv<D, T>(c);
  Tensor x = randn(input_shape(c)).requires_grad_();
  const Tensor g = randn(conv.forward(x).sizes());
  for (auto _ : state) {
    x.mutable_grad() = Tensor();
    conv.zero_grad();
    conv.forward(x).backward(g);
    benchmark::DoNotOptimize(x.grad().raw_data());
  }
  report_flops(state, 3 * conv_flops(c));
}

// The backward passes one at a time (what fwdbwd sums), through the kernels below autograd.
native::ConvParams conv_params(const ConvCase& c) {
  native::ConvParams p;
  p.dims = static_cast<std::int64_t>(c.spatial.size());
  p.stride = Shape(c.spatial.size(), c.stride);
  p.dilation = Shape(c.spatial.size(), c.dilation);
  p.pad_before = p.pad_after = c.pad;
  p.groups = c.groups;
  p.mode = c.mode;
  return p;
}

template <std::size_t D, bool T>
void BM_ConvBackwardInput(benchmark::State& state, const ConvCase c) {
  Module<D, T> conv = make_conv<D, T>(c);
  const Tensor x = randn(input_shape(c));
  const Tensor g = randn(conv.forward(x).sizes());
  for (auto _ : state) {
    if constexpr (T) {
      const native::ConvTransposeParams p{conv_params(c), Shape(D, 0)};
      benchmark::DoNotOptimize(native::conv_transpose_backward_input(g, conv.weight, x.sizes(), p).raw_data());
    } else {
      benchmark::DoNotOptimize(native::conv_backward_input(g, conv.weight, x.sizes(), conv_params(c)).raw_data());
    }
  }
  report_flops(state, conv_flops(c));
}

template <std::size_t D, bool T>
void BM_ConvBackwardWeight(benchmark::State& state, const ConvCase c) {
  Module<D, T> conv = make_conv<D, T>(c);
  const Tensor x = randn(input_shape(c));
  const Tensor g = randn(conv.forward(x).sizes());
  for (auto _ : state) {
    if constexpr (T) {
      const native::ConvTransposeParams p{conv_params(c), Shape(D, 0)};
      benchmark::DoNotOptimize(native::conv_transpose_backward_weight(g, x, conv.weight.sizes(), p).raw_data());
    } else {
      benchmark::DoNotOptimize(native::conv_backward_weight(g, x, conv.weight.sizes(), conv_params(c)).raw_data());
    }
  }
  report_flops(state, conv_flops(c));
}

// Ten causal k = 2 Conv1d layers, 64 channels, dilations 1 … 512, length 16000, each followed by
// ReLU and a residual add (the same stack as ../shared/anchors/torch_conv_bench.py); with
// `convs_only`, the ten convolutions alone, each reading the last one's output.
struct WaveNet {
  bool convs_only = false;
  std::vector<nn::Conv1d> layers;
  WaveNet() {
    manual_seed(2);
    for (int l = 0; l < 10; ++l) {
      layers.emplace_back(nn::Conv1dOptions(64, 64, 2).dilation(std::int64_t{1} << l).padding(kCausal));
    }
  }
  Tensor operator()(const Tensor& x) {
    Tensor h = x;
    for (auto& l : layers) h = convs_only ? l(h) : l(h).relu() + h;
    return h;
  }
};
constexpr double kWaveNetFlops = 10.0 * 2 * 64 * 64 * 2 * 16000;

void BM_WaveNetForward(benchmark::State& state, const bool convs_only) {
  WaveNet net;
  net.convs_only = convs_only;
  const Tensor x = randn({1, 64, 16000});
  const NoGradGuard no_grad;
  for (auto _ : state) benchmark::DoNotOptimize(net(x).raw_data());
  report_flops(state, kWaveNetFlops);
}

void BM_WaveNetForwardBackward(benchmark::State& state, const bool convs_only) {
  WaveNet net;
  net.convs_only = convs_only;
  Tensor x = randn({1, 64, 16000}).requires_grad_();
  for (auto _ : state) {
    x.mutable_grad() = Tensor();
    for (auto& l : net.layers) l->zero_grad();
    net(x).sum().backward();
    benchmark::DoNotOptimize(x.grad().raw_data());
  }
  report_flops(state, 3 * kWaveNetFlops);
}

template <std::size_t D, bool T>
void register_case(const ConvCase& c) {
  const auto add = [&](const char* pass, auto fn) {
    benchmark::RegisterBenchmark((std::string(pass) + "/" + c.name).c_str(), fn, c)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  };
  add("fwd", BM_ConvForward<D, T>);
  add("fwdbwd", BM_ConvForwardBackward<D, T>);
  add("bwd_input", BM_ConvBackwardInput<D, T>);
  add("bwd_weight", BM_ConvBackwardWeight<D, T>);
}

int register_all() {
  for (const ConvCase& c : kCases) {
    if (c.spatial.size() == 1)
      c.transposed ? register_case<1, true>(c) : register_case<1, false>(c);
    else
      c.transposed ? register_case<2, true>(c) : register_case<2, false>(c);
  }
  for (const bool convs_only : {false, true}) {
    const std::string name = convs_only ? "wavenet10_convs_c64" : "wavenet10_c64";
    benchmark::RegisterBenchmark(("fwd/" + name).c_str(), BM_WaveNetForward, convs_only)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("fwdbwd/" + name).c_str(), BM_WaveNetForwardBackward, convs_only)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  }
  return 0;
}

}  // namespace
}  // namespace atrous::bench

int main(int argc, char** argv) {
  atrous::bench::register_all();
  return atrous::bench::run_benchmarks(argc, argv);
}
