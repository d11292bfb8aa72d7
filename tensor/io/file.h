// SPDX-License-Identifier: Apache-2.0
// Whole-file reads and crash-safe writes, shared by every reader and writer of files (npy,
// safetensors, IDX, checkpoints, metrics, pictures).
#pragma once

#include <string>

namespace atrous {

// Writes `bytes` to `path` atomically: a fresh temporary file in the same folder, written in full,
// fsync'ed, then renamed over `path`. A full disk or a crash leaves the previous file as it was;
// std::runtime_error("op: ...") names the path and the system's reason.
void write_file_atomically(const std::string& path, const std::string& bytes, const char* op = "save");

// The bytes of the regular file at `path`; std::runtime_error("op: ...") naming the path for a
// missing file, a directory or a read error.
std::string read_file(const std::string& path, const char* op);

}  // namespace atrous
