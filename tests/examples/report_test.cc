// SPDX-License-Identifier: Apache-2.0
// The training examples' pictures: chart axes, canvas sizes and the report page's pieces.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "examples/common/chart.h"
#include "examples/common/report.h"
#include "examples/common/svg.h"

namespace atrous::examples {
namespace {

// The number in `attribute="..."` at or after `from` in `text` (no std::regex: GCC 12's trips
// -Wmaybe-uninitialized under AddressSanitizer).
double attribute(const std::string& text, const std::string& attribute, const std::size_t from = 0) {
  const std::size_t at = text.find(attribute + "=\"", from);
  EXPECT_NE(at, std::string::npos) << attribute;
  return at == std::string::npos ? NAN : std::stod(text.substr(at + attribute.size() + 2));
}

double svg_width(const std::string& svg) { return attribute(svg, "width", svg.find("<svg ")); }

TEST(NiceTicks, AreEqualRoundStepsThatCoverTheRange) {
  const std::vector<double> ticks = nice_ticks(0.43, 1.97);
  ASSERT_GE(ticks.size(), 3U);
  EXPECT_LE(ticks.front(), 0.43);
  EXPECT_GE(ticks.back(), 1.97);
  const double step = ticks[1] - ticks[0];
  const double mantissa = step / std::pow(10.0, std::floor(std::log10(step)));
  EXPECT_TRUE(std::abs(mantissa - 1) < 1e-9 || std::abs(mantissa - 2) < 1e-9 || std::abs(mantissa - 5) < 1e-9);
  for (std::size_t i = 1; i < ticks.size(); ++i) EXPECT_NEAR(ticks[i] - ticks[i - 1], step, 1e-12);
}

TEST(DefaultPanels, PutLossesTogetherFromZeroAndAccuracyInPercent) {
  const std::vector<ChartPanel> panels = default_panels({"train_loss", "test_loss", "test_acc", "epoch_s"});
  ASSERT_EQ(panels.size(), 3U);
  EXPECT_EQ(panels[0].columns, (std::vector<std::string>{"train_loss", "test_loss"}));
  EXPECT_TRUE(panels[0].from_zero);
  EXPECT_EQ(panels[1].scale, 100);
  EXPECT_EQ(panels[2].columns, (std::vector<std::string>{"epoch_s"}));
}

TEST(MetricsChart, IsWideEnoughForALongTitle) {
  const std::string title(150, 'x');
  const std::string svg =
      metrics_chart_svg(title, {"train_loss"}, {{1, 0.5}, {2, 0.4}}, default_panels({"train_loss"}));
  EXPECT_GE(svg_width(svg), monospace_width(title, 15));
}

TEST(MetricsChart, DrawsEveryPointInsideTheCanvas) {
  const std::vector<std::string> columns{"train_loss", "test_acc"};
  const std::string svg =
      metrics_chart_svg("run", columns, {{1, 2.3, 0.1}, {2, 0.7, 0.85}, {3, 0.4, 0.9}}, default_panels(columns));
  const double width = svg_width(svg);
  int points = 0;
  for (std::size_t at = svg.find("<circle "); at != std::string::npos; at = svg.find("<circle ", at + 1), ++points) {
    const double cx = attribute(svg, "cx", at), cy = attribute(svg, "cy", at);
    EXPECT_GT(cx, 0);
    EXPECT_LT(cx, width);
    EXPECT_GT(cy, 0);
  }
  EXPECT_EQ(points, 6);
}

TEST(MetricsChart, DrawsTheReferenceLineDashedWithItsLegendEntry) {
  ChartPanel panel{
      .title = "loss", .y_label = "nats", .columns = {"train_loss"}, .reference = 2.5, .reference_label = "target"};
  const std::string svg = metrics_chart_svg("run", {"train_loss"}, {{1, 5.0}, {2, 4.0}}, {panel});
  EXPECT_NE(svg.find("stroke-dasharray=\"6 4\"/>"), std::string::npos);
  EXPECT_NE(svg.find(">target</text>"), std::string::npos);
}

TEST(Base64, EncodesTheRfc4648TestVectors) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(base64("foob"), "Zm9vYg==");
  EXPECT_EQ(base64("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
}

ClassifierReport small_report() {
  return {"run",
          "summary",
          "<svg/>",
          {"a", "b"},
          zeros({3, 1, 2, 2}, kUInt8),
          from_vector<std::int64_t>({0, 1, 1}, {3}),
          from_vector<std::int64_t>({0, 0, 1}, {3})};
}

TEST(ClassifierReport, CountsTheConfusionMatrixAndMarksTheMisclassifiedImage) {
  const std::string html = classifier_report_html(small_report());
  EXPECT_NE(html.find("66.67 % (2 of 3)"), std::string::npos);
  // true b predicted a once, true b predicted b once: b's recall is 50 %.
  EXPECT_NE(html.find("<td>50.0 %</td>"), std::string::npos);
  EXPECT_NE(html.find("The first 1 misclassified test images"), std::string::npos);
  EXPECT_NE(html.find("true: b"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

TEST(ClassifierReport, RefusesAPredictionOutsideTheClasses) {
  ClassifierReport report = small_report();
  report.predictions = from_vector<std::int64_t>({0, 0, 7}, {3});
  EXPECT_THROW(classifier_report_html(report), std::invalid_argument);
}

}  // namespace
}  // namespace atrous::examples
