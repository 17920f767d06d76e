#include "latency_histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

using chatd::bench::latency_histogram;

TEST(latency_histogram, empty_reports_zero) {
  latency_histogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.percentile(0.99), 0);
  EXPECT_EQ(h.max(), 0);
}

TEST(latency_histogram, small_values_are_exact) {
  latency_histogram h;
  for (int v = 0; v < 100; ++v) {
    h.record(v);
  }
  EXPECT_EQ(h.percentile(0.5), 49);
  EXPECT_EQ(h.percentile(1.0), 99);
  EXPECT_EQ(h.min(), 0);
}

TEST(latency_histogram, buckets_tile_the_range_without_gaps) {
  for (std::size_t b = 1; b + 1 < latency_histogram::bucket_count; ++b) {
    ASSERT_EQ(latency_histogram::bucket_low(b), latency_histogram::bucket_high(b - 1) + 1) << b;
    ASSERT_EQ(latency_histogram::bucket_of(latency_histogram::bucket_low(b)), b);
    ASSERT_EQ(latency_histogram::bucket_of(latency_histogram::bucket_high(b)), b);
  }
}

TEST(latency_histogram, percentiles_stay_within_one_percent_of_exact) {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> dist(13.0, 1.5);  // around 0.4 ms with a long tail
  std::vector<std::int64_t> samples;
  latency_histogram h;
  for (int i = 0; i < 100'000; ++i) {
    auto const v = static_cast<std::int64_t>(dist(rng));
    samples.push_back(v);
    h.record(v);
  }
  std::sort(samples.begin(), samples.end());
  for (double p : {0.5, 0.9, 0.99, 0.999}) {
    auto const exact = static_cast<double>(samples[static_cast<std::size_t>(p * samples.size()) - 1]);
    EXPECT_NEAR(static_cast<double>(h.percentile(p)), exact, exact * 0.01) << p;
  }
  EXPECT_EQ(h.max(), samples.back());
}

TEST(latency_histogram, merge_equals_recording_everything_in_one) {
  latency_histogram a, b, all;
  for (std::int64_t v = 1; v < 50'000; v += 7) {
    (v % 2 ? a : b).record(v * 1000);
    all.record(v * 1000);
  }
  a.merge(b);
  EXPECT_EQ(a.count(), all.count());
  EXPECT_EQ(a.max(), all.max());
  EXPECT_EQ(a.min(), all.min());
  EXPECT_EQ(a.percentile(0.99), all.percentile(0.99));
  EXPECT_DOUBLE_EQ(a.mean(), all.mean());
}

TEST(latency_histogram, negative_and_huge_values_are_clamped_not_lost) {
  latency_histogram h;
  h.record(-5);
  h.record(INT64_MAX);
  EXPECT_EQ(h.count(), 2u);
  EXPECT_EQ(h.percentile(0.5), 0);
  EXPECT_EQ(h.max(), INT64_MAX);
  EXPECT_GE(static_cast<std::uint64_t>(h.percentile(1.0)), latency_histogram::bucket_low(latency_histogram::bucket_count - 1));
}
