// SPDX-License-Identifier: Apache-2.0
// Rewrites docs/errors.md from the cases: write_errors_doc <path to docs/errors.md>.
#include <fstream>
#include <iostream>

#include "tests/catalogue/error_cases.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: write_errors_doc docs/errors.md\n";
    return 2;
  }
  std::ofstream doc(argv[1]);
  doc << atrous::kErrorsDocHeader;
  for (const atrous::ErrorCase& c : atrous::error_cases()) {
    doc << "| `" << c.id << "` | " << c.area << " | " << atrous::cell(c.input) << " | "
        << atrous::cell(atrous::outcome(c)) << " |\n";
  }
  std::cout << "wrote " << atrous::error_cases().size() << " rows to " << argv[1] << '\n';
  return doc ? 0 : 1;
}
