#include "process_sampler.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace chatd::bench {

namespace {

struct stat_fields {
  int ppid = 0;
  double cpu_seconds = 0;
};

std::optional<stat_fields> read_stat_line(std::string const& line) {
  // The command name may hold spaces and parentheses: fields start after the last ')'.
  auto const close = line.rfind(')');
  if (close == std::string::npos) {
    return std::nullopt;
  }
  std::istringstream rest(line.substr(close + 2));
  std::vector<std::string> fields;
  for (std::string f; rest >> f;) {
    fields.push_back(f);
  }
  // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
  if (fields.size() < 13) {
    return std::nullopt;
  }
  static double const ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  try {
    return stat_fields{std::stoi(fields[1]), (std::stod(fields[11]) + std::stod(fields[12])) / ticks};
  } catch (std::exception const&) {
    return std::nullopt;
  }
}

std::optional<stat_fields> read_stat(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) {
    return std::nullopt;
  }
  return read_stat_line(line);
}

// The "<key>: <n> kB" line of a /proc file, in MiB; 0 when absent.
double kb_field_mb(std::string const& path, std::string const& key) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(key)) {
      try {
        return std::stod(line.substr(key.size())) / 1024.0;
      } catch (std::exception const&) {
        return 0;
      }
    }
  }
  return 0;
}

}  // namespace

std::optional<machine_sample> process_sampler::machine() {
  std::ifstream in("/proc/stat");
  std::string label;
  double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  if (!(in >> label >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal) || label != "cpu") {
    return std::nullopt;
  }
  static double const ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  return machine_sample{(user + nice + system + irq + softirq) / ticks, (idle + iowait) / ticks, steal / ticks};
}

std::optional<process_sample> process_sampler::sample(int pid) {
  auto root = read_stat(pid);
  if (!root) {
    return std::nullopt;
  }
  process_sample s;
  s.cpu_seconds = root->cpu_seconds;
  s.rss_mb = kb_field_mb("/proc/" + std::to_string(pid) + "/status", "VmRSS:");
  s.pss_mb = kb_field_mb("/proc/" + std::to_string(pid) + "/smaps_rollup", "Pss:");
  s.processes = 1;
  std::error_code ec;
  auto const tasks = "/proc/" + std::to_string(pid) + "/task";
  for (auto const& entry : std::filesystem::directory_iterator(tasks, ec)) {
    auto const tid = entry.path().filename().string();
    std::ifstream in(tasks + "/" + tid + "/stat");
    std::string line;
    if (!std::getline(in, line)) {
      continue;
    }
    if (auto st = read_stat_line(line)) {
      s.thread_cpu_seconds[std::stoi(tid)] = st->cpu_seconds;
    }
  }
  for (auto const& entry : std::filesystem::directory_iterator("/proc", ec)) {
    auto const name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    int const child = std::stoi(name);
    auto st = read_stat(child);
    if (!st || st->ppid != pid) {
      continue;
    }
    s.cpu_seconds += st->cpu_seconds;
    s.pss_mb += kb_field_mb("/proc/" + name + "/smaps_rollup", "Pss:");
    ++s.processes;
  }
  return s;
}

}  // namespace chatd::bench
