#include <chatd/chat/announcement.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace chatd::chat::announcement {
namespace {

store::message sample(std::string text) { return {"posts/글", 42, "7", {"u_1", "Kim", "ring:a"}, std::move(text), 1700000000000, false}; }

TEST(announcement, a_message_round_trips_with_its_frame) {
  auto parsed_payload = parse(for_message(sample("hi\nthere")));
  ASSERT_TRUE(parsed_payload);
  EXPECT_EQ(parsed_payload->what, kind::message);
  EXPECT_EQ(parsed_payload->seq, 42);
  EXPECT_EQ(parsed_payload->room, "posts/글");
  auto frame = nlohmann::json::parse(parsed_payload->frame);
  EXPECT_EQ(frame["type"], "message");
  EXPECT_EQ(frame["text"], "hi\nthere");
}

TEST(announcement, messages_too_large_for_notify_travel_by_reference) {
  std::string big;
  for (int i = 0; i < 2000; ++i) {
    big += "😀";  // 8000 bytes of UTF-8
  }
  auto payload = for_message(sample(big));
  EXPECT_LE(payload.size(), max_payload);
  auto parsed_payload = parse(payload);
  ASSERT_TRUE(parsed_payload);
  EXPECT_EQ(parsed_payload->what, kind::reference);
  EXPECT_EQ(parsed_payload->seq, 42);
}

TEST(announcement, deletions_and_malformed_payloads) {
  auto deleted = parse(for_deletion("r", 9));
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->what, kind::deleted);
  EXPECT_EQ(deleted->room, "r");
  for (std::string_view bad : {"", "m", "x\n1\nr\n", "m\n1\nr\n", "d\n0\nr\n", "d\n-1\nr\n", "d\nabc\nr\n", "d\n1\n\n", "d\n1\nr"}) {
    EXPECT_FALSE(parse(bad)) << bad;
  }
}

}  // namespace
}  // namespace chatd::chat::announcement
