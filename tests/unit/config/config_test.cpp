#include <chatd/config/config.hpp>

#include <gtest/gtest.h>

#include <cstdlib>

namespace chatd::config {
namespace {

// Parses argv with a clean CHATD_* environment plus `env`.
parse_result parse_with(std::vector<std::string> args, std::vector<std::pair<char const*, char const*>> env = {}) {
  for (auto const* name : {"DATABASE_URL", "CHATD_PORT", "CHATD_ALLOWED_ORIGINS", "CHATD_SEND_BURST", "CHATD_ADMIN_TOKEN"}) {
    ::unsetenv(name);
  }
  for (auto [k, v] : env) {
    ::setenv(k, v, 1);
  }
  args.insert(args.begin(), "chatd");
  std::vector<char const*> argv;
  for (auto const& a : args) {
    argv.push_back(a.c_str());
  }
  auto result = parse(static_cast<int>(argv.size()), argv.data());
  for (auto [k, v] : env) {
    ::unsetenv(k);
  }
  return result;
}

TEST(config, defaults_match_the_documentation) {
  auto r = parse_with({});
  ASSERT_TRUE(r.value);
  EXPECT_EQ(r.value->port, 8080);
  EXPECT_EQ(r.value->metrics_port, 9090);
  EXPECT_EQ(r.value->max_frame_bytes, 16384u);
  EXPECT_EQ(r.value->send_burst, 5);
  EXPECT_EQ(r.value->max_rooms_per_connection, 20);
  EXPECT_EQ(r.value->max_connections_per_ip, 50);
  EXPECT_TRUE(r.value->allowed_origins.empty());
  EXPECT_GE(r.value->threads, 1);
  EXPECT_EQ(r.value->db_max_wait, std::chrono::seconds(5));
}

TEST(config, environment_and_flags_with_flags_winning) {
  auto r = parse_with({"--port", "9000"}, {{"CHATD_PORT", "7000"}, {"CHATD_ALLOWED_ORIGINS", " https://jungyu.store/ ,https://WWW.jungyu.store:443"}});
  ASSERT_TRUE(r.value);
  EXPECT_EQ(r.value->port, 9000);
  EXPECT_EQ(r.value->allowed_origins, (std::vector<std::string>{"https://jungyu.store", "https://www.jungyu.store"}));
}

TEST(config, bad_values_stop_start_up) {
  EXPECT_EQ(parse_with({"--port", "0"}).exit_code, 105);  // CLI11's validation error
  EXPECT_FALSE(parse_with({"--port", "abc"}).value);
  EXPECT_FALSE(parse_with({}, {{"CHATD_SEND_BURST", "-1"}}).value);
  EXPECT_FALSE(parse_with({"--allowed-origins", "jungyu.store"}).value);
  EXPECT_FALSE(parse_with({"--allowed-origins", "ftp://jungyu.store"}).value);
  EXPECT_FALSE(parse_with({"--admin-token", "short"}).value);
  EXPECT_FALSE(parse_with({"--port", "9090"}).value);  // same as the metrics port
  EXPECT_FALSE(parse_with({"--log-level", "loud"}).value);
  EXPECT_FALSE(parse_with({"--db-max-wait-seconds", "0"}).value);
  EXPECT_TRUE(parse_with({"--db-max-wait-seconds", "30"}).value);
  EXPECT_FALSE(parse_with({"--no-such-flag"}).value);
}

TEST(config, normalize_origin_forms) {
  EXPECT_EQ(normalize_origin("HTTPS://Example.COM:443/"), "https://example.com");
  EXPECT_EQ(normalize_origin("http://localhost:8080"), "http://localhost:8080");
  EXPECT_EQ(normalize_origin("http://[::1]:3000"), "http://[::1]:3000");
  EXPECT_EQ(normalize_origin("https://a.example/path"), "");
  EXPECT_EQ(normalize_origin("https://user@a.example"), "");
  EXPECT_EQ(normalize_origin("https://a.example:99999"), "");
  EXPECT_EQ(normalize_origin("null"), "");
}

}  // namespace
}  // namespace chatd::config
