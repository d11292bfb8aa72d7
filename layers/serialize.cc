// SPDX-License-Identifier: Apache-2.0
#include "atrous/layers/serialize.h"

#include <map>
#include <sstream>

#include "atrous/autograd/grad_mode.h"
#include "atrous/tensor/io/safetensors.h"

namespace atrous {

NamedTensors state_dict(const nn::Module& module) {
  NamedTensors all = module.named_parameters().pairs();
  for (const auto& b : module.named_buffers()) all.push_back(b.pair());
  return all;
}

void save(const nn::Module& module, const std::string& path) {
  save_safetensors(path, state_dict(module), {{"format", "pt"}, {"writer", "atrous"}});
}

void load(nn::Module& module, const std::string& path) {
  load_state_dict(module, load_safetensors(path), "'" + path + "'");
}

void save(const Tensor& tensor, const std::string& path) {
  save_safetensors(path, {{"tensor", tensor.contiguous()}}, {{"writer", "atrous"}});
}

void load(Tensor& tensor, const std::string& path) {
  const NamedTensors file = load_safetensors(path);
  check_state(file.size() == 1 && file.front().first == "tensor", "load", "'", path,
              "' does not hold one tensor saved by save(tensor, path) (it has ", file.size(), " entries)");
  tensor = file.front().second;
}

void save(const std::vector<Tensor>& tensors, const std::string& path) {
  NamedTensors named;
  for (std::size_t i = 0; i < tensors.size(); ++i) named.emplace_back(std::to_string(i), tensors[i].contiguous());
  save_safetensors(path, named, {{"writer", "atrous"}, {"format", "tensor_list"}});
}

void load(std::vector<Tensor>& tensors, const std::string& path) {
  const NamedTensors file = load_safetensors(path);
  std::vector<Tensor> out(file.size());
  for (const auto& [name, t] : file) {
    const bool index = !name.empty() && name.size() < 10 && name.find_first_not_of("0123456789") == std::string::npos;
    check_state(index && std::stoul(name) < file.size(), "load", "'", path, "' entry '", name,
                "' is not an index of a saved tensor list");
    out[std::stoul(name)] = t;
  }
  tensors = std::move(out);
}

void save(optim::Optimizer& optimizer, const std::string& path) {
  save_safetensors(path, optimizer.state_dict(), {{"writer", "atrous"}, {"format", "optimizer"}});
}

void load(optim::Optimizer& optimizer, const std::string& path) {
  with_op_name("load", [&] { optimizer.load_state_dict(load_safetensors(path)); });
}

void load_state_dict(nn::Module& module, const NamedTensors& file, const std::string& what) {
  std::map<std::string, Tensor> stored(file.begin(), file.end());
  const NamedTensors own = state_dict(module);
  std::ostringstream problems;
  int count = 0;
  for (const auto& [name, t] : own) {
    const auto it = stored.find(name);
    if (it == stored.end()) {
      problems << "\n  missing: " << name << " " << dtype_name(t.dtype()) << shape_str(t.sizes());
      ++count;
      continue;
    }
    if (it->second.sizes() != t.sizes() || it->second.dtype() != t.dtype()) {
      problems << "\n  mismatch: " << name << " is " << dtype_name(t.dtype()) << shape_str(t.sizes())
               << " in the module but " << dtype_name(it->second.dtype()) << shape_str(it->second.sizes())
               << " in the file";
      ++count;
    }
  }
  std::map<std::string, bool> known;
  for (const auto& [name, t] : own) known[name] = true;
  for (const auto& [name, t] : file) {
    if (!known.count(name)) {
      problems << "\n  unexpected: " << name << " " << dtype_name(t.dtype()) << shape_str(t.sizes());
      ++count;
    }
  }
  check_state(count == 0, "load", what, " does not fit ", module.name(), " (", count, " problem", count == 1 ? "" : "s",
              "):", problems.str());
  const NoGradGuard no_grad;
  for (const auto& [name, t] : own) Tensor(t).copy_(stored.at(name));
}

}  // namespace atrous
