// Prints get_num_threads(): CTest runs it with ATROUS_NUM_THREADS set to check the default.
#include <cstdio>

#include "tensor/parallel.h"

#include <exception>

int main() {
  try {
    std::printf("%d\n", atrous::get_num_threads());
  } catch (const std::exception& e) {
    std::printf("error: %s\n", e.what());
    return 1;
  }
  return 0;
}
