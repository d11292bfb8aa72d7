// SPDX-License-Identifier: Apache-2.0
#include "tests/catalogue/error_cases.h"

#include <atrous/atrous.h>

#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "tests/support/test_util.h"

namespace atrous {
namespace {

namespace F = nn::functional;

// A user module with no clone().
struct PlainModule : nn::Module {};

// A dataset of one example.
struct OneExample : data::datasets::Dataset<OneExample> {
  data::Example<> get(std::size_t /*index*/) override { return {zeros({1}), zeros({}, kInt64)}; }
  std::optional<std::size_t> size() const override { return 1; }
};

std::string show(const Tensor& t) {
  std::ostringstream s;
  s << t;
  return s.str();
}

std::vector<ErrorCase> make_cases() {
  return {
      // Tensors
      {"tensor_from_vector_count", "tensor", "`from_vector` with 5 values for shape (2, 3)",
       [] {
         return show(from_vector(std::vector<float>{1, 2, 3, 4, 5}, {2, 3}));
       }},
      {"tensor_reshape_numel", "tensor", "`reshape` of 6 elements to (4, 2)",
       [] {
         return show(zeros({2, 3}).reshape({4, 2}));
       }},
      {"tensor_view_non_contiguous", "tensor", "`view` of a transposed (non-contiguous) tensor to (6)",
       [] {
         return show(zeros({2, 3}).t().view({6}));
       }},
      {"tensor_broadcast_mismatch", "tensor", "(3, 4) + (5)",
       [] {
         return show(zeros({3, 4}) + zeros({5}));
       }},
      {"tensor_dtype_mismatch", "tensor", "float32 (2) + float64 (2)",
       [] { return show(zeros({2}) + zeros({2}, kFloat64)); }},
      {"tensor_matmul_inner", "tensor", "`matmul` of (2, 3) and (4, 5)",
       [] {
         return show(zeros({2, 3}).matmul(zeros({4, 5})));
       }},
      {"tensor_cat_shapes", "tensor", "`cat` of (2, 3) and (2, 4) along dim 0",
       [] {
         return show(cat({zeros({2, 3}), zeros({2, 4})}, 0));
       }},
      {"tensor_select_range", "tensor", "`select(0, 5)` on a (3, 2) tensor",
       [] {
         return show(zeros({3, 2}).select(0, 5));
       }},
      {"tensor_narrow_range", "tensor", "`narrow(1, 2, 4)` on a (3, 5) tensor",
       [] {
         return show(zeros({3, 5}).narrow(1, 2, 4));
       }},
      {"tensor_item_many", "tensor", "`item()` of a 3-element tensor",
       [] { return std::to_string(zeros({3}).item<float>()); }},
      {"tensor_data_only_dtype", "tensor", "bool (2) + bool (2): arithmetic on a data-only dtype",
       [] { return show(zeros({2}, kBool) + zeros({2}, kBool)); }},
      {"tensor_bool_blob", "tensor", "`from_blob` of the byte 2 as bool",
       [] {
         const unsigned char two = 2;
         return show(from_blob(&two, {1}, kBool));
       }},
      {"tensor_ragged_list", "tensor", "`tensor({{1, 2}, {3}})`: nested lists of different lengths",
       [] {
         return show(tensor({{1, 2}, {3}}));
       }},
      {"tensor_index_too_many", "tensor", "`index({0, 0, 0})` of a (2, 3) tensor",
       [] {
         return show(zeros({2, 3}).index({0, 0, 0}));
       }},
      {"tensor_index_range", "tensor", "`index({Slice(), 5})` of a (2, 3) tensor",
       [] {
         return show(zeros({2, 3}).index({indexing::Slice(), 5}));
       }},
      {"tensor_index_two_ellipses", "tensor", "`index({Ellipsis, Ellipsis})`",
       [] {
         return show(zeros({2, 3}).index({indexing::Ellipsis, indexing::Ellipsis}));
       }},
      {"tensor_where_condition", "tensor", "`where` with a float32 condition",
       [] { return show(where(ones({2}), zeros({2}), ones({2}))); }},
      {"tensor_masked_fill_shape", "tensor", "`masked_fill` of a (2) tensor with a (3, 2) mask",
       [] {
         return show(zeros({2}).masked_fill(zeros({3, 2}, kBool), 1.0));
       }},
      {"tensor_stack_shapes", "tensor", "`stack` of (2, 3) and (3, 2)",
       [] {
         return show(stack({zeros({2, 3}), zeros({3, 2})}));
       }},
      {"tensor_bmm_rank", "tensor", "`bmm` of (2, 3) and (3, 4)",
       [] {
         return show(bmm(zeros({2, 3}), zeros({3, 4})));
       }},
      {"tensor_cuda_device", "tensor", "`to(kCUDA)` (atrous runs on the CPU only)",
       [] { return show(zeros({2}).to(Device(kCUDA))); }},
      {"tensor_device_string", "tensor", "`Device(\"gpu\")`", [] { return Device("gpu").str(); }},
      {"tensor_data_ptr_dtype", "tensor", "`data_ptr<float>()` of a float64 tensor",
       [] { return std::to_string(zeros({2}, kFloat64).data_ptr<float>() != nullptr); }},
      {"tensor_numel_overflow", "tensor", "`zeros({2^40, 2^40})`: the element count overflows int64",
       [] {
         return show(zeros({std::int64_t{1} << 40, std::int64_t{1} << 40}));
       }},
      {"tensor_negative_size", "tensor", "`zeros({2, -1})`",
       [] {
         return show(zeros({2, -1}));
       }},
      {"tensor_permute_repeat", "tensor", "`permute({0, 0})` of a (2, 3) tensor",
       [] {
         return show(zeros({2, 3}).permute({0, 0}));
       }},
      {"tensor_randint_range", "tensor", "`randint(5, 5, {2})`: empty range", [] { return show(randint(5, 5, {2})); }},
      {"tensor_inplace_expanded", "tensor", "`add_` into a tensor expanded from (1, 3) to (4, 3) (aliased elements)",
       [] {
         return show(zeros({1, 3}).expand({4, 3}).add_(ones({4, 3})));
       }},
      {"tensor_nan_propagates", "tensor", "`sum`, `max` and `relu` of [1, nan, 3]",
       [] {
         const Tensor x = from_vector(std::vector<float>{1, NAN, 3});
         return show(x.sum()) + ", " + show(x.max()) + ", " + show(x.relu());
       }},
      {"tensor_inf_arithmetic", "tensor", "inf - inf and 1 / 0",
       [] {
         const Tensor inf = full({1}, INFINITY);
         return show(inf - inf) + ", " + show(ones({1}) / zeros({1}));
       }},
      {"tensor_empty_reductions", "tensor", "`sum` and `mean` of a (0, 3) tensor",
       [] {
         return show(zeros({0, 3}).sum()) + ", " + show(zeros({0, 3}).mean());
       }},
      {"tensor_empty_argmax", "tensor", "`argmax` of a (0) tensor", [] { return show(zeros({0}).argmax()); }},
      {"simd_target_unknown", "tensor",
       "`set_simd_target(\"sse9\")` (`ATROUS_SIMD=sse9`: the same after \"ATROUS_SIMD: \")",
       [] {
         set_simd_target("sse9");
         return std::string("no error");
       }},
      // Autograd
      {"autograd_backward_twice", "autograd", "`backward()` twice through the same graph without retain_graph",
       [] {
         const Tensor x = ones({2}).requires_grad_();
         const Tensor y = (x * x).sum();
         y.backward();
         y.backward();
         return show(x.grad());
       }},
      {"profiler_twice", "autograd", "a second `autograd::profiler::profile` while one records",
       [] {
         autograd::profiler::profile first;
         autograd::profiler::profile second;
         return std::string("recorded");
       }},
      {"profiler_sort_by", "autograd", "`key_averages().table(\"speed\")`",
       [] {
         autograd::profiler::profile prof;
         return prof.key_averages().table("speed");
       }},
      {"profiler_trace_path", "autograd", "`export_chrome_trace` into a folder that does not exist",
       [] {
         autograd::profiler::profile prof;
         prof.export_chrome_trace("/nonexistent/dir/trace.json");
         return std::string("written");
       }},
      {"autograd_non_scalar", "autograd", "`backward()` without a gradient on a (2) output",
       [] {
         const Tensor x = ones({2}).requires_grad_();
         (x * 2.0).backward();
         return show(x.grad());
       }},
      {"autograd_leaf_inplace", "autograd", "`add_` on a leaf that requires grad",
       [] { return show(ones({2}).requires_grad_().add_(ones({2}))); }},
      {"autograd_inplace_in_graph", "autograd", "`add_` on a tensor that is part of a graph, with grad mode on",
       [] {
         Tensor y = ones({2}).requires_grad_().exp();
         return show(y.add_(ones({2})));
       }},
      {"autograd_saved_modified", "autograd", "modifying (under NoGradGuard) a tensor `mul` saved, then `backward()`",
       [] {
         const Tensor x = ones({2}).requires_grad_();
         Tensor w = ones({2});
         const Tensor z = (x * w).sum();
         {
           const NoGradGuard no_grad;
           w.add_(ones({2}));
         }
         z.backward();
         return show(x.grad());
       }},
      {"autograd_grad_shape", "autograd", "`backward(g)` with g of shape (3) for a (2) output",
       [] {
         const Tensor x = ones({2}).requires_grad_();
         (x * 2.0).backward(ones({3}));
         return show(x.grad());
       }},
      {"autograd_no_graph", "autograd", "`backward()` on a tensor that does not require grad",
       [] {
         zeros({1}).sum().backward();
         return std::string("no error");
       }},
      {"autograd_int_requires_grad", "autograd", "`requires_grad_()` on an int64 tensor",
       [] { return show(arange(3).requires_grad_()); }},
      // Convolution
      {"conv_channels", "convolution", "Conv2d(3, 8, 3) on a (1, 4, 8, 8) input",
       [] {
         return show(nn::Conv2d(nn::Conv2dOptions(3, 8, 3))(zeros({1, 4, 8, 8})));
       }},
      {"conv_groups", "convolution", "Conv2d(6, 8, 3, groups=4)",
       [] { return show(nn::Conv2d(nn::Conv2dOptions(6, 8, 3).groups(4))->weight); }},
      {"conv_kernel_too_large", "convolution", "Conv2d(1, 1, 5) on a (1, 1, 3, 3) input",
       [] {
         return show(nn::Conv2d(nn::Conv2dOptions(1, 1, 5))(zeros({1, 1, 3, 3})));
       }},
      {"conv_stride_zero", "convolution", "Conv2d(1, 1, 3, stride=0)",
       [] { return show(nn::Conv2d(nn::Conv2dOptions(1, 1, 3).stride(0))->weight); }},
      {"conv_negative_padding", "convolution", "Conv2d(1, 1, 3, padding=-1)",
       [] { return show(nn::Conv2d(nn::Conv2dOptions(1, 1, 3).padding(-1))->weight); }},
      {"conv_dilation_zero", "convolution", "Conv1d(1, 1, 3, dilation=0)",
       [] { return show(nn::Conv1d(nn::Conv1dOptions(1, 1, 3).dilation(0))->weight); }},
      {"conv_same_strided", "convolution", "Conv2d(1, 1, 3, padding='same', stride=2)",
       [] { return show(nn::Conv2d(nn::Conv2dOptions(1, 1, 3).padding(kSame).stride(2))->weight); }},
      {"conv_causal_2d", "convolution", "Conv2d with padding=kCausal",
       [] { return show(nn::Conv2d(nn::Conv2dOptions(1, 1, 3).padding(kCausal))->weight); }},
      {"conv_padding_string", "convolution", "Conv2d(1, 1, 3, padding=\"sme\")",
       [] { return show(nn::Conv2d(nn::Conv2dOptions(1, 1, 3).padding("sme"))->weight); }},
      {"conv_padding_mode_string", "convolution", "Conv2d(1, 1, 3, padding_mode=\"mirror\")",
       [] { return show(nn::Conv2d(nn::Conv2dOptions(1, 1, 3).padding_mode("mirror"))->weight); }},
      {"conv_input_rank", "convolution", "Conv2d on a 2-D (4, 4) input",
       [] {
         return show(nn::Conv2d(nn::Conv2dOptions(1, 1, 3))(zeros({4, 4})));
       }},
      {"conv_reflect_too_wide", "convolution", "Conv1d(1, 1, 3, padding=3, padding_mode=reflect) on length 3",
       [] {
         return show(nn::Conv1d(nn::Conv1dOptions(1, 1, 3).padding(3).padding_mode(kReflect))(zeros({1, 1, 3})));
       }},
      {"conv_weight_dtype", "convolution", "`conv2d` of a float32 input with a float64 weight",
       [] {
         return show(F::conv2d(zeros({1, 1, 4, 4}), zeros({1, 1, 3, 3}, kFloat64)));
       }},
      {"conv_empty_batch", "convolution", "Conv2d(2, 4, 3) on an empty batch (0, 2, 5, 5)",
       [] {
         return shape_str(nn::Conv2d(nn::Conv2dOptions(2, 4, 3))(zeros({0, 2, 5, 5})).sizes());
       }},
      {"conv_inf_input", "convolution", "Conv1d with all-ones weights over [1, inf, 1]",
       [] {
         const Tensor y = F::conv1d(from_vector(std::vector<float>{1, INFINITY, 1}, {1, 1, 3}), ones({1, 1, 2}));
         return show(y);
       }},
      {"conv_dilation_overflow", "convolution", "`conv2d` with dilation 2^63 − 1 and a 3×3 kernel",
       [] {
         return show(F::conv2d(zeros({1, 1, 10, 10}), zeros({1, 1, 3, 3}),
                               F::Conv2dFuncOptions().dilation(std::numeric_limits<std::int64_t>::max())));
       }},
      {"conv_padding_overflow", "convolution", "`conv1d` with padding 2^62 on both sides",
       [] {
         return show(
             F::conv1d(zeros({1, 1, 10}), zeros({1, 1, 3}), F::Conv1dFuncOptions().padding(std::int64_t{1} << 62)));
       }},
      {"conv_huge_stride", "convolution", "`conv1d` of [0, 1, …, 7] with stride 2^63 − 1 (valid: one output)",
       [] {
         return show(F::conv1d(arange(0, 8, 1, kFloat32).reshape({1, 1, 8}), ones({1, 1, 3}),
                               F::Conv1dFuncOptions().stride(std::numeric_limits<std::int64_t>::max())));
       }},
      // Transposed convolution
      {"conv_transpose_channels", "convolution", "ConvTranspose2d(3, 8, 3) on a (1, 4, 8, 8) input",
       [] {
         return show(nn::ConvTranspose2d(nn::ConvTranspose2dOptions(3, 8, 3))(zeros({1, 4, 8, 8})));
       }},
      {"conv_transpose_output_padding", "convolution", "ConvTranspose2d(4, 2, 3, stride=2, output_padding=2)",
       [] {
         return show(
             nn::ConvTranspose2d(nn::ConvTranspose2dOptions(4, 2, 3).stride(2).output_padding(2))(zeros({1, 4, 5, 5})));
       }},
      {"conv_transpose_negative_output_padding", "convolution", "ConvTranspose1d(1, 1, 3, output_padding=-1)",
       [] { return show(nn::ConvTranspose1d(nn::ConvTranspose1dOptions(1, 1, 3).output_padding(-1))->weight); }},
      {"conv_transpose_output_too_small", "convolution", "`conv_transpose2d` with padding 4 of a 5×5 input, 3×3 kernel",
       [] {
         return show(
             F::conv_transpose2d(zeros({1, 4, 5, 5}), zeros({4, 2, 3, 3}), F::ConvTranspose2dFuncOptions().padding(4)));
       }},
      {"conv_transpose_output_size", "convolution",
       "ConvTranspose2d(4, 2, 3, stride=2, padding=1) asked for an 8×8 output of a 5×5 input",
       [] {
         nn::ConvTranspose2d m(nn::ConvTranspose2dOptions(4, 2, 3).stride(2).padding(1));
         return show(m->forward(zeros({1, 4, 5, 5}), Shape{8, 8}));
       }},
      {"conv_transpose_padding_mode", "convolution", "ConvTranspose2d(4, 2, 3, padding_mode=reflect)",
       [] { return show(nn::ConvTranspose2d(nn::ConvTranspose2dOptions(4, 2, 3).padding_mode(kReflect))->weight); }},
      {"conv_transpose_stride_overflow", "convolution", "`conv_transpose1d` of a length-8 input with stride 2^62",
       [] {
         return show(F::conv_transpose1d(zeros({1, 1, 8}), zeros({1, 1, 3}),
                                         F::ConvTranspose1dFuncOptions().stride(std::int64_t{1} << 62)));
       }},
      {"conv_transpose_rf_dilated", "convolution",
       "`receptive_field` through a transposed conv of kernel 4, stride 2, dilation 2",
       [] {
         return std::to_string(receptive_field({{3, 1, 1, 1}, {4, 2, 2, 1, true}}).back().size);
       }},
      // Padding
      {"pad_size_overflow", "padding", "`pad` of 2^63 − 1 on a length-4 input",
       [] {
         return show(F::pad(zeros({1, 1, 4}), F::PadFuncOptions({std::numeric_limits<std::int64_t>::max(), 0})));
       }},
      {"pad_odd_list", "padding", "`pad` with 3 padding values",
       [] {
         return show(F::pad(zeros({1, 1, 4}), F::PadFuncOptions({1, 1, 1})));
       }},
      {"pad_reflect_too_wide", "padding", "reflect `pad` of 4 on a length-4 input",
       [] {
         return show(F::pad(zeros({1, 1, 4}), F::PadFuncOptions({4, 0}).mode(kReflect)));
       }},
      {"pad_circular_too_wide", "padding", "circular `pad` of 5 on a length-4 input",
       [] {
         return show(F::pad(zeros({1, 1, 4}), F::PadFuncOptions({5, 0}).mode(kCircular)));
       }},
      // Layers
      {"linear_features", "layers", "Linear(4, 2) on a (3, 5) input",
       [] {
         return show(nn::Linear(4, 2)(zeros({3, 5})));
       }},
      {"batchnorm_channels", "layers", "BatchNorm2d(3) on a (2, 4, 5, 5) input",
       [] {
         return show(nn::BatchNorm2d(3)(zeros({2, 4, 5, 5})));
       }},
      {"batchnorm_one_value", "layers", "BatchNorm1d(3) training on a (1, 3) batch",
       [] {
         return show(nn::BatchNorm1d(3)(zeros({1, 3})));
       }},
      {"maxpool_padding", "layers", "MaxPool2d(2, padding=2)",
       [] {
         return show(nn::MaxPool2d(nn::MaxPool2dOptions(2).padding(2))(zeros({1, 1, 6, 6})));
       }},
      {"maxpool_dilation_overflow", "layers", "MaxPool2d(3, dilation=2^62)",
       [] {
         return show(nn::MaxPool2d(nn::MaxPool2dOptions(3).dilation(std::int64_t{1} << 62))(zeros({1, 1, 6, 6})));
       }},
      {"maxpool_nan", "layers", "MaxPool1d(3) over [1, nan, 2]",
       [] {
         return show(nn::MaxPool1d(nn::MaxPool1dOptions(3))(from_vector(std::vector<float>{1, NAN, 2}, {1, 1, 3})));
       }},
      {"dropout_probability", "layers", "Dropout(1.5)", [] { return show(nn::Dropout(1.5)(zeros({2}))); }},
      {"sequential_empty_handle", "layers", "calling an `nn::Conv2d` handle constructed from nullptr",
       [] {
         return show(nn::Conv2d(nullptr)(zeros({1, 1, 3, 3})));
       }},
      // Losses
      {"loss_target_range", "losses", "`cross_entropy` with class 7 for 5 classes",
       [] {
         return show(F::cross_entropy(zeros({2, 5}), from_vector(std::vector<std::int64_t>{1, 7})));
       }},
      {"loss_target_dtype", "losses", "`cross_entropy` with a float32 target of classes",
       [] {
         return show(F::cross_entropy(zeros({2, 5}), zeros({2})));
       }},
      {"loss_batch_mismatch", "losses", "`cross_entropy` of (2, 5) logits with 3 targets",
       [] {
         return show(F::cross_entropy(zeros({2, 5}), from_vector(std::vector<std::int64_t>{1, 2, 3})));
       }},
      {"loss_mse_shapes", "losses", "`mse_loss` of (2, 3) and (3, 2)",
       [] {
         return show(F::mse_loss(zeros({2, 3}), zeros({3, 2})));
       }},
      // Optimizers
      {"optim_negative_lr", "optimizers", "SGD with lr = -0.1",
       [] {
         optim::SGD sgd({zeros({2}).requires_grad_()}, optim::SGDOptions(-0.1));
         return std::string("no error");
       }},
      {"optim_adam_beta", "optimizers", "Adam with betas (0.9, 1.0)",
       [] {
         optim::Adam adam({zeros({2}).requires_grad_()}, optim::AdamOptions(1e-3).betas({0.9, 1.0}));
         return std::string("no error");
       }},
      {"optim_int_parameter", "optimizers", "SGD over an int64 tensor",
       [] {
         optim::SGD sgd({arange(3)}, optim::SGDOptions(0.1));
         return std::string("no error");
       }},
      {"optim_state_mismatch", "optimizers", "`load_state_dict` of an Adam state for a (3) parameter into one over (2)",
       [] {
         Tensor big = ones({3}).requires_grad_(), small = ones({2}).requires_grad_();
         optim::Adam a({big}, optim::AdamOptions()), b({small}, optim::AdamOptions());
         big.sum().backward();
         a.step();
         b.load_state_dict(a.state_dict());
         return std::string("no error");
       }},
      // Files
      {"file_npy_missing", "files", "`load_npy` of a file that does not exist",
       [] { return show(load_npy("/nonexistent/x.npy")); }},
      {"file_npy_huge", "files", ".npy header claiming shape (1000000, 1000000, 1000) in a 128-byte file",
       [] {
         return show(parse_npy(
             test::npy_header("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000, 1000), }"),
             "huge.npy"));
       }},
      {"file_npy_dtype", "files", ".npy of dtype '<i2' (int16)",
       [] {
         return show(
             parse_npy(test::npy_header("{'descr': '<i2', 'fortran_order': False, 'shape': (1,), }") + "ab", "i2.npy"));
       }},
      {"file_safetensors_truncated", "files", "a safetensors file cut off inside its header",
       [] {
         return std::to_string(
             parse_safetensors(std::string("\x40\x00\x00\x00\x00\x00\x00\x00{\"a\":", 13), "cut.safetensors").size());
       }},
      {"file_safetensors_offsets", "files", "a safetensors tensor whose data_offsets run past the file",
       [] {
         const std::string header = R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})";
         std::string bytes(8, '\0');
         bytes[0] = static_cast<char>(header.size());
         return std::to_string(parse_safetensors(bytes + header + std::string(8, '\0'), "short.safetensors").size());
       }},
      {"file_safetensors_duplicate", "files", "a safetensors header naming tensor 'w' twice",
       [] {
         const std::string header = R"({"w":{"dtype":"F32","shape":[],"data_offsets":[0,4]},)"
                                    R"("w":{"dtype":"F32","shape":[],"data_offsets":[0,4]}})";
         std::string bytes(8, '\0');
         bytes[0] = static_cast<char>(header.size());
         return std::to_string(parse_safetensors(bytes + header + std::string(4, '\0'), "twice.safetensors").size());
       }},
      {"file_safetensors_name_utf8", "files", "`save_safetensors` of a tensor named \"\\xff\" (not UTF-8)",
       [] {
         return std::to_string(serialize_safetensors({{"\xff", zeros({1})}}).size());
       }},
      {"module_clone_unsupported", "modules", "`clone()` of a module that does not derive from Cloneable",
       [] { return std::make_shared<PlainModule>()->clone()->name(); }},
      {"module_dict_missing", "modules", "`ModuleDict` lookup of an absent key",
       [] {
         nn::ModuleDict dict;
         dict->insert("a", nn::ReLU());
         return (*dict)["b"]->name();
       }},
      {"module_ordered_dict_missing", "modules", "`named_parameters()[\"fc.weight\"]` of a module without it",
       [] { return show(nn::Linear(2, 2)->named_parameters()["fc.weight"]); }},
      {"dropout2d_rank", "modules", "`Dropout2d` of a (2, 3) input",
       [] {
         return show(nn::Dropout2d(0.5)(zeros({2, 3})));
       }},
      {"loss_bce_range", "modules", "`binary_cross_entropy` of input 1.5",
       [] { return show(binary_cross_entropy(full({1}, 1.5), ones({1}))); }},
      {"file_pt_checkpoint", "files", "`load` of a PyTorch .pt (zip) file",
       [] {
         return std::to_string(
             parse_safetensors(std::string("PK\x03\x04", 4) + std::string(60, '\0'), "net.pt").size());
       }},
      {"file_tensor_list_entry", "files", "`load(std::vector<Tensor>&)` of a file whose entry is not an index",
       [] {
         const std::string path = "/tmp/atrous_catalogue_list.safetensors";
         save_safetensors(path, {{"weight", zeros({1})}});
         std::vector<Tensor> tensors;
         load(tensors, path);
         return std::to_string(tensors.size());
       }},
      {"autograd_grad_unused", "autograd", "`autograd::grad` for an input the output does not use",
       [] {
         const Tensor a = ones({2}).requires_grad_(), b = ones({2}).requires_grad_();
         return show(autograd::grad({(a * 2).sum()}, {a, b})[1]);
       }},
      {"autograd_grad_create_graph", "autograd", "`autograd::grad` with create_graph = true",
       [] {
         const Tensor a = ones({2}).requires_grad_();
         return show(autograd::grad({(a * 2).sum()}, {a}, {}, std::nullopt, true)[0]);
       }},
      {"autograd_function_saved_type", "autograd", "`saved_data[\"c\"].toDouble()` of a saved string",
       [] { return std::to_string(autograd::IValue("text").toDouble()); }},
      {"optim_duplicate_parameter", "optim", "`add_param_group` with a parameter already optimized",
       [] {
         const Tensor p = zeros({2}).requires_grad_();
         optim::SGD sgd({p}, 0.1);
         sgd.add_param_group(optim::OptimizerParamGroup({p}));
         return std::to_string(sgd.param_groups().size());
       }},
      {"data_loader_batch_size", "data", "`make_data_loader` with batch_size 0",
       [] {
         auto loader = data::make_data_loader(OneExample(), data::DataLoaderOptions(0));
         return std::to_string(loader->options().batch_size());
       }},
      {"data_normalize_counts", "data", "`Normalize<>({0.5, 0.5, 0.5}, {0.5})`",
       [] {
         return show(data::transforms::Normalize<>({0.5, 0.5, 0.5}, {0.5})(zeros({3, 2, 2})));
       }},
      {"data_image_batch_dtype", "data", "`image_batch_to_float` of float32 images (it converts uint8 bytes)",
       [] {
         return show(data::image_batch_to_float(zeros({2, 1, 28, 28})));
       }},
      {"loss_batchmean_elsewhere", "modules", "`mse_loss` with reduction kBatchMean (kl_div's alone)",
       [] { return show(F::mse_loss(zeros({2}), zeros({2}), kBatchMean)); }},
      {"loss_weight_and_smoothing", "modules", "`cross_entropy` with class weights and label_smoothing",
       [] {
         return show(F::cross_entropy(zeros({2, 3}), zeros({2}, kInt64),
                                      F::CrossEntropyFuncOptions().weight(ones({3})).label_smoothing(0.1)));
       }},
      {"loss_huber_delta", "modules", "`huber_loss` with delta 0",
       [] { return show(F::huber_loss(zeros({2}), zeros({2}), F::HuberLossFuncOptions().delta(0.0))); }},
      {"init_orthogonal_rank", "modules", "`orthogonal_` of a 1-D tensor",
       [] { return show(nn::init::orthogonal_(zeros({4}))); }},
      {"file_load_directory", "files", "`load_npy` of a directory", [] { return show(load_npy("/tmp")); }},
      {"file_idx_claims_gigabytes", "files", "a 1 KB IDX file whose header claims 2880000 × 28 × 28 bytes",
       [] {
         std::string header("\x00\x00\x08\x03\x00\x2b\xf2\x00\x00\x00\x00\x1c\x00\x00\x00\x1c", 16);
         return show(parse_idx(header + std::string(1000, '\0'), "claim.idx"));
       }},
      {"file_idx_magic", "files", "an IDX file with a bad magic number",
       [] { return show(parse_idx(std::string("\x00\x00\x07\x01\x00\x00\x00\x01", 8), "bad.idx")); }},
      {"file_checkpoint_architecture", "files", "`load` of a Linear(4, 2) checkpoint into a Linear(4, 3)",
       [] {
         const std::string path = "/tmp/atrous_error_catalogue_linear.safetensors";
         save(*nn::Linear(4, 2), path);
         nn::Linear other(4, 3);
         load(*other, path);
         return std::string("no error");
       }},
  };
}

}  // namespace

const std::vector<ErrorCase>& error_cases() {
  static const std::vector<ErrorCase> cases = make_cases();
  return cases;
}

std::string outcome(const ErrorCase& c) {
  try {
    return "returns " + c.run();
  } catch (const std::invalid_argument& e) {
    return std::string("std::invalid_argument: ") + e.what();
  } catch (const std::runtime_error& e) {
    return std::string("std::runtime_error: ") + e.what();
  } catch (const std::exception& e) {
    return std::string("std::exception: ") + e.what();
  }
}

std::string cell(const std::string& text) {
  std::string out;
  for (const char ch : text) {
    if (ch == '|') {
      out += "\\|";
    } else if (ch == '\n') {
      out += "<br>";
    } else {
      out += ch;
    }
  }
  return out;
}

}  // namespace atrous
