// SPDX-License-Identifier: Apache-2.0
#include "examples/playground/keys.h"

#include <algorithm>

namespace playground {

namespace {

void bump(std::int64_t& v, const std::int64_t by, const std::int64_t lo) { v = std::max(lo, v + by); }

// Walks the output cell on by `by` cells in reading order, wrapping around, as the chapter's
// "step 4/9" does. Parameters with no output leave the cell alone.
void step(ConvParams& p, const std::int64_t by) {
  std::int64_t out = 0;
  try {
    out = output_side(p);
  } catch (const std::exception&) {
    return;
  }
  if (out <= 0) return;
  const std::int64_t cells = out * out;
  const std::int64_t at =
      std::clamp<std::int64_t>(p.row, 0, out - 1) * out + std::clamp<std::int64_t>(p.col, 0, out - 1);
  const std::int64_t next = ((at + by) % cells + cells) % cells;
  p.row = next / out, p.col = next % out;
}

bool conv_key(ConvParams& p, const int key) {
  static const char* kModes[] = {"zeros", "reflect", "replicate", "circular"};
  static const char* kWeights[] = {"chapter", "ones", "random"};
  const auto cycle = [](std::string& v, const char* const* names, const std::size_t n) {
    std::size_t i = 0;
    while (i < n && v != names[i]) ++i;
    v = names[(i + 1) % n];
  };
  switch (key) {
    case 'i': bump(p.input, -1, 1); break;
    case 'I': bump(p.input, 1, 1); break;
    case 'k': bump(p.kernel_size, -1, 1); break;
    case 'K': bump(p.kernel_size, 1, 1); break;
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
    case 'm': cycle(p.mode, kModes, 4); break;
    case 'w': cycle(p.weights, kWeights, 3); break;
    case 'W': p.weights = "random", ++p.seed; break;
    case 'n':
    case kRight: ++p.col; break;
    case 'b':
    case kLeft: p.col = std::max<std::int64_t>(0, p.col - 1); break;
    case 'j':
    case kDown: ++p.row; break;
    case 'u':
    case kUp: p.row = std::max<std::int64_t>(0, p.row - 1); break;
    case ' ': step(p, 1); break;
    case ',':
    case 127: step(p, -1); break;
    case 't': p.transposed = !p.transposed; break;
    case 'o': bump(p.output_padding, -1, 0); break;
    case 'O': bump(p.output_padding, 1, 0); break;
    case '1':
    case '2':
    case '3':
    case '4': apply_try(p, key - '0'); break;
    default: break;
  }
  return true;
}

bool rf_key(RfParams& p, const int key) {
  RfLayer* layer = p.selected > 0 && p.selected <= p.layers.size() ? &p.layers[p.selected - 1] : nullptr;
  switch (key) {
    case 'u':
    case kUp: p.selected = p.selected > 0 ? p.selected - 1 : 0; break;
    case 'j':
    case kDown: p.selected = std::min(p.selected + 1, p.layers.size()); break;
    case 'b':
    case kLeft: p.unit_col = std::max<std::int64_t>(0, p.unit_col - 1); break;
    case 'n':
    case kRight: ++p.unit_col; break;
    case 'y': p.unit_row = std::max<std::int64_t>(0, p.unit_row - 1); break;
    case 'h': ++p.unit_row; break;
    case 'i': bump(p.input, -1, 1); break;
    case 'I': bump(p.input, 1, 1); break;
    case 'e': p.input = std::max<std::int64_t>(1, p.input / 2); break;
    case 'E': p.input = std::min<std::int64_t>(4096, p.input * 2); break;
    case 'a': {
      const RfLayer added = layer != nullptr ? *layer : RfLayer{};
      p.layers.insert(p.layers.begin() + static_cast<std::ptrdiff_t>(p.selected), added);
      ++p.selected;
      break;
    }
    case 'x':
      if (layer != nullptr) {
        p.layers.erase(p.layers.begin() + static_cast<std::ptrdiff_t>(p.selected - 1));
        --p.selected;
      }
      break;
    case '1':
    case '2':
    case '3':
    case '4': p = rf_preset(rf_preset_name(key - '0')); break;
    default:
      if (layer == nullptr) break;
      switch (key) {
        case 'k': bump(layer->kernel, -1, 1); break;
        case 'K': bump(layer->kernel, 1, 1); break;
        case 's': bump(layer->stride, -1, 1); break;
        case 'S': bump(layer->stride, 1, 1); break;
        case 'd': bump(layer->dilation, -1, 1); break;
        case 'D': bump(layer->dilation, 1, 1); break;
        case 'c': layer->causal = !layer->causal; break;
        case 'p': layer->pool = !layer->pool; break;
        default: break;
      }
  }
  return true;
}

}  // namespace

bool apply_key(State& s, const int key) {
  if (key == 'q') return false;
  if (key == 'r') {
    s.rf_mode = !s.rf_mode;
    return true;
  }
  return s.rf_mode ? rf_key(s.rf, key) : conv_key(s.conv, key);
}

int next_key(const std::string& text, std::size_t& i) {
  static const std::pair<const char*, int> kNamed[] = {
      {"<up>", kUp}, {"<down>", kDown}, {"<left>", kLeft}, {"<right>", kRight}};
  for (const auto& [name, key] : kNamed) {
    if (text.compare(i, std::char_traits<char>::length(name), name) == 0) {
      i += std::char_traits<char>::length(name);
      return key;
    }
  }
  if (i + 2 < text.size() && text[i] == '\x1b' && text[i + 1] == '[') {
    const char code = text[i + 2];
    if (code >= 'A' && code <= 'D') {
      i += 3;
      static const int kArrows[] = {kUp, kDown, kRight, kLeft};  // ESC [ A, B, C, D
      return kArrows[code - 'A'];
    }
  }
  return static_cast<unsigned char>(text[i++]);
}

std::string key_help(const State& s) {
  if (s.rf_mode) {
    return "keys: up/down (u/j) choose a layer   left/right (b/n) and y/h move its unit\n"
           "      k/K s/S d/D the layer's kernel, stride, dilation   c causal   p conv/pool\n"
           "      a add a layer after it   x remove it   i/I e/E input -1/+1, /2 x2\n"
           "      presets: 1 vgg (the widget)  2 quick check  3 wavenet  4 resnet-stem\n"
           "      r convolution   q quit\n";
  }
  std::string help =
      "keys: i/I k/K s/S p/P d/D o/O less/more   a same  v valid  m mode  w weights\n"
      "      arrows (b/n u/j) move the output cell, space/backspace step on/back\n"
      "      t transposed   r receptive fields   q quit\n"
      "what to try (keys 1-4):\n";
  for (int n = 1; n <= 4; ++n) help += "  " + std::to_string(n) + " " + try_text(n) + "\n";
  return help;
}

}  // namespace playground
