#include <chatd/metrics/registry.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace {

using chatd::metrics::registry;

constexpr int threads = 4;
constexpr int per_thread = 100000;

// Starts `n` threads running body(i) at the same moment, so they really contend, and joins them.
template <typename Body>
void run_together(int n, Body body) {
  std::atomic<int> ready{0};
  std::vector<std::thread> pool;
  for (int i = 0; i < n; ++i) {
    pool.emplace_back([&, i] {
      ready.fetch_add(1);
      while (ready.load() < n) {
        std::this_thread::yield();
      }
      body(i);
    });
  }
  for (auto& t : pool) {
    t.join();
  }
}

TEST(metrics_concurrency, counter_increments_are_never_lost) {
  registry r;
  auto& whole = r.add_counter("whole_total", "W.");
  auto& halves = r.add_counter("halves_total", "H.");
  run_together(threads, [&](int) {
    for (int k = 0; k < per_thread; ++k) {
      whole.inc();
      halves.inc(0.5);  // the compare-exchange path; halves add up exactly in a double
    }
  });
  EXPECT_EQ(whole.value(), double{threads} * per_thread);
  EXPECT_EQ(halves.value(), double{threads} * per_thread / 2);
}

TEST(metrics_concurrency, gauge_inc_and_dec_balance) {
  registry r;
  auto& g = r.add_gauge("open", "O.");
  run_together(threads, [&](int i) {
    for (int k = 0; k < per_thread; ++k) {
      if (i % 2 == 0) {
        g.inc();
      } else {
        g.dec();
      }
    }
  });
  EXPECT_EQ(g.value(), 0);
}

TEST(metrics_concurrency, histogram_observations_are_never_lost) {
  registry r;
  auto& h = r.add_histogram("lat_seconds", "L.", {1, 2});
  run_together(threads, [&](int i) {
    for (int k = 0; k < per_thread; ++k) {
      h.observe(i % 2 == 0 ? 0.5 : 3);
    }
  });
  auto const counts = h.cumulative_counts();
  std::uint64_t const half = std::uint64_t{threads} / 2 * per_thread;
  EXPECT_EQ(counts, (std::vector<std::uint64_t>{half, half, 2 * half}));
  EXPECT_EQ(h.sum(), 0.5 * static_cast<double>(half) + 3.0 * static_cast<double>(half));
}

TEST(metrics_concurrency, scrapes_and_registrations_race_with_updates) {
  registry r;
  auto& c = r.add_counter("busy_total", "B.");
  auto& h = r.add_histogram("busy_seconds", "B.", {0.1});
  int const writers = threads - 1;
  std::atomic<int> writers_left{writers};
  run_together(threads, [&](int i) {
    if (i == 0) {
      // Thread 0 scrapes for as long as any writer is still going.
      do {
        auto const text = r.expose();
        EXPECT_NE(text.find("# TYPE busy_total counter\n"), std::string::npos);
      } while (writers_left.load() > 0);
      return;
    }
    if (i == 1) {
      for (int k = 0; k < 200; ++k) {
        r.add_gauge("late", "Registered while scraping.", {{"k", std::to_string(k)}}).set(k);
      }
    }
    for (int k = 0; k < per_thread; ++k) {
      c.inc();
      h.observe(0.05);
    }
    writers_left.fetch_sub(1);
  });
  EXPECT_EQ(c.value(), double{writers} * per_thread);
  EXPECT_EQ(h.count(), std::uint64_t(writers) * per_thread);
  auto const text = r.expose();
  EXPECT_NE(text.find("\nbusy_seconds_count " + std::to_string(writers * per_thread) + "\n"), std::string::npos);
  EXPECT_NE(text.find("\nlate{k=\"199\"} 199\n"), std::string::npos);
}

}  // namespace
