#include <fmt/format.h>

#include "core/error.hpp"
#include "search/atne_explorer.hpp"
#include "search/epal_explorer.hpp"
#include "search/explorer.hpp"
#include "search/grid_explorer.hpp"
#include "search/nsga2_explorer.hpp"
#include "search/random_explorer.hpp"

namespace codse {
namespace {

using Factory = std::unique_ptr<Explorer> (*)(const ExplorerSetup&);

template <typename T>
std::unique_ptr<Explorer> build(const ExplorerSetup& setup) {
  return std::make_unique<T>(setup);
}

const std::vector<std::pair<std::string, Factory>>& registry() {
  static const std::vector<std::pair<std::string, Factory>> explorers{
      {"random", &build<RandomExplorer>},
      {"grid", &build<GridExplorer>},
      {"nsga2", &build<Nsga2Explorer>},
      {"atne", &build<AtneExplorer>},
      {"epal", &build<EpalExplorer>},
  };
  return explorers;
}

}  // namespace

const std::vector<std::string>& explorer_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> list;
    for (const auto& entry : registry()) list.push_back(entry.first);
    return list;
  }();
  return names;
}

std::unique_ptr<Explorer> make_explorer(std::string_view name, const ExplorerSetup& setup) {
  for (const auto& [known, factory] : registry())
    if (known == name) return factory(setup);
  std::string names;
  for (const auto& known : explorer_names()) names += (names.empty() ? "" : ", ") + known;
  throw InputError(fmt::format("unknown algorithm '{}' (known: {})", name, names));
}

}  // namespace codse
