// SPDX-License-Identifier: Apache-2.0
#include "examples/common/png.h"

#include <png.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <vector>

namespace atrous::examples {
namespace {

constexpr std::int64_t kBorder = 2;
constexpr std::uint8_t kBorderGrey = 96;

// libpng reports errors by longjmp back to the setjmp below, so nothing in this frame may need a
// destructor: a plain C routine. Returns false on any libpng error.
bool write_rows(std::FILE* file, const std::uint8_t* pixels, const png_uint_32 width, const png_uint_32 height) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  if (png == nullptr) return false;
  png_infop info = png_create_info_struct(png);
  if (info == nullptr || setjmp(png_jmpbuf(png))) {  // NOLINT(cert-err52-cpp): libpng's error protocol
    png_destroy_write_struct(&png, &info);
    return false;
  }
  png_init_io(png, file);
  png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (png_uint_32 y = 0; y < height; ++y) png_write_row(png, pixels + static_cast<std::size_t>(y) * width);
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}

void write_grey_png(const std::string& path, const std::vector<std::uint8_t>& pixels, const std::int64_t width,
                    const std::int64_t height) {
  // Written beside the target and renamed, so a reader never sees half a file.
  const std::string tmp = path + ".tmp";
  std::FILE* file = std::fopen(tmp.c_str(), "wb");
  if (file == nullptr) throw std::runtime_error("cannot create '" + tmp + "'");
  const bool written =
      write_rows(file, pixels.data(), static_cast<png_uint_32>(width), static_cast<png_uint_32>(height));
  if (std::fclose(file) != 0 || !written) {
    std::filesystem::remove(tmp);
    throw std::runtime_error("cannot write the PNG '" + tmp + "'");
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace

void write_image_grid_png(const std::string& path, const Tensor& images, const std::int64_t columns, const double lo,
                          const double hi, const std::int64_t scale) {
  check_arg(images.dim() == 4 && images.size(1) == 1, "write_image_grid_png",
            "expected grey-scale images (N, 1, H, W), got ", shape_str(images.sizes()));
  check_arg(columns > 0 && scale > 0 && hi > lo, "write_image_grid_png",
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
  write_grey_png(path, pixels, width, height);
}

}  // namespace atrous::examples
