#include "report/report_data.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "core/design.hpp"
#include "core/error.hpp"
#include "core/table_space.hpp"
#include "report/design_names.hpp"
#include "report/report_objectives.hpp"
#include "store/study_journal.hpp"
#include "store/test_error_document.hpp"

namespace codse::report {
namespace {

std::size_t design_size(const std::vector<Trial>& trials) {
  std::size_t size = 0;
  for (const auto& trial : trials) size = std::max(size, trial.design.values.size());
  return size;
}

/// The knob names of a `codse dse` study come from its table's header, when the table is still
/// where the study found it; a table that moved or changed only costs the names.
std::vector<std::string> table_knob_names(const nlohmann::json& config) {
  if (!config.is_object() || !config.contains("table") || !config.at("table").is_string()) return {};
  const auto table = config.at("table").get<std::string>();
  const auto selector = config.value("knobs", nlohmann::json("knob_*"));
  if (!selector.is_string() || !std::filesystem::is_regular_file(table)) return {};
  try {
    const auto space = TableSpace::load(table, selector.get<std::string>());
    std::vector<std::string> names;
    for (const auto& knob : space.space().knobs()) names.push_back(knob.name());
    return names;
  } catch (const InputError&) {
    return {};
  }
}

/// A co-exploration's design is (network id, device index, mapping index); its config has the
/// sections a `codse explore` file has.
bool is_co_exploration(const nlohmann::json& config) {
  return config.is_object() && config.contains("ml_knobs") && config.contains("hardware");
}

/// Names for each design value: the co-exploration's (network, device, mapping), config.knobs when it lists them, config.knob_columns (what `dse`
/// stores), the table's knob columns, or x0, x1, ... when none is known.
std::vector<std::string> knob_names(const nlohmann::json& config, std::size_t size) {
  std::vector<std::string> names;
  for (const char* key : {"knobs", "knob_columns"}) {
    if (names.size() == size) break;
    names.clear();
    if (config.is_object() && config.contains(key) && config.at(key).is_array()) {
      for (const auto& name : config.at(key))
        if (name.is_string()) names.push_back(name.get<std::string>());
    }
  }
  if (names.size() != size) names = table_knob_names(config);
  if (names.size() != size && size == 3 && is_co_exploration(config)) names = {"network id", "device", "mapping"};
  if (names.size() != size) {
    names.clear();
    for (std::size_t i = 0; i < size; ++i) names.push_back(fmt::format("x{}", i));
  }
  return names;
}

std::vector<HypervolumePoint> stored_hypervolume(const nlohmann::json& document, const std::string& where) {
  if (!document.is_array())
    throw InputError(fmt::format("{}: document \"hypervolume\": expected a list of {{trial, value}}", where));
  std::vector<HypervolumePoint> points;
  for (std::size_t i = 0; i < document.size(); ++i) {
    const auto& entry = document[i];
    if (!entry.is_object() || !entry.contains("trial") || !entry.at("trial").is_number_unsigned() ||
        !entry.contains("value") || !entry.at("value").is_number())
      throw InputError(fmt::format("{}: document \"hypervolume\"[{}]: expected {{\"trial\": N, \"value\": X}}, got {}",
                                   where, i, entry.dump()));
    points.push_back({entry.at("trial").get<std::size_t>(), entry.at("value").get<double>()});
  }
  return points;
}

}  // namespace

std::vector<TrialDesign> trial_designs(const std::vector<Trial>& trials) {
  std::vector<TrialDesign> designs;
  std::map<std::string, std::size_t> uses;
  for (const auto& trial : trials) {
    TrialDesign design;
    if (!trial.artifacts_json.empty()) {
      const auto artifacts = nlohmann::json::parse(trial.artifacts_json, nullptr, /*allow_exceptions=*/false);
      if (artifacts.is_object()) {
        if (artifacts.contains("network")) design.name = network_design_name(artifacts.at("network"));
        design.knobs = design_knobs(artifacts);
      }
    }
    if (!design.name.empty()) ++uses[design.name];
    designs.push_back(std::move(design));
  }
  // One network mapped several ways is several designs: the design key's first digits tell them
  // apart, four or as many more as the trials sharing the name need.
  std::map<std::string, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < trials.size(); ++i)
    if (!designs[i].name.empty() && uses[designs[i].name] > 1) groups[designs[i].name].push_back(i);
  for (const auto& [name, members] : groups) {
    std::size_t digits = 4;
    for (; digits < 16; ++digits) {
      std::set<std::string> prefixes;
      for (const auto i : members) prefixes.insert(design_key_hex(trials[i].design).substr(0, digits));
      if (prefixes.size() == members.size()) break;
    }
    for (const auto i : members) designs[i].name += fmt::format("-{}", design_key_hex(trials[i].design).substr(0, digits));
  }
  return designs;
}

ReportData collect_report_data(const StudyJournal& journal) {
  const auto where = fmt::format("{}: study '{}'", journal.path().string(), journal.name());
  ReportData data;
  data.study = journal.name();
  data.store = journal.path();
  data.config = journal.config();
  data.objectives = study_objectives(journal.document("objectives"), data.config, where);
  data.trials = journal.trials();
  data.knobs = knob_names(data.config, design_size(data.trials));
  data.designs = trial_designs(data.trials);
  if (const auto hints = journal.document("hints")) {
    if (!hints->is_array())
      throw InputError(fmt::format("{}: document \"hints\": expected a list of hints, got {}", where,
                                   hints->type_name()));
    data.hints = *hints;
  }
  if (const auto hypervolume = journal.document("hypervolume")) {
    data.hypervolume.source = "study";
    data.hypervolume.points = stored_hypervolume(*hypervolume, where);
    if (const auto reference = journal.document("hypervolume_reference")) data.hypervolume.reference = *reference;
  }
  data.test_error = read_test_error(journal);
  compute_fronts(data);
  return data;
}

}  // namespace codse::report
