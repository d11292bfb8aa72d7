// SPDX-License-Identifier: Apache-2.0
// VGG-small on Fashion-MNIST: stacks of 'same'-padded 3×3 convolutions and ReLU between 2×2 max
// pools, then two linear layers with dropout — exactly the model and recipe of
// ../shared/anchors/torch_fmnist.py, so the two can be compared epoch for epoch.
//
//   vgg --epochs 5            # ≈ 91–92 % test accuracy
//   vgg --epochs 1 --limit 2000 --out /tmp/vgg   # a quick run
#include <atrous/atrous.h>

#include <cstdio>
#include <sstream>

#include "examples/common/classifier.h"
#include "examples/vgg/vgg_model.h"

namespace {

// The summary's RF column after the fourth convolution (row 7) is the chapter's quick check:
// conv3, conv3, pool2, conv3, conv3. Says so, with the recursion's number beside the table's.
void point_out_the_quick_check(const std::string& summary) {
  using atrous::LayerGeometry;
  const std::vector<LayerGeometry> quick{{3, 1, 1, 1}, {3, 1, 1, 1}, {2, 2, 1, 0}, {3, 1, 1, 1}, {3, 1, 1, 1}};
  const std::int64_t chapter = atrous::receptive_field(quick).back().size;
  std::istringstream lines(summary);
  std::string table = "?";
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("7 Conv2d", 0) != 0) continue;
    std::istringstream words(line.substr(line.find(']') + 1));
    std::string params, macs;
    words >> params >> macs >> table;
  }
  std::printf(
      "The RF column of row 7 (%s) is the chapter's quick check, conv3, conv3, pool2, conv3, conv3:\n"
      "r = 1 + 2 + 2 + 1 + 2*2 + 2*2 = %lld, the jump doubling after the pool: %s\n\n",
      table.c_str(), static_cast<long long>(chapter),
      table == std::to_string(chapter) ? "reproduced" : "NOT reproduced");
}

}  // namespace

int main(int argc, char** argv) {
  return atrous::examples::classifier_main(
      argc, argv, "vgg", "VGG-small on Fashion-MNIST (the recipe of torch_fmnist.py)",
      [] { return atrous::examples::vgg_small(); }, point_out_the_quick_check);
}
