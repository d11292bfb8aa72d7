// SPDX-License-Identifier: Apache-2.0
// The default training signal: harmonic tones whose pitch glides and whose loudness swells, at
// 16 kHz — deterministic, so every run and machine trains on the same waveform.
#pragma once

#include "examples/wavenet/wav.h"

namespace atrous::examples {

Audio synthesize_tones(double seconds, int sample_rate = 16000);

}  // namespace atrous::examples
