// SPDX-License-Identifier: Apache-2.0
// The cases of docs/errors.md: an id, the area, the invalid input in words, and the code that
// feeds it to atrous. outcome() runs a case and describes what a user sees.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace atrous {

struct ErrorCase {
  const char* id;
  const char* area;
  const char* input;
  // Throws for invalid input; for input that is valid (NaN, empty tensors) returns the result.
  std::function<std::string()> run;
};

const std::vector<ErrorCase>& error_cases();

// GoogleTest prints a case by its id.
inline void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.id; }

// "std::invalid_argument: <what()>", "std::runtime_error: <what()>", or "returns <result>".
std::string outcome(const ErrorCase& c);

// A table cell: '|' escaped, newlines as <br>.
std::string cell(const std::string& text);

inline constexpr const char* kErrorsDocHeader =
    "# What atrous does with bad input\n\n"
    "Every row is a test: `tests/catalogue/error_catalogue_test.cc` runs the input and requires exactly\n"
    "the outcome shown (`tests/catalogue/error_cases.cc` holds the code of each row;\n"
    "`build/tests/write_errors_doc` rewrites this table from it). Invalid arguments raise\n"
    "`std::invalid_argument`, invalid states (and files) `std::runtime_error`; messages name the\n"
    "operation, the argument and the numbers. Inputs PyTorch accepts — NaN, infinities, empty\n"
    "tensors — give PyTorch's result.\n\n"
    "| id | area | input | what happens |\n|---|---|---|---|\n";

}  // namespace atrous
