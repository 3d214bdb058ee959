// Training throughput (samples per second) of codse against PyTorch on the same network, batch and
// threads, side by side in one run: every repetition trains one epoch over the first N MNIST
// training images in codse (nn::train, libtorch) and in PyTorch (bench/nn/train_speed.py, started
// with Debian's /usr/bin/python3), alternating which goes first so both see the same machine load.
// Reports the median throughput of each and the median of the per-repetition ratios, per second of
// wall-clock time and per second of processor time (all threads; the fairer measure when other
// jobs share the machine, as wall-clock time then depends on who got the cores).
//
//   bench_nn_train_speed [--data-dir DIR] [--samples N] [--reps R] [--batch B] [--threads T]

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "nn/data/dataset_loader.hpp"
#include "nn/ir/network_io.hpp"
#include "nn/train/blas_runtime.hpp"
#include "nn/train/trainer.hpp"

namespace {

using namespace codse;

struct Settings {
  std::string data_dir = std::string(CODSE_SHARED_DATA_DIR) + "/mnist";
  std::size_t samples = 30000;
  int reps = 5;
  int batch = 256;
  int threads = 1;
};

Settings parse(int argc, char** argv) {
  Settings settings;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--data-dir") settings.data_dir = value;
    else if (flag == "--samples") settings.samples = std::stoul(value);
    else if (flag == "--reps") settings.reps = std::stoi(value);
    else if (flag == "--batch") settings.batch = std::stoi(value);
    else if (flag == "--threads") settings.threads = std::stoi(value);
    else throw std::invalid_argument("unknown flag " + flag);
  }
  return settings;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const auto n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

struct Throughput {
  double wall = 0;  // samples per second
  double cpu = 0;   // samples per processor second
};

Throughput codse_throughput(const nn::Network& network, const nn::Dataset& train, const nn::Dataset& validation,
                            const Settings& settings, int rep) {
  nn::TrainOptions options;
  options.epochs = 1;
  options.batch_size = settings.batch;
  options.threads = settings.threads;
  options.learning_rate = 1e-3;
  options.seed = static_cast<std::uint64_t>(rep);
  const auto result = nn::train(network, {train.features(), train.labels()},
                                {validation.features(), validation.labels()}, options);
  const auto samples = static_cast<double>(result.samples_seen);
  return {samples / result.train_seconds, samples / result.train_cpu_seconds};
}

Throughput pytorch_throughput(const std::string& network_file, const Settings& settings, int rep) {
  const auto command =
      fmt::format("OPENBLAS_NUM_THREADS={} OMP_NUM_THREADS={} /usr/bin/python3 {}/bench/nn/train_speed.py --network {} "
                  "--data-dir {} --samples {} --batch {} --threads {} --seed {}",
                  settings.threads, settings.threads, CODSE_SOURCE_DIR, network_file, settings.data_dir,
                  settings.samples, settings.batch, settings.threads, rep);
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot start " + command);
  std::string output;
  char buffer[4096];
  while (fgets(buffer, sizeof buffer, pipe)) output += buffer;
  if (pclose(pipe) != 0) throw std::runtime_error("failed: " + command + "\n" + output);
  const auto result = nlohmann::json::parse(output);
  return {result["samples_per_second"].get<double>(), result["samples_per_cpu_second"].get<double>()};
}

/// Median, min and max of codse / PyTorch.
std::string ratio_summary(const std::vector<double>& ratios) {
  return fmt::format("{:.3f} ({:.3f}..{:.3f})", median(ratios), *std::min_element(ratios.begin(), ratios.end()),
                     *std::max_element(ratios.begin(), ratios.end()));
}

}  // namespace

int main(int argc, char** argv) {
  const auto settings = parse(argc, argv);
  nn::DatasetOptions dataset_options;
  dataset_options.data_dir = settings.data_dir;
  dataset_options.validation_fraction = 0.02;
  const auto data = nn::load_dataset("mnist", dataset_options);
  const auto train = data.train.first(settings.samples);

  fmt::print("MNIST, one epoch over {} training images per repetition, batch {}, {} thread(s), {} repetitions, "
             "OpenBLAS kernels {}\n\n",
             train.size(), settings.batch, settings.threads, settings.reps, nn::blas_core_name());
  fmt::print("| network | codse samples/s | PyTorch samples/s | codse / PyTorch | codse samples/cpu-s | "
             "PyTorch samples/cpu-s | codse / PyTorch (cpu) |\n|---|---|---|---|---|---|---|\n");
  for (const std::string name : {"mnist_mlp_fp", "mnist_mlp_w4a4"}) {
    const auto file = fmt::format("{}/examples/networks/{}.json", CODSE_SOURCE_DIR, name);
    const auto network = nn::load_network(file);
    std::vector<double> ours, theirs, ratios, ours_cpu, theirs_cpu, cpu_ratios;
    for (int rep = 0; rep < settings.reps; ++rep) {
      Throughput codse, pytorch;
      if (rep % 2 == 0) {
        codse = codse_throughput(network, train, data.validation, settings, rep);
        pytorch = pytorch_throughput(file, settings, rep);
      } else {
        pytorch = pytorch_throughput(file, settings, rep);
        codse = codse_throughput(network, train, data.validation, settings, rep);
      }
      ours.push_back(codse.wall);
      theirs.push_back(pytorch.wall);
      ratios.push_back(codse.wall / pytorch.wall);
      ours_cpu.push_back(codse.cpu);
      theirs_cpu.push_back(pytorch.cpu);
      cpu_ratios.push_back(codse.cpu / pytorch.cpu);
      std::fprintf(stderr, "%s rep %d: codse %.0f (%.0f per cpu-s), PyTorch %.0f (%.0f per cpu-s) samples/s\n",
                   name.c_str(), rep, codse.wall, codse.cpu, pytorch.wall, pytorch.cpu);
    }
    fmt::print("| {} | {:.0f} | {:.0f} | {} | {:.0f} | {:.0f} | {} |\n", name, median(ours), median(theirs),
               ratio_summary(ratios), median(ours_cpu), median(theirs_cpu), ratio_summary(cpu_ratios));
    std::fflush(stdout);
  }
  return 0;
}
