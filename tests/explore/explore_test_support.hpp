#pragma once
// A tiny co-exploration config for tests (the digits MLP on an iCE40, one epoch, a few networks)
// and a study set up the way `codse explore` sets one up.

#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/format.h>

#include "explore/co_exploration.hpp"
#include "explore/explore_dataset.hpp"
#include "store/store.hpp"

namespace codse::testing {

inline std::string digits_config(std::size_t networks, const std::string& extra = "") {
  return fmt::format(R"(name: tiny
seed: 3
dataset:
  name: csv:{}/sklearn-digits/digits.csv.gz
  validation_fraction: 0.15
  test_fraction: 0.25
networks: [{}/examples/networks/digits_mlp_w4a4.json]
training: {{epochs: 3, batch_size: 32, learning_rate: 0.01}}
ml_knobs: {{max_params: 20000, epochs: [1, 2]}}
hardware: {{devices: [iCE40UP5K], mappings_per_network: 3}}
objectives: [error:min, lut:min, latency_us:min]
budget: {{networks: {}}}
lemonade: {{generated: 8, accepted: 2}}
{})",
                     CODSE_SHARED_DATA_DIR, CODSE_SOURCE_DIR, networks, extra);
}

inline std::filesystem::path write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path) << text;
  return path;
}

/// A co-exploration study as `codse explore` sets one up: the config's dataset, the study store
/// in `dir` (study.sqlite, study.artifacts) and the exploration, ready to run or resume.
struct ExplorationStudy {
  ExplorationStudy(const explore::ExploreConfig& config, const std::filesystem::path& dir)
      : data(explore::load_explore_dataset(config)),
        store(dir / "study.sqlite"),
        journal(store.open_study(config.name, config.identity())),
        exploration(config, data, dir / "study.artifacts") {}
  explore::ExploreResult run() { return exploration.run(journal); }

  nn::DatasetSplits data;  // declared first: the exploration refers to it
  Store store;
  StudyJournal journal;
  explore::CoExploration exploration;
};

}  // namespace codse::testing
