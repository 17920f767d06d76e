#pragma once

#include <atomic>
#include <cmath>
#include <cstdint>

namespace chatd::metrics {

static_assert(std::atomic<double>::is_always_lock_free, "metrics need lock-free atomic doubles");

// A monotonic total. Incremented from many threads per message, so inc() is a single relaxed
// atomic add for whole-number steps (the common case: lock xadd, no retry loop under contention);
// fractional steps go to a separate double that needs a compare-exchange loop. Aligned to a cache
// line so that two hot counters allocated side by side do not share one.
class alignas(64) counter {
 public:
  counter() = default;
  counter(counter const&) = delete;
  counter& operator=(counter const&) = delete;

  // Adds v. Negative, NaN and infinite steps are ignored: a counter must never go down, and the
  // data plane does not throw.
  void inc(double v = 1) noexcept {
    if (v >= 0 && v < whole_limit && v == std::floor(v)) {
      whole_.fetch_add(static_cast<std::uint64_t>(v), std::memory_order_relaxed);
    } else if (v > 0 && std::isfinite(v)) {
      fraction_.fetch_add(v, std::memory_order_relaxed);
    }
  }

  double value() const noexcept;

 private:
  // Whole steps below 2^53 convert to uint64 exactly; larger ones take the double path.
  static constexpr double whole_limit = 9007199254740992.0;

  std::atomic<std::uint64_t> whole_{0};
  std::atomic<double> fraction_{0};
};

}  // namespace chatd::metrics
