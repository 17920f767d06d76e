#include <chatd/metrics/histogram.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace chatd::metrics {

namespace {

void validate_bounds(std::vector<double> const& bounds) {
  if (bounds.empty()) {
    throw std::invalid_argument("histogram needs at least one bucket bound");
  }
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i])) {
      throw std::invalid_argument("histogram bucket bound " + std::to_string(i) +
                                  " is not finite (the +Inf bucket is implicit)");
    }
    if (i > 0 && !(bounds[i - 1] < bounds[i])) {
      throw std::invalid_argument("histogram bucket bounds must be strictly ascending (bound " +
                                  std::to_string(i) + " is not above the one before)");
    }
  }
}

}  // namespace

histogram::histogram(std::vector<double> bounds) : bounds_(std::move(bounds)) {
  validate_bounds(bounds_);
  buckets_ = std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1);
}

void histogram::observe(double v) noexcept {
  if (std::isnan(v)) {
    return;
  }
  // `le` is inclusive: the first bound >= v. Past every bound is the +Inf slot.
  auto const slot = static_cast<std::size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin());
  buckets_[slot].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
}

std::vector<std::uint64_t> histogram::cumulative_counts() const {
  std::vector<std::uint64_t> out(bounds_.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    out[i] = running;
  }
  return out;
}

std::uint64_t histogram::count() const noexcept {
  std::uint64_t total = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    total += buckets_[i].load(std::memory_order_relaxed);
  }
  return total;
}

double histogram::sum() const noexcept { return sum_.load(std::memory_order_relaxed); }

std::vector<double> histogram::latency_buckets() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
          0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,     10};
}

}  // namespace chatd::metrics
