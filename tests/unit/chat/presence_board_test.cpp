#include <chatd/chat/presence_board.hpp>

#include <gtest/gtest.h>

#include <algorithm>

namespace chatd::chat {
namespace {

using namespace std::chrono_literals;
using clock = presence_board::clock;

std::vector<std::string> sorted_changes(presence_board& board) {
  auto changed = board.take_changes();
  std::sort(changed.begin(), changed.end());
  return changed;
}

TEST(presence_board, sums_each_rooms_members_over_the_other_replicas) {
  presence_board board(30s);
  auto const t = clock::now();
  EXPECT_EQ(board.elsewhere("r"), 0u);
  board.update("a", "r", 3, t);
  board.update("b", "r", 2, t);
  board.update("b", "s", 1, t);
  EXPECT_EQ(board.elsewhere("r"), 5u);
  EXPECT_EQ(board.elsewhere("s"), 1u);
  EXPECT_EQ(sorted_changes(board), (std::vector<std::string>{"r", "s"}));
  board.update("a", "r", 3, t);  // a heartbeat repeating a count changes nothing
  EXPECT_TRUE(board.take_changes().empty());
  board.update("a", "r", 1, t);
  EXPECT_EQ(board.elsewhere("r"), 3u);
  board.update("a", "r", 0, t);
  board.update("b", "r", 0, t);
  EXPECT_EQ(board.elsewhere("r"), 0u);
  EXPECT_EQ(sorted_changes(board), (std::vector<std::string>{"r"}));
  board.update("c", "r", 0, t);  // an empty room on a new replica: nothing changes
  EXPECT_TRUE(board.take_changes().empty());
}

TEST(presence_board, a_silent_replica_is_forgotten_after_the_ttl_and_a_heard_one_is_not) {
  presence_board board(30s);
  auto const t = clock::now();
  board.update("a", "r", 3, t);
  board.update("a", "s", 1, t);
  board.update("b", "r", 2, t);
  board.take_changes();
  board.expire(t + 30s);
  EXPECT_TRUE(board.take_changes().empty());
  board.update("b", "r", 2, t + 20s);  // b's heartbeat
  board.expire(t + 31s);
  EXPECT_EQ(sorted_changes(board), (std::vector<std::string>{"r", "s"}));
  EXPECT_EQ(board.elsewhere("r"), 2u);
  EXPECT_EQ(board.elsewhere("s"), 0u);
  board.update("a", "r", 1, t + 40s);  // back after a restart: counted again
  EXPECT_EQ(board.elsewhere("r"), 3u);
  EXPECT_EQ(sorted_changes(board), (std::vector<std::string>{"r"}));
}

}  // namespace
}  // namespace chatd::chat
