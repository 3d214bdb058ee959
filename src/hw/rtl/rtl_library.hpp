#pragma once
// The Verilog library of the RTL generator (src/hw/rtl/verilog/*.v), compiled into codse::hw at
// configure time so the codse binary writes designs from any directory.

#include <string_view>
#include <vector>

namespace codse::hw {

struct RtlLibraryFile {
  std::string_view name;  // e.g. "codse_mvau.v"; the module it defines is the name without ".v"
  std::string_view text;
};

const std::vector<RtlLibraryFile>& rtl_library_files();

}  // namespace codse::hw
