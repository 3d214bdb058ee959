#include "cli/report_command.hpp"

#include <filesystem>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/help_example.hpp"
#include "core/error.hpp"
#include "report/html_report.hpp"
#include "report/report_data.hpp"
#include "store/store.hpp"

namespace codse {
namespace {

struct ReportOptions {
  std::string store;
  std::string study;
  std::string out;
};

/// The named study, or the only one in the store; several without --study is an error that
/// lists them, so the user can pick.
StudyJournal chosen_study(const Store& store, const std::string& name) {
  if (!name.empty()) return store.study(name);
  const auto names = store.study_names();
  if (names.size() == 1) return store.study(names.front());
  if (names.empty()) throw InputError(fmt::format("{}: the store holds no study", store.path().string()));
  throw InputError(fmt::format("{}: the store holds {} studies ({}); choose one with --study", store.path().string(),
                               names.size(), fmt::join(names, ", ")));
}

void run_report(const ReportOptions& options) {
  // Read-only: a report never creates, upgrades or writes a store (read-only media, a typo).
  if (!std::filesystem::is_regular_file(options.store))
    throw InputError(fmt::format("{}: no such study file", options.store));
  const Store store(options.store, StoreAccess::read_only);
  const auto data = report::collect_report_data(chosen_study(store, options.study));
  try {
    report::write_report_html(data, options.out);
  } catch (const InputError& error) {  // the library names the file; the user typed --out
    throw InputError(fmt::format("--out: {}", error.what()));
  }
  const auto hypervolume = data.hypervolume.points.empty() ? std::string("none")
                                                            : fmt::format("{:.6g} ({})", data.hypervolume.points.back().value,
                                                                          data.hypervolume.source);
  fmt::print("report:      {}\n", options.out);
  fmt::print("study:       {} in {}\n", data.study, options.store);
  fmt::print("trials:      {}\n", data.trials.size());
  fmt::print("front:       {} designs\n", data.front.size());
  fmt::print("hypervolume: {}\n", hypervolume);
  fmt::print("hints:       {}\n", data.hints.size());
}

}  // namespace

void add_report_command(CLI::App& app) {
  auto options = std::make_shared<ReportOptions>();
  auto* report = app.add_subcommand(
"report", "Write a study's HTML report (one self-contained file)");
  set_help_example(report, "codse report mnist.sqlite --out mnist.html");
  report->add_option("store", options->store, "SQLite store written by codse dse --db or codse explore")->required();
  report->add_option("--study", options->study, "Study name in the store (default: its only study)");
  report->add_option("--out", options->out, "HTML file to write")->required();
  report->callback([options] { run_report(*options); });
}

}  // namespace codse
