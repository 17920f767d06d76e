#include "message_codec.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using chatd::bench::message_codec;
using chatd::bench::message_stamp;

TEST(message_codec, text_is_padded_to_the_requested_size) {
  auto const t = message_codec::text({123456789, 1}, 64);
  EXPECT_EQ(t.size(), 64u);
  EXPECT_TRUE(t.starts_with("t=123456789;r=1;x"));
}

TEST(message_codec, send_frame_is_valid_json_the_server_accepts) {
  auto const frame = message_codec::send_frame("bench-3", 42, {987654321012345, 0}, 64);
  auto const j = nlohmann::json::parse(frame);
  EXPECT_EQ(j.at("type"), "send");
  EXPECT_EQ(j.at("room"), "bench-3");
  EXPECT_EQ(j.at("client_id"), "42-987654321012345");
  EXPECT_EQ(j.at("text").get<std::string>().size(), 64u);
}

TEST(message_codec, reads_the_stamp_back_from_a_server_message_frame) {
  // Shaped like chatd's message_frame: keys in nlohmann's sorted order, user before text.
  nlohmann::json m = {{"type", "message"}, {"room", "bench-0"}, {"seq", 5}, {"id", "9"},
                      {"user", {{"id", "u_1"}, {"nickname", "Quiet Fox 42"}, {"avatar", "ring:abc"}}},
                      {"text", message_codec::text({5550001112223334, 2}, 64)}, {"ts", 1764086400123}};
  auto const frame = m.dump();
  EXPECT_EQ(message_codec::type_of(frame), "message");
  auto stamp = message_codec::stamp_of_message(frame);
  ASSERT_TRUE(stamp);
  EXPECT_EQ(stamp->sent_ns, 5550001112223334);
  EXPECT_EQ(stamp->replica, 2);
}

TEST(message_codec, a_message_from_someone_else_has_no_stamp) {
  nlohmann::json m = {{"type", "message"}, {"text", "hello t=12;r=0;"}, {"user", {{"nickname", "\"text\":\"t=1;r=0;"}}}};
  EXPECT_FALSE(message_codec::stamp_of_message(m.dump()));
  EXPECT_FALSE(message_codec::stamp_of_message(R"({"type":"message","text":"t=12;r=;"})"));
  EXPECT_FALSE(message_codec::stamp_of_message(R"({"type":"message","text":"t=;r=0;"})"));
}

TEST(message_codec, reads_the_send_time_from_an_ack) {
  nlohmann::json a = {{"type", "ack"}, {"client_id", "17-123456"}, {"room", "r"}, {"seq", 1}, {"id", "1"}, {"ts", 1}};
  EXPECT_EQ(message_codec::type_of(a.dump()), "ack");
  EXPECT_EQ(message_codec::stamp_of_ack(a.dump()), 123456);
  EXPECT_FALSE(message_codec::stamp_of_ack(R"({"type":"ack","client_id":"abc"})"));
  EXPECT_FALSE(message_codec::stamp_of_ack(R"({"type":"ack","client_id":"1-12x"})"));
  EXPECT_FALSE(message_codec::stamp_of_ack(R"({"type":"ack"})"));
}

TEST(message_codec, type_of_a_frame_without_type_is_empty) {
  EXPECT_EQ(message_codec::type_of("{}"), "");
  EXPECT_EQ(message_codec::type_of(R"({"type":"unterminated)"), "");
  EXPECT_EQ(message_codec::type_of(R"({"type":"welcome","token":"x"})"), "welcome");
}

TEST(message_codec, hello_and_join_are_valid_json) {
  EXPECT_EQ(nlohmann::json::parse(message_codec::hello_frame()).at("type"), "hello");
  auto const join = nlohmann::json::parse(message_codec::join_frame("bench-1"));
  EXPECT_EQ(join.at("room"), "bench-1");
  EXPECT_FALSE(join.contains("since"));  // a new visitor
}
