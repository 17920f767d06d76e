#include <chatd/net/origin_policy.hpp>

#include <gtest/gtest.h>

namespace chatd::net::origin_policy {
namespace {

std::vector<std::string> const blog{"https://jungyu.store", "https://www.jungyu.store"};

TEST(origin_policy, allowlisted_and_same_origin_pass_everything_else_fails) {
  EXPECT_TRUE(allowed("https://jungyu.store", "chat.jungyu.store", blog, ""));
  EXPECT_TRUE(allowed("https://JUNGYU.store:443", "chat.jungyu.store", blog, ""));
  EXPECT_TRUE(allowed("https://chat.jungyu.store", "chat.jungyu.store", blog, ""));  // the iframe page
  EXPECT_TRUE(allowed("http://localhost:8080", "localhost:8080", blog, ""));          // same origin
  EXPECT_TRUE(allowed("https://chat.jungyu.store", "10.0.0.7:8080", blog, "https://chat.jungyu.store"));
  EXPECT_FALSE(allowed("http://jungyu.store", "chat.jungyu.store", blog, ""));  // scheme matters
  EXPECT_FALSE(allowed("https://jungyu.store.evil.test", "chat.jungyu.store", blog, ""));
  EXPECT_FALSE(allowed("null", "chat.jungyu.store", blog, ""));
  EXPECT_FALSE(allowed("https://evil.test", "evil.test.chat.jungyu.store", blog, ""));
  EXPECT_TRUE(allowed("", "chat.jungyu.store", blog, ""));  // not a browser
}

TEST(origin_policy, without_an_allowlist_only_localhost_is_trusted) {
  EXPECT_TRUE(allowed("http://localhost:5173", "127.0.0.1:8080", {}, ""));
  EXPECT_TRUE(allowed("http://127.0.0.1:3000", "127.0.0.1:8080", {}, ""));
  EXPECT_TRUE(allowed("http://[::1]:3000", "127.0.0.1:8080", {}, ""));
  EXPECT_FALSE(allowed("http://localhost.evil.test", "127.0.0.1:8080", {}, ""));
  EXPECT_FALSE(allowed("https://jungyu.store", "127.0.0.1:8080", {}, ""));
}

TEST(origin_policy, frame_ancestors_lists_the_allowed_blogs) {
  EXPECT_EQ(frame_ancestors(blog), "'self' https://jungyu.store https://www.jungyu.store");
  EXPECT_EQ(frame_ancestors({}), "'self' http://localhost:* http://127.0.0.1:*");
}

TEST(origin_policy, client_address_trusts_only_the_configured_hops) {
  EXPECT_EQ(client_address("10.0.0.1", "1.2.3.4", 0), "10.0.0.1");
  EXPECT_EQ(client_address("10.0.0.1", "1.2.3.4", 1), "1.2.3.4");
  EXPECT_EQ(client_address("10.0.0.1", "6.6.6.6, 1.2.3.4", 1), "1.2.3.4");  // spoofed left part ignored
  EXPECT_EQ(client_address("10.0.0.1", "6.6.6.6, 1.2.3.4, 10.0.0.9", 2), "1.2.3.4");
  EXPECT_EQ(client_address("10.0.0.1", "1.2.3.4", 2), "10.0.0.1");  // fewer hops than trusted
  EXPECT_EQ(client_address("10.0.0.1", "not an ip", 1), "10.0.0.1");
  EXPECT_EQ(client_address("10.0.0.1", "2001:db8::1", 1), "2001:db8::1");
}

}  // namespace
}  // namespace chatd::net::origin_policy
