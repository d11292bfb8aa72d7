// SPDX-License-Identifier: Apache-2.0
#include "atrous/tensor/io/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "atrous/tensor/error.h"

namespace atrous {
namespace {

// The process's umask, read without setting it (umask(2) can only swap it, which would race
// with files other threads create meanwhile); 022 where /proc does not say.
mode_t process_umask() {
  std::FILE* status = std::fopen("/proc/self/status", "r");
  unsigned mask = 022;
  if (status != nullptr) {
    char line[256];
    while (std::fgets(line, sizeof line, status) != nullptr) {
      if (std::sscanf(line, "Umask: %o", &mask) == 1) break;
    }
    std::fclose(status);
  }
  return static_cast<mode_t>(mask);
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& bytes, const char* op) {
  // mkstemp: a name no other writer (thread or process) of the same path can be using.
  std::vector<char> tmp(path.begin(), path.end());
  for (const char c : std::string(".tmp.XXXXXX")) tmp.push_back(c);
  tmp.push_back('\0');
  const int fd = ::mkstemp(tmp.data());
  check_state(fd >= 0, op, "cannot create a temporary file beside '", path, "': ", std::strerror(errno));
  const auto fail = [&](const char* what) {
    const int err = errno;
    ::close(fd);
    ::unlink(tmp.data());
    check_state(false, op, what, " '", path, "' failed: ", std::strerror(err), "; the previous file is unchanged");
  };
  // mkstemp creates 0600; files are as readable as the umask allows an ordinary open's 0666.
  if (::fchmod(fd, 0666 & ~process_umask()) != 0) fail("setting the permissions of");
  for (std::size_t done = 0; done < bytes.size();) {
    const ssize_t w = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) fail("writing");
    done += static_cast<std::size_t>(w);
  }
  if (::fsync(fd) != 0) fail("flushing");
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.data());
    check_state(false, op, "closing '", path, "' failed: ", std::strerror(err), "; the previous file is unchanged");
  }
  if (std::rename(tmp.data(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.data());
    check_state(false, op, "could not replace '", path, "': ", std::strerror(err));
  }
}

std::string read_file(const std::string& path, const char* op) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  check_state(fd >= 0, op, "cannot open '", path, "': ", std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    check_state(false, op, "'", path, "' is not a regular file", S_ISDIR(st.st_mode) ? " (it is a directory)" : "");
  }
  std::string out;
  char buf[1 << 16];
  while (true) {
    const ssize_t r = ::read(fd, buf, sizeof buf);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      const int err = errno;
      ::close(fd);
      check_state(false, op, "reading '", path, "' failed: ", std::strerror(err));
    }
    if (r == 0) break;
    out.append(buf, static_cast<std::size_t>(r));
  }
  ::close(fd);
  return out;
}

}  // namespace atrous
