#include "options.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <vector>

using chatd::bench::parse_options;

namespace {

chatd::bench::parsed_options parse(std::initializer_list<char const*> args) {
  std::vector<char const*> argv{"chatd_loadgen"};
  argv.insert(argv.end(), args);
  return parse_options(static_cast<int>(argv.size()), argv.data());
}

}  // namespace

TEST(options, defaults_are_a_valid_small_run) {
  auto p = parse({});
  ASSERT_TRUE(p.value);
  EXPECT_EQ(p.value->replicas.size(), 1u);
  EXPECT_EQ(p.value->replicas[0].port, 8080);
  EXPECT_EQ(p.value->message_bytes, 64u);
}

TEST(options, reads_a_fan_out_scenario) {
  auto p = parse({"--clients", "1000", "--rooms", "10", "--senders-per-room", "2", "--rate", "500", "--duration", "3",
                  "--replicas", "127.0.0.1:1,127.0.0.1:2", "--metrics", "127.0.0.1:3,127.0.0.1:4", "--watch", "postgres=1"});
  ASSERT_TRUE(p.value);
  EXPECT_EQ(p.value->senders(), 20u);
  EXPECT_EQ(p.value->members_of(0), 100u);
  EXPECT_EQ(p.value->replicas.size(), 2u);
  EXPECT_EQ(p.value->watch.at(0).pid, 1);
  EXPECT_DOUBLE_EQ(p.value->duration.count(), 3.0);
}

TEST(options, idle_runs_have_no_senders) {
  auto p = parse({"--idle", "--clients", "5"});
  ASSERT_TRUE(p.value);
  EXPECT_EQ(p.value->senders(), 0u);
}

TEST(options, members_are_dealt_evenly) {
  auto p = parse({"--clients", "10", "--rooms", "3"});
  ASSERT_TRUE(p.value);
  EXPECT_EQ(p.value->members_of(0) + p.value->members_of(1) + p.value->members_of(2), 10u);
  EXPECT_EQ(p.value->members_of(0), 4u);
  EXPECT_EQ(p.value->members_of(2), 3u);
}

TEST(options, refuses_bad_settings) {
  std::vector<std::vector<char const*>> bad = {
      {"--clients", "0"},
      {"--clients", "5", "--rooms", "6"},
      {"--clients", "4", "--rooms", "2", "--senders-per-room", "3"},
      {"--rate", "0"},
      {"--rate", "nan"},
      {"--duration", "0"},
      {"--warmup", "-1"},
      {"--message-bytes", "10"},
      {"--message-bytes", "5000"},
      {"--threads", "0"},
      {"--ramp", "0"},
      {"--port", "70000"},
      {"--replicas", "nohost"},
      {"--replicas", "a:1,b:2", "--metrics", "a:3"},
      {"--watch", "postgres"},
      {"--watch", "pg=-4"},
      {"--room-prefix", "has space"},
      {"--no-such-flag"},
  };
  for (auto const& args : bad) {
    std::vector<char const*> argv{"chatd_loadgen"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto p = parse_options(static_cast<int>(argv.size()), argv.data());
    EXPECT_FALSE(p.value) << args.front();
    EXPECT_NE(p.exit_code, 0) << args.front();
  }
}
