// SPDX-License-Identifier: Apache-2.0
// The chapter in the terminal: every worked example, table, quick check and exercise of the
// founding chapter (shared/seed/convolution-parameters-chapter.txt), and the transposed cases of
// its first reference (Dumoulin & Visin's guide, ch. 4), computed with atrous and printed with
// their formulas and the stated numbers beside them. Exits non-zero if any differs.
#include <atrous/atrous.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <sstream>

namespace {

using namespace atrous;
namespace F = nn::functional;

int mismatches = 0;

// The (H, W) grid of a (1, 1, H, W) tensor, for printing.
Tensor plane(const Tensor& t) { return t.reshape({t.size(t.dim() - 2), t.size(t.dim() - 1)}); }

void section(const char* title) { std::printf("\n== %s ==\n", title); }

// One line: what was computed, how, what atrous got and what the source (the chapter, or
// Dumoulin & Visin's guide) says.
void expect(const std::string& what, const std::string& how, const std::int64_t got, const std::int64_t stated,
            const char* source = "chapter") {
  const bool ok = got == stated;
  mismatches += ok ? 0 : 1;
  std::printf("  %-46s %-44s -> %-5lld %-7s %-5lld %s\n", what.c_str(), how.c_str(), static_cast<long long>(got),
              source, static_cast<long long>(stated), ok ? "ok" : "MISMATCH");
}

void expect_grid(const std::string& what, const Tensor& got, const std::vector<float>& chapter) {
  const Tensor want = from_vector(chapter, got.sizes());
  const bool ok = got.sizes() == want.sizes() && got.eq(want).sum().item<double>() == static_cast<double>(got.numel());
  mismatches += ok ? 0 : 1;
  std::ostringstream s;
  s << plane(got);
  std::printf("  %s: %s\n%s\n", what.c_str(), ok ? "ok (as in the chapter)" : "MISMATCH", s.str().c_str());
}

std::string out_formula(const std::int64_t i, const std::int64_t k, const std::int64_t p, const std::int64_t s,
                        const std::int64_t d) {
  return conv_output_formula(i, k, p, p, s, d);
}

void output_size(const std::string& what, const std::int64_t i, const std::int64_t k, const std::int64_t p,
                 const std::int64_t s, const std::int64_t d, const std::int64_t chapter) {
  expect(what, out_formula(i, k, p, s, d), conv_output_size(i, k, p, s, d), chapter);
}

// A transposed convolution's output side from Dumoulin & Visin's guide (ch. 4): the formula's
// value, which conv_transpose2d on an i × i input must also give.
void transposed_size(const std::string& what, const std::int64_t i, const std::int64_t k, const std::int64_t p,
                     const std::int64_t s, const std::int64_t a, const std::int64_t guide) {
  const std::int64_t formula = conv_transpose_output_size(i, k, p, a, s, 1);
  const Tensor y = F::conv_transpose2d(zeros({1, 1, i, i}), zeros({1, 1, k, k}),
                                       F::ConvTranspose2dFuncOptions().stride(s).padding(p).output_padding(a));
  expect(what, conv_transpose_output_formula(i, k, p, a, s, 1), y.size(3) == formula ? formula : -1, guide, "guide");
}

std::string rf_stack(const std::vector<LayerGeometry>& layers, const std::vector<ReceptiveField>& rf) {
  std::ostringstream s;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    s << (i ? " -> " : "") << "k" << layers[i].kernel
      << (layers[i].stride > 1 ? "s" + std::to_string(layers[i].stride) : "")
      << (layers[i].dilation > 1 ? "d" + std::to_string(layers[i].dilation) : "") << ":" << rf[i].size;
  }
  return s.str();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("The convolution-parameters chapter's numbers, computed with atrous");
  CLI11_PARSE(app, argc, argv);
  try {
    const Tensor image = arange(1.0, 26.0).reshape({1, 1, 5, 5});
    const Tensor kernel = from_vector(std::vector<float>{1, 0, 1, 0, 1, 0, 1, 0, 1}, {1, 1, 3, 3});
    std::ostringstream s;
    s << plane(image) << "\nK =\n" << plane(kernel);
    std::printf("The chapter's 5x5 input I = 1..25 and corner-plus-centre kernel K:\nI =\n%s\n", s.str().c_str());

    section("Worked examples on the 5x5 input");
    output_size("stride 1, no padding: output side", 5, 3, 0, 1, 1, 3);
    expect_grid("conv2d(I, K)", F::conv2d(image, kernel), {35, 40, 45, 60, 65, 70, 85, 90, 95});
    output_size("stride 2: output side", 5, 3, 0, 2, 1, 2);
    expect_grid("conv2d(I, K, stride=2)", F::conv2d(image, kernel, F::Conv2dFuncOptions().stride(2)), {35, 45, 85, 95});
    output_size("zero padding 1 ('same'): output side", 5, 3, 1, 1, 1, 5);
    expect_grid("conv2d(I, K, padding=1)", F::conv2d(image, kernel, F::Conv2dFuncOptions().padding(kSame)),
                {8, 16, 19, 22, 14, 20, 35, 40, 45, 28, 35, 60, 65, 70, 43, 50, 85, 90, 95, 58, 38, 56, 59, 62, 44});
    output_size("dilation 2: output side", 5, 3, 0, 1, 2, 1);
    expect("dilation 2: the one output", "1 + 5 + 13 + 21 + 25",
           static_cast<std::int64_t>(F::conv2d(image, kernel, F::Conv2dFuncOptions().dilation(2)).item<double>()), 65);
    output_size("dilation 2, padding 2: output side", 5, 3, 2, 1, 2, 5);
    output_size("ResNet downsampling (stride 2, padding 1)", 5, 3, 1, 2, 1, 3);

    section("Padding modes (pad 2 on every side of I; the corner value)");
    for (const auto& [name, mode, corner] :
         std::vector<std::tuple<const char*, PadMode, std::int64_t>>{{"zeros", kConstant, 0},
                                                                     {"reflect", kReflect, 13},
                                                                     {"replicate", kReplicate, 1},
                                                                     {"circular", kCircular, 19}}) {
      const Tensor padded = F::pad(image, F::PadFuncOptions({2, 2, 2, 2}).mode(mode));
      expect(std::string("padded[0][0] with ") + name, "9x9 padded input",
             static_cast<std::int64_t>(padded.flatten().select(0, 0).item<double>()), corner);
    }
    nn::Conv2d reflect(nn::Conv2dOptions(1, 1, 3).padding(1).padding_mode(kReflect).bias(false));
    {
      const NoGradGuard no_grad;
      reflect->weight.copy_(kernel);
    }
    expect("reflect-padded conv, corner output", "7 + 7 + 1 + 7 + 7",
           static_cast<std::int64_t>(reflect(image).flatten().select(0, 0).item<double>()), 29);

    section("Stride only, 32 inputs");
    output_size("K=3, S=1", 32, 3, 0, 1, 1, 30);
    output_size("K=3, S=2", 32, 3, 0, 2, 1, 15);
    output_size("K=3, S=4", 32, 3, 0, 4, 1, 8);
    output_size("K=7, S=2", 32, 7, 0, 2, 1, 13);

    section("Valid, same and full padding, 32 inputs, K=3");
    output_size("valid (P=0)", 32, 3, 0, 1, 1, 30);
    output_size("same (P=(K-1)/2=1)", 32, 3, 1, 1, 1, 32);
    output_size("full (P=K-1=2)", 32, 3, 2, 1, 1, 34);
    std::int64_t side = 32, layers = 0;
    while (side > 0) side = conv_output_size(side, 3, 0, 1, 1), ++layers;
    expect("unpadded 3x3 layers until a 32x32 map vanishes", "32 - 2L <= 0", layers, 16);

    section("Effective kernel size D(K-1)+1");
    expect("K=3, D=1", "1*(3-1)+1", effective_kernel_size(3, 1), 3);
    expect("K=3, D=2", "2*(3-1)+1", effective_kernel_size(3, 2), 5);
    expect("K=3, D=3", "3*(3-1)+1", effective_kernel_size(3, 3), 7);
    expect("K=3, D=4 (quick check)", "4*(3-1)+1", effective_kernel_size(3, 4), 9);

    section("Quick checks");
    nn::Conv2d strided(nn::Conv2dOptions(64, 128, 3).padding(1).stride(2));
    expect("Conv2d(64,128,3,padding=1,stride=2) on 224x224", out_formula(224, 3, 1, 2, 1),
           strided(zeros({1, 64, 224, 224})).size(3), 112);
    expect("'same' padding for K=5", "(5-1)/2", same_padding(5, 1).first, 2);
    const std::vector<LayerGeometry> pool_stack{{3, 1, 1}, {3, 1, 1}, {2, 2, 1}, {3, 1, 1}, {3, 1, 1}};
    const auto pool_rf = receptive_field(pool_stack);
    expect("RF of conv3, conv3, pool2, conv3, conv3", rf_stack(pool_stack, pool_rf), pool_rf.back().size, 14);

    section("Receptive fields");
    const std::vector<LayerGeometry> vgg{{3, 1, 1}, {3, 1, 1}, {3, 1, 1}};
    const auto vgg_rf = receptive_field(vgg);
    expect("VGG: three stacked 3x3 convolutions", rf_stack(vgg, vgg_rf), vgg_rf.back().size, 7);
    const std::int64_t two_3x3 = 2 * nn::Conv2d(nn::Conv2dOptions(1, 1, 3).bias(false))->weight.numel();
    const std::int64_t one_5x5 = nn::Conv2d(nn::Conv2dOptions(1, 1, 5).bias(false))->weight.numel();
    expect("VGG: weights of two 3x3 vs one 5x5 (per pair)", "2*3*3", two_3x3, 18);
    expect("", "5*5", one_5x5, 25);
    std::vector<LayerGeometry> wavenet;
    for (int l = 0; l < 10; ++l) wavenet.push_back({2, 1, std::int64_t{1} << l});
    const auto wave_rf = receptive_field(wavenet);
    expect("WaveNet: k=2, dilations 1,2,4,8", "r = r + (k-1)*d", wave_rf[3].size, 16);
    for (int l = 0; l < 10; ++l) {
      expect("WaveNet challenge: after layer " + std::to_string(l + 1) + " (dilation " + std::to_string(1 << l) + ")",
             "2^" + std::to_string(l + 1), wave_rf[static_cast<std::size_t>(l)].size, std::int64_t{2} << l);
    }

    section("Transposed convolutions (Dumoulin & Visin, ch. 4): o' = (i'-1)*s - 2p + (k-1) + a + 1");
    transposed_size("4.1 no padding, unit stride (2 -> 4)", 2, 3, 0, 1, 0, 4);
    transposed_size("4.2 padding 2, k=4 (6 -> 5)", 6, 4, 2, 1, 0, 5);
    transposed_size("4.3 half padding, k=3 (5 -> 5)", 5, 3, 1, 1, 0, 5);
    transposed_size("4.4 full padding p=2, k=3 (7 -> 5)", 7, 3, 2, 1, 0, 5);
    transposed_size("4.5 stride 2, no padding (2 -> 5)", 2, 3, 0, 2, 0, 5);
    transposed_size("4.6 stride 2, padding 1 (3 -> 5)", 3, 3, 1, 2, 0, 5);
    transposed_size("4.7 s=2, p=1, output_padding 1 (3 -> 6)", 3, 3, 1, 2, 1, 6);
    {
      // How many input pixels each output pixel receives, for an all-ones kernel: with k = 3 and
      // stride 2 the kernels overlap on every other row and column (the "checkerboard" of
      // up-sampling artefacts); with k = 4 the stride divides the kernel and every interior pixel
      // receives the same number.
      const Tensor x = ones({1, 1, 4, 4});
      const Tensor uneven = F::conv_transpose2d(x, ones({1, 1, 3, 3}), F::ConvTranspose2dFuncOptions().stride(2));
      const Tensor even =
          F::conv_transpose2d(x, ones({1, 1, 4, 4}), F::ConvTranspose2dFuncOptions().stride(2).padding(1));
      std::ostringstream a, b;
      a << plane(uneven);
      b << plane(even);
      std::printf("  contributions per output pixel, k=3 s=2 (4x4 -> 9x9):\n%s\n", a.str().c_str());
      std::printf("  contributions per output pixel, k=4 s=2 p=1 (4x4 -> 8x8):\n%s\n", b.str().c_str());
      const Tensor uneven_inner = uneven.narrow(2, 1, 7).narrow(3, 1, 7),
                   even_inner = even.narrow(2, 1, 6).narrow(3, 1, 6);
      expect("   k=3 s=2: interior counts range over", "max - min of the 7x7 interior",
             static_cast<std::int64_t>((uneven_inner.max() - uneven_inner.min()).item<double>()), 3, "derived");
      expect("   k=4 s=2 p=1: interior counts range over", "max - min of the 6x6 interior",
             static_cast<std::int64_t>((even_inner.max() - even_inner.min()).item<double>()), 0, "derived");
    }

    section("Exercises");
    nn::Conv2d five(nn::Conv2dOptions(64, 128, 5).padding(2));
    expect("1. 5x5 'same' on 56x56: padding", "(5-1)/2", same_padding(5, 1).first, 2);
    expect("   output side", out_formula(56, 5, 2, 1, 1), five(zeros({1, 64, 56, 56})).size(3), 56);
    nn::Conv2d dilated(nn::Conv2dOptions(64, 128, 5).padding(4).dilation(2));
    expect("2. 5x5 dilation 2 padding 4 on 56x56: side", out_formula(56, 5, 4, 1, 2),
           dilated(zeros({1, 64, 56, 56})).size(3), 56);
    expect("   extra parameters from dilation", "weights(d=2) - weights(d=1)",
           dilated->weight.numel() - five->weight.numel(), 0);
    expect("3. RF of two stacked 3x3", rf_stack({{3, 1, 1}, {3, 1, 1}}, receptive_field({{3, 1, 1}, {3, 1, 1}})),
           receptive_field({{3, 1, 1}, {3, 1, 1}}).back().size, 5);
    expect("   their weights as % of one 5x5", "100 * 18 / 25", 100 * two_3x3 / one_5x5, 72);
    bool refused = false;
    try {
      nn::Conv2d bad(nn::Conv2dOptions(1, 1, 3).padding(kSame).stride(2));
    } catch (const std::invalid_argument& e) {
      refused = true;
      std::printf("  4. padding='same' with stride 2 is refused:\n     %s\n", e.what());
    }
    expect("   refused (1 = yes)", "", refused ? 1 : 0, 1);

    std::printf("\n%s: %d mismatch%s with the chapter and the guide\n", mismatches ? "FAILED" : "all numbers agree",
                mismatches, mismatches == 1 ? "" : "es");
    return mismatches == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "conv_arithmetic: " << e.what() << '\n';
    return 1;
  }
}
