#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

// The wire constants of RFC 6455 that chatd's server side needs, and the writers of the frames it
// sends. A server never masks its frames (section 5.1).
namespace chatd::ws {

enum class opcode : std::uint8_t { continuation = 0x0, text = 0x1, binary = 0x2, close = 0x8, ping = 0x9, pong = 0xA };

// The status codes of a close frame (section 7.4.1) that chatd sends or names.
enum class close_code : std::uint16_t {
  normal = 1000,
  going_away = 1001,        // server shutdown
  protocol_error = 1002,    // a frame broke RFC 6455
  unsupported_data = 1003,  // a binary message: chatd speaks JSON text only
  no_status = 1005,         // never sent: what a close frame without a code means
  invalid_payload = 1007,   // text that is not UTF-8
  policy_violation = 1008,  // the peer let its send queue fill
  message_too_big = 1009,   // over CHATD_MAX_FRAME_BYTES
};

// Control frames carry at most this much payload (section 5.5).
constexpr std::size_t max_control_payload = 125;

// Whether a peer may send `code` in a close frame (section 7.4): the codes the RFC and IANA's
// registry define for use on the wire, and the 3000-4999 range for libraries and applications.
// 1004, 1005, 1006 and 1015 are reserved, the rest below 3000 unassigned.
bool valid_close_code(std::uint16_t code);

// The bytes before the payload of an unmasked frame: 2, 4 or 10 of `out`, returned.
std::size_t frame_header(opcode op, std::size_t payload_size, unsigned char (&out)[10]);

// Appends one whole (FIN) unmasked frame to `out`.
void append_frame(std::string& out, opcode op, std::string_view payload);

// Appends a close frame with `code` and an optional UTF-8 reason (a longer one is cut to 123 bytes,
// before a whole code point).
void append_close_frame(std::string& out, close_code code, std::string_view reason = {});

}  // namespace chatd::ws
