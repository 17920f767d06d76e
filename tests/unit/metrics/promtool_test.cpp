#include <chatd/metrics/process_metrics.hpp>
#include <chatd/metrics/registry.hpp>

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using namespace chatd::metrics;
namespace fs = std::filesystem;

// Debian's `prometheus` package ships it at /usr/bin/promtool (scripts/lib.sh installs it).
std::string find_promtool() {
  std::vector<fs::path> candidates{"/usr/bin/promtool"};
  if (char const* path = std::getenv("PATH")) {
    std::stringstream dirs(path);
    for (std::string dir; std::getline(dirs, dir, ':');) {
      if (!dir.empty()) {
        candidates.push_back(fs::path(dir) / "promtool");
      }
    }
  }
  for (auto const& candidate : candidates) {
    if (::access(candidate.c_str(), X_OK) == 0) {
      return candidate.string();
    }
  }
  return {};
}

struct promtool_result {
  int exit_status = -1;
  std::string output;  // stdout and stderr together
};

// Writes `exposition` to a temporary file and runs `promtool check metrics` on it.
promtool_result check_metrics(std::string const& exposition) {
  auto const promtool = find_promtool();
  if (promtool.empty()) {
    ADD_FAILURE() << "promtool not found: install the Debian package `prometheus` (scripts/lib.sh does)";
    return {};
  }
  static int sequence = 0;
  auto const file = fs::temp_directory_path() /
                    ("chatd_metrics_" + std::to_string(::getpid()) + "_" + std::to_string(++sequence) + ".prom");
  {
    std::ofstream out(file, std::ios::binary);
    out << exposition;
    if (!out) {
      ADD_FAILURE() << "cannot write " << file;
      return {};
    }
  }
  promtool_result result;
  auto const command = "'" + promtool + "' check metrics < '" + file.string() + "' 2>&1";
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) {
      result.output.append(buf, n);
    }
    int const status = ::pclose(pipe);
    result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  } else {
    ADD_FAILURE() << "cannot run " << command;
  }
  std::error_code ignored;
  fs::remove(file, ignored);
  return result;
}

// Everything docs/metrics.md lists, registered the way the server will, with a little traffic.
void register_chatd_metrics(registry& r) {
  r.add_gauge("chatd_build_info", "The running version and git revision; always 1.",
              {{"version", "0.1.0"}, {"revision", "ea00fcc1d2e3"}})
      .set(1);
  r.add_gauge("chatd_ready", "1 when /readyz would answer 200.").set(1);
  r.add_callback_gauge("chatd_connections_open", "Open WebSocket sessions.", [] { return 12.0; });
  r.add_counter("chatd_connections_total", "WebSocket sessions accepted.").inc(40);
  for (auto const* reason : {"origin", "per_ip", "capacity", "draining", "bad_request"}) {
    r.add_counter("chatd_connections_rejected_total", "WebSocket upgrades refused, by reason.", {{"reason", reason}});
  }
  r.add_gauge("chatd_rooms_active", "Rooms with at least one member on this replica.").set(3);
  r.add_counter("chatd_messages_received_total", "Send frames accepted for storing.").inc(120);
  r.add_counter("chatd_messages_stored_total", "Messages committed and acknowledged.").inc(118);
  r.add_counter("chatd_messages_delivered_total", "Message frames queued to room members.").inc(1500);
  auto& fanout = r.add_histogram("chatd_fanout_latency_seconds",
                                 "Time from commit to the frame being queued on every local member.",
                                 histogram::latency_buckets());
  for (double v : {0.00004, 0.0002, 0.0009, 0.03}) {
    fanout.observe(v);
  }
  for (auto const* op : {"insert_batch", "history", "guest", "profile", "tombstone", "ping"}) {
    auto& h = r.add_histogram("chatd_db_query_duration_seconds", "Database round trips, by operation.",
                              histogram::latency_buckets(), {{"operation", op}});
    h.observe(0.002);
    h.observe(0.4);
    r.add_counter("chatd_db_errors_total", "Failed database operations, by operation.", {{"operation", op}});
  }
  for (auto const* queue : {"store", "job"}) {
    r.add_histogram("chatd_db_queue_wait_seconds", "Time a database request waited for a worker, by queue.",
                    histogram::latency_buckets(), {{"queue", queue}})
        .observe(0.003);
    r.add_counter("chatd_db_queue_expired_total", "Database requests failed unrun after waiting too long, by queue.",
                  {{"queue", queue}});
  }
  r.add_counter("chatd_queue_drops_total", "Sessions cut off because their outgoing queue filled.");
  for (auto const* kind : {"send", "typing"}) {
    r.add_counter("chatd_rate_limited_total", "Frames refused by a token bucket, by kind.", {{"kind", kind}}).inc();
  }
  for (auto const* code : {"bad_request", "too_large", "rate_limited", "not_joined", "unauthorized", "unavailable"}) {
    r.add_counter("chatd_errors_total", "Error frames sent, by protocol error code.", {{"code", code}});
  }
  add_process_metrics(r);
}

// (name, type) of every row of the table in docs/metrics.md.
std::vector<std::pair<std::string, std::string>> documented_families() {
  std::ifstream in(std::string(CHATD_SOURCE_DIR) + "/docs/metrics.md");
  std::vector<std::pair<std::string, std::string>> out;
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with("| `")) {
      continue;
    }
    auto const name_end = line.find('`', 3);
    auto const type_start = line.find_first_not_of(" |", name_end + 1);
    auto const type_end = line.find_first_of(" |", type_start);
    if (name_end == std::string::npos || type_start == std::string::npos || type_end == std::string::npos) {
      continue;
    }
    out.emplace_back(line.substr(3, name_end - 3), line.substr(type_start, type_end - type_start));
  }
  return out;
}

TEST(metrics_promtool, accepts_the_full_chatd_exposition) {
  registry r;
  register_chatd_metrics(r);
  auto const exposition = r.expose();
  auto const result = check_metrics(exposition);
  EXPECT_EQ(result.exit_status, 0) << result.output << "\nexposition:\n" << exposition;
  EXPECT_EQ(result.output, "") << "\nexposition:\n" << exposition;
}

TEST(metrics_promtool, exposition_covers_every_documented_family) {
  auto const documented = documented_families();
  ASSERT_GE(documented.size(), 20u) << "could not read the table of docs/metrics.md";
  registry r;
  register_chatd_metrics(r);
  auto const exposition = r.expose();
  for (auto const& [name, type] : documented) {
    EXPECT_NE(exposition.find("# TYPE " + name + " " + type + "\n"), std::string::npos)
        << name << " (" << type << ") is documented but not exposed";
  }
}

TEST(metrics_promtool, accepts_escaped_labels_and_help) {
  registry r;
  r.add_counter("chatd_odd_total", "Help with a back\\slash and a\nnewline.",
                {{"path", "C:\\tmp\n\"quoted\""}, {"lang", "한국어"}})
      .inc(2.5);
  r.add_gauge("chatd_odd_values", "Special values.", {{"v", "inf"}}).set(std::numeric_limits<double>::infinity());
  r.add_gauge("chatd_odd_values", "Special values.", {{"v", "nan"}}).set(std::numeric_limits<double>::quiet_NaN());
  r.add_gauge("chatd_odd_values", "Special values.", {{"v", "big"}}).set(1e300);
  auto const result = check_metrics(r.expose());
  EXPECT_EQ(result.exit_status, 0) << result.output;
  EXPECT_EQ(result.output, "");
}

// The check above is only worth something if promtool does complain about a bad exposition.
TEST(metrics_promtool, reports_a_lint_problem) {
  registry r;
  r.add_counter("chatd_messages", "A counter without the _total suffix.").inc();
  auto const result = check_metrics(r.expose());
  EXPECT_NE(result.exit_status, 0);
  EXPECT_NE(result.output.find("_total"), std::string::npos) << result.output;
}

TEST(metrics_promtool, reports_a_malformed_exposition) {
  auto const result = check_metrics("# TYPE x counter\nx{bad-label=\"1\"} 1\n");
  EXPECT_NE(result.exit_status, 0);
  EXPECT_NE(result.output, "");
}

}  // namespace
