#pragma once
// Every metric codse measures, once: its name (the key in trials, objectives and constraints),
// its unit, which way is better, what it means and who produces it. The CLI's help, the config
// checks (objectives and constraints of `codse explore`, `codse hw map`), the co-exploration's
// trial records and the report all read this table; a new metric is one row here plus the code
// that computes it.

#include <string>
#include <string_view>
#include <vector>

#include "core/objective.hpp"

namespace codse {

/// Who computes a metric.
enum class MetricSource {
  network,   // training and the network's statistics (error, params, ...)
  hardware,  // an Estimate (analytic or synthesized) of a network's mapping on a device
};

struct MetricInfo {
  std::string_view name;
  std::string_view unit;         // "LUTs", "us", "fraction"; for axis labels and tables
  Sense better;                  // the usual objective sense
  MetricSource source;
  bool joint;                    // a metric of every co-exploration trial (explore's objectives,
                                 // constraints and trial records)
  std::string_view description;  // one line
};

/// Every metric, network metrics first.
const std::vector<MetricInfo>& metric_catalog();

/// The metric named `name`, or nullptr.
const MetricInfo* find_metric(std::string_view name);

/// Names of the metrics from one source (and, with joint_only, those of co-exploration trials),
/// in catalog order.
std::vector<std::string> metric_names(MetricSource source, bool joint_only = false);

/// "error, accuracy, lut, ...": the names of `names`, for messages.
std::string metric_list(const std::vector<std::string>& names);

}  // namespace codse
