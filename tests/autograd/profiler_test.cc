// SPDX-License-Identifier: Apache-2.0
#include "atrous/autograd/profiler.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cstring>
#include <map>
#include <sstream>

#include <atrous/atrous.h>

#include "tests/support/test_util.h"

namespace atrous {
namespace {

namespace profiler = autograd::profiler;

// A conv → ReLU → Linear classifier step on a batch of 2, the input not requiring grad.
void train_step(nn::Sequential& model) {
  const Tensor x = randn({2, 1, 6, 6});
  const Tensor loss = model->forward(x).sum();
  loss.backward();
}

nn::Sequential small_model() {
  return nn::Sequential(nn::Conv2d(nn::Conv2dOptions(1, 4, 3)), nn::ReLU(), nn::Flatten(), nn::Linear(64, 3));
}

std::int64_t calls(const profiler::KeyAverages& k, const std::string& name) {
  const atrous::profile::OpStats* s = k.find(name);
  return s == nullptr ? 0 : s->calls;
}

TEST(Profiler, RecordsEachOpOfAForwardAndBackwardWithItsCallCount) {
  nn::Sequential model = small_model();
  profiler::profile prof;
  train_step(model);
  const profiler::KeyAverages k = prof.key_averages();
  EXPECT_EQ(calls(k, "conv_forward"), 1);
  EXPECT_EQ(calls(k, "ConvolutionBackward0"), 1);
  EXPECT_EQ(calls(k, "conv_backward_weight"), 1);
  EXPECT_EQ(calls(k, "conv_backward_input"), 0);  // the input needs no gradient
  EXPECT_EQ(calls(k, "relu"), 1);
  EXPECT_EQ(calls(k, "ReluBackward0"), 1);
  EXPECT_EQ(calls(k, "SumBackward0"), 1);
  EXPECT_GE(calls(k, "matmul"), 3);  // the Linear forward and its two gradients
}

TEST(Profiler, ConvolutionEventsCarryShapesPathAndFlops) {
  const Tensor x = randn({2, 8, 10, 10}), w = randn({16, 8, 3, 3});
  profiler::profile prof;
  static_cast<void>(nn::functional::conv2d(x, w));
  const std::vector<atrous::profile::Event>& events = prof.events();
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].name, "conv_forward");
  EXPECT_EQ(events[0].shapes, "[2, 8, 10, 10] * [16, 8, 3, 3]");
  EXPECT_FALSE(events[0].path.empty());
  EXPECT_EQ(events[0].flops, 2.0 * 2 * 16 * 8 * 8 * 8 * 9);  // 2·N·Co·Ho·Wo·Ci·kH·kW
  EXPECT_GE(events[0].bytes, 2 * 16 * 8 * 8 * 4);            // at least its float32 output
}

TEST(Profiler, SelfTimeIsTotalTimeLessTheOpsItCalled) {
  nn::Sequential model = small_model();
  profiler::profile prof;
  train_step(model);
  double self = 0, top = 0;
  for (const atrous::profile::Event& e : prof.events()) {
    if (e.depth == 0) top += static_cast<double>(e.end_ns - e.start_ns);
  }
  const profiler::KeyAverages k = prof.key_averages();
  for (const atrous::profile::OpStats& s : k.rows()) {
    EXPECT_LE(s.self_ns, s.total_ns + 1e-6) << s.name;
    self += s.self_ns;
  }
  EXPECT_NEAR(self, top, 1e-6 * top + 1);
}

TEST(Profiler, RecordsNothingWhenOff) {
  nn::Sequential model = small_model();
  train_step(model);  // not recorded
  profiler::profile off(/*enabled=*/false);
  train_step(model);
  EXPECT_TRUE(off.events().empty());
  profiler::profile on;
  on.stop();
  train_step(model);  // after stop()
  EXPECT_TRUE(on.events().empty());
}

TEST(Profiler, ASecondRecordingAtOnceIsRefused) {
  profiler::profile first;
  EXPECT_TRUE(test::throws_with<std::runtime_error>([] { profiler::profile second; }, "already recording"));
}

TEST(Profiler, TableIsSortedBySelfTimeAndNamesEveryOp) {
  nn::Sequential model = small_model();
  profiler::profile prof;
  train_step(model);
  const profiler::KeyAverages k = prof.key_averages();
  const std::string table = k.table();
  // Rows in the order the table prints them; ties in self time may come in either order.
  std::vector<std::pair<std::size_t, const atrous::profile::OpStats*>> printed;
  for (const atrous::profile::OpStats& s : k.rows()) {
    const std::size_t at = table.find("\n" + s.name + " ");
    ASSERT_NE(at, std::string::npos) << s.name << "\n" << table;
    printed.emplace_back(at, &s);
  }
  std::sort(printed.begin(), printed.end());
  for (std::size_t i = 1; i < printed.size(); ++i) {
    EXPECT_GE(printed[i - 1].second->self_ns, printed[i].second->self_ns)
        << printed[i - 1].second->name << " before " << printed[i].second->name << "\n"
        << table;
  }
  EXPECT_TRUE(
      test::throws_with<std::invalid_argument>([&] { static_cast<void>(k.table("speed")); }, "sort_by must be"));
}

// A JSON value per RFC 8259, strict enough to reject what a browser's JSON.parse would.
class JsonChecker {
 public:
  explicit JsonChecker(const std::string& s) : s_(s) {}
  bool valid() {
    value();
    space();
    return ok_ && i_ == s_.size();
  }

 private:
  void space() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  bool eat(const char c) {
    space();
    if (i_ < s_.size() && s_[i_] == c) return ++i_, true;
    return false;
  }
  void fail() { ok_ = false, i_ = s_.size(); }
  void string() {
    if (!eat('"')) return fail();
    while (i_ < s_.size() && s_[i_] != '"') {
      if (static_cast<unsigned char>(s_[i_]) < 0x20) return fail();
      i_ += s_[i_] == '\\' ? 2 : 1;
    }
    if (i_++ >= s_.size()) fail();
  }
  void number() {
    const std::size_t begin = i_;
    while (i_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[i_])) || std::strchr("+-.eE", s_[i_]))) ++i_;
    if (i_ == begin) fail();
  }
  void value() {
    space();
    if (!ok_ || i_ >= s_.size()) return fail();
    if (s_[i_] == '{') {
      ++i_;
      if (eat('}')) return;
      do {
        string();
        if (!eat(':')) return fail();
        value();
      } while (ok_ && eat(','));
      if (!eat('}')) fail();
    } else if (s_[i_] == '[') {
      ++i_;
      if (eat(']')) return;
      do value();
      while (ok_ && eat(','));
      if (!eat(']')) fail();
    } else if (s_[i_] == '"') {
      string();
    } else if (s_.compare(i_, 4, "true") == 0 || s_.compare(i_, 4, "null") == 0) {
      i_ += 4;
    } else if (s_.compare(i_, 5, "false") == 0) {
      i_ += 5;
    } else {
      number();
    }
  }
  const std::string& s_;
  std::size_t i_ = 0;
  bool ok_ = true;
};

TEST(Profiler, ChromeTraceIsValidJsonWithEventsNestedPerThread) {
  nn::Sequential model = small_model();
  std::ostringstream trace;
  {
    profiler::RecordProfile guard(trace);
    train_step(model);
  }
  const std::string json = trace.str();
  EXPECT_TRUE(JsonChecker(json).valid()) << json;
  // Complete events on one thread nest or follow one another, never overlap partly.
  std::map<int, std::vector<std::pair<double, double>>> open;  // per tid: [begin, end] enclosing
  std::size_t events = 0;
  for (std::size_t at = json.find("\"ph\": \"X\""); at != std::string::npos; at = json.find("\"ph\": \"X\"", at + 1)) {
    double ts = 0, dur = 0;
    int tid = 0;
    ASSERT_EQ(std::sscanf(json.c_str() + at, "\"ph\": \"X\", \"ts\": %lf, \"dur\": %lf, \"pid\": 0, \"tid\": %d", &ts,
                          &dur, &tid),
              3);
    ASSERT_GE(dur, 0.0);
    auto& stack = open[tid];
    while (!stack.empty() && stack.back().second <= ts) stack.pop_back();
    if (!stack.empty()) {
      EXPECT_LE(ts + dur, stack.back().second + 1e-3) << "event at " << ts << " overlaps its parent";
    }
    stack.emplace_back(ts, ts + dur);
    ++events;
  }
  EXPECT_GE(events, 10U);
}

}  // namespace
}  // namespace atrous
