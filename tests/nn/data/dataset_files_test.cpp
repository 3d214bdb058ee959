// The dataset readers on small files written here: formats, gzip detection, and a clear
// InputError naming the file for each kind of bad input.

#include <gtest/gtest.h>

#include <numeric>
#include <string>

#include "dataset_test_support.hpp"
#include "nn/data/cifar_reader.hpp"
#include "nn/data/csv_dataset.hpp"
#include "nn/data/dataset_loader.hpp"
#include "nn/data/gzip_file.hpp"
#include "nn/data/idx_reader.hpp"
#include "support/temp_dir.hpp"

namespace codse::nn {
namespace {

using codse::testing::TempDir;
using testing::Bytes;
using testing::expect_input_error;
using testing::idx_bytes;
using testing::write_bytes;
using testing::write_gzipped;

const std::vector<std::string> ten_classes{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};

// Three 2x2 images with pixels 0..11 and labels 3, 0, 9.
const Bytes tiny_pixels{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
const Bytes tiny_labels{3, 0, 9};

void write_tiny_mnist(const TempDir& dir, bool gzipped) {
  const auto images = idx_bytes(0x803, {3, 2, 2}, tiny_pixels);
  const auto labels = idx_bytes(0x801, {3}, tiny_labels);
  for (const std::string part : {"train", "t10k"}) {
    if (gzipped) {
      write_gzipped(dir / (part + "-images-idx3-ubyte.gz"), images);
      write_gzipped(dir / (part + "-labels-idx1-ubyte.gz"), labels);
    } else {
      write_bytes(dir / (part + "-images-idx3-ubyte"), images);
      write_bytes(dir / (part + "-labels-idx1-ubyte"), labels);
    }
  }
}

TEST(IdxReader, ReadsPlainAndGzippedDirectories) {
  for (bool gzipped : {false, true}) {
    TempDir dir;
    write_tiny_mnist(dir, gzipped);
    const auto data = read_idx_directory(dir.path(), "MNIST", ten_classes);
    ASSERT_EQ(data.train.size(), 3u);
    EXPECT_EQ(data.train.sample_shape(), (Shape{1, 2, 2}));
    EXPECT_EQ(data.train.labels(), (std::vector<int>{3, 0, 9}));
    EXPECT_EQ(std::vector<float>(data.train.sample(1).begin(), data.train.sample(1).end()),
              (std::vector<float>{4, 5, 6, 7}));
    EXPECT_EQ(data.test.size(), 3u);
    EXPECT_EQ(data.train.value_max(), 255.0F);
  }
}

TEST(IdxReader, LimitReadsOnlyAPrefix) {
  TempDir dir;
  write_tiny_mnist(dir, true);
  const auto data = read_idx_directory(dir.path(), "MNIST", ten_classes, {2, 1});
  EXPECT_EQ(data.train.labels(), (std::vector<int>{3, 0}));
  EXPECT_EQ(data.test.labels(), (std::vector<int>{3}));
}

TEST(GzipFile, DetectsCompressionByMagicBytesNotByName) {
  TempDir dir;
  const Bytes content{'h', 'e', 'l', 'l', 'o'};
  const auto gzipped_without_suffix = write_gzipped(dir / "data.bin", content);
  const auto plain_with_suffix = write_bytes(dir / "plain.gz", content);
  {
    GzipFile file(gzipped_without_suffix);
    EXPECT_TRUE(file.compressed());
    EXPECT_EQ(file.read_rest(), content);
  }
  GzipFile file(plain_with_suffix);
  EXPECT_FALSE(file.compressed());
  EXPECT_EQ(file.read_rest(), content);
}

TEST(GzipFile, LargeContentRoundTrips) {
  TempDir dir;
  Bytes content(3'000'000);
  std::iota(content.begin(), content.end(), std::uint8_t{7});
  EXPECT_EQ(read_maybe_gzipped(write_gzipped(dir / "big", content)), content);
}

TEST(DatasetErrors, MissingFileNamesIt) {
  TempDir dir;
  expect_input_error([&] { read_idx(dir / "nothing-idx3-ubyte", 3); },
                     {"nothing-idx3-ubyte", "no such file"});
  expect_input_error([&] { read_cifar_file(dir / "data_batch_1.bin"); },
                     {"data_batch_1.bin", "no such file"});
  expect_input_error([&] { read_csv_dataset(dir / "table.csv"); }, {"table.csv", "no such file"});
}

TEST(DatasetErrors, MissingDatasetFilesListWhatWasExpected) {
  TempDir dir;
  write_bytes(dir / "train-images-idx3-ubyte", idx_bytes(0x803, {3, 2, 2}, tiny_pixels));
  DatasetOptions options;
  options.data_dir = dir.path();
  expect_input_error([&] { load_dataset("mnist", options); },
                     {dir.path().string(), "train-labels-idx1-ubyte", "MNIST"});
  expect_input_error([&] { load_dataset("cifar10", options); },
                     {dir.path().string(), "data_batch_1.bin", "test_batch.bin"});
  options.data_dir = dir / "absent";
  expect_input_error([&] { load_dataset("fashion-mnist", options); },
                     {"absent", "no such directory", "Fashion-MNIST"});
}

TEST(DatasetErrors, TruncatedIdxFile) {
  TempDir dir;
  const Bytes short_pixels(tiny_pixels.begin(), tiny_pixels.begin() + 10);  // header says 12 bytes
  const auto path = write_bytes(dir / "train-images-idx3-ubyte", idx_bytes(0x803, {3, 2, 2}, short_pixels));
  expect_input_error([&] { read_idx(path, 3); }, {path.string(), "truncated", "3 items of 4 bytes",
                                                  "ends after 10 bytes", "expected 12 bytes"});
  const auto header_only = write_bytes(dir / "labels", {0, 0, 8});
  expect_input_error([&] { read_idx(header_only, 1); }, {"labels", "truncated", "header"});
}

TEST(DatasetErrors, TruncatedGzipStream) {
  TempDir dir;
  Bytes pixels(3 * 28 * 28);
  std::iota(pixels.begin(), pixels.end(), std::uint8_t{0});
  const auto full = write_gzipped(dir / "full.gz", idx_bytes(0x803, {3, 28, 28}, pixels));
  auto bytes = testing::read_bytes(full);
  bytes.resize(bytes.size() / 2);
  const auto cut = write_bytes(dir / "cut-images-idx3-ubyte.gz", bytes);
  expect_input_error([&] { read_idx(cut, 3); }, {"cut-images-idx3-ubyte.gz", "truncated"});
}

TEST(DatasetErrors, LongerThanHeaderSays) {
  TempDir dir;
  auto pixels = tiny_pixels;
  pixels.push_back(42);
  const auto path = write_bytes(dir / "images", idx_bytes(0x803, {3, 2, 2}, pixels));
  expect_input_error([&] { read_idx(path, 3); }, {"images", "longer than its IDX header says"});
}

TEST(DatasetErrors, WrongMagicNumber) {
  TempDir dir;
  // A labels file where the images belong, and a file that is not IDX at all.
  const auto labels = write_bytes(dir / "swapped", idx_bytes(0x801, {3}, tiny_labels));
  expect_input_error([&] { read_idx(labels, 3); },
                     {"swapped", "wrong magic number 0x00000801", "expected 0x00000803"});
  const auto text = write_bytes(dir / "text", {'h', 'e', 'l', 'l', 'o', '!', '!', '!'});
  expect_input_error([&] { read_idx(text, 1); }, {"text", "wrong magic number", "expected 0x00000801"});
  const auto floats = write_bytes(dir / "floats", idx_bytes(0xD01, {1}, {0, 0, 0, 0}));
  expect_input_error([&] { read_idx(floats, 1); }, {"floats", "data type 0x0d is not supported"});
}

TEST(DatasetErrors, ImageAndLabelCountsDiffer) {
  TempDir dir;
  const auto images = write_bytes(dir / "images", idx_bytes(0x803, {3, 2, 2}, tiny_pixels));
  const auto labels = write_bytes(dir / "labels", idx_bytes(0x801, {2}, {1, 2}));
  expect_input_error([&] { read_idx_dataset(images, labels, ten_classes); },
                     {"labels", "2 labels", "3 images"});
}

TEST(DatasetErrors, IdxLabelOutOfRange) {
  TempDir dir;
  const auto images = write_bytes(dir / "images", idx_bytes(0x803, {3, 2, 2}, tiny_pixels));
  const auto labels = write_bytes(dir / "labels", idx_bytes(0x801, {3}, {1, 10, 2}));
  expect_input_error([&] { read_idx_dataset(images, labels, ten_classes); },
                     {"labels", "label 10 of item 1 is out of range", "expected 0..9"});
}

Bytes cifar_record(std::uint8_t label, std::uint8_t fill) {
  Bytes record(3073, fill);
  record[0] = label;
  return record;
}

TEST(CifarReader, ReadsRecordsInChwOrder) {
  TempDir dir;
  Bytes bytes = cifar_record(4, 0);
  for (int p = 0; p < 3072; ++p)
    bytes[static_cast<std::size_t>(1 + p)] = static_cast<std::uint8_t>(p / 1024 * 100 + 1);
  const auto second = cifar_record(9, 200);
  bytes.insert(bytes.end(), second.begin(), second.end());
  const auto data = read_cifar_file(write_gzipped(dir / "batch.bin", bytes));
  ASSERT_EQ(data.size(), 2u);
  EXPECT_EQ(data.sample_shape(), (Shape{3, 32, 32}));
  EXPECT_EQ(data.labels(), (std::vector<int>{4, 9}));
  EXPECT_EQ(data.sample(0)[0], 1.0F);       // red plane
  EXPECT_EQ(data.sample(0)[1024], 101.0F);  // green plane
  EXPECT_EQ(data.sample(0)[3071], 201.0F);  // last blue pixel
  EXPECT_EQ(data.sample(1)[5], 200.0F);
  EXPECT_EQ(data.class_names().at(3), "cat");
}

TEST(CifarReader, DirectoryOfBatchesWithClassNames) {
  TempDir dir;
  write_bytes(dir / "data_batch_1.bin", cifar_record(1, 10));
  write_gzipped(dir / "data_batch_2.bin.gz", cifar_record(2, 20));
  write_bytes(dir / "test_batch.bin", cifar_record(3, 30));
  dir.write("batches.meta.txt", "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n");
  const auto data = read_cifar_directory(dir.path());
  EXPECT_EQ(data.train.labels(), (std::vector<int>{1, 2}));
  EXPECT_EQ(data.train.sample(1)[0], 20.0F);
  EXPECT_EQ(data.test.labels(), (std::vector<int>{3}));
  EXPECT_EQ(data.train.class_names().at(2), "c");
  const auto limited = read_cifar_directory(dir.path(), {1, 0});
  EXPECT_EQ(limited.train.labels(), (std::vector<int>{1}));
}

TEST(DatasetErrors, TruncatedCifarFile) {
  TempDir dir;
  auto bytes = cifar_record(1, 0);
  const auto second = cifar_record(2, 0);
  bytes.insert(bytes.end(), second.begin(), second.end() - 5);
  const auto path = write_bytes(dir / "data_batch_1.bin", bytes);
  expect_input_error([&] { read_cifar_file(path); },
                     {"data_batch_1.bin", "truncated", "6141 bytes", "3073-byte records", "3068 bytes"});
  const auto empty = write_bytes(dir / "empty.bin", {});
  expect_input_error([&] { read_cifar_file(empty); }, {"empty.bin", "empty"});
}

TEST(DatasetErrors, CifarLabelOutOfRange) {
  TempDir dir;
  auto bytes = cifar_record(1, 0);
  const auto bad = cifar_record(12, 0);
  bytes.insert(bytes.end(), bad.begin(), bad.end());
  const auto path = write_bytes(dir / "test_batch.bin", bytes);
  expect_input_error([&] { read_cifar_file(path); },
                     {"test_batch.bin", "record 1 has label 12", "expected 0..9"});
}

TEST(CsvDataset, HeaderAndLabelColumnByName) {
  TempDir dir;
  const auto path = dir.write("t.csv", "x1,x2,target\n1.5,2,1\n\n3,-4e1,0\n5,6,2\n");
  const auto data = read_csv_dataset(path);
  ASSERT_EQ(data.train.size(), 3u);
  EXPECT_TRUE(data.test.empty());
  EXPECT_EQ(data.train.num_classes(), 3);
  EXPECT_EQ(data.train.sample_shape(), (Shape{2, 1, 1}));
  EXPECT_EQ(data.train.labels(), (std::vector<int>{1, 0, 2}));
  EXPECT_EQ(data.train.sample(1)[1], -40.0F);
}

TEST(CsvDataset, LabelColumnOptionAndNoHeader) {
  TempDir dir;
  const auto gz =
      write_gzipped(dir / "t.csv.gz", {'1', ',', '7', ',', '8', '\n', '0', ',', '5', ',', '6', '\n'});
  CsvOptions options;
  EXPECT_EQ(read_csv_dataset(gz, options).train.labels(), (std::vector<int>{8, 6}));  // last column
  options.label_column = "0";
  const auto first = read_csv_dataset(gz, options).train;
  EXPECT_EQ(first.labels(), (std::vector<int>{1, 0}));
  EXPECT_EQ(first.sample(0)[0], 7.0F);
  options.label_column = "-2";
  EXPECT_EQ(read_csv_dataset(gz, options).train.labels(), (std::vector<int>{7, 5}));
  options.label_column = "3";
  expect_input_error([&] { read_csv_dataset(gz, options); }, {"t.csv.gz", "label column 3 is out of range"});
  options.label_column = "";
  options.num_classes = 8;
  expect_input_error([&] { read_csv_dataset(gz, options); },
                     {"t.csv.gz:1:3", "label 8 is out of range", "0..7"});
}

TEST(CsvDataset, DirectoryWithTrainAndTest) {
  TempDir dir;
  dir.write("train.csv", "a,b,label\n1,2,0\n3,4,1\n");
  dir.write("test.csv", "a,b,label\n5,6,2\n");
  CsvOptions options;
  options.sample_shape = Shape{1, 1, 2};
  const auto data = read_csv_dataset(dir.path(), options);
  EXPECT_EQ(data.train.num_classes(), 3);
  EXPECT_EQ(data.test.num_classes(), 3);
  EXPECT_EQ(data.test.sample_shape(), (Shape{1, 1, 2}));
  options.sample_shape = Shape{3, 1, 1};
  expect_input_error([&] { read_csv_dataset(dir.path(), options); },
                     {"train.csv", "2 feature columns", "3x1x1"});
}

TEST(DatasetErrors, CsvNonNumericCellNamesFileLineColumn) {
  TempDir dir;
  const auto path = dir.write("table.csv", "a,b,label\n1,2,0\n3,x4,1\n");
  expect_input_error([&] { read_csv_dataset(path); },
                     {"table.csv:3:2", "column 'b'", "'x4' is not a number", "numeric feature"});
  const auto no_header = dir.write("plain.csv", "1,2,0\n\n3,4,1.5\n");
  expect_input_error([&] { read_csv_dataset(no_header); },
                     {"plain.csv:3:3", "label '1.5' is not a class index"});
  const auto ragged = dir.write("ragged.csv", "1,2,0\n3,1\n");
  expect_input_error([&] { read_csv_dataset(ragged); }, {"ragged.csv:2", "2 cells; expected 3"});
  const auto unnamed = dir.write("unnamed.csv", "a,b,c\n1,2,0\n");
  expect_input_error([&] { read_csv_dataset(unnamed); },
                     {"unnamed.csv", "no column named 'label' or 'target'", "a, b, c"});
  const auto header_only = dir.write("header.csv", "a,label\n");
  expect_input_error([&] { read_csv_dataset(header_only); }, {"header.csv", "no data rows"});
}

TEST(DatasetErrors, BadSpecAndOptions) {
  expect_input_error([] { load_dataset("imagenet"); }, {"unknown dataset 'imagenet'", "csv:FILE"});
  DatasetOptions options;
  options.validation_fraction = 1.5;
  expect_input_error([&] { load_dataset("mnist", options); }, {"validation fraction 1.5"});
}

}  // namespace
}  // namespace codse::nn
