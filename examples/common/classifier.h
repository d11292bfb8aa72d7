// SPDX-License-Identifier: Apache-2.0
// The Fashion-MNIST training run shared by the vgg and resnet examples: the recipe of
// ../shared/anchors/torch_fmnist.py (inputs normalised with mean 0.2860 / std 0.3530, Adam,
// cross-entropy, a reshuffle per epoch, test accuracy after each), plus a progress bar,
// metrics.csv/.svg and a checkpoint per epoch that --resume continues from.
#pragma once

#include <functional>
#include <string>

#include <atrous/atrous.h>

#include "examples/common/train_flags.h"

namespace atrous::examples {

struct ClassifierResult {
  double train_loss = 0, test_loss = 0, test_accuracy = 0, epoch_seconds = 0;
  bool loss_fell = true;  // over the epochs of this run, when it ran two or more
};

// Trains `model` for flags.epochs epochs (--limit N also evaluates on the first N test images only) and returns the
// last epoch's figures. Each epoch prints
// "<name> epoch E train_loss L test_acc A epoch_s T", the line torch_fmnist.py prints.
// `on_summary`, if given, gets the printed summary() table (to point something out in it).
ClassifierResult train_classifier(const std::string& name, nn::Sequential model, const TrainFlags& flags,
                                  const std::function<void(const std::string&)>& on_summary = {});

// Prints "<name> inference batch B images_per_s X" for B = 1 and 128: eval mode, no autograd, test
// images normalised per batch as in training; the median of 5 rounds of at least 0.5 s.
void measure_inference(const std::string& name, nn::Sequential model);

// The whole program of a classifier example: parses the shared flags, seeds, builds the model
// with make_model (after seeding, so initialisation follows --seed), trains, and reports. Returns
// the exit code: 0 when the training loss fell, 1 otherwise or on error.
int classifier_main(int argc, char** argv, const std::string& name, const std::string& description,
                    const std::function<nn::Sequential()>& make_model,
                    const std::function<void(const std::string&)>& on_summary = {});

}  // namespace atrous::examples
