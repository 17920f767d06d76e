#pragma once

#include <array>
#include <cstdint>

namespace chatd::bench {

// A log-bucketed latency histogram in the spirit of HdrHistogram: every power of two is split into
// 128 linear sub-buckets, so a reported percentile is within 1% of the true sample whatever the
// scale (100 ns or 10 s), in a fixed 48 KiB with no allocation per sample. One per thread; merged
// at the end.
class latency_histogram {
 public:
  // Sub-bucket precision: 2^7 sub-buckets per octave gives under 0.8% relative error.
  static constexpr int sub_bucket_bits = 7;
  static constexpr std::uint64_t sub_buckets = std::uint64_t{1} << sub_bucket_bits;
  // 2^48 ns is about 78 hours: anything longer is clamped into the last bucket.
  static constexpr int octaves = 48;
  static constexpr std::size_t bucket_count = (octaves + 1) * sub_buckets;

  void record(std::int64_t nanoseconds);
  void merge(latency_histogram const& other);

  std::uint64_t count() const { return count_; }
  std::int64_t max() const { return max_; }
  std::int64_t min() const { return count_ == 0 ? 0 : min_; }
  double mean() const { return count_ == 0 ? 0.0 : sum_ / static_cast<double>(count_); }
  // The value at or below which `fraction` (0..1] of the samples lie, as the midpoint of its bucket
  // (clamped to the exact min and max); 0 when empty.
  std::int64_t percentile(double fraction) const;

  static std::size_t bucket_of(std::uint64_t value);
  static std::uint64_t bucket_low(std::size_t bucket);
  static std::uint64_t bucket_high(std::size_t bucket);

 private:
  std::array<std::uint64_t, bucket_count> counts_{};
  std::uint64_t count_ = 0;
  std::int64_t max_ = 0;
  std::int64_t min_ = 0;
  // A double: clamped outliers near 2^63 ns must not overflow the sum (only the mean reads it).
  double sum_ = 0;
};

}  // namespace chatd::bench
