#pragma once

#include <atomic>

namespace chatd::metrics {

// A value that goes up and down. Lock-free: set() is a store, inc()/dec() a relaxed atomic add.
class alignas(64) gauge {
 public:
  gauge() = default;
  gauge(gauge const&) = delete;
  gauge& operator=(gauge const&) = delete;

  void set(double v) noexcept { value_.store(v, std::memory_order_relaxed); }
  void inc(double v = 1) noexcept { value_.fetch_add(v, std::memory_order_relaxed); }
  void dec(double v = 1) noexcept { value_.fetch_sub(v, std::memory_order_relaxed); }
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

}  // namespace chatd::metrics
