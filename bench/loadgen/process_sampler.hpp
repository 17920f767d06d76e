#pragma once

#include <cstddef>
#include <map>
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
  // CPU seconds of each thread of the root process, by thread id: a single-threaded stage (one
  // event loop, one listener) saturates its core long before the process shows 100%.
  std::map<int, double> thread_cpu_seconds;
};

// The whole machine, from the first line of /proc/stat, in seconds summed over all cores.
struct machine_sample {
  double busy_seconds = 0;   // user, nice, system, irq, softirq
  double idle_seconds = 0;   // idle and iowait
  double steal_seconds = 0;  // taken by the hypervisor
};

class process_sampler {
 public:
  static std::optional<machine_sample> machine();
  // nullopt when the root process is gone or /proc cannot be read.
  static std::optional<process_sample> sample(int pid);
};

}  // namespace chatd::bench
