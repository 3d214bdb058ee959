#pragma once
// The objects the Python module hands out for hardware: a Mapping with the network it was written
// for (a mapping file names it; the estimate warns when it names another), and an estimate with the
// mapping it costs and how that mapping was chosen.

#include <string>

#include "hw/model/device.hpp"
#include "hw/model/estimate.hpp"
#include "hw/model/mapping.hpp"

namespace codse::python {

struct PyMapping {
  hw::Mapping mapping;
  std::string network;  // the network the mapping was written for; empty when unknown
};

struct EstimateResult {
  hw::Estimate estimate;
  PyMapping mapping;
  hw::Device device;
  std::string mapping_source;  // "given", or how codse chose it (hw::ChosenMapping::how)
};

}  // namespace codse::python
