// Checkpoints: a module's state dict (parameters and buffers by dotted name) as safetensors, so
// weights move between atrous and PyTorch (tools/state_dict_safetensors.py converts).
#pragma once

#include <string>

#include "layers/module.h"
#include "tensor/io/safetensors.h"

namespace atrous {

// Parameters then buffers, by dotted name, sharing storage with the module.
NamedTensors state_dict(const nn::Module& module);
// Copies `state` into the module's tensors; every name, shape and dtype must match, and the error
// lists everything that does not (missing, unexpected, mismatched) before changing anything.
// `what` names the source in that error (e.g. the file).
void load_state_dict(nn::Module& module, const NamedTensors& state, const std::string& what);

// Saves atomically: the previous file at `path` survives a crash mid-save.
void save(const nn::Module& module, const std::string& path);
// Loads into the module's existing tensors, as load_state_dict.
void load(nn::Module& module, const std::string& path);

}  // namespace atrous
