// SPDX-License-Identifier: Apache-2.0
// The chapter in the terminal: every worked example, table, widget figure, quick check and
// exercise of the founding chapter (shared/seed/convolution-parameters-chapter.txt), and the
// transposed cases of its first reference (Dumoulin & Visin's guide, ch. 4), computed with atrous
// and printed with their formulas. Each number says where it comes from: "chapter 7 ok" is a
// number the chapter states (checked), "guide" one the guide states, "derived" one the program
// works out that the chapter leaves to the reader. Where the chapter is inconsistent, an erratum
// gives the chapter's figure and the correct one. Exits non-zero if a stated number differs.
#include <atrous/atrous.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <variant>

namespace {

using namespace atrous;
namespace F = nn::functional;

// One line of the report: what was computed, how, atrous's value, and the source's.
struct Row {
  std::string what, how, got;
  std::string source;  // "chapter", "guide", "derived" or "erratum"
  std::string stated;  // the source's figure; empty when derived
};

// `text` broken at spaces into lines of at most 100 columns, each starting with `indent`.
std::string wrapped(const std::string& text, const std::string& indent) {
  std::string out, line = indent;
  std::istringstream words(text);
  for (std::string word; words >> word;) {
    if (line.size() > indent.size() && line.size() + 1 + word.size() > 100) {
      out += line + "\n";
      line = indent + "  ";
    }
    line += (line.size() > indent.size() && line.back() != ' ' ? " " : "") + word;
  }
  return out + line;
}

// The report is collected, then printed with every column as wide as its widest entry.
class Report {
 public:
  void section(const std::string& title) { lines_.emplace_back("\n== " + title + " =="); }
  void text(const std::string& block) { lines_.emplace_back(block); }

  void stated(std::string what, std::string how, std::string got, std::string stated, std::string source = "chapter") {
    mismatches_ += got == stated ? 0 : 1;
    lines_.emplace_back(Row{std::move(what), std::move(how), std::move(got), std::move(source), std::move(stated)});
  }
  void stated(std::string what, std::string how, const std::int64_t got, const std::int64_t stated,
              std::string source = "chapter") {
    this->stated(std::move(what), std::move(how), std::to_string(got), std::to_string(stated), std::move(source));
  }
  void derived(std::string what, std::string how, std::string got) {
    lines_.emplace_back(Row{std::move(what), std::move(how), std::move(got), "derived", ""});
  }
  void derived(std::string what, std::string how, const std::int64_t got) {
    derived(std::move(what), std::move(how), std::to_string(got));
  }
  // The chapter states `wrong`; atrous computes `got`, and `why` says which is right.
  void erratum(std::string what, std::string how, const std::int64_t got, const std::int64_t wrong, std::string why) {
    lines_.emplace_back(Row{std::move(what), std::move(how), std::to_string(got), "erratum", std::to_string(wrong)});
    lines_.emplace_back(wrapped("erratum: the chapter says " + std::to_string(wrong) + "; " + why, "    "));
    ++errata_;
  }

  int mismatches() const { return mismatches_; }

  void print() const {
    std::size_t what = 0, how = 0, got = 0;
    for (const auto& line : lines_) {
      if (const auto* row = std::get_if<Row>(&line)) {
        what = std::max(what, row->what.size());
        how = std::max(how, row->how.size());
        got = std::max(got, row->got.size());
      }
    }
    for (const auto& line : lines_) {
      const auto* row = std::get_if<Row>(&line);
      if (row == nullptr) {
        std::printf("%s\n", std::get<std::string>(line).c_str());
        continue;
      }
      std::string verdict = row->source;
      if (row->source == "erratum") verdict += " (chapter: " + row->stated + ")";
      if (row->source == "chapter" || row->source == "guide") {
        verdict += " " + row->stated + (row->got == row->stated ? " ok" : " MISMATCH");
      }
      std::printf("  %-*s  %-*s  -> %-*s  %s\n", static_cast<int>(what), row->what.c_str(), static_cast<int>(how),
                  row->how.c_str(), static_cast<int>(got), row->got.c_str(), verdict.c_str());
    }
    std::printf("\n%s: %d mismatch%s with the numbers the chapter and the guide state; %d errat%s printed\n",
                mismatches_ ? "FAILED" : "all numbers agree", mismatches_, mismatches_ == 1 ? "" : "es", errata_,
                errata_ == 1 ? "um" : "a");
  }

 private:
  std::vector<std::variant<Row, std::string>> lines_;
  int mismatches_ = 0, errata_ = 0;
};

// The (H, W) grid of a (1, 1, H, W) tensor, as text.
std::string grid(const Tensor& t) {
  std::ostringstream s;
  s << t.reshape({t.size(t.dim() - 2), t.size(t.dim() - 1)});
  return s.str();
}

bool same_values(const Tensor& got, const std::vector<float>& want) {
  return got.numel() == static_cast<std::int64_t>(want.size()) &&
         got.flatten().eq(from_vector(want, {got.numel()})).sum().item<double>() == static_cast<double>(got.numel());
}

// A grid the chapter prints: checked, then shown.
void stated_grid(Report& r, const std::string& what, const Tensor& got, const std::vector<float>& chapter) {
  r.stated(what, "each element against the chapter's grid", same_values(got, chapter) ? "identical" : "differs",
           "identical");
  r.text(grid(got));
}

std::string k_eff_formula(const std::int64_t k, const std::int64_t d) {
  return std::to_string(d) + "*(" + std::to_string(k) + "-1)+1 = " + std::to_string(effective_kernel_size(k, d));
}

// An output side; a dilated line also names its effective kernel.
void output_size(Report& r, const std::string& what, const std::int64_t i, const std::int64_t k, const std::int64_t p,
                 const std::int64_t s, const std::int64_t d, const std::int64_t chapter) {
  const std::string how = conv_output_formula(i, k, p, p, s, d);
  r.stated(what, d > 1 ? "k_eff " + k_eff_formula(k, d) + "; " + how : how, conv_output_size(i, k, p, s, d), chapter);
}

// A transposed convolution's output side from Dumoulin & Visin's guide (ch. 4): the formula's
// value, which conv_transpose2d on an i × i input must also give.
void transposed_size(Report& r, const std::string& what, const std::int64_t i, const std::int64_t k,
                     const std::int64_t p, const std::int64_t s, const std::int64_t a, const std::int64_t guide) {
  const std::int64_t formula = conv_transpose_output_size(i, k, p, a, s, 1);
  const Tensor y = F::conv_transpose2d(zeros({1, 1, i, i}), zeros({1, 1, k, k}),
                                       F::ConvTranspose2dFuncOptions().stride(s).padding(p).output_padding(a));
  r.stated(what, conv_transpose_output_formula(i, k, p, a, s, 1), y.size(3) == formula ? formula : -1, guide, "guide");
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

std::string percent(const double share) {
  char text[16];
  std::snprintf(text, sizeof text, "%.1f%%", 100.0 * share);
  return text;
}

std::int64_t value(const Tensor& t) { return static_cast<std::int64_t>(t.item<double>()); }

void worked_examples(Report& r, const Tensor& image, const Tensor& kernel) {
  r.section("Worked examples on the 5x5 input");
  output_size(r, "stride 1, no padding: output side", 5, 3, 0, 1, 1, 3);
  stated_grid(r, "conv2d(I, K)", F::conv2d(image, kernel), {35, 40, 45, 60, 65, 70, 85, 90, 95});
  output_size(r, "stride 2: output side", 5, 3, 0, 2, 1, 2);
  stated_grid(r, "conv2d(I, K, stride=2)", F::conv2d(image, kernel, F::Conv2dFuncOptions().stride(2)),
              {35, 45, 85, 95});
  output_size(r, "zero padding 1 ('same'): output side", 5, 3, 1, 1, 1, 5);
  stated_grid(r, "conv2d(I, K, padding=1)", F::conv2d(image, kernel, F::Conv2dFuncOptions().padding(kSame)),
              {8, 16, 19, 22, 14, 20, 35, 40, 45, 28, 35, 60, 65, 70, 43, 50, 85, 90, 95, 58, 38, 56, 59, 62, 44});
  output_size(r, "dilation 2: output side", 5, 3, 0, 1, 2, 1);
  r.stated("dilation 2: the one output", "k_eff 5: the corners and centre, 1 + 5 + 13 + 21 + 25",
           value(F::conv2d(image, kernel, F::Conv2dFuncOptions().dilation(2))), 65);
  output_size(r, "dilation 2, padding 2: output side", 5, 3, 2, 1, 2, 5);
  output_size(r, "ResNet downsampling (stride 2, padding 1)", 5, 3, 1, 2, 1, 3);
}

void padding_modes(Report& r, const Tensor& image, const Tensor& kernel) {
  r.section("Padding modes: the 5x5 input padded by 2 on every side (9x9)");
  for (const auto& [name, mode, rule] : std::vector<std::tuple<const char*, PadMode, const char*>>{
           {"zeros", kConstant, ""},
           {"reflect", kReflect, "reflected, the edge not repeated"},
           {"replicate", kReplicate, "the edge repeated outward"},
           {"circular", kCircular, "wrap around"}}) {
    const Tensor padded = F::pad(image, F::PadFuncOptions({2, 2, 2, 2}).mode(mode));
    const std::string what = std::string("padded with ") + name;
    if (mode == kConstant) {
      // The chapter's widget shows this grid: a 2-wide border of zeros around 1..25.
      std::vector<float> widget(81, 0.0F);
      for (int i = 0; i < 25; ++i) widget[static_cast<std::size_t>((i / 5 + 2) * 9 + i % 5 + 2)] = i + 1.0F;
      stated_grid(r, what, padded, widget);
    } else {
      r.derived(what + ": corner padded[0][0]", rule, value(padded.flatten().select(0, 0)));
      r.text(grid(padded));
    }
  }
  nn::Conv2d reflect(nn::Conv2dOptions(1, 1, 3).padding(1).padding_mode(kReflect).bias(false));
  {
    const NoGradGuard no_grad;
    reflect->weight.copy_(kernel);
  }
  const NoGradGuard no_grad;
  const Tensor y = reflect(image);
  r.derived("Conv2d(padding=1, padding_mode='reflect')(I): corner", "7 + 7 + 1 + 7 + 7",
            value(y.flatten().select(0, 0)));
  r.text(grid(y));
  // "The interior values are identical; only the border row/col differs."
  const Tensor interior = y.narrow(2, 1, 3).narrow(3, 1, 3);
  r.stated("reflect output's interior equals the unpadded output", "rows and columns 1..3",
           same_values(interior, {35, 40, 45, 60, 65, 70, 85, 90, 95}) ? "identical" : "differs", "identical");
}

void stride_and_padding_tables(Report& r) {
  r.section("Stride only, 32 inputs: O = floor((I-K)/S) + 1");
  output_size(r, "K=3, S=1", 32, 3, 0, 1, 1, 30);
  output_size(r, "K=3, S=2", 32, 3, 0, 2, 1, 15);
  output_size(r, "K=3, S=4", 32, 3, 0, 4, 1, 8);
  output_size(r, "K=7, S=2", 32, 7, 0, 2, 1, 13);

  r.section("Valid, same and full padding (the chapter gives the formulas; here I=32, K=3)");
  r.derived("valid (P=0): I - K + 1", conv_output_formula(32, 3, 0, 0, 1, 1), conv_output_size(32, 3, 0, 1, 1));
  r.derived("same (P=(K-1)/2=1): I", conv_output_formula(32, 3, 1, 1, 1, 1), conv_output_size(32, 3, 1, 1, 1));
  r.derived("full (P=K-1=2): I + K - 1", conv_output_formula(32, 3, 2, 2, 1, 1), conv_output_size(32, 3, 2, 1, 1));
  std::int64_t side = 32, layers = 0;
  while (side > 0) side = conv_output_size(side, 3, 0, 1, 1), ++layers;
  r.stated("unpadded 3x3 layers until a 32x32 map vanishes", "32 - 2L <= 0", layers, 16);
}

void dilation_table(Report& r) {
  r.section("Dilation: effective kernel D*(K-1)+1 and weights of a 3x3 kernel");
  for (const auto& [d, k_eff] :
       std::vector<std::pair<std::int64_t, std::int64_t>>{{1, 3}, {2, 5}, {3, 7}, {4, 9}, {8, 17}}) {
    const std::string at = "K=3, D=" + std::to_string(d);
    r.stated(at + ": k_eff", k_eff_formula(3, d), effective_kernel_size(3, d), k_eff);
    r.stated(at + ": weights", "weight.numel() of Conv2d(1,1,3,dilation=" + std::to_string(d) + ")",
             nn::Conv2d(nn::Conv2dOptions(1, 1, 3).dilation(d).bias(false))->weight.numel(), 9);
  }
  for (const std::int64_t d : {1, 2, 4}) {
    r.stated("'same' padding, K=3, D=" + std::to_string(d), "D*(K-1)/2 = " + std::to_string(d) + "*(3-1)/2",
             same_padding(3, d).first, d);
  }
}

void quick_checks(Report& r) {
  r.section("Quick checks (the chapter asks; the program answers)");
  nn::Conv2d strided(nn::Conv2dOptions(64, 128, 3).padding(1).stride(2));
  r.derived("Conv2d(64,128,3,padding=1,stride=2) on 224x224", conv_output_formula(224, 3, 1, 1, 2, 1),
            strided(zeros({1, 64, 224, 224})).size(3));
  r.stated("'same' padding for K=5", "(5-1)/2", same_padding(5, 1).first, 2);
  r.stated("effective kernel of a 3x3 at dilation 4", k_eff_formula(3, 4), effective_kernel_size(3, 4), 9);
  const std::vector<LayerGeometry> pool_stack{{3, 1, 1}, {3, 1, 1}, {2, 2, 1}, {3, 1, 1}, {3, 1, 1}};
  const auto pool_rf = receptive_field(pool_stack);
  r.derived("RF of conv3, conv3, pool2, conv3, conv3", rf_stack(pool_stack, pool_rf), pool_rf.back().size);
}

// The "Receptive Field Growth" widget: 3x3 stride-1 'same' layers on a 7x7 input.
void receptive_field_widget(Report& r) {
  r.section("Receptive Field Growth widget: 3x3 layers, stride 1, on a 7x7 input");
  std::vector<LayerGeometry> stack;
  for (std::int64_t layers = 0; layers <= 3; ++layers) {
    const std::int64_t rf = layers == 0 ? 1 : receptive_field(stack).back().size;
    const std::string at = std::to_string(layers) + " layer" + (layers == 1 ? "" : "s");
    r.stated(at + ": receptive field", layers == 0 ? "r_0 = 1" : "r = r + (3-1)*1", rf, 2 * layers + 1);
    const std::string how = std::to_string(rf) + "x" + std::to_string(rf) + " / 7x7";
    const std::string coverage = percent(static_cast<double>(rf * rf) / 49.0);
    if (layers == 0)
      r.stated(at + ": RF coverage of the input", how, coverage, "2.0%");
    else
      r.derived(at + ": RF coverage of the input", how, coverage);
    stack.push_back({3, 1, 1, 1});
  }
  // The widget's caption adds (k - 1) * stride of the current layer. That agrees with the
  // recursion only while every earlier stride is 1; the jump is the product of earlier strides.
  const std::vector<LayerGeometry> pool_stack{{3, 1, 1}, {3, 1, 1}, {2, 2, 1}, {3, 1, 1}, {3, 1, 1}};
  std::int64_t widget = 1;
  for (const auto& l : pool_stack) widget += (l.kernel - 1) * l.stride;
  r.erratum("widget formula on the quick-check stack", "RF_n = RF_n-1 + (k-1)*s_n",
            receptive_field(pool_stack).back().size, widget,
            "the recursion is r_l = r_l-1 + (k_l-1)*d_l*(s_1*...*s_l-1), the product of the earlier strides "
            "(the jump), not the current layer's stride: 1 + 2 + 2 + 1*1 + 2*2 + 2*2 = 14, where the caption gives "
            "1 + 2 + 2 + 1*2 + 2*1 + 2*1 = 11");
}

void receptive_fields(Report& r) {
  r.section("Receptive fields: r_l = r_l-1 + (k_l-1)*d_l*(s_1*...*s_l-1)");
  const std::vector<LayerGeometry> vgg{{3, 1, 1}, {3, 1, 1}, {3, 1, 1}};
  const auto vgg_rf = receptive_field(vgg);
  r.stated("VGG: three stacked 3x3 convolutions", rf_stack(vgg, vgg_rf), vgg_rf.back().size, 7);
  const std::int64_t two_3x3 = 2 * nn::Conv2d(nn::Conv2dOptions(1, 1, 3).bias(false))->weight.numel();
  const std::int64_t one_5x5 = nn::Conv2d(nn::Conv2dOptions(1, 1, 5).bias(false))->weight.numel();
  r.stated("VGG: weights of two 3x3 (per channel pair)", "2*3*3", two_3x3, 18);
  r.stated("VGG: weights of one 5x5 (per channel pair)", "5*5", one_5x5, 25);
  std::vector<LayerGeometry> wavenet;
  for (int l = 0; l < 10; ++l) wavenet.push_back({2, 1, std::int64_t{1} << l});
  const auto wave_rf = receptive_field(wavenet);
  r.stated("WaveNet: k=2, dilations 1,2,4,8", "r = r + (k-1)*d", wave_rf[3].size, 16);
  for (int l = 0; l < 10; ++l) {
    r.stated("WaveNet challenge: after layer " + std::to_string(l + 1) + " (dilation " + std::to_string(1 << l) + ")",
             "r_L = 2^" + std::to_string(l + 1), wave_rf[static_cast<std::size_t>(l)].size, std::int64_t{2} << l);
  }
}

void transposed(Report& r) {
  r.section("Transposed convolutions (Dumoulin & Visin, ch. 4): o' = (i'-1)*s - 2p + (k-1) + a + 1");
  transposed_size(r, "4.1 no padding, unit stride (2 -> 4)", 2, 3, 0, 1, 0, 4);
  transposed_size(r, "4.2 padding 2, k=4 (6 -> 5)", 6, 4, 2, 1, 0, 5);
  transposed_size(r, "4.3 half padding, k=3 (5 -> 5)", 5, 3, 1, 1, 0, 5);
  transposed_size(r, "4.4 full padding p=2, k=3 (7 -> 5)", 7, 3, 2, 1, 0, 5);
  transposed_size(r, "4.5 stride 2, no padding (2 -> 5)", 2, 3, 0, 2, 0, 5);
  transposed_size(r, "4.6 stride 2, padding 1 (3 -> 5)", 3, 3, 1, 2, 0, 5);
  transposed_size(r, "4.7 s=2, p=1, output_padding 1 (3 -> 6)", 3, 3, 1, 2, 1, 6);
  // How many input pixels each output pixel receives, for an all-ones kernel: with k = 3 and
  // stride 2 the kernels overlap on every other row and column (the "checkerboard" of
  // up-sampling artefacts); with k = 4 the stride divides the kernel and every interior pixel
  // receives the same number.
  const Tensor x = ones({1, 1, 4, 4});
  const Tensor uneven = F::conv_transpose2d(x, ones({1, 1, 3, 3}), F::ConvTranspose2dFuncOptions().stride(2));
  const Tensor even = F::conv_transpose2d(x, ones({1, 1, 4, 4}), F::ConvTranspose2dFuncOptions().stride(2).padding(1));
  r.text("  contributions per output pixel, k=3 s=2 (4x4 -> 9x9):\n" + grid(uneven));
  r.text("  contributions per output pixel, k=4 s=2 p=1 (4x4 -> 8x8):\n" + grid(even));
  const Tensor uneven_inner = uneven.narrow(2, 1, 7).narrow(3, 1, 7), even_inner = even.narrow(2, 1, 6).narrow(3, 1, 6);
  r.derived("k=3 s=2: interior counts range over", "max - min of the 7x7 interior",
            value(uneven_inner.max() - uneven_inner.min()));
  r.derived("k=4 s=2 p=1: interior counts range over", "max - min of the 6x6 interior",
            value(even_inner.max() - even_inner.min()));
}

void exercises(Report& r) {
  r.section("Exercises (the hints' answers)");
  nn::Conv2d five(nn::Conv2dOptions(64, 128, 5).padding(2));
  r.stated("1. 5x5 'same' on 56x56: padding", "(5-1)/2", same_padding(5, 1).first, 2);
  r.stated("1. output side", conv_output_formula(56, 5, 2, 2, 1, 1), five(zeros({1, 64, 56, 56})).size(3), 56);
  nn::Conv2d dilated(nn::Conv2dOptions(64, 128, 5).padding(4).dilation(2));
  r.erratum("2. effective kernel of a 5x5 at dilation 2", k_eff_formula(5, 2), effective_kernel_size(5, 2), 5,
            "k_eff = D*(K-1)+1 = 2*(5-1)+1 = 9 (5 is the k_eff of a 3x3 kernel at dilation 2); padding 4 = (9-1)/2 "
            "keeps the side");
  r.stated("2. 5x5 dilation 2 padding 4 on 56x56: side", "k_eff 9; " + conv_output_formula(56, 5, 4, 4, 1, 2),
           dilated(zeros({1, 64, 56, 56})).size(3), 56);
  r.stated("2. extra parameters from dilation", "weights(d=2) - weights(d=1)",
           dilated->weight.numel() - five->weight.numel(), 0);
  const std::vector<LayerGeometry> two{{3, 1, 1}, {3, 1, 1}};
  r.stated("3. RF of two stacked 3x3", rf_stack(two, receptive_field(two)), receptive_field(two).back().size, 5);
  r.stated("3. their weights as % of one 5x5", "100 * 18 / 25", 100 * 18 / 25, 72);
  std::string message;
  try {
    nn::Conv2d bad(nn::Conv2dOptions(1, 1, 3).padding(kSame).stride(2));
  } catch (const std::invalid_argument& e) {
    message = e.what();
  }
  r.stated("4. padding='same' with stride 2", "Conv2d(1,1,3,padding='same',stride=2)",
           message.empty() ? "accepted" : "refused", "refused");
  if (!message.empty()) r.text("     " + message);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("The convolution-parameters chapter's numbers, computed with atrous");
  CLI11_PARSE(app, argc, argv);
  try {
    const Tensor image = arange(1.0, 26.0).reshape({1, 1, 5, 5});
    const Tensor kernel = from_vector(std::vector<float>{1, 0, 1, 0, 1, 0, 1, 0, 1}, {1, 1, 3, 3});
    Report r;
    r.text("The chapter's 5x5 input I = 1..25 and corner-plus-centre kernel K:\nI =\n" + grid(image) + "\nK =\n" +
           grid(kernel));
    r.text(
        "\nEach line: what, how, -> atrous's value, then where the number comes from:\n"
        "  'chapter N ok'  the chapter states N (checked)    'guide N ok'  Dumoulin & Visin state N\n"
        "  'derived'       the program works it out           'erratum'     the chapter's figure is wrong");
    worked_examples(r, image, kernel);
    padding_modes(r, image, kernel);
    stride_and_padding_tables(r);
    dilation_table(r);
    quick_checks(r);
    receptive_fields(r);
    receptive_field_widget(r);
    transposed(r);
    exercises(r);
    r.print();
    return r.mismatches() == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "conv_arithmetic: " << e.what() << '\n';
    return 1;
  }
}
