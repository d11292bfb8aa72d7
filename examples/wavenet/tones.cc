// SPDX-License-Identifier: Apache-2.0
#include "examples/wavenet/tones.h"

#include <cmath>
#include <numbers>

namespace atrous::examples {

// Notes of 0.5 s stepping through a pentatonic scale, each a fundamental with three decaying
// harmonics, a slow vibrato and an attack/decay envelope. The phase is accumulated so pitch
// changes do not click.
Audio synthesize_tones(const double seconds, const int sample_rate) {
  constexpr double kNotes[] = {220.0, 247.5, 277.2, 330.0, 370.0, 440.0, 370.0, 330.0};
  constexpr double kNoteSeconds = 0.5;
  Audio audio;
  audio.sample_rate = sample_rate;
  const auto n = static_cast<std::size_t>(seconds * sample_rate);
  audio.samples.resize(n);
  double phase = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / sample_rate;
    const auto note = static_cast<std::size_t>(t / kNoteSeconds);
    const double in_note = t - static_cast<double>(note) * kNoteSeconds;
    const double f = kNotes[note % std::size(kNotes)] * (1 + 0.01 * std::sin(2 * std::numbers::pi * 5 * t));
    phase += 2 * std::numbers::pi * f / sample_rate;
    const double envelope = std::min(1.0, in_note / 0.02) * std::exp(-3 * in_note) * (0.5 + 0.3 * std::sin(t));
    double s = 0;
    for (int h = 1; h <= 4; ++h) s += std::sin(h * phase) / (h * h);
    audio.samples[i] = static_cast<float>(0.6 * envelope * s);
  }
  return audio;
}

}  // namespace atrous::examples
