// SPDX-License-Identifier: Apache-2.0
// 2×2 max pooling forward and backward on VGG-small's training shapes (batch 128 on 28x28x32,
// 14x14x64 and 7x7x128 maps), in GB/s of the bytes a pass must touch: forward reads x and
// writes the maxima and their indices, backward reads dY and the indices and writes dX.
#include <benchmark/benchmark.h>

#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/pool.h"
#include "atrous/tensor/random.h"
#include "bench/peak_fma.h"

namespace atrous::bench {
namespace {

constexpr native::PoolParams kPool2x2{.kH = 2, .kW = 2, .sH = 2, .sW = 2};

Tensor input(const benchmark::State& state) { return randn({128, state.range(0), state.range(1), state.range(1)}); }

std::int64_t bytes(const Tensor& x, const Tensor& out, const Tensor& indices) {
  std::int64_t total = 0;
  for (const Tensor* t : {&x, &out, &indices}) total += t->numel() * static_cast<std::int64_t>(t->element_size());
  return total;
}

void BM_MaxPoolForward(benchmark::State& state) {
  const Tensor x = input(state);
  std::pair<Tensor, Tensor> pooled;
  for (auto _ : state) {
    pooled = native::max_pool2d(x, kPool2x2);
    benchmark::DoNotOptimize(pooled.first.raw_data());
  }
  state.SetBytesProcessed(state.iterations() * bytes(x, pooled.first, pooled.second));
}

void BM_MaxPoolBackward(benchmark::State& state) {
  const Tensor x = input(state);
  const auto [out, indices] = native::max_pool2d(x, kPool2x2);
  const Tensor g = randn(out.sizes());
  for (auto _ : state) {
    Tensor gx = native::max_pool2d_backward(g, indices, x.sizes());
    benchmark::DoNotOptimize(gx.raw_data());
  }
  state.SetBytesProcessed(state.iterations() * bytes(x, out, indices));
}

void shapes(benchmark::internal::Benchmark* b) {
  b->Args({32, 28})->Args({64, 14})->Args({128, 7})->UseRealTime()->Unit(benchmark::kMillisecond);
}

BENCHMARK(BM_MaxPoolForward)->Apply(shapes);
BENCHMARK(BM_MaxPoolBackward)->Apply(shapes);

}  // namespace
}  // namespace atrous::bench

int main(int argc, char** argv) { return atrous::bench::run_benchmarks(argc, argv); }
