#pragma once

#include <chatd/store/types.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// What one chatd tells every other (and itself) through PostgreSQL NOTIFY when it stores a change.
// Text, newline-separated, so the message frame travels as it is, without a second JSON escaping:
//   m\n<seq>\n<room>\n<message frame>   a new message
//   r\n<seq>\n<room>\n                  a new message too large for NOTIFY: read it from the database
//   d\n<seq>\n<room>\n                  a message was deleted
// Room ids contain no control characters, so the newlines are unambiguous.
namespace chatd::chat::announcement {

constexpr std::string_view channel = "chatd_messages";
// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more.
constexpr std::size_t max_payload = 7900;

enum class kind { message, reference, deleted };

struct parsed {
  kind what;
  std::int64_t seq;
  std::string room;
  std::string frame;  // only for kind::message
};

std::string for_message(store::message const& msg);
std::string for_deletion(std::string_view room, std::int64_t seq);
std::optional<parsed> parse(std::string_view payload);

// The announcer the store uses to send these.
store::announcer announcer();

}  // namespace chatd::chat::announcement
