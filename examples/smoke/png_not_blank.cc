// SPDX-License-Identifier: Apache-2.0
// png_not_blank FILE: exits 0 when the PNG shows something — at least 1 % of its pixels differ
// from its most common colour and it has at least 16 distinct colours — and says what it found;
// for the test that renders report.html in a browser.
#include <png.h>

#include <cstdio>
#include <map>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: png_not_blank FILE.png\n");
    return 2;
  }
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (png_image_begin_read_from_file(&image, argv[1]) == 0) {
    std::fprintf(stderr, "png_not_blank: cannot read '%s': %s\n", argv[1], image.message);
    return 1;
  }
  image.format = PNG_FORMAT_RGB;
  std::vector<png_byte> pixels(PNG_IMAGE_SIZE(image));
  if (png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr) == 0) {
    std::fprintf(stderr, "png_not_blank: cannot decode '%s': %s\n", argv[1], image.message);
    return 1;
  }
  std::map<unsigned, std::size_t> colours;
  for (std::size_t i = 0; i + 2 < pixels.size(); i += 3) {
    ++colours[static_cast<unsigned>(pixels[i]) << 16 | static_cast<unsigned>(pixels[i + 1]) << 8 | pixels[i + 2]];
  }
  std::size_t most = 0;
  for (const auto& [colour, count] : colours) most = count > most ? count : most;
  const std::size_t total = pixels.size() / 3;
  const double other = total ? 1.0 - static_cast<double>(most) / static_cast<double>(total) : 0.0;
  const bool shows = other >= 0.01 && colours.size() >= 16;
  std::printf("%s: %ux%u, %zu colours, %.1f %% of pixels differ from the background: %s\n", argv[1], image.width,
              image.height, colours.size(), 100.0 * other, shows ? "not blank" : "BLANK");
  return shows ? 0 : 1;
}
