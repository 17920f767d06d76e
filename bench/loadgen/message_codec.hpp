#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chatd::bench {

// What a benchmark message carries so that any receiver can time it: the sender's steady-clock
// reading (CLOCK_MONOTONIC, shared by every process on the machine) and the replica it was sent to.
struct message_stamp {
  std::int64_t sent_ns = 0;
  int replica = 0;
};

// The wire side of the load generator. Outgoing frames are built by hand (room ids are ASCII the
// generator chose); incoming frames are scanned, not parsed, on the hot path: at hundreds of
// thousands of deliveries per second a full JSON parse per frame would make the generator, not
// chatd, the bottleneck. JSON escapes every quote inside a string, so `"text":"` can only match a key.
class message_codec {
 public:
  // The shortest text that carries a stamp: "t=" + 19 digits + ";r=" + 3 digits + ";".
  static constexpr std::size_t max_prefix_bytes = 28;

  // "t=<ns>;r=<replica>;" padded with 'x' to `bytes` (never shorter than the prefix).
  static std::string text(message_stamp stamp, std::size_t bytes);
  // A `send` frame whose client_id "<client>-<ns>" lets the ack be timed without per-message state.
  static std::string send_frame(std::string_view room, std::size_t client, message_stamp stamp, std::size_t bytes);
  static std::string hello_frame();
  static std::string join_frame(std::string_view room);

  // The value of the top-level "type" field, empty when there is none.
  static std::string_view type_of(std::string_view frame);
  // The stamp in a `message` frame's text, if the text starts with one.
  static std::optional<message_stamp> stamp_of_message(std::string_view frame);
  // The send time in an `ack` frame's client_id, if it is one of ours.
  static std::optional<std::int64_t> stamp_of_ack(std::string_view frame);
};

}  // namespace chatd::bench
