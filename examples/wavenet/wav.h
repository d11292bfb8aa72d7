// SPDX-License-Identifier: Apache-2.0
// 16-bit PCM WAV files: reading any channel count and rate (mixed down to mono, in [-1, 1]) and
// writing mono. The reader treats the file as untrusted: every chunk size is checked against the
// file before use.
#pragma once

#include <string>
#include <vector>

namespace atrous::examples {

struct Audio {
  std::vector<float> samples;  // mono, in [-1, 1]
  int sample_rate = 16000;
};

Audio read_wav(const std::string& path);
void write_wav(const std::string& path, const Audio& audio);

}  // namespace atrous::examples
