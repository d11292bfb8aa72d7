// SPDX-License-Identifier: Apache-2.0
// The bad-input catalogue: every row of docs/errors.md is one case here and one test, which runs
// the invalid input and requires exactly the outcome the document promises — the exception type
// and message users see, or for inputs PyTorch accepts (NaN, empty tensors), the result.
// tests/catalogue/write_errors_doc (built beside this test) rewrites the table from the cases.
#include <atrous/atrous.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "tests/catalogue/error_cases.h"

namespace atrous {
namespace {

const std::string kDoc = std::string(ATROUS_SOURCE_DIR) + "/docs/errors.md";

// id → outcome cell of the document's table.
std::map<std::string, std::string> documented() {
  std::ifstream in(kDoc);
  std::map<std::string, std::string> rows;
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with("| `")) continue;
    // | `id` | area | input | outcome |: split on unescaped '|'.
    std::vector<std::string> cells;
    std::string current;
    for (std::size_t i = 1; i < line.size(); ++i) {
      if (line[i] == '|' && line[i - 1] != '\\') {
        cells.push_back(current);
        current.clear();
      } else {
        current += line[i];
      }
    }
    if (cells.size() < 4) continue;
    const auto trim = [](std::string s) {
      s.erase(0, s.find_first_not_of(' '));
      s.erase(s.find_last_not_of(' ') + 1);
      return s;
    };
    std::string id = trim(cells[0]);
    rows[id.substr(1, id.size() - 2)] = trim(cells[3]);
  }
  return rows;
}

class ErrorCatalogue : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ErrorCatalogue, GivesTheDocumentedOutcome) {
  const ErrorCase& c = GetParam();
  const auto rows = documented();
  const auto it = rows.find(c.id);
  ASSERT_NE(it, rows.end()) << "docs/errors.md has no row for " << c.id;
  EXPECT_EQ(cell(outcome(c)), it->second) << c.id;
}

INSTANTIATE_TEST_SUITE_P(Docs, ErrorCatalogue, ::testing::ValuesIn(error_cases()),
                         [](const ::testing::TestParamInfo<ErrorCase>& p) { return std::string(p.param.id); });

TEST(ErrorCatalogueDocument, ListsEveryCaseAndNothingElse) {
  const auto rows = documented();
  std::map<std::string, bool> ids;
  for (const ErrorCase& c : error_cases()) ids[c.id] = true;
  for (const auto& [id, outcome_text] : rows)
    EXPECT_TRUE(ids.count(id)) << "docs/errors.md row " << id << " has no case";
  EXPECT_EQ(rows.size(), ids.size());
  EXPECT_GE(ids.size(), 40u);
}

}  // namespace
}  // namespace atrous
