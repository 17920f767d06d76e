#include <chatd/chat/token_bucket.hpp>

#include <gtest/gtest.h>

namespace chatd::chat {
namespace {

using namespace std::chrono_literals;

TEST(token_bucket, allows_a_burst_then_refills_at_the_rate) {
  auto t = token_bucket::clock::time_point{} + 1h;  // a fake clock
  token_bucket bucket(5, 1, t);
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(bucket.try_take(t));
  }
  EXPECT_FALSE(bucket.try_take(t));
  EXPECT_EQ(bucket.wait_time(t), 1s);
  EXPECT_FALSE(bucket.try_take(t + 999ms));
  EXPECT_TRUE(bucket.try_take(t + 1000ms));
  EXPECT_FALSE(bucket.try_take(t + 1000ms));
}

TEST(token_bucket, never_holds_more_than_the_burst) {
  auto t = token_bucket::clock::time_point{} + 1h;
  token_bucket bucket(2, 10, t);
  t += 1h;
  EXPECT_TRUE(bucket.try_take(t));
  EXPECT_TRUE(bucket.try_take(t));
  EXPECT_FALSE(bucket.try_take(t));
}

TEST(token_bucket, a_clock_going_backwards_adds_nothing) {
  auto t = token_bucket::clock::time_point{} + 1h;
  token_bucket bucket(1, 1, t);
  EXPECT_TRUE(bucket.try_take(t));
  EXPECT_FALSE(bucket.try_take(t - 10s));
  EXPECT_FALSE(bucket.try_take(t));
}

}  // namespace
}  // namespace chatd::chat
