// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/device.h"

#include <ostream>
#include <stdexcept>

#include "atrous/tensor/error.h"

namespace atrous {

Device::Device(const DeviceType type, const std::int16_t index) : type_(type), index_(index) {
  check_arg(index >= -1, "Device", "index must be -1 (none) or non-negative, got ", index);
}

Device::Device(const std::string& text) : type_(DeviceType::CPU), index_(-1) {
  const std::string kind = text.substr(0, text.find(':'));
  check_arg(kind == "cpu" || kind == "cuda", "Device", "unknown device '", text,
            "' (expected 'cpu', 'cuda' or 'cuda:N')");
  type_ = kind == "cpu" ? DeviceType::CPU : DeviceType::CUDA;
  if (kind.size() == text.size()) return;
  const std::string digits = text.substr(kind.size() + 1);
  check_arg(!digits.empty() && digits.size() <= 4 && digits.find_first_not_of("0123456789") == std::string::npos,
            "Device", "device index in '", text, "' must be a non-negative integer below 10000");
  index_ = static_cast<std::int16_t>(std::stoi(digits));
}

std::string Device::str() const {
  std::string out = is_cpu() ? "cpu" : "cuda";
  if (has_index()) out += ":" + std::to_string(index_);
  return out;
}

std::ostream& operator<<(std::ostream& os, const Device& device) { return os << device.str(); }

void check_cpu_device(const Device& device, const char* op) {
  check_arg(device.is_cpu(), op, "device '", device.str(),
            "' is not available: atrous runs on the CPU only (atrous::cuda::is_available() is false)");
}

}  // namespace atrous
