// SPDX-License-Identifier: Apache-2.0
// The playground's convolution picture: the parameters a user turns (the chapter's I, K, S, P, D,
// padding mode and kernel weights, or a transposed convolution's), and everything the screen
// shows, computed with atrous: the padded input, which cells feed the chosen output cell, the
// weights, the effective kernel, the output-size formula and the output.
#pragma once

#include <atrous/atrous.h>

#include <cstdint>
#include <string>
#include <utility>

namespace playground {

struct ConvParams {
  std::int64_t input = 5, kernel_size = 3, stride = 1, dilation = 1;
  std::string padding = "0", mode = "zeros";
  std::string weights = "chapter";  // chapter (corners and centre, a checkerboard), ones or random
  std::uint64_t seed = 0;           // for random weights
  std::int64_t row = 0, col = 0;    // the output cell whose taps are shown
  bool transposed = false;          // ConvTranspose2d: input cells spread onto the output
  std::int64_t output_padding = 0;
};

// Everything the picture shows.
struct ConvView {
  atrous::Tensor padded, weights, output;  // (Ip, Ip), (K, K) and (O, O)
  std::int64_t before = 0, after = 0, out = 0;
  std::string formula;
};

// Refuses parameters outside what the screen can show, naming the flag.
void check(const ConvParams& p);

ConvView compute(const ConvParams& p);

// The output's side, without computing it (<= 0: the kernel does not fit).
std::int64_t output_side(const ConvParams& p);

// The (K, K) kernel: "chapter" is the chapter's corner-plus-centre kernel for K = 3, and the
// same checkerboard of ones and zeros for other sizes; "random" draws integers in [-2, 2].
atrous::Tensor kernel_weights(const ConvParams& p);

// Whether cell (r, c) of the padded input (or, transposed, of the input) feeds the chosen
// output cell, and through which tap: {tap row, tap col}, or {-1, -1}.
std::pair<std::int64_t, std::int64_t> tap_of(const ConvParams& p, const ConvView& v, std::int64_t r, std::int64_t c);
// Whether cell (r, c) on the left of the picture is padding rather than input.
bool is_pad(const ConvParams& p, const ConvView& v, std::int64_t r, std::int64_t c);

// Whether the padding mode matters: there is padding to fill.
bool mode_active(const ConvParams& p, const ConvView& v);

// "I=5 K=3 S=1 P=0 D=1 mode=zeros (inactive: P=0) weights=chapter".
std::string parameters(const ConvParams& p, const ConvView* v = nullptr);

// Applies the chapter's "What to try" suggestion n (1-4), from the chapter's default screen.
void apply_try(ConvParams& p, int n);
// The suggestion's text, as the chapter words it.
const char* try_text(int n);

// Element (r, c) of a 2-D tensor, and a grid value as the screens print it ("35", "-2", "0.5").
double value_at(const atrous::Tensor& t, std::int64_t r, std::int64_t c);
std::string format_value(double x);

// "step 4/9": the chosen output cell's place in the walk of the kernel over the output.
std::string step_text(const ConvParams& p, const ConvView& v);

}  // namespace playground
