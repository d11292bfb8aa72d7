// SPDX-License-Identifier: Apache-2.0
// Linked with the object files of the lower layers only (tests/CMakeLists.txt): that it links at
// all is the check, as every object's references must resolve without the layers above. Running
// it also shows that those objects work on their own.
#include <iostream>

#include "atrous/tensor/factory.h"
#include "atrous/tensor/ops/reduce.h"

int main() {
  const atrous::Tensor x = atrous::ones({2, 3});
  const double total = atrous::value_at(atrous::native::sum(x, {0, 1}, false), 0);
  std::cout << "sum of ones(2, 3) = " << total << "\n";
  return total == 6 ? 0 : 1;
}
