#include <chatd/metrics/text_format.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <random>
#include <string>

namespace {

namespace tf = chatd::metrics::text_format;

TEST(metrics_text_format, special_values_use_prometheus_spelling) {
  EXPECT_EQ(tf::format_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(tf::format_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(tf::format_value(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

TEST(metrics_text_format, whole_numbers_have_no_exponent_or_fraction) {
  EXPECT_EQ(tf::format_value(0), "0");
  EXPECT_EQ(tf::format_value(-0.0), "0");
  EXPECT_EQ(tf::format_value(1), "1");
  EXPECT_EQ(tf::format_value(-42), "-42");
  EXPECT_EQ(tf::format_value(1e6), "1000000");
  EXPECT_EQ(tf::format_value(1700000000), "1700000000");
  EXPECT_EQ(tf::format_value(9007199254740991.0), "9007199254740991");
}

TEST(metrics_text_format, fractions_are_shortest_round_trip) {
  EXPECT_EQ(tf::format_value(0.5), "0.5");
  EXPECT_EQ(tf::format_value(0.1), "0.1");
  EXPECT_EQ(tf::format_value(2.5), "2.5");
  EXPECT_EQ(tf::format_value(0.0001), "0.0001");
  EXPECT_EQ(tf::format_value(0.00025), "0.00025");
  EXPECT_EQ(tf::format_value(-1.25), "-1.25");
  EXPECT_EQ(tf::format_value(0.1 + 0.2), "0.30000000000000004");
}

TEST(metrics_text_format, tiny_and_huge_values_use_an_exponent) {
  EXPECT_EQ(tf::format_value(2.5e-5), "2.5e-05");
  EXPECT_EQ(tf::format_value(1e20), "1e+20");
  EXPECT_EQ(tf::format_value(-1.5e300), "-1.5e+300");
}

TEST(metrics_text_format, every_value_reads_back_exactly) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> exponent(-30, 30);
  for (int i = 0; i < 20000; ++i) {
    double const v = std::pow(10.0, exponent(rng)) * (i % 2 == 0 ? 1 : -1);
    auto const text = tf::format_value(v);
    EXPECT_EQ(std::strtod(text.c_str(), nullptr), v) << text;
  }
}

TEST(metrics_text_format, label_values_escape_backslash_quote_and_newline) {
  std::string out;
  tf::append_escaped_label_value(out, "a\\b\"c\nd\te");
  EXPECT_EQ(out, "a\\\\b\\\"c\\nd\te");
}

TEST(metrics_text_format, help_escapes_backslash_and_newline_only) {
  std::string out;
  tf::append_escaped_help(out, "path C:\\x \"quoted\"\nnext");
  EXPECT_EQ(out, "path C:\\\\x \"quoted\"\\nnext");
}

TEST(metrics_text_format, renders_labels_in_given_order) {
  EXPECT_EQ(tf::render_labels({}), "");
  EXPECT_EQ(tf::render_labels({{"b", "1"}, {"a", "x\"y"}}), "b=\"1\",a=\"x\\\"y\"");
}

TEST(metrics_text_format, metric_names) {
  EXPECT_TRUE(tf::is_valid_metric_name("chatd_messages_stored_total"));
  EXPECT_TRUE(tf::is_valid_metric_name("_x"));
  EXPECT_TRUE(tf::is_valid_metric_name("job:rate5m:sum"));
  EXPECT_TRUE(tf::is_valid_metric_name("A9"));
  EXPECT_FALSE(tf::is_valid_metric_name(""));
  EXPECT_FALSE(tf::is_valid_metric_name("9lives"));
  EXPECT_FALSE(tf::is_valid_metric_name("chatd-messages"));
  EXPECT_FALSE(tf::is_valid_metric_name("chatd messages"));
  EXPECT_FALSE(tf::is_valid_metric_name("chatd.messages"));
  EXPECT_FALSE(tf::is_valid_metric_name("caf\xc3\xa9"));
}

TEST(metrics_text_format, label_names) {
  EXPECT_TRUE(tf::is_valid_label_name("operation"));
  EXPECT_TRUE(tf::is_valid_label_name("_x1"));
  EXPECT_FALSE(tf::is_valid_label_name(""));
  EXPECT_FALSE(tf::is_valid_label_name("__name__"));
  EXPECT_FALSE(tf::is_valid_label_name("1st"));
  EXPECT_FALSE(tf::is_valid_label_name("a:b"));
  EXPECT_FALSE(tf::is_valid_label_name("a-b"));
}

TEST(metrics_text_format, utf8) {
  EXPECT_TRUE(tf::is_valid_utf8(""));
  EXPECT_TRUE(tf::is_valid_utf8("plain"));
  EXPECT_TRUE(tf::is_valid_utf8("\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4"));  // 한국어
  EXPECT_TRUE(tf::is_valid_utf8("\xf0\x9f\x92\xac"));                      // U+1F4AC
  EXPECT_FALSE(tf::is_valid_utf8("\xff"));
  EXPECT_FALSE(tf::is_valid_utf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(tf::is_valid_utf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(tf::is_valid_utf8("\xe2\x82"));          // cut short
  EXPECT_FALSE(tf::is_valid_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(tf::is_valid_utf8("a\x80"));             // stray continuation byte
}

}  // namespace
