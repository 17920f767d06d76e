#include <chatd/metrics/histogram.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

namespace {

using chatd::metrics::histogram;
using counts = std::vector<std::uint64_t>;

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

TEST(metrics_histogram, rejects_empty_bounds) {
  EXPECT_THROW(histogram({}), std::invalid_argument);
}

TEST(metrics_histogram, rejects_unsorted_bounds) {
  EXPECT_THROW(histogram({1, 0.5}), std::invalid_argument);
}

TEST(metrics_histogram, rejects_repeated_bounds) {
  EXPECT_THROW(histogram({0.5, 1, 1, 2}), std::invalid_argument);
}

TEST(metrics_histogram, rejects_non_finite_bounds) {
  EXPECT_THROW(histogram({1, inf}), std::invalid_argument);
  EXPECT_THROW(histogram({-inf, 1}), std::invalid_argument);
  EXPECT_THROW(histogram({1, nan, 3}), std::invalid_argument);
  EXPECT_THROW(histogram({nan}), std::invalid_argument);
}

TEST(metrics_histogram, accepts_a_single_or_negative_bound) {
  EXPECT_NO_THROW(histogram({0}));
  EXPECT_NO_THROW(histogram({-2, -1, 0}));
}

TEST(metrics_histogram, starts_empty) {
  histogram h({1, 2});
  EXPECT_EQ(h.cumulative_counts(), (counts{0, 0, 0}));
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.sum(), 0);
}

TEST(metrics_histogram, bucket_bound_is_inclusive) {
  histogram h({1, 2});
  h.observe(1);
  EXPECT_EQ(h.cumulative_counts(), (counts{1, 1, 1}));
  h.observe(std::nextafter(1.0, 2.0));
  EXPECT_EQ(h.cumulative_counts(), (counts{1, 2, 2}));
}

TEST(metrics_histogram, buckets_are_cumulative) {
  histogram h({0.25, 1, 2});
  for (double v : {0.1, 0.25, 0.5, 0.5, 1.5, 3.0, 100.0}) {
    h.observe(v);
  }
  EXPECT_EQ(h.cumulative_counts(), (counts{2, 4, 5, 7}));
  EXPECT_EQ(h.count(), 7u);
  EXPECT_DOUBLE_EQ(h.sum(), 0.1 + 0.25 + 0.5 + 0.5 + 1.5 + 3.0 + 100.0);
}

TEST(metrics_histogram, negative_values_land_in_the_first_bucket) {
  histogram h({0, 1});
  h.observe(-5);
  EXPECT_EQ(h.cumulative_counts(), (counts{1, 1, 1}));
  EXPECT_EQ(h.sum(), -5);
}

TEST(metrics_histogram, infinities_land_in_the_outer_buckets) {
  histogram h({1});
  h.observe(inf);
  EXPECT_EQ(h.cumulative_counts(), (counts{0, 1}));
  h.observe(-inf);
  EXPECT_EQ(h.cumulative_counts(), (counts{1, 2}));
}

TEST(metrics_histogram, ignores_nan) {
  histogram h({1});
  h.observe(0.5);
  h.observe(nan);
  EXPECT_EQ(h.count(), 1u);
  EXPECT_EQ(h.sum(), 0.5);
}

TEST(metrics_histogram, keeps_its_bounds) {
  histogram h({0.1, 0.2});
  EXPECT_EQ(h.bounds(), (std::vector<double>{0.1, 0.2}));
}

TEST(metrics_histogram, latency_buckets_cover_100us_to_10s) {
  auto const bounds = histogram::latency_buckets();
  EXPECT_GE(bounds.size(), 12u);
  EXPECT_LE(bounds.size(), 20u);
  EXPECT_EQ(bounds.front(), 0.0001);
  EXPECT_EQ(bounds.back(), 10);
  EXPECT_NO_THROW(histogram{bounds});
}

TEST(metrics_histogram, latency_buckets_separate_typical_latencies) {
  histogram h(histogram::latency_buckets());
  // A fast local fan-out, a quick query and a slow query must not share a bucket.
  h.observe(0.0003);
  h.observe(0.004);
  h.observe(0.8);
  auto const c = h.cumulative_counts();
  std::vector<std::uint64_t> distinct(c.begin(), c.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  EXPECT_EQ(distinct, (counts{0, 1, 2, 3}));
}

}  // namespace
