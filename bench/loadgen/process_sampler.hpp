#pragma once

#include <cstddef>
#include <optional>

namespace chatd::bench {

// CPU time and memory of a process and its direct children, read from /proc. For a PostgreSQL
// postmaster that is the whole cluster (backends, WAL writer, checkpointer). PSS, not RSS, is
// summed over the tree, so the shared buffers count once, not once per backend.
struct process_sample {
  double cpu_seconds = 0;  // user + system, whole tree
  double rss_mb = 0;       // the root process alone
  double pss_mb = 0;       // the whole tree
  std::size_t processes = 0;
};

class process_sampler {
 public:
  // nullopt when the root process is gone or /proc cannot be read.
  static std::optional<process_sample> sample(int pid);
};

}  // namespace chatd::bench
