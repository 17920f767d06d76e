#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace chatd::metrics {

class registry;

// Registers the standard process collector of the Prometheus client libraries, read from /proc at
// scrape time: process_cpu_seconds_total, process_resident_memory_bytes,
// process_virtual_memory_bytes, process_open_fds, process_max_fds and process_start_time_seconds.
// A value that cannot be read (no /proc, unexpected format) is exposed as NaN rather than failing
// the scrape.
void add_process_metrics(registry& r);

// The fields of /proc/<pid>/stat that the collector needs, in clock ticks.
struct proc_stat {
  double utime_ticks = 0;
  double stime_ticks = 0;
  double start_ticks = 0;  // since boot
};

// Parsers for the /proc files, separate from the reading so they can be tested on fixed text.
// The command name in /proc/<pid>/stat may itself contain spaces and parentheses.
std::optional<proc_stat> parse_proc_stat(std::string_view text);
// `btime` of /proc/stat: boot time in seconds since the epoch.
std::optional<double> parse_boot_time(std::string_view proc_stat_text);
// Soft "Max open files" limit of /proc/<pid>/limits; +Inf when unlimited.
std::optional<double> parse_max_open_files(std::string_view limits_text);
// Resident and total size in pages from /proc/<pid>/statm.
struct proc_statm {
  double size_pages = 0;
  double resident_pages = 0;
};
std::optional<proc_statm> parse_proc_statm(std::string_view text);

}  // namespace chatd::metrics
