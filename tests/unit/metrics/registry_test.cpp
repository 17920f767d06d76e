#include <chatd/metrics/registry.hpp>

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>
#include <string>

namespace {

using chatd::metrics::histogram;
using chatd::metrics::registry;

TEST(metrics_registry, empty_registry_exposes_nothing) {
  registry r;
  EXPECT_EQ(r.expose(), "");
}

TEST(metrics_registry, exposes_counter_gauge_histogram_and_callback) {
  registry r;
  auto& origin = r.add_counter("chatd_connections_rejected_total", "Upgrades refused.", {{"reason", "origin"}});
  auto& per_ip = r.add_counter("chatd_connections_rejected_total", "Upgrades refused.", {{"reason", "per_ip"}});
  auto& open = r.add_gauge("chatd_connections_open", "Open WebSocket sessions.");
  auto& history = r.add_histogram("chatd_db_query_duration_seconds", "Database round trips.", {0.25, 1, 2},
                                  {{"operation", "history"}});
  r.add_callback_gauge("chatd_rooms_active", "Rooms with a member here.", [] { return 7.0; });

  origin.inc();
  origin.inc(2);
  per_ip.inc();
  open.set(3);
  open.dec();
  for (double v : {0.25, 0.5, 0.5, 4.0}) {
    history.observe(v);
  }

  EXPECT_EQ(r.expose(),
            "# HELP chatd_connections_rejected_total Upgrades refused.\n"
            "# TYPE chatd_connections_rejected_total counter\n"
            "chatd_connections_rejected_total{reason=\"origin\"} 3\n"
            "chatd_connections_rejected_total{reason=\"per_ip\"} 1\n"
            "# HELP chatd_connections_open Open WebSocket sessions.\n"
            "# TYPE chatd_connections_open gauge\n"
            "chatd_connections_open 2\n"
            "# HELP chatd_db_query_duration_seconds Database round trips.\n"
            "# TYPE chatd_db_query_duration_seconds histogram\n"
            "chatd_db_query_duration_seconds_bucket{operation=\"history\",le=\"0.25\"} 1\n"
            "chatd_db_query_duration_seconds_bucket{operation=\"history\",le=\"1\"} 3\n"
            "chatd_db_query_duration_seconds_bucket{operation=\"history\",le=\"2\"} 3\n"
            "chatd_db_query_duration_seconds_bucket{operation=\"history\",le=\"+Inf\"} 4\n"
            "chatd_db_query_duration_seconds_sum{operation=\"history\"} 5.25\n"
            "chatd_db_query_duration_seconds_count{operation=\"history\"} 4\n"
            "# HELP chatd_rooms_active Rooms with a member here.\n"
            "# TYPE chatd_rooms_active gauge\n"
            "chatd_rooms_active 7\n");
}

TEST(metrics_registry, unlabelled_histogram_has_only_le) {
  registry r;
  auto& h = r.add_histogram("fanout_seconds", "Fan-out.", {0.001});
  h.observe(0.0005);
  EXPECT_EQ(r.expose(),
            "# HELP fanout_seconds Fan-out.\n"
            "# TYPE fanout_seconds histogram\n"
            "fanout_seconds_bucket{le=\"0.001\"} 1\n"
            "fanout_seconds_bucket{le=\"+Inf\"} 1\n"
            "fanout_seconds_sum 0.0005\n"
            "fanout_seconds_count 1\n");
}

TEST(metrics_registry, series_of_a_family_stay_together_whatever_the_registration_order) {
  registry r;
  r.add_counter("a_total", "A.", {{"k", "1"}}).inc();
  r.add_gauge("b", "B.").set(1);
  r.add_counter("a_total", "A.", {{"k", "2"}}).inc(2);
  EXPECT_EQ(r.expose(),
            "# HELP a_total A.\n"
            "# TYPE a_total counter\n"
            "a_total{k=\"1\"} 1\n"
            "a_total{k=\"2\"} 2\n"
            "# HELP b B.\n"
            "# TYPE b gauge\n"
            "b 1\n");
}

TEST(metrics_registry, escapes_label_values_and_help) {
  registry r;
  r.add_gauge("g", "Line one\nback\\slash \"quotes\" stay.", {{"path", "C:\\dir\n\"x\""}, {"lang", "한국어"}}).set(1);
  EXPECT_EQ(r.expose(),
            "# HELP g Line one\\nback\\\\slash \"quotes\" stay.\n"
            "# TYPE g gauge\n"
            "g{path=\"C:\\\\dir\\n\\\"x\\\"\",lang=\"한국어\"} 1\n");
}

TEST(metrics_registry, formats_special_and_large_values) {
  registry r;
  r.add_gauge("a", "A.").set(std::numeric_limits<double>::infinity());
  r.add_gauge("b", "B.").set(std::numeric_limits<double>::quiet_NaN());
  r.add_gauge("c", "C.").set(1e6);
  r.add_gauge("d", "D.").set(-0.5);
  auto const text = r.expose();
  EXPECT_NE(text.find("\na +Inf\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nb NaN\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nc 1000000\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nd -0.5\n"), std::string::npos) << text;
}

TEST(metrics_registry, empty_label_value_is_kept) {
  registry r;
  r.add_counter("x_total", "X.", {{"code", ""}});
  EXPECT_NE(r.expose().find("x_total{code=\"\"} 0\n"), std::string::npos);
}

TEST(metrics_registry, callbacks_run_at_each_scrape) {
  registry r;
  double source = 1;
  r.add_callback_gauge("live", "Live.", [&] { return source; });
  EXPECT_NE(r.expose().find("\nlive 1\n"), std::string::npos);
  source = 42;
  EXPECT_NE(r.expose().find("\nlive 42\n"), std::string::npos);
}

TEST(metrics_registry, callback_counter_is_typed_counter) {
  registry r;
  r.add_callback_counter("ticks_total", "Ticks.", [] { return 12.5; }, {{"kind", "cpu"}});
  EXPECT_EQ(r.expose(),
            "# HELP ticks_total Ticks.\n"
            "# TYPE ticks_total counter\n"
            "ticks_total{kind=\"cpu\"} 12.5\n");
}

TEST(metrics_registry, throwing_callback_becomes_nan_and_does_not_break_the_scrape) {
  registry r;
  r.add_callback_gauge("broken", "Broken.", []() -> double { throw std::runtime_error("gone"); });
  r.add_gauge("fine", "Fine.").set(1);
  auto const text = r.expose();
  EXPECT_NE(text.find("\nbroken NaN\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nfine 1\n"), std::string::npos) << text;
}

TEST(metrics_registry, references_survive_many_registrations) {
  registry r;
  auto& first = r.add_counter("first_total", "First.");
  for (int i = 0; i < 1000; ++i) {
    r.add_counter("many_total", "Many.", {{"i", std::to_string(i)}});
  }
  first.inc(9);
  EXPECT_NE(r.expose().find("\nfirst_total 9\n"), std::string::npos);
}

TEST(metrics_registry, rejects_invalid_metric_names) {
  registry r;
  EXPECT_THROW(r.add_counter("", "x"), std::invalid_argument);
  EXPECT_THROW(r.add_counter("1abc", "x"), std::invalid_argument);
  EXPECT_THROW(r.add_gauge("chatd-open", "x"), std::invalid_argument);
  EXPECT_THROW(r.add_histogram("a b", "x", {1}), std::invalid_argument);
  EXPECT_THROW(r.add_callback_gauge("a.b", "x", [] { return 0.0; }), std::invalid_argument);
  EXPECT_EQ(r.expose(), "");
}

TEST(metrics_registry, rejects_invalid_label_names) {
  registry r;
  EXPECT_THROW(r.add_counter("x_total", "x", {{"__name__", "y"}}), std::invalid_argument);
  EXPECT_THROW(r.add_counter("x_total", "x", {{"bad-name", "y"}}), std::invalid_argument);
  EXPECT_THROW(r.add_counter("x_total", "x", {{"", "y"}}), std::invalid_argument);
  EXPECT_THROW(r.add_counter("x_total", "x", {{"9", "y"}}), std::invalid_argument);
  EXPECT_EQ(r.expose(), "");
}

TEST(metrics_registry, rejects_repeated_label_name_in_one_series) {
  registry r;
  EXPECT_THROW(r.add_gauge("g", "x", {{"a", "1"}, {"b", "2"}, {"a", "3"}}), std::invalid_argument);
}

TEST(metrics_registry, rejects_le_label_on_histograms_only) {
  registry r;
  EXPECT_THROW(r.add_histogram("h", "x", {1}, {{"le", "1"}}), std::invalid_argument);
  EXPECT_NO_THROW(r.add_gauge("g", "x", {{"le", "1"}}));
}

TEST(metrics_registry, rejects_invalid_utf8) {
  registry r;
  EXPECT_THROW(r.add_gauge("g", "x", {{"a", "\xff"}}), std::invalid_argument);
  EXPECT_THROW(r.add_gauge("h", "bad \xc0\xaf help"), std::invalid_argument);
}

TEST(metrics_registry, rejects_duplicate_series) {
  registry r;
  r.add_counter("x_total", "X.");
  EXPECT_THROW(r.add_counter("x_total", "X."), std::invalid_argument);
  r.add_counter("y_total", "Y.", {{"a", "1"}, {"b", "2"}});
  EXPECT_THROW(r.add_counter("y_total", "Y.", {{"a", "1"}, {"b", "2"}}), std::invalid_argument);
  // Label order does not make a different series.
  EXPECT_THROW(r.add_counter("y_total", "Y.", {{"b", "2"}, {"a", "1"}}), std::invalid_argument);
  EXPECT_THROW(r.add_callback_counter("x_total", "X.", [] { return 1.0; }), std::invalid_argument);
  EXPECT_NO_THROW(r.add_counter("y_total", "Y.", {{"a", "1"}, {"b", "3"}}));
}

TEST(metrics_registry, rejects_family_reused_with_another_type) {
  registry r;
  r.add_counter("x_total", "X.");
  EXPECT_THROW(r.add_gauge("x_total", "X.", {{"a", "1"}}), std::invalid_argument);
  EXPECT_THROW(r.add_histogram("x_total", "X.", {1}, {{"a", "1"}}), std::invalid_argument);
  EXPECT_THROW(r.add_callback_gauge("x_total", "X.", [] { return 1.0; }, {{"a", "1"}}), std::invalid_argument);
}

TEST(metrics_registry, rejects_family_reused_with_another_help) {
  registry r;
  r.add_counter("x_total", "X.", {{"a", "1"}});
  EXPECT_THROW(r.add_counter("x_total", "Other.", {{"a", "2"}}), std::invalid_argument);
}

TEST(metrics_registry, rejects_histogram_family_with_other_bounds) {
  registry r;
  r.add_histogram("h_seconds", "H.", {1, 2}, {{"op", "a"}});
  EXPECT_THROW(r.add_histogram("h_seconds", "H.", {1, 3}, {{"op", "b"}}), std::invalid_argument);
  EXPECT_NO_THROW(r.add_histogram("h_seconds", "H.", {1, 2}, {{"op", "b"}}));
}

TEST(metrics_registry, rejects_invalid_histogram_bounds) {
  registry r;
  EXPECT_THROW(r.add_histogram("h", "H.", {}), std::invalid_argument);
  EXPECT_THROW(r.add_histogram("h", "H.", {2, 1}), std::invalid_argument);
  EXPECT_THROW(r.add_histogram("h", "H.", {1, std::numeric_limits<double>::infinity()}), std::invalid_argument);
  EXPECT_EQ(r.expose(), "");
}

TEST(metrics_registry, rejects_names_whose_samples_would_clash) {
  registry r;
  r.add_histogram("latency", "L.", {1});
  EXPECT_THROW(r.add_counter("latency_count", "C."), std::invalid_argument);
  EXPECT_THROW(r.add_gauge("latency_sum", "S."), std::invalid_argument);
  EXPECT_THROW(r.add_gauge("latency_bucket", "B."), std::invalid_argument);
  r.add_gauge("depth_count", "D.");
  EXPECT_THROW(r.add_histogram("depth", "D.", {1}), std::invalid_argument);
}

TEST(metrics_registry, rejects_empty_callbacks) {
  registry r;
  EXPECT_THROW(r.add_callback_gauge("g", "G.", nullptr), std::invalid_argument);
  EXPECT_THROW(r.add_callback_counter("c_total", "C.", {}), std::invalid_argument);
  EXPECT_EQ(r.expose(), "");
}

TEST(metrics_registry, error_message_names_the_metric) {
  registry r;
  try {
    r.add_counter("chatd_bad-name", "x");
    FAIL() << "expected std::invalid_argument";
  } catch (std::invalid_argument const& e) {
    EXPECT_NE(std::string(e.what()).find("chatd_bad-name"), std::string::npos) << e.what();
  }
}

TEST(metrics_registry, failed_registration_leaves_no_trace) {
  registry r;
  EXPECT_THROW(r.add_counter("x_total", "X.", {{"bad-label", "1"}}), std::invalid_argument);
  // The family was not created by the failed call, so another type may still take the name.
  EXPECT_NO_THROW(r.add_gauge("x_total_other", "X."));
  EXPECT_NO_THROW(r.add_counter("x_total", "Different help is fine: nothing was registered."));
}

}  // namespace
