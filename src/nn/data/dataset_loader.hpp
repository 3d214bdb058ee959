#pragma once
// load_dataset: a dataset by name, read from its files and split into train / validation / test,
// normalised and shuffled for a seed. The one entry point the CLI and training use.
//
// Where the files are (first that exists):
//   options.data_dir, when given (then nothing else is tried);
//   $CODSE_DATA_DIR/<name>, when CODSE_DATA_DIR is set;
//   ~/.cache/codse/data/<name>  (scripts/setup.sh puts MNIST there);
//   for fashion-mnist, /usr/share/datasets/fashion-mnist (Debian package dataset-fashion-mnist);
//   for digits, /usr/lib/python3/dist-packages/sklearn/datasets/data (Debian's python3-sklearn).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "nn/data/csv_dataset.hpp"
#include "nn/data/dataset.hpp"
#include "nn/data/dataset_normalization.hpp"
#include "nn/data/dataset_split.hpp"

namespace codse::nn {

struct DatasetOptions {
  std::filesystem::path data_dir;  // empty: the default places above
  /// Share of the training files held out for validation (stratified by class, seeded).
  double validation_fraction = 0.1;
  /// csv with a single table only: share of the rows held out as the test set.
  double test_fraction = 0.2;
  SplitMode split_mode = SplitMode::stratified;
  std::uint64_t seed = 0;
  Normalization normalization = Normalization::scale;
  /// The network's own preprocessing (Network::preprocessing()); when set it replaces
  /// `normalization`, so an imported model gets exactly the inputs it was trained on.
  std::optional<InputPreprocessing> preprocessing;
  bool shuffle = true;  // shuffle train for the seed; false keeps file order
  SampleLimits limits;  // read only the first N train / test samples of the files (fast tests)
  CsvOptions csv;       // csv only: label column, header, sample shape
};

/// spec: "mnist", "fashion-mnist", "cifar10", "digits" (scikit-learn's 8x8 digits, digits.csv.gz) or "csv:PATH" (a CSV file, or a directory with
/// train.csv and test.csv). Order of work: read (up to the limits); hold out test (a single CSV
/// table only), then validation, from the training samples in file order; fit the normalisation
/// on train and apply it to all three; shuffle train. Validation and test keep file order.
/// Throws InputError for an unknown spec, bad options, or any problem with the files.
DatasetSplits load_dataset(const std::string& spec, const DatasetOptions& options = {});

/// The directories load_dataset tries for a named dataset, in order (see above).
std::vector<std::filesystem::path> default_data_dirs(const std::string& name);

/// The names load_dataset accepts besides csv:PATH.
const std::vector<std::string>& known_datasets();

}  // namespace codse::nn
