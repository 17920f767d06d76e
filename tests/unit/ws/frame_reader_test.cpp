#include "client_frames.hpp"

#include <gtest/gtest.h>

namespace chatd::ws::test {
namespace {

using event = frame_reader::event;

constexpr int text = 0x1, binary = 0x2, continuation = 0x0, close_op = 0x8, ping = 0x9, pong = 0xA;

record message(std::string text) { return {event::message, 0, std::move(text)}; }

// The events for `stream`, checked to be the same however the stream is split: whole, byte by
// byte, and at every single split point.
std::vector<record> read_any_split(std::string_view stream, std::size_t max_message = 16384) {
  auto const whole = read_whole(stream, max_message);
  EXPECT_EQ(read_bytewise(stream, max_message), whole) << "byte by byte";
  for (std::size_t k = 1; k < stream.size(); ++k) {
    EXPECT_EQ(read_all(stream, {k}, max_message), whole) << "split at " << k;
  }
  return whole;
}

int error_code_of(std::string_view stream, std::size_t max_message = 16384) {
  auto const events = read_any_split(stream, max_message);
  if (events.empty() || events.back().what != event::error) {
    ADD_FAILURE() << "no error";
    return 0;
  }
  EXPECT_EQ(events.size(), 1U) << "nothing is reported after an error, and here nothing before it";
  return events.back().code;
}

TEST(frame_reader, reads_a_masked_text_message_at_every_split) {
  auto const stream = client_frame(R"({"type":"ping"})");
  EXPECT_EQ(read_any_split(stream), std::vector<record>{message(R"({"type":"ping"})")});
}

TEST(frame_reader, reads_messages_back_to_back) {
  auto const stream = client_frame("one") + client_frame("") + client_frame(std::string(300, 'x')) + client_frame(std::string(70000, 'y'));
  auto const events = read_whole(stream, 100000);
  EXPECT_EQ(events, (std::vector<record>{message("one"), message(""), message(std::string(300, 'x')), message(std::string(70000, 'y'))}));
  EXPECT_EQ(read_bytewise(stream, 100000), events);
}

TEST(frame_reader, accepts_lengths_in_a_longer_encoding_than_needed) {
  auto const stream = client_frame("abc", {.length_bytes = 2}) + client_frame("de", {.length_bytes = 8});
  EXPECT_EQ(read_any_split(stream), (std::vector<record>{message("abc"), message("de")}));
}

TEST(frame_reader, reassembles_fragments_with_control_frames_between_them) {
  auto const stream = client_frame(R"({"type":)", {.opcode = text, .fin = false}) + client_frame("hi", {.opcode = ping}) +
                      client_frame("", {.opcode = continuation, .fin = false}) + client_frame("", {.opcode = pong}) +
                      client_frame(R"("ping"})", {.opcode = continuation});
  EXPECT_EQ(read_any_split(stream), (std::vector<record>{{event::ping, 0, "hi"}, {event::pong, 0, ""}, message(R"({"type":"ping"})")}));
}

TEST(frame_reader, unmasked_frames_are_a_protocol_error) {
  EXPECT_EQ(error_code_of(client_frame("x", {.mask = false})), 1002);
  EXPECT_EQ(error_code_of(client_frame("", {.opcode = ping, .mask = false})), 1002);
}

TEST(frame_reader, reserved_bits_are_a_protocol_error) {
  for (int rsv = 1; rsv < 8; ++rsv) {
    EXPECT_EQ(error_code_of(client_frame("x", {.rsv = rsv})), 1002) << rsv;
  }
}

TEST(frame_reader, reserved_opcodes_are_a_protocol_error) {
  for (int op : {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
    EXPECT_EQ(error_code_of(client_frame("x", {.opcode = op})), 1002) << op;
  }
}

TEST(frame_reader, control_frames_must_be_final_and_short) {
  EXPECT_EQ(error_code_of(client_frame("x", {.opcode = ping, .fin = false})), 1002);
  EXPECT_EQ(error_code_of(client_frame(std::string(126, 'p'), {.opcode = ping})), 1002);
  EXPECT_EQ(error_code_of(client_frame("p", {.opcode = ping, .length_bytes = 2})), 1002) << "126 in the 7-bit length is too long";
  EXPECT_EQ(read_any_split(client_frame(std::string(125, 'p'), {.opcode = ping})), (std::vector<record>{{event::ping, 0, std::string(125, 'p')}}));
}

TEST(frame_reader, a_continuation_needs_a_message_and_a_message_needs_none) {
  EXPECT_EQ(error_code_of(client_frame("x", {.opcode = continuation})), 1002);
  EXPECT_EQ(error_code_of(client_frame("x", {.opcode = continuation, .fin = false})), 1002);
  auto const events = read_any_split(client_frame("a", {.fin = false}) + client_frame("b"));
  EXPECT_EQ(events.size(), 1U);
  EXPECT_EQ(events.back().code, 1002);
  // A whole message, then a continuation of nothing.
  EXPECT_EQ(read_any_split(client_frame("a") + client_frame("b", {.opcode = continuation})).back().code, 1002);
}

TEST(frame_reader, binary_messages_are_refused_with_1003) {
  EXPECT_EQ(error_code_of(client_frame("\x01\x02", {.opcode = binary})), 1003);
  EXPECT_EQ(error_code_of(client_frame("", {.opcode = binary, .fin = false})), 1003);
}

TEST(frame_reader, a_length_with_its_top_bit_set_is_a_protocol_error) {
  EXPECT_EQ(error_code_of(client_frame("", {.length_bytes = 8, .length = std::uint64_t{1} << 63})), 1002);
}

TEST(frame_reader, messages_up_to_the_limit_pass) {
  EXPECT_EQ(read_whole(client_frame(std::string(1024, 'a')), 1024), std::vector<record>{message(std::string(1024, 'a'))});
  auto const fragments = client_frame(std::string(1000, 'a'), {.fin = false}) + client_frame(std::string(24, 'b'), {.opcode = continuation});
  EXPECT_EQ(read_whole(fragments, 1024), std::vector<record>{message(std::string(1000, 'a') + std::string(24, 'b'))});
}

TEST(frame_reader, an_oversized_message_is_refused_from_its_header) {
  EXPECT_EQ(read_whole(client_frame(std::string(1025, 'a')), 1024).back().code, 1009);
  // The header alone is enough: nothing of the payload is needed, or buffered.
  auto const header = client_frame("", {.length_bytes = 8, .length = std::uint64_t{1} << 40});
  EXPECT_EQ(error_code_of(header, 1024), 1009);
  frame_reader reader(1024);
  std::string message;
  auto const r = reader.read(header, message);
  EXPECT_EQ(r.what, event::error);
  EXPECT_EQ(r.consumed, header.size());
  EXPECT_TRUE(message.empty());
  // Across fragments: the second pushes the message past the limit.
  auto const fragments = client_frame(std::string(1000, 'a'), {.fin = false}) + client_frame(std::string(25, 'b'), {.opcode = continuation});
  auto const events = read_whole(fragments, 1024);
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].code, 1009);
}

TEST(frame_reader, text_must_be_utf8) {
  EXPECT_EQ(error_code_of(client_frame("\xC0\xAF")), 1007) << "overlong";
  EXPECT_EQ(error_code_of(client_frame("\xED\xA0\x80")), 1007) << "surrogate";
  EXPECT_EQ(error_code_of(client_frame("\xF4\x90\x80\x80")), 1007) << "past U+10FFFF";
  EXPECT_EQ(error_code_of(client_frame("ab\xE2\x82")), 1007) << "ends inside a code point";
  EXPECT_EQ(read_any_split(client_frame("\xE2\x82\xAC \xF0\x9F\x98\x80 \xED\x9F\xBF \xF4\x8F\xBF\xBF")),
            std::vector<record>{message("\xE2\x82\xAC \xF0\x9F\x98\x80 \xED\x9F\xBF \xF4\x8F\xBF\xBF")});
}

TEST(frame_reader, utf8_is_checked_across_fragments) {
  // The euro sign split over three fragments.
  auto const split = client_frame("\xE2", {.fin = false}) + client_frame("\x82", {.opcode = continuation, .fin = false}) +
                     client_frame("\xAC", {.opcode = continuation});
  EXPECT_EQ(read_any_split(split), std::vector<record>{message("\xE2\x82\xAC")});
  auto const broken = client_frame("\xE2", {.fin = false}) + client_frame("x", {.opcode = continuation});
  EXPECT_EQ(error_code_of(broken), 1007);
  auto const unfinished = client_frame("ok", {.fin = false}) + client_frame("\xF0\x9F", {.opcode = continuation});
  EXPECT_EQ(error_code_of(unfinished), 1007);
}

TEST(frame_reader, bad_utf8_fails_before_the_frame_ends) {
  auto const stream = client_frame("\xFF" + std::string(1000, 'a'));
  frame_reader reader(16384);
  std::string message;
  // The header (4 bytes with the extended length), the mask key, and the bad byte.
  auto const r = reader.read(std::string_view(stream).substr(0, 9), message);
  EXPECT_EQ(r.what, event::error);
  EXPECT_EQ(static_cast<int>(r.code), 1007);
}

TEST(frame_reader, reports_close_frames_with_code_and_reason) {
  EXPECT_EQ(read_any_split(client_frame("", {.opcode = close_op})), (std::vector<record>{{event::close, 1005, ""}}));
  EXPECT_EQ(read_any_split(client_frame(close_payload(1000, "bye \xE2\x82\xAC"), {.opcode = close_op})),
            (std::vector<record>{{event::close, 1000, "bye \xE2\x82\xAC"}}));
  for (int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999}) {
    EXPECT_EQ(read_whole(client_frame(close_payload(code), {.opcode = close_op})), (std::vector<record>{{event::close, code, ""}})) << code;
  }
}

TEST(frame_reader, refuses_bad_close_frames) {
  EXPECT_EQ(error_code_of(client_frame("\x03", {.opcode = close_op})), 1002) << "one byte";
  for (int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535}) {
    EXPECT_EQ(error_code_of(client_frame(close_payload(code), {.opcode = close_op})), 1002) << code;
  }
  EXPECT_EQ(error_code_of(client_frame(close_payload(1000, "\xC0\xAF"), {.opcode = close_op})), 1007);
  EXPECT_EQ(error_code_of(client_frame(close_payload(1000, "\xE2\x82"), {.opcode = close_op})), 1007);
}

TEST(frame_reader, close_and_error_end_the_stream) {
  auto const after_close = client_frame(close_payload(1000), {.opcode = close_op}) + client_frame("ignored") + "\xFF\xFF garbage";
  EXPECT_EQ(read_any_split(after_close), (std::vector<record>{{event::close, 1000, ""}}));
  auto const after_error = client_frame("x", {.mask = false}) + client_frame("ignored");
  EXPECT_EQ(read_any_split(after_error).size(), 1U);
  frame_reader reader(16384);
  std::string message;
  reader.read(client_frame("", {.opcode = close_op}), message);
  EXPECT_TRUE(reader.done());
  auto const more = client_frame("x");
  auto const r = reader.read(more, message);
  EXPECT_EQ(r.what, event::need_more);
  EXPECT_EQ(r.consumed, more.size());
  EXPECT_TRUE(message.empty());
}

TEST(frame_reader, idle_state_is_small) {
  // What every idle connection carries: no buffer inline.
  EXPECT_LE(sizeof(frame_reader), 80U);
}

}  // namespace
}  // namespace chatd::ws::test
