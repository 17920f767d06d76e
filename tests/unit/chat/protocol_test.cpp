#include <chatd/chat/protocol.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace chatd::chat {
namespace {

template <class T>
T parsed(std::string_view frame) {
  auto result = parse_command(frame);
  auto* cmd = std::get_if<command>(&result);
  EXPECT_TRUE(cmd) << frame << " -> " << std::get<protocol_error>(result).message;
  return cmd ? std::get<T>(*cmd) : T{};
}

protocol_error failed(std::string_view frame) {
  auto result = parse_command(frame);
  EXPECT_TRUE(std::holds_alternative<protocol_error>(result)) << frame;
  return std::holds_alternative<protocol_error>(result) ? std::get<protocol_error>(result) : protocol_error{};
}

TEST(protocol, parses_every_client_frame) {
  EXPECT_EQ(parsed<hello_cmd>(R"({"type":"hello","token":"abc"})").token, "abc");
  EXPECT_FALSE(parsed<hello_cmd>(R"({"type":"hello","token":null})").token);
  auto join = parsed<join_cmd>(R"({"type":"join","room":"r","since":12})");
  EXPECT_EQ(join.room, "r");
  EXPECT_EQ(join.since, 12);
  EXPECT_FALSE(parsed<join_cmd>(R"({"type":"join","room":"r"})").since);  // a new visitor
  EXPECT_FALSE(parsed<join_cmd>(R"({"type":"join","room":"r","since":null})").since);
  EXPECT_EQ(parsed<join_cmd>(R"({"type":"join","room":"r","since":0})").since, 0);  // saw it empty
  EXPECT_EQ(parsed<leave_cmd>(R"({"type":"leave","room":"r"})").room, "r");
  auto send = parsed<send_cmd>(R"({"type":"send","room":"r","text":"  hi  ","client_id":"c1","extra":true})");
  EXPECT_EQ(send.text, "hi");
  EXPECT_EQ(send.client_id, "c1");
  auto history = parsed<history_cmd>(R"({"type":"history","room":"r","before":40,"limit":10})");
  EXPECT_EQ(history.before, 40);
  EXPECT_EQ(history.limit, 10);
  EXPECT_EQ(parsed<history_cmd>(R"({"type":"history","room":"r","after":3})").limit, default_history_limit);
  EXPECT_EQ(parsed<typing_cmd>(R"({"type":"typing","room":"r"})").room, "r");
  EXPECT_EQ(parsed<profile_cmd>(R"({"type":"profile","nickname":" Kim ","avatar":"beam:x"})").nickname, "Kim");
  parsed<ping_cmd>(R"({"type":"ping"})");
}

TEST(protocol, errors_carry_code_and_client_id) {
  auto e = failed(R"({"type":"send","room":"r","text":"","client_id":"c9"})");
  EXPECT_EQ(e.code, error_code::bad_request);
  EXPECT_EQ(e.ref, "c9");
  EXPECT_EQ(failed(R"({"type":"history","room":"r","limit":101})").code, error_code::too_large);
  EXPECT_EQ(failed(R"({"type":"history","room":"r","limit":0})").code, error_code::bad_request);
  EXPECT_EQ(failed(R"({"type":"join","room":"r","since":-1})").code, error_code::bad_request);
  EXPECT_EQ(failed(R"({"type":"join","room":"r","since":"5"})").code, error_code::bad_request);
  EXPECT_EQ(failed("garbage").code, error_code::bad_request);
  EXPECT_EQ(failed("\"a string\"").code, error_code::bad_request);
  EXPECT_EQ(failed(R"({"type":"unknown"})").message, "unknown type 'unknown'");
  EXPECT_EQ(failed(std::string(R"({"type":"ping"})") + std::string(1, '\0') + "junk").code, error_code::bad_request);
  auto long_korean = failed(R"({"type":")" + std::string(31, 'a') + R"(가"})");  // the 32-byte cut falls inside 가
  EXPECT_EQ(long_korean.message, "unknown type '" + std::string(31, 'a') + "'");
}

TEST(protocol, nesting_is_capped_before_parsing) {
  EXPECT_FALSE(nesting_exceeds(R"({"a":{"b":[1,2,{"c":3}]}})", max_json_depth));
  EXPECT_TRUE(nesting_exceeds(std::string(9, '[') + std::string(9, ']'), max_json_depth));
  EXPECT_FALSE(nesting_exceeds(R"({"text":"[[[[[[[[[[[[[[[[[[[[[["})", max_json_depth));  // brackets in a string
  EXPECT_FALSE(nesting_exceeds(R"({"text":"\"[[[[[[[[[[[[[[[[[["})", max_json_depth));   // escaped quote
  EXPECT_TRUE(nesting_exceeds(std::string(100000, '['), max_json_depth));
  EXPECT_EQ(failed(std::string(100000, '[')).code, error_code::bad_request);
}

TEST(protocol, server_frames_are_the_documented_json) {
  store::user const user{"u_1", "Kim \"K\"", "ring:a"};
  store::message const msg{"r", 7, "42", user, "<script>alert(1)</script>", 1700000000123, false};
  auto m = nlohmann::json::parse(message_frame(msg));
  EXPECT_EQ(m["type"], "message");
  EXPECT_EQ(m["seq"], 7);
  EXPECT_EQ(m["text"], "<script>alert(1)</script>");
  EXPECT_EQ(m["user"]["nickname"], "Kim \"K\"");
  auto tomb = msg;
  tomb.deleted = true;
  auto h = nlohmann::json::parse(history_frame("r", {{tomb}, true}));
  EXPECT_EQ(h["messages"][0]["deleted"], true);
  EXPECT_FALSE(h["messages"][0].contains("text"));
  EXPECT_TRUE(h["has_more"]);
  auto ack = nlohmann::json::parse(ack_frame({msg, "c1", false}));
  EXPECT_EQ(ack["client_id"], "c1");
  EXPECT_EQ(ack["ts"], 1700000000123);
  auto err = nlohmann::json::parse(error_frame(error_code::rate_limited, "slow", "c1"));
  EXPECT_EQ(err["code"], "rate_limited");
  EXPECT_EQ(err["ref"], "c1");
  EXPECT_TRUE(nlohmann::json::parse(error_frame(error_code::unauthorized, "x"))["ref"].is_null());
  EXPECT_EQ(nlohmann::json::parse(presence_frame("r", 3))["online"], 3);
}

}  // namespace
}  // namespace chatd::chat
