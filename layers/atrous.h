// The umbrella header: #include <atrous/atrous.h> gives the whole public API.
#pragma once

#include "autograd/gradcheck.h"     // IWYU pragma: export
#include "autograd/grad_mode.h"     // IWYU pragma: export
#include "autograd/node.h"          // IWYU pragma: export
#include "tensor/dtype.h"           // IWYU pragma: export
#include "tensor/factory.h"         // IWYU pragma: export
#include "tensor/io/npy.h"          // IWYU pragma: export
#include "tensor/parallel.h"        // IWYU pragma: export
#include "tensor/random.h"          // IWYU pragma: export
#include "tensor/tensor.h"          // IWYU pragma: export
