#include <chatd/net/connection_limiter.hpp>

#include <gtest/gtest.h>

namespace chatd::net {
namespace {

TEST(connection_limiter, caps_each_address_and_the_total) {
  auto limiter = std::make_shared<connection_limiter>(2, 3);
  connection_limiter::verdict why{};
  auto a1 = limiter->acquire("a", why);
  auto a2 = limiter->acquire("a", why);
  EXPECT_TRUE(a1 && a2);
  EXPECT_FALSE(limiter->acquire("a", why));
  EXPECT_EQ(why, connection_limiter::verdict::per_ip);
  auto b1 = limiter->acquire("b", why);
  EXPECT_TRUE(b1);
  EXPECT_FALSE(limiter->acquire("c", why));
  EXPECT_EQ(why, connection_limiter::verdict::capacity);
  EXPECT_EQ(limiter->open(), 3u);
  a1.reset();
  EXPECT_EQ(limiter->open(), 2u);
  EXPECT_TRUE(limiter->acquire("a", why));  // released on destruction
}

}  // namespace
}  // namespace chatd::net
