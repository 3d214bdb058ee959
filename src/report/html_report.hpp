#pragma once
// The report as one self-contained HTML file: the data as JSON in a <script type="application/json">
// block, the stylesheet and the script inline, nothing fetched, so it works offline and can be
// mailed or archived as a single file.

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "report/report_data.hpp"

namespace codse::report {

/// What the page's script reads. Front trials carry every artifact; the others only the light
/// ones ("parent", "morphism", "training"), which keeps a long study's report small.
nlohmann::json report_json(const ReportData& data);

/// json as text that is safe inside an HTML <script> element: every '<' is written as \u003c
/// (valid in JSON strings, the only place '<' can occur), so neither "</script>" nor "<!--" can
/// end or confuse the block. Invalid UTF-8 in strings is replaced rather than thrown on.
std::string script_safe_json(const nlohmann::json& json);

/// The whole page.
std::string render_report_html(const ReportData& data);

/// Writes the page to path atomically (core/atomic_file.hpp). Throws InputError naming path when
/// its directory does not take the file, std::runtime_error when writing fails.
void write_report_html(const ReportData& data, const std::filesystem::path& path);

}  // namespace codse::report
