// SPDX-License-Identifier: Apache-2.0
// Device, DeviceType and kCPU: atrous runs on the CPU only, and these exist so device-generic
// libtorch code (`x.to(device)`, `torch::cuda::is_available() ? kCUDA : kCPU`) compiles and runs
// unchanged. Asking for any other device raises an error that says so.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

namespace atrous {

enum class DeviceType : std::int8_t { CPU = 0, CUDA = 1 };

inline constexpr DeviceType kCPU = DeviceType::CPU;
inline constexpr DeviceType kCUDA = DeviceType::CUDA;

class Device {
 public:
  Device(DeviceType type, std::int16_t index = -1);  // NOLINT(google-explicit-constructor): as libtorch
  // "cpu", "cuda", "cuda:1"; anything else is an invalid_argument.
  Device(const std::string& text);                         // NOLINT(google-explicit-constructor)
  Device(const char* text) : Device(std::string(text)) {}  // NOLINT(google-explicit-constructor)

  DeviceType type() const noexcept { return type_; }
  std::int16_t index() const noexcept { return index_; }
  bool has_index() const noexcept { return index_ != -1; }
  bool is_cpu() const noexcept { return type_ == DeviceType::CPU; }
  bool is_cuda() const noexcept { return type_ == DeviceType::CUDA; }
  std::string str() const;
  bool operator==(const Device& other) const noexcept = default;

 private:
  DeviceType type_;
  std::int16_t index_;
};

std::ostream& operator<<(std::ostream& os, const Device& device);

// Throws unless `device` is the CPU, naming `op` and the device asked for.
void check_cpu_device(const Device& device, const char* op);

namespace cuda {
inline bool is_available() noexcept { return false; }
inline std::int64_t device_count() noexcept { return 0; }
}  // namespace cuda

}  // namespace atrous
