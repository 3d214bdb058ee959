#include "cli/report_command.hpp"

#include <filesystem>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/help_example.hpp"
#include "cli/study_choice.hpp"
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

void run_report(const ReportOptions& options) {
  // Read-only: a report never creates, upgrades or writes a store (read-only media, a typo).
  const Store store = read_only_store("", options.store);
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
