#pragma once
// What a co-exploration will cost before it runs (`codse explore --dry-run`): its trials and its
// expected wall time from one calibration, the starting network trained once with the config's
// settings. Pure arithmetic, so a test checks it with real numbers.
//
// The run takes networks batch by batch (CoExploration::run): the starting networks are the first
// batch, then lemonade.accepted networks per batch, and a batch ends when its last network does,
// so with W workers a batch of B networks takes ceil(B / W) network times. Children train for the
// mean of ml_knobs.epochs, scaled from the calibration by epochs (their size varies around the
// starting network's; the estimate ignores that). Without batching this is the rule of thumb
// networks x seconds per network x (mean epochs / start epochs) / workers.

#include <cstddef>

namespace codse::explore {

struct RunPlanInput {
  std::size_t starts = 1;               // starting networks: the first batch
  std::size_t networks = 0;             // budget.networks (0: none, the wall-time budget ends the run)
  std::size_t batch = 1;                // lemonade.accepted: networks asked at once
  std::size_t workers = 1;              // networks trained at once
  std::size_t mappings_per_network = 1;  // hardware.mappings_per_network
  std::size_t devices = 1;              // hardware.devices
  double start_seconds = 0.0;           // the calibration: one starting network trained and mapped
  int start_epochs = 1;                 // training.epochs
  int epochs_min = 1, epochs_max = 1;   // ml_knobs.epochs
  double budget_minutes = 0.0;          // budget.minutes (0: none)
};

struct RunPlan {
  std::size_t networks = 0;      // networks trained (0 when only the wall-time budget bounds them)
  std::size_t trials = 0;        // at most: networks x mappings per network x devices
  std::size_t rounds = 0;        // network times one after the other (the starting batch's included)
  double child_seconds = 0.0;    // one child network: start_seconds x mean epochs / start epochs
  double seconds = 0.0;          // the estimate without the wall-time budget (0 without a network budget)
  double wall_seconds = 0.0;     // the estimate capped by budget.minutes
  bool capped = false;           // budget.minutes ends the run before its networks are trained
};

/// Throws std::invalid_argument when batch, workers or start_epochs is 0 or epochs_min > epochs_max.
RunPlan plan_run(const RunPlanInput& input);

}  // namespace codse::explore
