// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for convolution option and shape validation: bytes become a Conv1d/Conv2d
// configuration (including zero, negative and mismatched values) and an input. Either the
// module refuses it with a std::exception, or the forward and backward run and the output has
// the shape PyTorch's formula gives; anything else traps. Strides, dilations and pads are
// sometimes extreme (up to INT64_MAX), so the convolution itself runs on overflow-prone geometry.
#include <atrous/atrous.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <limits>

namespace {

// Reads small signed numbers from the input, mostly in a plausible range.
class Bytes {
 public:
  Bytes(const std::uint8_t* data, const std::size_t size) : data_(data), size_(size) {}
  std::int64_t next(const std::int64_t lo, const std::int64_t hi) {
    const std::uint8_t b = pos_ < size_ ? data_[pos_++] : 0;
    return lo + static_cast<std::int64_t>(b) % (hi - lo + 1);
  }
  // Mostly next(lo, hi); for byte values 240 and up, an extreme option (2^31 … INT64_MAX and
  // neighbours), where geometry arithmetic overflows if it is not checked.
  std::int64_t option(const std::int64_t lo, const std::int64_t hi) {
    if (pos_ >= size_ || data_[pos_] < 240) return next(lo, hi);
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    static constexpr std::int64_t kExtreme[] = {std::int64_t{1} << 31,
                                                std::int64_t{1} << 59,
                                                std::int64_t{1} << 62,
                                                (std::int64_t{1} << 62) - 1,
                                                kMax,
                                                kMax - 1,
                                                kMax - 2,
                                                kMax / 2,
                                                kMax / 3,
                                                1000000007,
                                                -kMax,
                                                std::int64_t{1} << 40,
                                                (std::int64_t{1} << 31) - 1,
                                                3037000499,
                                                4294967296,
                                                65536};
    return kExtreme[data_[pos_++] - 240];
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_, pos_ = 0;
};

template <std::size_t D>
void run(Bytes& b) {
  using namespace atrous;
  const std::int64_t n = b.next(0, 2), cin = b.next(-1, 6), cout = b.next(-1, 6), groups = b.next(-1, 3);
  std::vector<std::int64_t> kernel, stride, dilation, pad, size;
  for (std::size_t d = 0; d < D; ++d) {
    kernel.push_back(b.next(-1, 5));
    stride.push_back(b.option(-1, 3));
    dilation.push_back(b.option(-1, 3));
    pad.push_back(b.option(-2, 4));
    size.push_back(b.next(0, 12));
  }
  // A valid configuration may still ask for a vast output (padding 2^40): such runs use an empty
  // batch, which checks the shape arithmetic without allocating it.
  long double outputs = 1;
  for (std::size_t d = 0; d < D; ++d) outputs *= 2.0L * std::fabs(static_cast<long double>(pad[d])) + 16;
  const bool vast = outputs > 1e6L;
  const std::int64_t pad_kind = b.next(0, 4), mode = b.next(0, 4);
  try {
    nn::ConvOptions<D> options(cin, cout, kernel);
    options.stride(stride).dilation(dilation).groups(groups).bias(b.next(0, 1) == 1);
    if (pad_kind == 1) {
      options.padding(kSame);
    } else if (pad_kind == 2) {
      options.padding(kValid);
    } else if (pad_kind == 3) {
      options.padding(kCausal);
    } else if (pad_kind == 4) {
      options.padding("bogus");
    } else {
      options.padding(pad);
    }
    const char* modes[] = {"zeros", "reflect", "replicate", "circular", "mirror"};
    options.padding_mode(modes[mode]);
    Shape shape{vast ? 0 : n, std::max<std::int64_t>(cin + b.next(-1, 1), 0)};
    for (const std::int64_t s : size) shape.push_back(s);
    typename std::conditional_t<D == 1, nn::Conv1d, nn::Conv2d> conv(options);
    Tensor x = randn(shape).requires_grad_();
    const Tensor y = conv(x);
    for (std::size_t d = 0; d < D; ++d) {
      // The module accepted it: the output size must follow the formula.
      std::pair<std::int64_t, std::int64_t> p{pad[d], pad[d]};
      if (pad_kind == 1) p = same_padding(kernel[d], dilation[d]);
      if (pad_kind == 2) p = {0, 0};
      if (pad_kind == 3) p = causal_padding(kernel[d], dilation[d]);
      const std::int64_t expect = conv_output_size(size[d], kernel[d], p.first, p.second, stride[d], dilation[d]);
      if (y.size(static_cast<std::int64_t>(2 + d)) != expect) __builtin_trap();
    }
    if (y.numel() > 0) y.sum().backward();
  } catch (const std::exception&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, const std::size_t size) {
  Bytes b(data, size);
  if (b.next(0, 1) == 0) {
    run<1>(b);
  } else {
    run<2>(b);
  }
  return 0;
}
