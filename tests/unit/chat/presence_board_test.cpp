#include <chatd/chat/presence_board.hpp>

#include <gtest/gtest.h>

#include <algorithm>

namespace chatd::chat {
namespace {

using namespace std::chrono_literals;
using clock = presence_board::clock;

TEST(presence_board, sums_each_rooms_members_over_the_other_replicas) {
  presence_board board(30s);
  auto const t = clock::now();
  EXPECT_EQ(board.elsewhere("r"), 0u);
  EXPECT_TRUE(board.update("a", "r", 3, t));
  EXPECT_TRUE(board.update("b", "r", 2, t));
  EXPECT_TRUE(board.update("b", "s", 1, t));
  EXPECT_EQ(board.elsewhere("r"), 5u);
  EXPECT_EQ(board.elsewhere("s"), 1u);
  EXPECT_FALSE(board.update("a", "r", 3, t));  // a heartbeat repeating a count changes nothing
  EXPECT_TRUE(board.update("a", "r", 1, t));
  EXPECT_EQ(board.elsewhere("r"), 3u);
  EXPECT_TRUE(board.update("a", "r", 0, t));
  EXPECT_TRUE(board.update("b", "r", 0, t));
  EXPECT_EQ(board.elsewhere("r"), 0u);
  EXPECT_FALSE(board.update("c", "r", 0, t));  // an empty room on a new replica: nothing changes
}

TEST(presence_board, a_silent_replica_is_forgotten_after_the_ttl_and_a_heard_one_is_not) {
  presence_board board(30s);
  auto const t = clock::now();
  board.update("a", "r", 3, t);
  board.update("a", "s", 1, t);
  board.update("b", "r", 2, t);
  EXPECT_TRUE(board.expire(t + 30s).empty());
  board.update("b", "r", 2, t + 20s);  // b's heartbeat
  auto changed = board.expire(t + 31s);
  std::sort(changed.begin(), changed.end());
  EXPECT_EQ(changed, (std::vector<std::string>{"r", "s"}));
  EXPECT_EQ(board.elsewhere("r"), 2u);
  EXPECT_EQ(board.elsewhere("s"), 0u);
  EXPECT_TRUE(board.update("a", "r", 1, t + 40s));  // back after a restart: counted again
  EXPECT_EQ(board.elsewhere("r"), 3u);
}

}  // namespace
}  // namespace chatd::chat
