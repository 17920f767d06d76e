#include "metrics_scraper.hpp"

#include <gtest/gtest.h>

using chatd::bench::metrics_scraper;

TEST(metrics_scraper, sums_labelled_series_and_skips_comments) {
  auto m = metrics_scraper::parse(
      "# HELP chatd_errors_total errors\n"
      "# TYPE chatd_errors_total counter\n"
      "chatd_errors_total{code=\"rate_limited\"} 3\n"
      "chatd_errors_total{code=\"bad_request\"} 4\n"
      "process_resident_memory_bytes 1.5e+07\n"
      "garbage line\n"
      "broken_value x\n");
  EXPECT_DOUBLE_EQ(m.at("chatd_errors_total"), 7);
  EXPECT_DOUBLE_EQ(m.at("process_resident_memory_bytes"), 1.5e7);
  EXPECT_EQ(m.count("broken_value"), 0u);
  EXPECT_EQ(m.count("garbage"), 0u);
}

TEST(metrics_scraper, a_closed_port_gives_nothing) {
  // Port 1 on loopback: nothing listens there in a test sandbox, so the connect is refused.
  EXPECT_FALSE(metrics_scraper::scrape({"127.0.0.1", 1}));
}
