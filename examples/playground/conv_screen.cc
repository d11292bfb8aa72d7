// SPDX-License-Identifier: Apache-2.0
#include "examples/playground/conv_screen.h"

#include "examples/playground/grid_text.h"

#include <sstream>

namespace playground {

using atrous::Tensor;

namespace {}  // namespace

std::string cell_sum(const ConvParams& p, const ConvView& v, const std::size_t width) {
  std::string terms;
  for (std::int64_t r = 0; r < v.padded.size(0); ++r) {
    for (std::int64_t c = 0; c < v.padded.size(1); ++c) {
      const auto [tr, tc] = tap_of(p, v, r, c);
      if (tr < 0) continue;
      const double w = value_at(v.weights, tr, tc), x = value_at(v.padded, r, c);
      if (w == 0.0) continue;
      const std::string term = w == 1.0 ? format_value(x) : format_value(w) + "*" + format_value(x);
      terms += (terms.empty() ? "" : " + ") + term;
    }
  }
  const std::string total = " = " + format_value(value_at(v.output, p.row, p.col));
  if (terms.empty()) return "0" + total + " (no tap with a non-zero weight)";
  if (" = " + terms == total) return terms + " (one tap, weight 1)";
  const std::size_t room = width > total.size() + 10 ? width - total.size() - 6 : 4;
  if (terms.size() > room) {
    const std::size_t cut = terms.rfind(" + ", room);
    terms = (cut == std::string::npos ? std::string("...") : terms.substr(0, cut) + " + ...");
  }
  return terms + total;
}

std::string render_conv_text(const ConvParams& p, const ConvView& v) {
  std::ostringstream s;
  const std::int64_t ip = v.padded.size(0), ek = atrous::effective_kernel_size(p.kernel_size, p.dilation);
  s << parameters(p, &v) << "\noutput cell (" << p.row << ", " << p.col << "), " << step_text(p, v) << "\n\n";

  // Scrolled to the middle of the output cell's window (transposed: of the input).
  GridText input{{}, ip, ip, p.row * p.stride + ek / 2, p.col * p.stride + ek / 2};
  if (p.transposed) input.focus_row = input.focus_col = ip / 2;
  for (std::int64_t r = 0; r < ip; ++r) {
    for (std::int64_t c = 0; c < ip; ++c) {
      const std::string x = format_value(value_at(v.padded, r, c));
      const bool tap = tap_of(p, v, r, c).first >= 0, pad = is_pad(p, v, r, c);
      input.cells.push_back(tap ? (pad ? "{" + x + "}" : "[" + x + "]") : pad ? "(" + x + ")" : x);
    }
  }
  if (p.transposed) {
    s << "input " << ip << "x" << ip << ", [cells] that reach the output cell:\n";
  } else {
    s << (v.before + v.after > 0 ? "padded input " : "input ") << ip << "x" << ip << ": [taps] of the output cell"
      << (v.before + v.after > 0 ? ", (padding), {taps on padding}" : "") << ":\n";
  }
  s << render_grid(input);

  // The weights spread over the effective kernel: dilation leaves holes, not new weights.
  GridText kernel{{}, ek, ek, 0, 0};
  for (std::int64_t r = 0; r < ek; ++r) {
    for (std::int64_t c = 0; c < ek; ++c) {
      const bool tap = r % p.dilation == 0 && c % p.dilation == 0;
      kernel.cells.push_back(tap ? format_value(value_at(v.weights, r / p.dilation, c / p.dilation)) : ".");
    }
  }
  s << "\neffective kernel k_eff = D*(K-1)+1 = " << p.dilation << "*(" << p.kernel_size << "-1)+1 = " << ek << ":\n"
    << "the " << p.kernel_size << "x" << p.kernel_size << " weights (" << p.weights << ")"
    << (p.dilation > 1 ? " spread " + std::to_string(p.dilation) + " apart, . = hole" : "") << ":\n"
    << render_grid(kernel);

  s << "\noutput size: " << v.formula << "\n";
  GridText output{{}, v.out, v.out, p.row, p.col};
  for (std::int64_t r = 0; r < v.out; ++r) {
    for (std::int64_t c = 0; c < v.out; ++c) {
      const std::string y = format_value(value_at(v.output, r, c));
      output.cells.push_back(r == p.row && c == p.col ? "[" + y + "]" : y);
    }
  }
  const std::string cell = "output[" + std::to_string(p.row) + "][" + std::to_string(p.col) + "] = ";
  s << "output " << v.out << "x" << v.out << ":\n"
    << render_grid(output) << cell << cell_sum(p, v, 80 - cell.size()) << '\n';
  return s.str();
}

}  // namespace playground
