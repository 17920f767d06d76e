#pragma once

#include "options.hpp"
#include "process_sampler.hpp"
#include "run_stats.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace chatd::bench {

// chatd's /metrics at the run's milestones, one set per replica (empty without --metrics).
struct replica_samples {
  using metrics = std::optional<std::map<std::string, double>>;
  metrics before;        // before the first connection
  metrics connected;     // every client joined
  metrics window_start;
  metrics window_end;
  metrics drained;
};

struct watch_samples {
  std::optional<process_sample> window_start;
  std::optional<process_sample> window_end;
};

// Everything one run measured, for report::to_json.
struct run_result {
  options opts;
  run_stats stats;
  std::size_t ready = 0;
  std::size_t failed = 0;
  std::size_t lost = 0;
  double connect_seconds = 0;  // first connect to the last client joined (or the timeout)
  double window_seconds = 0;   // the measured window as it really was
  std::vector<replica_samples> replicas;
  std::map<std::string, watch_samples> watch;
  std::optional<machine_sample> machine_start;  // the window's ends, for everything else running
  std::optional<machine_sample> machine_end;
  std::string started_utc;
  std::string load_average;    // /proc/loadavg when the run started: other work on the machine
};

}  // namespace chatd::bench
