// SPDX-License-Identifier: Apache-2.0
// Checkpoints: a module's state dict (parameters and buffers by dotted name) as safetensors, so
// weights move between atrous and PyTorch (tools/state_dict_safetensors.py converts).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "atrous/layers/module.h"
#include "atrous/layers/module_holder.h"
#include "atrous/layers/optim/optimizer.h"
#include "atrous/tensor/io/safetensors.h"

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

// libtorch's forms: the holder itself (atrous::save(model, "net.safetensors")) or a pointer.
template <typename Impl>
void save(const nn::ModuleHolder<Impl>& module, const std::string& path) {
  save(static_cast<const nn::Module&>(*module), path);
}
template <typename Impl>
void load(nn::ModuleHolder<Impl>& module, const std::string& path) {
  load(static_cast<nn::Module&>(*module), path);
}
template <typename M>
requires std::is_base_of_v<nn::Module, M>
void save(const std::shared_ptr<M>& module, const std::string& path) {
  save(static_cast<const nn::Module&>(*module), path);
}
template <typename M>
requires std::is_base_of_v<nn::Module, M>
void load(const std::shared_ptr<M>& module, const std::string& path) { load(static_cast<nn::Module&>(*module), path); }

// One tensor, or a list of tensors, in a safetensors file; load replaces the handles.
void save(const Tensor& tensor, const std::string& path);
void load(Tensor& tensor, const std::string& path);
void save(const std::vector<Tensor>& tensors, const std::string& path);
void load(std::vector<Tensor>& tensors, const std::string& path);

// An optimizer's state (learning rates and per-parameter buffers), as Optimizer::state_dict.
void save(optim::Optimizer& optimizer, const std::string& path);
void load(optim::Optimizer& optimizer, const std::string& path);

}  // namespace atrous
