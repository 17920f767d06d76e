#pragma once

#include "options.hpp"
#include "run_result.hpp"

namespace chatd::bench {

// The controller: resolves the replicas, deals clients to threads, rooms and replicas, walks the
// phases (connect ramp, warm-up, measured window, drain) on the calling thread, samples chatd and
// the watched processes at each boundary, and hands back what the threads counted.
class load_run {
 public:
  explicit load_run(options opts) : opts_(std::move(opts)) {}
  // Throws std::runtime_error when a replica's address does not resolve.
  run_result execute();

 private:
  options opts_;
};

}  // namespace chatd::bench
