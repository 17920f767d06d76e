#include <chatd/metrics/process_metrics.hpp>
#include <chatd/metrics/registry.hpp>

#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>

namespace {

using namespace chatd::metrics;

// The value of the unlabelled sample `name` in an exposition, or nullopt.
std::optional<double> sample(std::string const& text, std::string const& name) {
  auto const key = "\n" + name + " ";
  auto const at = text.find(key);
  if (at == std::string::npos) {
    return std::nullopt;
  }
  auto const start = at + key.size();
  auto const line = text.substr(start, text.find('\n', start) - start);
  if (line == "NaN") {
    return std::numeric_limits<double>::quiet_NaN();
  }
  char* end = nullptr;
  double const v = std::strtod(line.c_str(), &end);
  return *end == '\0' ? std::optional<double>(v) : std::nullopt;
}

constexpr char stat_line[] =
    "4242 (chat d) (x)) S 1 4242 4242 0 -1 4194560 1000 0 0 0 "
    "250 75 0 0 20 0 9 0 123456 104857600 2560 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0\n";

TEST(metrics_process, parses_stat_with_spaces_and_parens_in_the_command_name) {
  auto const stat = parse_proc_stat(stat_line);
  ASSERT_TRUE(stat);
  EXPECT_EQ(stat->utime_ticks, 250);
  EXPECT_EQ(stat->stime_ticks, 75);
  EXPECT_EQ(stat->start_ticks, 123456);
}

TEST(metrics_process, rejects_malformed_stat) {
  EXPECT_FALSE(parse_proc_stat(""));
  EXPECT_FALSE(parse_proc_stat("4242 no parens S 1 2 3"));
  EXPECT_FALSE(parse_proc_stat("4242 (short) S 1 2 3\n"));
  EXPECT_FALSE(parse_proc_stat("4242 (x) S 1 4242 4242 0 -1 4194560 1000 0 0 0 abc 75 0 0 20 0 9 0 123456\n"));
}

TEST(metrics_process, parses_boot_time) {
  EXPECT_EQ(parse_boot_time("cpu  1 2 3\nintr 5\nbtime 1700000000\nprocesses 10\n"), 1700000000);
  EXPECT_FALSE(parse_boot_time("cpu  1 2 3\n"));
  EXPECT_FALSE(parse_boot_time("btime soon\n"));
}

TEST(metrics_process, parses_max_open_files) {
  constexpr char limits[] =
      "Limit                     Soft Limit           Hard Limit           Units     \n"
      "Max cpu time              unlimited            unlimited            seconds   \n"
      "Max open files            1024                 1048576              files     \n";
  EXPECT_EQ(parse_max_open_files(limits), 1024);
  EXPECT_EQ(parse_max_open_files("Max open files            unlimited            unlimited            files\n"),
            std::numeric_limits<double>::infinity());
  EXPECT_FALSE(parse_max_open_files("Max cpu time unlimited unlimited seconds\n"));
  EXPECT_FALSE(parse_max_open_files("Max open files\n"));
}

TEST(metrics_process, parses_statm) {
  auto const statm = parse_proc_statm("25600 2560 1024 100 0 3000 0\n");
  ASSERT_TRUE(statm);
  EXPECT_EQ(statm->size_pages, 25600);
  EXPECT_EQ(statm->resident_pages, 2560);
  EXPECT_FALSE(parse_proc_statm("25600\n"));
  EXPECT_FALSE(parse_proc_statm("-1 2\n"));
}

TEST(metrics_process, registers_the_standard_families) {
  registry r;
  add_process_metrics(r);
  auto const text = r.expose();
  for (auto const* line : {"# TYPE process_cpu_seconds_total counter\n", "# TYPE process_resident_memory_bytes gauge\n",
                           "# TYPE process_virtual_memory_bytes gauge\n", "# TYPE process_open_fds gauge\n",
                           "# TYPE process_max_fds gauge\n", "# TYPE process_start_time_seconds gauge\n"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "missing from:\n" << text;
  }
  // Registering twice is a start-up bug like any other duplicate.
  EXPECT_THROW(add_process_metrics(r), std::invalid_argument);
}

TEST(metrics_process, values_are_plausible) {
  registry r;
  add_process_metrics(r);
  auto const text = r.expose();
  double const now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();

  auto const cpu = sample(text, "process_cpu_seconds_total");
  auto const rss = sample(text, "process_resident_memory_bytes");
  auto const vsz = sample(text, "process_virtual_memory_bytes");
  auto const fds = sample(text, "process_open_fds");
  auto const max_fds = sample(text, "process_max_fds");
  auto const start = sample(text, "process_start_time_seconds");
  ASSERT_TRUE(cpu && rss && vsz && fds && max_fds && start) << text;

  EXPECT_GE(*cpu, 0) << text;
  EXPECT_LT(*cpu, 3600) << text;
  EXPECT_GT(*rss, 1024 * 1024) << text;  // a running C++ test binary holds more than a MiB
  EXPECT_GE(*vsz, *rss) << text;
  EXPECT_GE(*fds, 3) << text;  // at least stdin, stdout, stderr
  EXPECT_GE(*max_fds, *fds) << text;
  // This test process started moments ago; a generous window absorbs slow sanitizer start-up.
  EXPECT_LE(*start, now + 1) << text;
  EXPECT_GT(*start, now - 600) << text;
}

TEST(metrics_process, open_fds_follows_opened_descriptors) {
  registry r;
  add_process_metrics(r);
  auto const before = sample(r.expose(), "process_open_fds");
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  auto const during = sample(r.expose(), "process_open_fds");
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
  auto const after = sample(r.expose(), "process_open_fds");
  ASSERT_TRUE(before && during && after);
  EXPECT_EQ(*during, *before + 2);
  EXPECT_EQ(*after, *before);
}

TEST(metrics_process, cpu_time_grows_with_work) {
  registry r;
  add_process_metrics(r);
  auto const before = sample(r.expose(), "process_cpu_seconds_total");
  ASSERT_TRUE(before);
  // Spin until the kernel has charged at least one more clock tick (10 ms) to this process; the
  // deadline turns a broken reader into a failure rather than a hang.
  auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  std::optional<double> now_cpu = before;
  volatile double sink = 0;
  while (now_cpu && *now_cpu <= *before && std::chrono::steady_clock::now() < deadline) {
    for (int i = 0; i < 200000; ++i) {
      sink = sink + std::sqrt(static_cast<double>(i));
    }
    now_cpu = sample(r.expose(), "process_cpu_seconds_total");
  }
  ASSERT_TRUE(now_cpu);
  EXPECT_GT(*now_cpu, *before);
}

}  // namespace
