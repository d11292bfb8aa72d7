// SPDX-License-Identifier: Apache-2.0
// The chapter's parameter playground in the terminal: choose the input size I, kernel K, stride
// S, padding P (a number, 'same' or 'valid'), dilation D and padding mode; see the padded input
// with the taps the kernel samples for one output cell, the effective (dilated) kernel, the
// output-size formula filled in and the output grid (an all-ones kernel, so each output is the
// sum of its taps). --transposed shows the transposed convolution instead: which input cells feed
// the chosen output cell, and the output's size and sums. On a terminal, keys change the
// parameters; --svg writes the same picture.
//
//   playground --input 5 --kernel 3 --stride 2 --padding 1 --cell 1,1
//   playground --dilation 2 --padding same --mode reflect --svg picture.svg
//   playground --transposed --input 3 --kernel 3 --stride 2 --padding 1 --output-padding 1
#include <atrous/atrous.h>
#include <termios.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

namespace {

using namespace atrous;
namespace F = nn::functional;

struct Params {
  std::int64_t input = 5, kernel = 3, stride = 1, dilation = 1;
  std::string padding = "0", mode = "zeros";
  std::int64_t row = 0, col = 0;  // the output cell whose taps are shown
  bool transposed = false;        // ConvTranspose2d: input cells spread onto the output
  std::int64_t output_padding = 0;
};

PadMode pad_mode(const std::string& m) {
  if (m == "zeros") return kConstant;
  if (m == "reflect") return kReflect;
  if (m == "replicate") return kReplicate;
  if (m == "circular") return kCircular;
  throw std::invalid_argument("playground: --mode must be zeros, reflect, replicate or circular, got '" + m + "'");
}

// Padding before and after along one axis, as Conv2d resolves it.
std::pair<std::int64_t, std::int64_t> resolve_padding(const Params& p) {
  if (p.padding == "same") return same_padding(p.kernel, p.dilation);
  if (p.padding == "valid") return {0, 0};
  std::size_t used = 0;
  const std::int64_t v = std::stoll(p.padding, &used);
  if (used != p.padding.size() || v < 0) {
    throw std::invalid_argument("playground: --padding must be a non-negative integer, 'same' or 'valid', got '" +
                                p.padding + "'");
  }
  return {v, v};
}

// Everything the picture shows, computed with atrous.
struct View {
  Tensor padded, output;  // (Ip, Ip) and (O, O)
  std::int64_t before = 0, after = 0, out = 0;
  std::string formula;
};

// The transposed view: the input itself (its "padding" crops the output instead), and the
// output of an all-ones kernel, each cell the sum of the input cells that reach it.
View compute_transposed(const Params& p) {
  check_arg(p.mode == "zeros", "playground", "a transposed convolution pads with zeros only, got --mode ", p.mode);
  const std::int64_t padding = resolve_padding(p).first;
  check_arg(p.padding != "same" && p.padding != "valid", "playground",
            "a transposed convolution takes a number as --padding, got '", p.padding, "'");
  View v;
  const Tensor x = arange(1.0, static_cast<double>(p.input * p.input + 1)).reshape({1, 1, p.input, p.input});
  const NoGradGuard no_grad;
  const Tensor y = F::conv_transpose2d(x, ones({1, 1, p.kernel, p.kernel}),
                                       F::ConvTranspose2dFuncOptions()
                                           .stride(p.stride)
                                           .padding(padding)
                                           .dilation(p.dilation)
                                           .output_padding(p.output_padding));
  v.out = y.size(3);
  v.output = y.reshape({v.out, v.out});
  v.padded = x.reshape({p.input, p.input});
  v.formula = conv_transpose_output_formula(p.input, p.kernel, padding, p.output_padding, p.stride, p.dilation);
  v.before = padding;  // what the output crops on each side, for is_source
  return v;
}

View compute(const Params& p) {
  if (p.transposed) return compute_transposed(p);
  View v;
  std::tie(v.before, v.after) = resolve_padding(p);
  const Tensor x = arange(1.0, static_cast<double>(p.input * p.input + 1)).reshape({1, 1, p.input, p.input});
  nn::Conv2d conv(
      nn::Conv2dOptions(1, 1, p.kernel)
          .stride(p.stride)
          .dilation(p.dilation)
          .bias(false)
          .padding(p.padding == "same" || p.padding == "valid" ? nn::ConvPadding(p.padding) : nn::ConvPadding(v.before))
          .padding_mode(p.mode));
  {
    const NoGradGuard no_grad;
    conv->weight.fill_(1.0);
  }
  const NoGradGuard no_grad;
  v.output = conv(x).reshape({-1});
  v.out = conv_output_size(p.input, p.kernel, v.before, v.after, p.stride, p.dilation);
  v.output = v.output.reshape({v.out, v.out});
  v.padded = F::pad(x, F::PadFuncOptions({v.before, v.after, v.before, v.after}).mode(pad_mode(p.mode)));
  v.padded = v.padded.reshape({v.padded.size(2), v.padded.size(3)});
  v.formula = conv_output_formula(p.input, p.kernel, v.before, v.after, p.stride, p.dilation);
  return v;
}

// Whether tap t of the kernel at offset `delta` (along one axis) exists: delta = t·D, 0 <= t < K.
bool on_kernel(const Params& p, const std::int64_t delta) {
  return delta >= 0 && delta % p.dilation == 0 && delta / p.dilation < p.kernel;
}

// Whether grid cell (r, c) on the left of the picture feeds the chosen output cell: a tap of the
// padded input, or for a transposed convolution an input cell i with o + P = i·S + t·D.
bool is_tap(const Params& p, const View& v, const std::int64_t r, const std::int64_t c) {
  if (p.transposed) {
    return on_kernel(p, p.row + v.before - r * p.stride) && on_kernel(p, p.col + v.before - c * p.stride);
  }
  return on_kernel(p, r - p.row * p.stride) && on_kernel(p, c - p.col * p.stride);
}

// Whether grid cell (r, c) on the left is padding rather than input.
bool is_pad(const Params& p, const View& v, const std::int64_t r, const std::int64_t c) {
  if (p.transposed) return false;
  return r < v.before || c < v.before || r >= v.before + p.input || c >= v.before + p.input;
}

std::string parameters(const Params& p) {
  std::ostringstream s;
  s << (p.transposed ? "transposed " : "") << "I=" << p.input << " K=" << p.kernel << " S=" << p.stride
    << " P=" << p.padding << " D=" << p.dilation;
  if (p.transposed)
    s << " output_padding=" << p.output_padding;
  else
    s << " mode=" << p.mode;
  return s.str();
}

std::string render_text(const Params& p, const View& v) {
  std::ostringstream s;
  const std::int64_t ip = v.padded.size(0), ek = effective_kernel_size(p.kernel, p.dilation);
  s << parameters(p) << "   output cell (" << p.row << ", " << p.col << ")\n\n";
  if (p.transposed)
    s << "input (" << ip << "x" << ip << "; [cells] that reach the output cell, each through one tap):\n";
  else
    s << "padded input (" << ip << "x" << ip << "; padding cells in parentheses, [taps] of the cell):\n";
  for (std::int64_t r = 0; r < ip; ++r) {
    for (std::int64_t c = 0; c < ip; ++c) {
      const bool pad = is_pad(p, v, r, c);
      const auto value = static_cast<long long>(v.padded.select(0, r).select(0, c).item<double>());
      char cell[16];
      std::snprintf(cell, sizeof cell, pad ? "(%lld)" : " %lld ", value);
      std::string text = cell;
      if (is_tap(p, v, r, c)) text = "[" + text.substr(1, text.size() - 2) + "]";
      char padded_cell[16];
      std::snprintf(padded_cell, sizeof padded_cell, "%6s", text.c_str());
      s << padded_cell;
    }
    s << '\n';
  }
  s << "\neffective kernel " << ek << "x" << ek << " = D*(K-1)+1 = " << p.dilation << "*(" << p.kernel
    << "-1)+1 (x = tap, . = hole):\n";
  for (std::int64_t r = 0; r < ek; ++r) {
    s << "  ";
    for (std::int64_t c = 0; c < ek; ++c) s << (r % p.dilation == 0 && c % p.dilation == 0 ? "x " : ". ");
    s << '\n';
  }
  s << "\noutput size: " << v.formula << "\n\noutput (all-ones kernel: each cell is the sum of "
    << (p.transposed ? "the input cells that reach it" : "its taps") << "):\n";
  for (std::int64_t r = 0; r < v.out; ++r) {
    for (std::int64_t c = 0; c < v.out; ++c) {
      const auto value = static_cast<long long>(v.output.select(0, r).select(0, c).item<double>());
      char cell[24];
      std::snprintf(cell, sizeof cell, r == p.row && c == p.col ? "[%lld]" : " %lld ", value);
      char padded_cell[24];
      std::snprintf(padded_cell, sizeof padded_cell, "%7s", cell);
      s << padded_cell;
    }
    s << '\n';
  }
  return s.str();
}

std::string render_svg(const Params& p, const View& v) {
  constexpr int kCell = 34, kGap = 60, kTop = 40;
  const std::int64_t ip = v.padded.size(0);
  const std::int64_t width = (ip + v.out) * kCell + 3 * kGap, height = std::max(ip, v.out) * kCell + kTop + 50;
  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
    << "\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    << "<text x=\"" << kGap << "\" y=\"24\" font-size=\"14\">" << parameters(p) << "   output: " << v.formula
    << "</text>\n";
  const auto grid = [&](const Tensor& t, const std::int64_t x0, const auto& fill) {
    for (std::int64_t r = 0; r < t.size(0); ++r) {
      for (std::int64_t c = 0; c < t.size(1); ++c) {
        const std::int64_t x = x0 + c * kCell, y = kTop + r * kCell;
        s << "<rect x=\"" << x << "\" y=\"" << y << "\" width=\"" << kCell << "\" height=\"" << kCell << "\" fill=\""
          << fill(r, c) << "\" stroke=\"#555\"/>\n<text x=\"" << x + kCell / 2 << "\" y=\"" << y + kCell / 2 + 4
          << "\" text-anchor=\"middle\">" << static_cast<long long>(t.select(0, r).select(0, c).item<double>())
          << "</text>\n";
      }
    }
  };
  grid(v.padded, kGap, [&](const std::int64_t r, const std::int64_t c) {
    return is_tap(p, v, r, c) ? "#ff9f40" : is_pad(p, v, r, c) ? "#dddddd" : "#ffffff";
  });
  grid(v.output, 2 * kGap + ip * kCell,
       [&](const std::int64_t r, const std::int64_t c) { return r == p.row && c == p.col ? "#ff9f40" : "#e8f0ff"; });
  s << "<text x=\"" << kGap << "\" y=\"" << height - 16 << "\">"
    << (p.transposed ? "input (orange: cells that reach the output cell)"
                     : "padded input (grey: padding, orange: taps)")
    << "</text>\n"
    << "<text x=\"" << 2 * kGap + ip * kCell << "\" y=\"" << height - 16 << "\">output</text>\n</svg>\n";
  return s.str();
}

void check(const Params& p) {
  check_arg(p.input > 0 && p.input <= 64, "playground", "--input must be in [1, 64], got ", p.input);
  check_arg(p.kernel > 0 && p.kernel <= 64, "playground", "--kernel must be in [1, 64], got ", p.kernel);
  check_arg(p.stride > 0 && p.dilation > 0, "playground", "stride and dilation must be positive, got stride=", p.stride,
            ", dilation=", p.dilation);
}

// Raw single-key input while the picture is interactive; restored on exit.
class RawTerminal {
 public:
  RawTerminal() {
    tcgetattr(STDIN_FILENO, &saved_);
    termios raw = saved_;
    raw.c_lflag &= static_cast<tcflag_t>(~(ICANON | ECHO));
    tcsetattr(STDIN_FILENO, TCSANOW, &raw);
  }
  ~RawTerminal() { tcsetattr(STDIN_FILENO, TCSANOW, &saved_); }
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;

 private:
  termios saved_{};
};

// Applies one key; returns false to quit.
bool apply_key(Params& p, const char key) {
  static const char* kModes[] = {"zeros", "reflect", "replicate", "circular"};
  const auto bump = [](std::int64_t& v, const int by, const std::int64_t lo) { v = std::max(lo, v + by); };
  switch (key) {
    case 'i': bump(p.input, -1, 1); break;
    case 'I': bump(p.input, 1, 1); break;
    case 'k': bump(p.kernel, -1, 1); break;
    case 'K': bump(p.kernel, 1, 1); break;
    case 's': bump(p.stride, -1, 1); break;
    case 'S': bump(p.stride, 1, 1); break;
    case 'd': bump(p.dilation, -1, 1); break;
    case 'D': bump(p.dilation, 1, 1); break;
    case 'p':
    case 'P': {
      std::int64_t v = p.padding == "same" || p.padding == "valid" ? 0 : std::stoll(p.padding);
      bump(v, key == 'P' ? 1 : -1, 0);
      p.padding = std::to_string(v);
      break;
    }
    case 'a': p.padding = "same"; break;
    case 'v': p.padding = "valid"; break;
    case 'm': {
      std::size_t i = 0;
      while (i < 4 && p.mode != kModes[i]) ++i;
      p.mode = kModes[(i + 1) % 4];
      break;
    }
    case 'n': ++p.col; break;
    case 'b': p.col = std::max<std::int64_t>(0, p.col - 1); break;
    case 'j': ++p.row; break;
    case 'u': p.row = std::max<std::int64_t>(0, p.row - 1); break;
    case 't': p.transposed = !p.transposed; break;
    case 'o': bump(p.output_padding, -1, 0); break;
    case 'O': bump(p.output_padding, 1, 0); break;
    case 'q': return false;
    default: break;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Convolution parameter playground: padded input, taps, effective kernel, output size");
  Params p;
  std::string cell, svg;
  bool once = false;
  app.add_option("--input,-I", p.input, "input height and width")->capture_default_str();
  app.add_option("--kernel,-K", p.kernel, "kernel size")->capture_default_str();
  app.add_option("--stride,-S", p.stride, "stride")->capture_default_str();
  app.add_option("--padding,-P", p.padding, "padding: a number, 'same' or 'valid'")->capture_default_str();
  app.add_option("--dilation,-D", p.dilation, "dilation")->capture_default_str();
  app.add_option("--mode", p.mode, "padding mode: zeros, reflect, replicate, circular")->capture_default_str();
  app.add_option("--cell", cell, "output cell whose taps are shown, as row,col (default 0,0)");
  app.add_flag("--transposed", p.transposed, "show the transposed convolution (ConvTranspose2d) instead");
  app.add_option("--output-padding", p.output_padding, "a transposed convolution's output_padding")
      ->capture_default_str();
  app.add_option("--svg", svg, "also write the picture as an SVG file");
  app.add_flag("--once", once, "print once even on a terminal (no keys)");
  CLI11_PARSE(app, argc, argv);
  try {
    if (!cell.empty()) {
      const std::size_t comma = cell.find(',');
      check_arg(comma != std::string::npos, "playground", "--cell must be row,col, got '", cell, "'");
      p.row = std::stoll(cell.substr(0, comma));
      p.col = std::stoll(cell.substr(comma + 1));
    }
    const bool interactive = !once && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    std::unique_ptr<RawTerminal> raw = interactive ? std::make_unique<RawTerminal>() : nullptr;
    for (;;) {
      std::string text;
      View v;
      bool ok = true;
      try {
        check(p);
        v = compute(p);
        p.row = std::clamp<std::int64_t>(p.row, 0, v.out - 1);
        p.col = std::clamp<std::int64_t>(p.col, 0, v.out - 1);
        text = render_text(p, v);
      } catch (const std::exception& e) {
        ok = false;
        text = parameters(p) + "\n\n" + e.what() + "\n";
      }
      if (interactive) std::cout << "\x1b[2J\x1b[H";
      std::cout << text;
      if (ok && !svg.empty()) {
        write_file_atomically(svg, render_svg(p, v), "playground --svg");  // throws: no "wrote" then
        std::cout << "\nwrote " << svg << '\n';
      }
      if (!interactive) return ok ? 0 : 1;
      std::cout << "\nkeys: i/I k/K s/S p/P d/D o/O (less/more)  a same  v valid  m mode  t transposed  b/n u/j move "
                   "cell  q quit\n"
                << std::flush;
      char key = 0;
      if (read(STDIN_FILENO, &key, 1) != 1 || !apply_key(p, key)) return 0;
    }
  } catch (const std::exception& e) {
    std::cerr << "playground: " << e.what() << '\n';
    return 1;
  }
}
