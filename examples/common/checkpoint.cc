// SPDX-License-Identifier: Apache-2.0
#include "examples/common/checkpoint.h"

namespace atrous::examples {

void save_checkpoint(const std::string& path, const nn::Module& model, optim::Optimizer& optimizer,
                     const std::int64_t epoch) {
  NamedTensors all{{"epoch", full({}, static_cast<double>(epoch), kInt64)}};
  for (const auto& [name, t] : state_dict(model)) all.emplace_back("model." + name, t);
  for (const auto& [name, t] : optimizer.state_dict()) all.emplace_back("optimizer." + name, t);
  save_safetensors(path, all, {{"writer", "atrous"}});
}

std::int64_t load_checkpoint(const std::string& path, nn::Module& model, optim::Optimizer& optimizer) {
  NamedTensors model_state, optimizer_state;
  std::int64_t epoch = -1;
  for (const auto& [name, t] : load_safetensors(path)) {
    if (name.starts_with("model.")) {
      model_state.emplace_back(name.substr(6), t);
    } else if (name.starts_with("optimizer.")) {
      optimizer_state.emplace_back(name.substr(10), t);
    } else if (name == "epoch" && t.numel() == 1 && t.dtype() == kInt64) {
      epoch = t.item<std::int64_t>();
    } else {
      check_state(false, "load_checkpoint", "'", path, "' holds '", name, "', which is not part of a checkpoint");
    }
  }
  check_state(epoch >= 0, "load_checkpoint", "'", path, "' has no valid 'epoch' entry");
  load_state_dict(model, model_state, "checkpoint '" + path + "'");
  optimizer.load_state_dict(optimizer_state);
  return epoch;
}

}  // namespace atrous::examples
