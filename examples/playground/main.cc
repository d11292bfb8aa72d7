// SPDX-License-Identifier: Apache-2.0
// The chapter's widgets in the terminal. The parameter playground: choose the input size I, kernel
// size K, stride S, padding P (a number, 'same' or 'valid'), dilation D, padding mode and kernel
// weights (the chapter's by default, so the first screen shows its [[35, 40, 45], ...]); see the
// padded input with the taps of one output cell, the weights on the effective kernel, the
// output-size formula filled in and the output, stepping the kernel over it. --transposed shows a
// transposed convolution instead. --rf opens the receptive-field mode, the chapter's "Receptive
// Field Growth" widget. On a terminal, keys change everything; --press replays keys for scripts;
// --svg writes the convolution picture.
//
//   playground                                   the chapter's 5x5 example
//   playground --try 2                           the chapter's "what to try" suggestion 2
//   playground --dilation 2 --padding same --mode reflect --svg picture.svg
//   playground --transposed --input 3 --stride 2 --padding 1 --output-padding 1
//   playground --rf quick                        receptive fields of the quick-check stack
#include "examples/playground/conv_screen.h"
#include "examples/playground/conv_svg.h"
#include "examples/playground/keys.h"

#include <atrous/atrous.h>
#include <termios.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

namespace {

using namespace playground;

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

// The next key from the terminal; an arrow's escape sequence arrives in one read.
int read_key() {
  char buffer[8];
  const ssize_t n = read(STDIN_FILENO, buffer, sizeof buffer);
  if (n <= 0) return 'q';
  const std::string text(buffer, static_cast<std::size_t>(n));
  std::size_t i = 0;
  return next_key(text, i);
}

// The screen for the current state; `ok` is false when the parameters are refused (the message
// is the screen, and the user can press another key).
std::string screen(State& s, bool& ok, ConvView& view) {
  ok = true;
  try {
    if (s.rf_mode) {
      check(s.rf);
      return render_rf_text(s.rf);
    }
    check(s.conv);
    view = compute(s.conv);
    s.conv.row = std::clamp<std::int64_t>(s.conv.row, 0, view.out - 1);
    s.conv.col = std::clamp<std::int64_t>(s.conv.col, 0, view.out - 1);
    return render_conv_text(s.conv, view);
  } catch (const std::exception& e) {
    ok = false;
    return (s.rf_mode ? std::string("receptive fields") : parameters(s.conv)) + "\n\n" + e.what() + "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("The chapter's convolution widgets: parameter playground and receptive-field growth");
  State s;
  ConvParams& p = s.conv;
  std::string cell, svg, rf, press;
  int try_n = 0;
  bool once = false, show_keys = false;
  app.add_option("--input,-I", p.input, "input height and width")->capture_default_str();
  app.add_option("--kernel-size,-K", p.kernel_size, "kernel size")->capture_default_str();
  app.add_option("--kernel", p.weights, "kernel weights: chapter, ones or random")->capture_default_str();
  app.add_option("--seed", p.seed, "seed of --kernel random")->capture_default_str();
  app.add_option("--stride,-S", p.stride, "stride")->capture_default_str();
  app.add_option("--padding,-P", p.padding, "padding: a number, 'same' or 'valid'")->capture_default_str();
  app.add_option("--dilation,-D", p.dilation, "dilation")->capture_default_str();
  app.add_option("--mode", p.mode, "padding mode: zeros, reflect, replicate, circular")->capture_default_str();
  app.add_option("--cell", cell, "output cell whose taps are shown, as row,col (default 0,0)");
  app.add_option("--try", try_n, "start from the chapter's 'what to try' suggestion 1-4")->check(CLI::Range(1, 4));
  app.add_flag("--transposed", p.transposed, "show the transposed convolution (ConvTranspose2d) instead");
  app.add_option("--output-padding", p.output_padding, "a transposed convolution's output_padding")
      ->capture_default_str();
  app.add_option("--rf", rf, "receptive-field mode from a preset: vgg, quick, wavenet or resnet-stem");
  app.add_option("--press", press, "keys to apply before showing the screen, as if typed (arrows: <up> ...)");
  app.add_option("--svg", svg, "also write the convolution picture as an SVG file");
  app.add_flag("--once", once, "print once even on a terminal (no keys)");
  app.add_flag("--show-keys", show_keys, "print the key help under the screen even when not interactive");
  CLI11_PARSE(app, argc, argv);
  try {
    if (try_n > 0) apply_try(p, try_n);
    if (!cell.empty()) {
      const std::size_t comma = cell.find(',');
      std::size_t row_end = 0, col_end = 0;
      try {
        p.row = std::stoll(cell.substr(0, comma), &row_end);
        p.col = std::stoll(cell.substr(comma + 1), &col_end);
      } catch (const std::exception&) {
        row_end = 0;
      }
      atrous::check_arg(comma != std::string::npos && row_end == comma && col_end == cell.size() - comma - 1 &&
                            p.row >= 0 && p.col >= 0,
                        "playground", "--cell must be row,col with two non-negative whole numbers, got '", cell, "'");
    }
    if (!rf.empty()) s.rf = rf_preset(rf), s.rf_mode = true;
    {
      bool ok = false;
      ConvView unused;
      screen(s, ok, unused);  // the first screen settles the defaults (the middle unit) keys start from
    }
    for (std::size_t i = 0; i < press.size();) {
      if (!apply_key(s, next_key(press, i))) break;
      bool ok = false;
      ConvView unused;
      screen(s, ok, unused);  // clamps the cell and unit as the screen would between keys
    }
    const bool interactive = !once && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    const std::unique_ptr<RawTerminal> raw = interactive ? std::make_unique<RawTerminal>() : nullptr;
    for (;;) {
      bool ok = false;
      ConvView view;
      const std::string text = screen(s, ok, view);
      if (interactive) std::cout << "\x1b[2J\x1b[H";
      std::cout << text;
      if (ok && !s.rf_mode && !svg.empty()) {
        atrous::write_file_atomically(svg, render_conv_svg(p, view), "playground --svg");  // throws: no "wrote" then
        std::cout << "\nwrote " << svg << '\n';
      }
      if (interactive || show_keys) std::cout << '\n' << key_help(s) << std::flush;
      if (!interactive) return ok ? 0 : 1;
      if (!apply_key(s, read_key())) return 0;
    }
  } catch (const std::exception& e) {
    std::cerr << e.what() << '\n';  // messages name the program and the flag
    return 1;
  }
}
