// SPDX-License-Identifier: Apache-2.0
// libtorch's module idioms: a custom module registering submodules, parameters and buffers,
// the ATROUS_MODULE holder, ordered dicts of named tensors, Functional inside Sequential,
// ModuleDict, printing a holder, and a deep clone.
#include <atrous/atrous.h>

#include <sstream>
#include <string>
#include <vector>

#include "expect.h"

namespace nn = atrous::nn;
namespace F = atrous::nn::functional;

struct NetImpl : nn::Module {
  NetImpl() {
    conv = register_module("conv", nn::Conv2d(nn::Conv2dOptions(1, 4, 3).padding(1)));
    drop = register_module("drop", nn::Dropout2d(0.25));
    body = register_module("body", nn::Sequential(nn::Functional(atrous::relu),
                                                  nn::Functional(F::max_pool2d, F::MaxPool2dFuncOptions(2))));
    fc = register_module("fc", nn::Linear(4 * 4 * 4, 10));
    scale = register_parameter("scale", atrous::ones({1}));
    register_buffer("calls", atrous::zeros({1}));
  }

  atrous::Tensor forward(atrous::Tensor x) {
    x = body->forward(drop(conv(x)));
    return fc(x.flatten(1)) * scale;
  }

  nn::Conv2d conv{nullptr};
  nn::Dropout2d drop{nullptr};
  nn::Sequential body{nullptr};
  nn::Linear fc{nullptr};
  atrous::Tensor scale;
};
ATROUS_MODULE(Net);

int main() {
  Net net;
  EXPECT(net->name() == "NetImpl");

  auto params = net->named_parameters();
  EXPECT(params.size() == 5);
  std::vector<std::string> expected = {"scale", "conv.weight", "conv.bias", "fc.weight", "fc.bias"};
  EXPECT(params.keys() == expected);
  EXPECT(params["fc.weight"].sizes() == std::vector<int64_t>({10, 64}));
  EXPECT(params.values()[0].requires_grad());
  int64_t count = 0;
  for (const auto& item : params) count += item.value().numel();
  EXPECT(count == 1 + 4 * 9 + 4 + 64 * 10 + 10);
  EXPECT(params.contains("conv.bias") && !params.contains("conv.scale"));
  EXPECT(net->named_buffers()["calls"].numel() == 1);
  EXPECT(net->named_children().size() == 4);
  EXPECT(net->named_children()["fc"]->as<nn::Linear>() == net->fc.get());

  auto y = net->forward(atrous::randn({2, 1, 8, 8}));
  EXPECT(y.sizes() == std::vector<int64_t>({2, 10}));
  y.sum().backward();
  EXPECT(net->conv->weight.grad().defined());

  // Eval mode turns Dropout2d into the identity.
  net->eval();
  auto x = atrous::randn({1, 4, 3, 3});
  EXPECT(atrous::equal(net->drop(x), x));
  net->train();

  std::ostringstream printed;
  printed << net;
  EXPECT(printed.str().find("(conv)") != std::string::npos);
  EXPECT(printed.str().find("(fc)") != std::string::npos);

  std::vector<std::pair<std::string, std::shared_ptr<nn::Module>>> layers = {{"encoder", nn::Linear(3, 4).ptr()},
                                                                             {"decoder", nn::Linear(4, 3).ptr()}};
  nn::ModuleDict dict(layers);
  EXPECT(dict->size() == 2 && dict->contains("encoder"));
  auto encoder = dict["encoder"]->as<nn::Linear>();
  EXPECT(encoder != nullptr && encoder->weight.size(0) == 4);
  EXPECT(dict->parameters().size() == 4);

  // clone() copies every parameter: changing the copy leaves the original alone.
  nn::Sequential seq(nn::Linear(3, 2), nn::ReLU());
  auto copy = std::dynamic_pointer_cast<nn::SequentialImpl>(seq->clone());
  EXPECT(copy != nullptr && copy->parameters().size() == 2);
  {
    atrous::NoGradGuard no_grad;
    copy->parameters()[0].fill_(7.0);
  }
  EXPECT(!atrous::equal(copy->parameters()[0], seq->parameters()[0]));
  EXPECT(copy->parameters()[0].requires_grad());
  std::cout << "modules: ok\n";
  return 0;
}
