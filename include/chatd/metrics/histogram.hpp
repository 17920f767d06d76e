#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace chatd::metrics {

// Counts observations into buckets with fixed upper bounds, Prometheus style (cumulative `le`
// buckets plus +Inf, _sum and _count). observe() is lock-free: one relaxed add on the bucket the
// value falls into and a compare-exchange add on the sum. Buckets are stored per range and made
// cumulative only when read, so the +Inf bucket always equals the count; the sum is read
// separately and may lag a concurrent observe by one value.
class histogram {
 public:
  // Bounds must be non-empty, finite and strictly ascending, else std::invalid_argument. The +Inf
  // bucket is implicit.
  explicit histogram(std::vector<double> bounds);
  histogram(histogram const&) = delete;
  histogram& operator=(histogram const&) = delete;

  // NaN is ignored (it would poison the sum forever); +-Inf land in the first or the +Inf bucket.
  void observe(double v) noexcept;

  std::vector<double> const& bounds() const noexcept { return bounds_; }
  // Observations <= bounds()[i] for each i, then the total (the +Inf bucket): bounds().size() + 1.
  std::vector<std::uint64_t> cumulative_counts() const;
  std::uint64_t count() const noexcept;
  double sum() const noexcept;

  // Seconds from 100 µs to 10 s, fine enough at the low end for an in-process fan-out and coarse
  // enough at the top for a slow database round trip.
  static std::vector<double> latency_buckets();

 private:
  std::vector<double> bounds_;
  // bounds_.size() + 1 counters: [i] counts values in (bounds_[i-1], bounds_[i]], the last one
  // values above every bound.
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;
  std::atomic<double> sum_{0};
};

}  // namespace chatd::metrics
