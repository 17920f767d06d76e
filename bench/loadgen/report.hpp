#pragma once

#include "latency_histogram.hpp"
#include "run_result.hpp"

#include <nlohmann/json.hpp>

namespace chatd::bench {

// The one JSON line a run prints: rates, latency percentiles in milliseconds, failures, and what
// chatd and the watched processes used.
class report {
 public:
  static nlohmann::ordered_json to_json(run_result const& r);
  // {"count","p50","p90","p99","p999","max","mean"}, milliseconds.
  static nlohmann::ordered_json latency_json(latency_histogram const& h);
};

}  // namespace chatd::bench
