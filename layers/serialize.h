// Checkpoints: a module's state dict (parameters and buffers by dotted name) as safetensors, so
// weights move between atrous and PyTorch (tools/state_dict_safetensors.py converts).
#pragma once

#include <string>

#include "layers/module.h"

namespace atrous {

// Saves atomically: the previous file at `path` survives a crash mid-save.
void save(const nn::Module& module, const std::string& path);
// Loads into the module's existing tensors; every name, shape and dtype must match, and the
// error lists everything that does not (missing, unexpected, mismatched) before changing anything.
void load(nn::Module& module, const std::string& path);

}  // namespace atrous
