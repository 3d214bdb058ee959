#pragma once
// The report's stylesheet and scripts, compiled into the library from src/report/assets/ and
// src/report/vendor/ so a report is written from any directory without files next to the binary
// and opens without a network.

#include <string_view>

namespace codse::report {

/// report.css: the page's styles.
std::string_view report_stylesheet();
/// report.js: reads the embedded data block and draws the charts and tables with ECharts.
std::string_view report_script();
/// Apache ECharts (vendor/echarts.min.js, see vendor/README.md): the 2-D charts.
std::string_view chart_library_script();
/// ECharts GL (vendor/echarts-gl.min.js): the 3-D scatter of three objectives (WebGL).
std::string_view chart_library_3d_script();

}  // namespace codse::report
