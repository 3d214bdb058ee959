#pragma once
// The report's stylesheet and script, compiled into the library from src/report/assets/ so a
// report is written from any directory without files next to the binary.

#include <string_view>

namespace codse::report {

/// report.css: the page's styles.
std::string_view report_stylesheet();
/// report.js: reads the embedded data block and draws the plots and tables (no libraries).
std::string_view report_script();

}  // namespace codse::report
