#pragma once
// Batch size and epochs when the user gives none, from the size of the training set: one fixed
// default (batch 128, 10 epochs) is about 100 optimisation steps on the 1,300 training images of
// the sklearn digits, far too few (56% accuracy, where 95% is easy), and thousands on MNIST. The
// rule keeps at least about 40 steps per epoch and about 1,200 steps in all, within bounds.

#include <cstddef>

namespace codse::nn {

struct TrainingDefaults {
  int batch_size = 128;
  int epochs = 10;
};

/// batch: the largest power of two with at least 40 batches per epoch, in [16, 128]; epochs:
/// enough for 1,200 steps, in [10, 50]. MNIST's 54,000 images give 128 and 10 (the old fixed
/// default), the digits' 1,294 give 32 and 30.
TrainingDefaults training_defaults(std::size_t train_samples);

/// Whether an accuracy is near chance for `classes` equally likely classes (below 1.5x chance):
/// training did not learn, and the user should hear so.
bool near_chance(double accuracy, int classes);

}  // namespace codse::nn
