#include "latency_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace chatd::bench {

std::size_t latency_histogram::bucket_of(std::uint64_t value) {
  if (value < sub_buckets) {
    return static_cast<std::size_t>(value);
  }
  // Keep the top sub_bucket_bits + 1 bits: the leading one picks the octave, the rest the sub-bucket.
  int const shift = std::bit_width(value) - (sub_bucket_bits + 1);
  if (shift >= octaves) {
    return bucket_count - 1;
  }
  auto const mantissa = value >> shift;  // in [sub_buckets, 2 * sub_buckets)
  return static_cast<std::size_t>((static_cast<std::uint64_t>(shift) + 1) * sub_buckets + (mantissa - sub_buckets));
}

std::uint64_t latency_histogram::bucket_low(std::size_t bucket) {
  if (bucket < sub_buckets) {
    return bucket;
  }
  auto const shift = bucket / sub_buckets - 1;
  auto const mantissa = bucket % sub_buckets + sub_buckets;
  return static_cast<std::uint64_t>(mantissa) << shift;
}

std::uint64_t latency_histogram::bucket_high(std::size_t bucket) {
  if (bucket < sub_buckets) {
    return bucket;
  }
  auto const shift = bucket / sub_buckets - 1;
  return bucket_low(bucket) + ((std::uint64_t{1} << shift) - 1);
}

void latency_histogram::record(std::int64_t nanoseconds) {
  // A negative latency can only come from a clock step; it counts as zero rather than vanishing.
  auto const value = std::max<std::int64_t>(nanoseconds, 0);
  ++counts_[bucket_of(static_cast<std::uint64_t>(value))];
  if (count_ == 0 || value < min_) {
    min_ = value;
  }
  max_ = std::max(max_, value);
  sum_ += static_cast<double>(value);
  ++count_;
}

void latency_histogram::merge(latency_histogram const& other) {
  if (other.count_ == 0) {
    return;
  }
  for (std::size_t i = 0; i < bucket_count; ++i) {
    counts_[i] += other.counts_[i];
  }
  min_ = count_ == 0 ? other.min_ : std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  sum_ += other.sum_;
  count_ += other.count_;
}

std::int64_t latency_histogram::percentile(double fraction) const {
  if (count_ == 0) {
    return 0;
  }
  fraction = std::clamp(fraction, 0.0, 1.0);
  auto const rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(fraction * static_cast<double>(count_))));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < bucket_count; ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      auto const mid = bucket_low(i) + (bucket_high(i) - bucket_low(i)) / 2;
      return std::clamp(static_cast<std::int64_t>(mid), min_, max_);
    }
  }
  return max_;
}

}  // namespace chatd::bench
