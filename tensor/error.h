// SPDX-License-Identifier: Apache-2.0
// The one way atrous reports bad input: messages that name the operation, the argument and
// the numbers. g++ 12 has no <format>, so messages are built by streaming their parts.
#pragma once

#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <vector>

namespace atrous {

// "[2, 3, 4]": how shapes appear in every message.
std::string shape_str(const std::vector<std::int64_t>& sizes);

// The readable C++ name of a type ("atrous::nn::LinearImpl"), for names and messages.
std::string demangled_name(const std::type_info& type);

template <typename... Parts>
std::string str_cat(const Parts&... parts) {
  std::ostringstream os;
  (os << ... << parts);
  return os.str();
}

// libtorch's c10::str: the parts streamed into one string.
template <typename... Parts>
std::string str(const Parts&... parts) {
  return str_cat(parts...);
}

// Throws std::invalid_argument("op: parts...") unless `ok`.
template <typename... Parts>
void check_arg(const bool ok, const char* op, const Parts&... parts) {
  if (!ok) throw std::invalid_argument(str_cat(op, ": ", parts...));
}

// Throws std::runtime_error("op: parts...") unless `ok`: for states rather than arguments.
template <typename... Parts>
void check_state(const bool ok, const char* op, const Parts&... parts) {
  if (!ok) throw std::runtime_error(str_cat(op, ": ", parts...));
}

// fn(), with the message of a std::invalid_argument it throws prefixed by "op: ": for shared
// helpers (geometry, shapes) whose errors should name the operation a user called.
template <typename Fn>
auto with_op_name(const std::string& op, const Fn& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(op + ": " + e.what());
  }
}

}  // namespace atrous
