// SPDX-License-Identifier: Apache-2.0
#include "examples/common/png.h"

#include <png.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace atrous::examples {
namespace {

constexpr std::int64_t kBorder = 2;
constexpr std::uint8_t kBorderGrey = 96;

void append_bytes(png_structp png, png_bytep data, const png_size_t length) {
  auto* out = static_cast<std::vector<std::uint8_t>*>(png_get_io_ptr(png));
  out->insert(out->end(), data, data + length);
}

// libpng reports errors by longjmp back to the setjmp below, so nothing in this frame may need a
// destructor: a plain C routine writing through append_bytes into `out`, which the caller owns.
// Returns false on any libpng error.
bool encode_rows(std::vector<std::uint8_t>* out, const std::uint8_t* pixels, const png_uint_32 width,
                 const png_uint_32 height) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  if (png == nullptr) return false;
  png_infop info = png_create_info_struct(png);
  if (info == nullptr || setjmp(png_jmpbuf(png))) {  // NOLINT(cert-err52-cpp): libpng's error protocol
    png_destroy_write_struct(&png, &info);
    return false;
  }
  png_set_write_fn(png, out, append_bytes, nullptr);
  png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (png_uint_32 y = 0; y < height; ++y) png_write_row(png, pixels + static_cast<std::size_t>(y) * width);
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}

}  // namespace

std::string image_grid_png(const Tensor& images, const std::int64_t columns, const double lo, const double hi,
                           const std::int64_t scale) {
  check_arg(images.dim() == 4 && images.size(1) == 1, "image_grid_png", "expected grey-scale images (N, 1, H, W), got ",
            shape_str(images.sizes()));
  check_arg(columns > 0 && scale > 0 && hi > lo, "image_grid_png",
            "needs columns > 0, scale > 0 and hi > lo, got columns=", columns, ", scale=", scale, ", lo=", lo,
            ", hi=", hi);
  const Tensor x = images.to(kFloat64).contiguous();
  const std::int64_t n = x.size(0), h = x.size(2), w = x.size(3);
  const std::int64_t rows = std::max<std::int64_t>(1, (n + columns - 1) / columns);
  const std::int64_t cols = std::min(columns, std::max<std::int64_t>(n, 1));
  const std::int64_t width = cols * (w * scale + kBorder) + kBorder, height = rows * (h * scale + kBorder) + kBorder;
  std::vector<std::uint8_t> pixels(static_cast<std::size_t>(width * height), kBorderGrey);
  const double* v = x.data_ptr<double>();
  for (std::int64_t i = 0; i < n; ++i) {
    const std::int64_t x0 = kBorder + (i % columns) * (w * scale + kBorder);
    const std::int64_t y0 = kBorder + (i / columns) * (h * scale + kBorder);
    for (std::int64_t y = 0; y < h * scale; ++y) {
      for (std::int64_t c = 0; c < w * scale; ++c) {
        const double t = (v[(i * h + y / scale) * w + c / scale] - lo) / (hi - lo);
        const double grey = std::isnan(t) ? 0.0 : std::clamp(t, 0.0, 1.0) * 255.0;
        pixels[static_cast<std::size_t>((y0 + y) * width + x0 + c)] = static_cast<std::uint8_t>(std::lround(grey));
      }
    }
  }
  std::vector<std::uint8_t> bytes;
  check_state(encode_rows(&bytes, pixels.data(), static_cast<png_uint_32>(width), static_cast<png_uint_32>(height)),
              "image_grid_png", "libpng could not encode a ", width, "x", height, " image");
  return {bytes.begin(), bytes.end()};
}

void write_image_grid_png(const std::string& path, const Tensor& images, const std::int64_t columns, const double lo,
                          const double hi, const std::int64_t scale) {
  write_file_atomically(path, image_grid_png(images, columns, lo, hi, scale), "write_image_grid_png");
}

}  // namespace atrous::examples
