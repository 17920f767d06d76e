#pragma once

#include <chatd/ws/rfc6455.hpp>
#include <chatd/ws/utf8_validator.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace chatd::ws {

// The server's reader of client frames (RFC 6455 section 5): a pure, incremental parser that
// takes bytes in pieces of any size, down to one byte at a time, and reports one event at a time.
//
// What it enforces, with the close code each failure calls for:
// - every client frame is masked (1002); RSV1-3 are 0, since no extension is negotiated (1002);
//   only the six defined opcodes (1002);
// - control frames are final and carry at most 125 bytes (1002); they may come between the
//   fragments of a message;
// - a continuation needs a message in progress and a new message needs none (1002);
// - a 64-bit length has its top bit clear (1002); a message longer than the limit is refused from
//   its frame header, before any of it is buffered (1009);
// - a text message is UTF-8, checked as it arrives across fragments (1007); a binary message is
//   refused (1003): chatd speaks JSON text only;
// - a close frame has no payload or a valid code (section 7.4) and a UTF-8 reason (1002, 1007).
//
// Data payload goes to the caller's `message` string, which only grows while a message is in
// flight. The reader itself holds no buffer but for a control frame's payload while it arrives,
// so an idle connection's reader is a few tens of bytes. After a close frame or an error it reads
// no more: further input is consumed and ignored.
class frame_reader {
 public:
  enum class event : std::uint8_t {
    need_more,  // every byte given was consumed; nothing to report yet
    message,    // `message` holds a whole text message: take it (and clear the string) before reading on
    ping,       // `payload` is the ping's, to echo in a pong
    pong,
    close,      // the peer's close frame: `code` (no_status when it had none) and `payload`, its reason
    error,      // the connection must be failed with `code`; `why` says what was wrong
  };

  struct result {
    event what = event::need_more;
    std::size_t consumed = 0;  // bytes of the input used; the rest is for the next call
    close_code code = close_code::no_status;
    std::string_view payload;  // valid until the next call
    std::string_view why;
  };

  explicit frame_reader(std::size_t max_message_bytes) : max_message_(max_message_bytes) {}

  // Reads from `input` up to the end of the next event. `message` must be empty when a message
  // starts, that is, the caller clears it after taking each message.
  result read(std::string_view input, std::string& message);

  // True after a close frame or an error: nothing more will be reported.
  bool done() const { return step_ == step::done; }

 private:
  enum class step : std::uint8_t { first_byte, length_byte, extended_length, mask_key, payload, done };

  result fail(std::size_t consumed, close_code code, std::string_view why);
  // Checks a frame once its header is whole, before its payload; returns an error or need_more.
  result header_done(std::size_t consumed, std::string const& message);
  result frame_done(std::size_t consumed);
  result close_frame(std::size_t consumed);

  std::size_t max_message_;
  std::uint64_t remaining_ = 0;  // the frame's length while its header arrives, then the payload still to come
  std::string control_;          // a control frame's payload, until the frame is whole
  unsigned char mask_[4] = {};
  step step_ = step::first_byte;
  opcode opcode_ = opcode::continuation;  // of the current frame
  bool fin_ = false;
  bool in_message_ = false;  // a text message has started and its final frame has not come
  std::uint8_t header_left_ = 0;  // bytes of extended length or mask key still to come
  std::uint8_t mask_at_ = 0;      // which mask byte the next payload byte takes
  utf8_validator utf8_;           // of the text message in flight
};

}  // namespace chatd::ws
