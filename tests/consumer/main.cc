// Uses the installed package through the umbrella header: a gradient and a printed tensor.
#include <atrous/atrous.h>

#include <iostream>

int main() {
  atrous::Tensor x = atrous::from_vector(std::vector<double>{1.0, 2.0, 3.0}).requires_grad_();
  const atrous::Tensor y = (x * x).sum();
  y.backward();
  std::cout << x.grad() << "\n";
  return atrous::value_at(x.grad(), 2) == 6.0 ? 0 : 1;
}
