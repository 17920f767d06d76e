#pragma once

#include "options.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>

namespace chatd::bench {

// Steady-clock nanoseconds: CLOCK_MONOTONIC on Linux, the same clock in every process.
inline std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// The state the controller thread shares with the client threads: phase times and counters, all
// atomics (the controller writes the times, the threads read them).
struct run_context {
  explicit run_context(options const& o) : opts(o) {}

  options const& opts;
  static constexpr std::int64_t never = std::numeric_limits<std::int64_t>::max();
  std::atomic<std::int64_t> send_start_ns{never};    // pacers start their schedule here
  std::atomic<std::int64_t> measure_start_ns{never};
  std::atomic<std::int64_t> measure_end_ns{never};   // sending stops here
  std::atomic<std::size_t> ready{0};                 // clients that are joined (history received)
  std::atomic<std::size_t> failed{0};                // clients that never got there
  std::atomic<std::size_t> lost{0};                  // ready clients whose socket closed
  // Window totals the controller watches to end the drain early once everything has arrived.
  std::atomic<std::uint64_t> window_sent{0};
  std::atomic<std::uint64_t> window_acks{0};
  std::atomic<std::uint64_t> window_expected{0};
  std::atomic<std::uint64_t> window_deliveries{0};

  bool window_complete() const {
    return window_acks.load() >= window_sent.load() && window_deliveries.load() >= window_expected.load();
  }

  bool in_window(std::int64_t sent_ns) const {
    return sent_ns >= measure_start_ns.load(std::memory_order_relaxed) && sent_ns < measure_end_ns.load(std::memory_order_relaxed);
  }
};

}  // namespace chatd::bench
