#include <chatd/metrics/gauge.hpp>

#include <gtest/gtest.h>

namespace {

using chatd::metrics::gauge;

TEST(metrics_gauge, starts_at_zero) {
  gauge g;
  EXPECT_EQ(g.value(), 0);
}

TEST(metrics_gauge, set_inc_and_dec) {
  gauge g;
  g.set(10);
  g.inc();
  g.inc(2.5);
  g.dec();
  g.dec(4);
  EXPECT_DOUBLE_EQ(g.value(), 8.5);
}

TEST(metrics_gauge, may_go_negative) {
  gauge g;
  g.dec(3);
  EXPECT_EQ(g.value(), -3);
}

}  // namespace
