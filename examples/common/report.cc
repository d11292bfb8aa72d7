// SPDX-License-Identifier: Apache-2.0
#include "examples/common/report.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "examples/common/png.h"
#include "examples/common/svg.h"

namespace atrous::examples {
namespace {

// Test image i as an <img> of PNG data, captioned with its labels (checked to be classes).
void image_cell(std::ostringstream& s, const ClassifierReport& r, const std::int64_t i, const std::int64_t truth,
                const std::int64_t predicted) {
  const bool right = truth == predicted;
  const auto name = [&](const std::int64_t label) { return xml_escape(r.classes[static_cast<std::size_t>(label)]); };
  s << "<figure class=\"" << (right ? "right" : "wrong") << "\"><img alt=\"test image " << i
    << "\" src=\"data:image/png;base64," << base64(image_grid_png(r.images.narrow(0, i, 1), 1, 0, 255, 2))
    << "\"><figcaption>#" << i << "<br>" << (right ? "" : "&#x2717; ") << name(predicted);
  if (!right) s << "<br><span class=\"truth\">true: " << name(truth) << "</span>";
  s << "</figcaption></figure>\n";
}

}  // namespace

const std::vector<std::string>& fashion_mnist_classes() {
  static const std::vector<std::string> kClasses{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                 "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  return kClasses;
}

std::string base64(const std::string& bytes) {
  static constexpr char kDigits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t group = 0;
    for (std::size_t k = 0; k < 3; ++k) {
      group = group << 8 | (k < n ? static_cast<std::uint8_t>(bytes[i + k]) : 0U);
    }
    for (std::size_t k = 0; k < 4; ++k) out += k <= n ? kDigits[(group >> (18 - 6 * k)) & 63] : '=';
  }
  return out;
}

std::string classifier_report_html(const ClassifierReport& r, const std::int64_t shown) {
  const std::int64_t n = r.labels.numel(), k = static_cast<std::int64_t>(r.classes.size());
  check_arg(r.predictions.numel() == n && r.images.size(0) == n, "classifier_report_html", "got ", n, " labels, ",
            r.predictions.numel(), " predictions and ", r.images.size(0), " images");
  std::vector<std::int64_t> confusion(static_cast<std::size_t>(k * k), 0), wrong;
  std::int64_t correct = 0;
  const Tensor labels = r.labels.to(kInt64).contiguous(), predictions = r.predictions.to(kInt64).contiguous();
  const std::int64_t* truth = labels.data_ptr<std::int64_t>();
  const std::int64_t* predicted = predictions.data_ptr<std::int64_t>();
  for (std::int64_t i = 0; i < n; ++i) {
    check_arg(truth[i] >= 0 && truth[i] < k && predicted[i] >= 0 && predicted[i] < k, "classifier_report_html",
              "label ", truth[i], " or prediction ", predicted[i], " of image ", i, " is not one of the ", k,
              " classes");
    ++confusion[static_cast<std::size_t>(truth[i] * k + predicted[i])];
    if (truth[i] == predicted[i])
      ++correct;
    else if (static_cast<std::int64_t>(wrong.size()) < shown)
      wrong.push_back(i);
  }
  std::int64_t most = 1;
  for (const std::int64_t c : confusion) most = std::max(most, c);

  std::ostringstream s;
  char accuracy[64];
  std::snprintf(accuracy, sizeof accuracy, "%.2f %% (%lld of %lld)",
                n ? 100.0 * static_cast<double>(correct) / static_cast<double>(n) : 0.0,
                static_cast<long long>(correct), static_cast<long long>(n));
  s << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" << xml_escape(r.title)
    << "</title>\n<style>\n"
       "body{font-family:'DejaVu Sans',sans-serif;margin:24px;color:#222;max-width:1300px}\n"
       "h1{font-size:22px}h2{font-size:17px;margin-top:28px}\n"
       "pre{background:#f6f6f6;padding:10px;overflow-x:auto;font-size:12px}\n"
       "table.confusion{border-collapse:collapse;font-size:12px}\n"
       "table.confusion td,table.confusion th{border:1px solid #ccc;padding:3px 6px;text-align:right}\n"
       "table.confusion th{background:#f0f0f0}\n"
       "figure{display:inline-block;margin:4px;text-align:center;font-size:11px;width:84px;vertical-align:top}\n"
       "figure img{width:56px;height:56px;image-rendering:pixelated;border:3px solid #4a4}\n"
       "figure.wrong img{border-color:#d22}.truth{color:#d22}\n"
       "</style></head><body>\n<h1>"
    << xml_escape(r.title) << "</h1>\n<p>Test accuracy: <b>" << accuracy << "</b></p>\n"
    << "<h2>Model</h2>\n<pre>" << xml_escape(r.summary) << "</pre>\n"
    << "<h2>Training curves</h2>\n"
    << r.curves_svg << "\n"
    << "<h2>Confusion matrix of the test set</h2>\n<p>Rows: true class; columns: predicted class; "
       "the diagonal is correct.</p>\n<table class=\"confusion\"><tr><th>true \\ predicted</th>";
  for (const auto& c : r.classes) s << "<th>" << xml_escape(c) << "</th>";
  s << "<th>recall</th></tr>\n";
  for (std::int64_t t = 0; t < k; ++t) {
    s << "<tr><th>" << xml_escape(r.classes[static_cast<std::size_t>(t)]) << "</th>";
    std::int64_t row = 0;
    for (std::int64_t p = 0; p < k; ++p) row += confusion[static_cast<std::size_t>(t * k + p)];
    for (std::int64_t p = 0; p < k; ++p) {
      const std::int64_t c = confusion[static_cast<std::size_t>(t * k + p)];
      const int shade = static_cast<int>(230 - 170 * c / most);  // darker for more images
      s << "<td style=\"background:rgb(" << (t == p ? shade : 255) << "," << (t == p ? 255 : shade) << "," << shade
        << ")\">" << c << "</td>";
    }
    char recall[16];
    std::snprintf(
        recall, sizeof recall, "%.1f %%",
        row ? 100.0 * static_cast<double>(confusion[static_cast<std::size_t>(t * k + t)]) / static_cast<double>(row)
            : 0.0);
    s << "<td>" << recall << "</td></tr>\n";
  }
  s << "</table>\n<h2>Test images</h2>\n<p>The first " << std::min(shown, n)
    << " test images with the predicted class; a red frame and &#x2717; mark a wrong prediction, with the true "
       "class under it.</p>\n<div>\n";
  for (std::int64_t i = 0; i < std::min(shown, n); ++i) image_cell(s, r, i, truth[i], predicted[i]);
  s << "</div>\n<h2>Misclassified</h2>\n<p>The first " << wrong.size() << " misclassified test images.</p>\n<div>\n";
  for (const std::int64_t i : wrong) image_cell(s, r, i, truth[i], predicted[i]);
  s << "</div>\n</body></html>\n";
  return s.str();
}

}  // namespace atrous::examples
