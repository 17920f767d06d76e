#include "endpoint.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

using chatd::bench::endpoint;

TEST(endpoint, parses_host_and_port) {
  auto e = endpoint::parse("127.0.0.1:8080");
  EXPECT_EQ(e.host, "127.0.0.1");
  EXPECT_EQ(e.port, 8080);
  EXPECT_EQ(e.to_string(), "127.0.0.1:8080");
}

TEST(endpoint, parses_bracketed_ipv6) {
  auto e = endpoint::parse("[::1]:9");
  EXPECT_EQ(e.host, "::1");
  EXPECT_EQ(e.to_string(), "[::1]:9");
}

TEST(endpoint, parses_a_list) {
  auto list = endpoint::parse_list("localhost:1,127.0.0.1:2");
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[1].port, 2);
}

TEST(endpoint, refuses_malformed_input_with_a_message) {
  for (auto const* bad : {"", "host", "host:", ":80", "h:0", "h:65536", "h:8x", "::1:80", "[::1:80", "a:1,,b:2", "a:1,"}) {
    EXPECT_THROW(endpoint::parse_list(bad), std::invalid_argument) << bad;
  }
}
