#include <chatd/metrics/process_metrics.hpp>
#include <chatd/metrics/registry.hpp>

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <vector>

namespace chatd::metrics {

namespace {

constexpr double not_available = std::numeric_limits<double>::quiet_NaN();

std::vector<std::string_view> split_whitespace(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n')) {
      ++i;
    }
    std::size_t const start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '\n') {
      ++i;
    }
    if (i > start) {
      out.push_back(text.substr(start, i - start));
    }
  }
  return out;
}

std::optional<double> parse_unsigned(std::string_view token) {
  std::uint64_t v = 0;
  auto const [end, ec] = std::from_chars(token.data(), token.data() + token.size(), v);
  if (ec != std::errc{} || end != token.data() + token.size()) {
    return std::nullopt;
  }
  return static_cast<double>(v);
}

// /proc files report a size of 0, so they are read until end of stream rather than by size.
std::optional<std::string> read_file(char const* path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) {
    return std::nullopt;
  }
  return text;
}

double clock_ticks_per_second() {
  long const ticks = ::sysconf(_SC_CLK_TCK);
  return ticks > 0 ? static_cast<double>(ticks) : not_available;
}

double page_size_bytes() {
  long const size = ::sysconf(_SC_PAGESIZE);
  return size > 0 ? static_cast<double>(size) : not_available;
}

std::optional<proc_stat> read_self_stat() {
  auto const text = read_file("/proc/self/stat");
  return text ? parse_proc_stat(*text) : std::nullopt;
}

std::optional<proc_statm> read_self_statm() {
  auto const text = read_file("/proc/self/statm");
  return text ? parse_proc_statm(*text) : std::nullopt;
}

double cpu_seconds() {
  auto const stat = read_self_stat();
  return stat ? (stat->utime_ticks + stat->stime_ticks) / clock_ticks_per_second() : not_available;
}

double resident_bytes() {
  auto const statm = read_self_statm();
  return statm ? statm->resident_pages * page_size_bytes() : not_available;
}

double virtual_bytes() {
  auto const statm = read_self_statm();
  return statm ? statm->size_pages * page_size_bytes() : not_available;
}

double open_fds() {
  // The directory stream's own descriptor is counted too, as the other Prometheus clients do.
  std::error_code ec;
  std::filesystem::directory_iterator it("/proc/self/fd", ec);
  if (ec) {
    return not_available;
  }
  double count = 0;
  for (std::filesystem::directory_iterator end; it != end; it.increment(ec)) {
    if (ec) {
      return not_available;
    }
    ++count;
  }
  return ec ? not_available : count;
}

double max_fds() {
  auto const text = read_file("/proc/self/limits");
  auto const limit = text ? parse_max_open_files(*text) : std::nullopt;
  return limit.value_or(not_available);
}

double start_time_seconds() {
  auto const stat = read_self_stat();
  auto const boot_text = read_file("/proc/stat");
  auto const boot = boot_text ? parse_boot_time(*boot_text) : std::nullopt;
  if (!stat || !boot) {
    return not_available;
  }
  return *boot + stat->start_ticks / clock_ticks_per_second();
}

}  // namespace

std::optional<proc_stat> parse_proc_stat(std::string_view text) {
  // "pid (comm) state ppid ...": comm may hold spaces and ')' itself, so fields are counted from
  // the last ')'. After it, token 0 is field 3 (state) of proc(5).
  auto const close = text.rfind(')');
  if (close == std::string_view::npos) {
    return std::nullopt;
  }
  auto const fields = split_whitespace(text.substr(close + 1));
  constexpr std::size_t utime = 14 - 3, stime = 15 - 3, starttime = 22 - 3;
  if (fields.size() <= starttime) {
    return std::nullopt;
  }
  auto const u = parse_unsigned(fields[utime]);
  auto const s = parse_unsigned(fields[stime]);
  auto const start = parse_unsigned(fields[starttime]);
  if (!u || !s || !start) {
    return std::nullopt;
  }
  return proc_stat{.utime_ticks = *u, .stime_ticks = *s, .start_ticks = *start};
}

std::optional<double> parse_boot_time(std::string_view proc_stat_text) {
  std::size_t pos = 0;
  while (pos < proc_stat_text.size()) {
    auto const end = std::min(proc_stat_text.find('\n', pos), proc_stat_text.size());
    auto const line = proc_stat_text.substr(pos, end - pos);
    if (line.starts_with("btime ")) {
      auto const fields = split_whitespace(line);
      return fields.size() == 2 ? parse_unsigned(fields[1]) : std::nullopt;
    }
    pos = end + 1;
  }
  return std::nullopt;
}

std::optional<double> parse_max_open_files(std::string_view limits_text) {
  constexpr std::string_view key = "Max open files";
  std::size_t pos = 0;
  while (pos < limits_text.size()) {
    auto const end = std::min(limits_text.find('\n', pos), limits_text.size());
    auto const line = limits_text.substr(pos, end - pos);
    if (line.starts_with(key)) {
      // Columns after the name: soft limit, hard limit, units. The soft one is what open() hits.
      auto const fields = split_whitespace(line.substr(key.size()));
      if (fields.empty()) {
        return std::nullopt;
      }
      if (fields[0] == "unlimited") {
        return std::numeric_limits<double>::infinity();
      }
      return parse_unsigned(fields[0]);
    }
    pos = end + 1;
  }
  return std::nullopt;
}

std::optional<proc_statm> parse_proc_statm(std::string_view text) {
  auto const fields = split_whitespace(text);
  if (fields.size() < 2) {
    return std::nullopt;
  }
  auto const size = parse_unsigned(fields[0]);
  auto const resident = parse_unsigned(fields[1]);
  if (!size || !resident) {
    return std::nullopt;
  }
  return proc_statm{.size_pages = *size, .resident_pages = *resident};
}

void add_process_metrics(registry& r) {
  r.add_callback_counter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                         cpu_seconds);
  r.add_callback_gauge("process_resident_memory_bytes", "Resident memory size in bytes.", resident_bytes);
  r.add_callback_gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", virtual_bytes);
  r.add_callback_gauge("process_open_fds", "Number of open file descriptors.", open_fds);
  r.add_callback_gauge("process_max_fds", "Maximum number of open file descriptors.", max_fds);
  r.add_callback_gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
                       start_time_seconds);
}

}  // namespace chatd::metrics
