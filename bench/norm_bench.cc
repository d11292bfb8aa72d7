// SPDX-License-Identifier: Apache-2.0
// BatchNorm forward and backward on ResNet-small's training shapes (batch 128 on 28x28x32,
// 14x14x64 and 7x7x128 maps), in GB/s of the bytes a pass must touch: forward reads x and
// writes y (8 bytes an element), backward reads x and dy and writes dx (12).
#include <benchmark/benchmark.h>

#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/batch_norm.h"
#include "atrous/tensor/random.h"
#include "bench/peak_fma.h"

namespace atrous::bench {
namespace {

Tensor input(const benchmark::State& state) {
  return randn({128, state.range(0), state.range(1), state.range(1)});
}

void BM_BatchNormForward(benchmark::State& state) {
  const Tensor x = input(state), w = ones({state.range(0)}), b = zeros({state.range(0)});
  for (auto _ : state) {
    native::BatchNormForward out = native::batch_norm(x, w, b, Tensor(), Tensor(), true, 1e-5);
    benchmark::DoNotOptimize(out.output.raw_data());
  }
  state.SetBytesProcessed(state.iterations() * x.numel() * 8);
}

void BM_BatchNormBackward(benchmark::State& state) {
  const Tensor x = input(state), g = randn(x.sizes()), w = ones({state.range(0)}), b = zeros({state.range(0)});
  const native::BatchNormForward f = native::batch_norm(x, w, b, Tensor(), Tensor(), true, 1e-5);
  for (auto _ : state) {
    native::BatchNormGrads grads = native::batch_norm_backward(g, x, w, f.mean, f.invstd, true, true, true, true);
    benchmark::DoNotOptimize(grads.input.raw_data());
  }
  state.SetBytesProcessed(state.iterations() * x.numel() * 12);
}

void shapes(benchmark::internal::Benchmark* b) {
  b->Args({32, 28})->Args({64, 14})->Args({128, 7})->UseRealTime()->Unit(benchmark::kMillisecond);
}

BENCHMARK(BM_BatchNormForward)->Apply(shapes);
BENCHMARK(BM_BatchNormBackward)->Apply(shapes);

}  // namespace
}  // namespace atrous::bench

int main(int argc, char** argv) { return atrous::bench::run_benchmarks(argc, argv); }
