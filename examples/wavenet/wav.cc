// SPDX-License-Identifier: Apache-2.0
#include "examples/wavenet/wav.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "atrous/tensor/error.h"
#include "atrous/tensor/io/safetensors.h"

namespace atrous::examples {
namespace {

std::uint32_t le32(const std::string& b, const std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24;
}
std::uint16_t le16(const std::string& b, const std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(b[at]) | static_cast<unsigned char>(b[at + 1]) << 8);
}
void put32(std::string& b, const std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void put16(std::string& b, const std::uint16_t v) {
  b.push_back(static_cast<char>(v & 0xff));
  b.push_back(static_cast<char>(v >> 8));
}

}  // namespace

Audio read_wav(const std::string& path) {
  const std::string b = read_file(path, "read_wav");
  check_arg(b.size() >= 12 && b.compare(0, 4, "RIFF") == 0 && b.compare(8, 4, "WAVE") == 0, "read_wav", "'", path,
            "' is not a RIFF/WAVE file");
  int channels = 0, bits = 0, rate = 0;
  const char* data = nullptr;
  std::size_t data_size = 0;
  // espeak-ng writes 0xFFFFFFFF as the data size when streaming; such a chunk runs to the end.
  for (std::size_t at = 12; at + 8 <= b.size();) {
    const std::string id = b.substr(at, 4);
    const std::size_t size = std::min<std::size_t>(le32(b, at + 4), b.size() - at - 8);
    if (id == "fmt ") {
      check_arg(size >= 16, "read_wav", "'", path, "': fmt chunk of ", size, " bytes, expected at least 16");
      const std::uint16_t format = le16(b, at + 8);
      channels = le16(b, at + 10);
      rate = static_cast<int>(le32(b, at + 12));
      bits = le16(b, at + 22);
      check_arg(format == 1 || format == 0xFFFE, "read_wav", "'", path, "': format ", format,
                " is not PCM; only 16-bit PCM is supported");
    } else if (id == "data") {
      data = b.data() + at + 8;
      data_size = size;
    }
    at += 8 + size + (size & 1);
  }
  check_arg(channels > 0 && data != nullptr, "read_wav", "'", path, "' has no fmt or data chunk");
  check_arg(bits == 16, "read_wav", "'", path, "' has ", bits, "-bit samples; only 16-bit PCM is supported");
  check_arg(rate > 0, "read_wav", "'", path, "' has sample rate ", rate);
  Audio audio;
  audio.sample_rate = rate;
  const std::size_t frames = data_size / (2 * static_cast<std::size_t>(channels));
  audio.samples.resize(frames);
  for (std::size_t f = 0; f < frames; ++f) {
    double sum = 0;
    for (int c = 0; c < channels; ++c) {
      std::int16_t s;
      std::memcpy(&s, data + 2 * (f * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)), 2);
      sum += s;
    }
    audio.samples[f] = static_cast<float>(sum / channels / 32768.0);
  }
  return audio;
}

void write_wav(const std::string& path, const Audio& audio) {
  const auto n = static_cast<std::uint32_t>(audio.samples.size());
  std::string b = "RIFF";
  put32(b, 36 + 2 * n);
  b += "WAVEfmt ";
  put32(b, 16);
  put16(b, 1);  // PCM
  put16(b, 1);  // mono
  put32(b, static_cast<std::uint32_t>(audio.sample_rate));
  put32(b, static_cast<std::uint32_t>(audio.sample_rate) * 2);
  put16(b, 2);
  put16(b, 16);
  b += "data";
  put32(b, 2 * n);
  for (const float s : audio.samples) {
    put16(b, static_cast<std::uint16_t>(static_cast<std::int16_t>(std::lround(std::clamp(s, -1.0f, 1.0f) * 32767.0f))));
  }
  write_file_atomically(path, b);
}

}  // namespace atrous::examples
