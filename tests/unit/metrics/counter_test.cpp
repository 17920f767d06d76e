#include <chatd/metrics/counter.hpp>

#include <gtest/gtest.h>

#include <limits>

namespace {

using chatd::metrics::counter;

TEST(metrics_counter, starts_at_zero) {
  counter c;
  EXPECT_EQ(c.value(), 0);
}

TEST(metrics_counter, inc_defaults_to_one) {
  counter c;
  c.inc();
  c.inc();
  EXPECT_EQ(c.value(), 2);
}

TEST(metrics_counter, adds_whole_and_fractional_steps) {
  counter c;
  c.inc(3);
  c.inc(0.25);
  c.inc(1.5);
  EXPECT_DOUBLE_EQ(c.value(), 4.75);
}

TEST(metrics_counter, adds_steps_beyond_exact_integers) {
  counter c;
  c.inc(1e300);
  EXPECT_DOUBLE_EQ(c.value(), 1e300);
}

TEST(metrics_counter, ignores_steps_that_would_break_monotonicity) {
  counter c;
  c.inc(5);
  c.inc(-1);
  c.inc(-0.5);
  c.inc(std::numeric_limits<double>::quiet_NaN());
  c.inc(std::numeric_limits<double>::infinity());
  c.inc(-std::numeric_limits<double>::infinity());
  EXPECT_EQ(c.value(), 5);
}

TEST(metrics_counter, zero_step_changes_nothing) {
  counter c;
  c.inc(0);
  EXPECT_EQ(c.value(), 0);
}

}  // namespace
