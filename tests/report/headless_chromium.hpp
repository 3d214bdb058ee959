#pragma once
// Opens an HTML file in headless Chromium, as the report's users will, and returns the DOM after
// its scripts ran and what Chromium logged (console messages, uncaught errors). Tests skip only
// when Chromium is not installed (scripts/setup.sh installs it; CI runs these tests).

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace codse::testing {

/// Where Chromium is, or empty when it is absent.
inline std::string chromium_path() {
  for (const char* path : {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"})
    if (std::filesystem::exists(path)) return path;
  return {};
}

struct ChromiumRun {
  int exit_code = -1;
  std::string dom;  ///< --dump-dom output: the document after its scripts ran
  std::string log;  ///< stderr: console messages ("CONSOLE") and uncaught errors
};

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Runs `chromium --headless ... ARGS file://html` with a private profile in work_dir.
inline ChromiumRun run_chromium(const std::filesystem::path& html, const std::filesystem::path& work_dir,
                                const std::string& args) {
  const auto profile = work_dir / "chromium-profile";
  const auto log = work_dir / "chromium.log";
  const std::string command = "timeout 180 " + chromium_path() +
                              " --headless --disable-gpu --no-sandbox --no-first-run --disable-extensions"
                              " --enable-logging=stderr --v=0 --user-data-dir='" +
                              profile.string() + "' " + args + " 'file://" +
                              std::filesystem::absolute(html).string() + "' 2>'" + log.string() + "'";
  ChromiumRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return run;
  std::array<char, 4096> buffer{};
  while (fgets(buffer.data(), buffer.size(), pipe)) run.dom += buffer.data();
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.log = read_text(log);
  return run;
}

/// The DOM of html after its scripts ran.
inline ChromiumRun dump_dom(const std::filesystem::path& html, const std::filesystem::path& work_dir) {
  return run_chromium(html, work_dir, "--dump-dom");
}

/// The lines of a Chromium log that report a script error: uncaught exceptions and console.error
/// calls of the report (prefixed codse-report-error).
inline std::string script_errors(const std::string& log) {
  std::istringstream lines(log);
  std::string errors;
  for (std::string line; std::getline(lines, line);)
    if (line.find("Uncaught") != std::string::npos || line.find("codse-report-error") != std::string::npos ||
        (line.find("CONSOLE") != std::string::npos && line.find("rror") != std::string::npos))
      errors += line + '\n';
  return errors;
}

}  // namespace codse::testing
