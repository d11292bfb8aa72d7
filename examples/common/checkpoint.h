// SPDX-License-Identifier: Apache-2.0
// A training checkpoint in one safetensors file: the model's state dict ("model.*"), the
// optimizer's state ("optimizer.*") and the number of finished epochs ("epoch"). Saved atomically,
// so a crash mid-save leaves the previous checkpoint intact.
#pragma once

#include <cstdint>
#include <string>

#include <atrous/atrous.h>

namespace atrous::examples {

void save_checkpoint(const std::string& path, const nn::Module& model, optim::Optimizer& optimizer, std::int64_t epoch);

// Restores model and optimizer and returns the finished epochs; the error names every mismatch.
std::int64_t load_checkpoint(const std::string& path, nn::Module& model, optim::Optimizer& optimizer);

}  // namespace atrous::examples
