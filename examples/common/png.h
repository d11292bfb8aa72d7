// SPDX-License-Identifier: Apache-2.0
// Pictures of tensors as PNG files (written by libpng): a grid of grey-scale images, e.g. the
// DCGAN's samples, for a person to look at.
#pragma once

#include <cstdint>
#include <string>

#include <atrous/atrous.h>

namespace atrous::examples {

// The PNG file's bytes of `images` (N, 1, H, W), values in [lo, hi] mapped to black..white and
// clamped, as one grid of `columns` images per row with a 2-pixel border between them, each pixel
// drawn as a scale × scale square.
std::string image_grid_png(const Tensor& images, std::int64_t columns, double lo, double hi, std::int64_t scale = 2);

// The same written to `path` (atomically); throws std::runtime_error naming the path if it
// cannot be written.
void write_image_grid_png(const std::string& path, const Tensor& images, std::int64_t columns, double lo, double hi,
                          std::int64_t scale = 2);

}  // namespace atrous::examples
