// The umbrella header: #include <atrous/atrous.h> gives the whole public API.
#pragma once

#include "autograd/gradcheck.h"     // IWYU pragma: export
#include "autograd/ops/conv.h"      // IWYU pragma: export
#include "autograd/grad_mode.h"     // IWYU pragma: export
#include "autograd/node.h"          // IWYU pragma: export
#include "layers/container.h"            // IWYU pragma: export
#include "layers/data/dataloader.h"      // IWYU pragma: export
#include "layers/data/fashion_mnist.h"   // IWYU pragma: export
#include "layers/functional/conv.h"      // IWYU pragma: export
#include "layers/functional/loss.h"      // IWYU pragma: export
#include "layers/functional/padding.h"   // IWYU pragma: export
#include "layers/functional/pooling.h"   // IWYU pragma: export
#include "layers/init.h"                 // IWYU pragma: export
#include "layers/module.h"               // IWYU pragma: export
#include "layers/modules/activation.h"   // IWYU pragma: export
#include "layers/modules/batchnorm.h"    // IWYU pragma: export
#include "layers/modules/conv.h"         // IWYU pragma: export
#include "layers/modules/dropout.h"      // IWYU pragma: export
#include "layers/modules/linear.h"       // IWYU pragma: export
#include "layers/modules/pooling.h"      // IWYU pragma: export
#include "layers/optim/optimizer.h"      // IWYU pragma: export
#include "layers/serialize.h"            // IWYU pragma: export
#include "layers/utils/progress_bar.h"   // IWYU pragma: export
#include "layers/utils/summary.h"        // IWYU pragma: export
#include "tensor/conv/geometry.h"   // IWYU pragma: export
#include "tensor/dtype.h"           // IWYU pragma: export
#include "tensor/enum.h"            // IWYU pragma: export
#include "tensor/factory.h"         // IWYU pragma: export
#include "tensor/io/idx.h"          // IWYU pragma: export
#include "tensor/io/npy.h"          // IWYU pragma: export
#include "tensor/io/safetensors.h"  // IWYU pragma: export
#include "tensor/parallel.h"        // IWYU pragma: export
#include "tensor/random.h"          // IWYU pragma: export
#include "tensor/tensor.h"          // IWYU pragma: export
