// SPDX-License-Identifier: Apache-2.0
// What each key does on the playground's screens, and the key help for each mode. Arrow keys
// arrive as escape sequences and are decoded to the Key values below.
#pragma once

#include "examples/playground/conv_view.h"
#include "examples/playground/rf_view.h"

#include <string>

namespace playground {

enum Key : int { kUp = 256, kDown, kLeft, kRight };

struct State {
  bool rf_mode = false;
  ConvParams conv;
  RfParams rf = rf_preset("vgg");
};

// Applies one key; returns false to quit.
bool apply_key(State& s, int key);

// Decodes the next key of `text` from position `i`, advancing `i`: an arrow's escape sequence, or
// its name as written in --press ("<up>", "<down>", "<left>", "<right>"), is one key.
int next_key(const std::string& text, std::size_t& i);

// The key help under the screen, at most 80 columns a line.
std::string key_help(const State& s);

}  // namespace playground
