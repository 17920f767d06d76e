#include "client_frames.hpp"

#include <chatd/ws/rfc6455.hpp>

#include <gtest/gtest.h>

namespace chatd::ws {
namespace {

std::string header_of(opcode op, std::size_t payload_size) {
  unsigned char out[10];
  auto n = frame_header(op, payload_size, out);
  return {reinterpret_cast<char const*>(out), n};
}

TEST(frame_header, uses_the_shortest_length_encoding) {
  EXPECT_EQ(header_of(opcode::text, 0), std::string("\x81\x00", 2));
  EXPECT_EQ(header_of(opcode::text, 125), std::string("\x81\x7d", 2));
  EXPECT_EQ(header_of(opcode::text, 126), std::string("\x81\x7e\x00\x7e", 4));
  EXPECT_EQ(header_of(opcode::text, 65535), std::string("\x81\x7e\xff\xff", 4));
  EXPECT_EQ(header_of(opcode::text, 65536), std::string("\x81\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10));
  EXPECT_EQ(header_of(opcode::pong, 3), std::string("\x8a\x03", 2));
}

TEST(append_frame, appends_whole_unmasked_frames_in_order) {
  std::string out;
  append_frame(out, opcode::text, "first");
  append_frame(out, opcode::ping, "");
  append_frame(out, opcode::text, std::string(300, 'x'));
  EXPECT_EQ(out, "\x81\x05" "first" + std::string("\x89\x00", 2) + std::string("\x81\x7e\x01\x2c", 4) + std::string(300, 'x'));
}

TEST(append_close_frame, carries_the_code_and_a_reason_cut_before_a_whole_code_point) {
  std::string out;
  append_close_frame(out, close_code::going_away);
  EXPECT_EQ(out, std::string("\x88\x02\x03\xe9", 4));
  out.clear();
  // 61 two-byte code points are 122 bytes; one more would not fit whole in 123.
  std::string reason;
  for (int i = 0; i < 62; ++i) {
    reason += "\xC3\xA9";
  }
  append_close_frame(out, close_code::normal, reason);
  ASSERT_EQ(out.size(), 2U + 2 + 122);
  EXPECT_EQ(out[1], 124);
  EXPECT_EQ(out.substr(4), reason.substr(0, 122));
}

TEST(valid_close_code, follows_section_7_4) {
  for (int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999}) {
    EXPECT_TRUE(valid_close_code(static_cast<std::uint16_t>(code))) << code;
  }
  for (int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535}) {
    EXPECT_FALSE(valid_close_code(static_cast<std::uint16_t>(code))) << code;
  }
}

}  // namespace
}  // namespace chatd::ws
