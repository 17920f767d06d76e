#pragma once

#include <chatd/store/types.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

// The JSON wire contract of docs/protocol.md: client frames in, server frames out.
namespace chatd::chat {

enum class error_code { bad_request, too_large, rate_limited, not_joined, unauthorized, unavailable };
std::string_view to_string(error_code code);

constexpr int max_json_depth = 8;
constexpr int default_history_limit = 50;
constexpr int max_history_limit = 100;

struct hello_cmd {
  std::optional<std::string> token;
};
struct join_cmd {
  std::string room;
  // The last seq the client has of the room (0: it saw the room empty); none for a new visitor.
  std::optional<std::int64_t> since;
};
struct leave_cmd {
  std::string room;
};
struct send_cmd {
  std::string room;
  std::string text;  // validated and trimmed
  std::string client_id;
};
struct history_cmd {
  std::string room;
  std::optional<std::int64_t> before;
  std::optional<std::int64_t> after;
  int limit = default_history_limit;
};
struct typing_cmd {
  std::string room;
};
struct profile_cmd {
  std::string nickname;  // validated and trimmed
  std::string avatar;
};
struct ping_cmd {};

using command = std::variant<hello_cmd, join_cmd, leave_cmd, send_cmd, history_cmd, typing_cmd, profile_cmd, ping_cmd>;

struct protocol_error {
  error_code code;
  std::string message;
  std::string ref;  // the frame's client_id, when it had a readable one
};

// Parses and validates one client frame. Never throws.
std::variant<command, protocol_error> parse_command(std::string_view frame);

// True when `json` nests objects/arrays deeper than max_depth. Linear, allocation-free, and safe
// on any input: run before the parser so deep input cannot exhaust the stack.
bool nesting_exceeds(std::string_view json, int max_depth);

// Server frames, serialised once and shared between recipients.
std::string welcome_frame(store::user const& user, std::string_view token);
std::string joined_frame(std::string_view room, std::int64_t last_seq, std::size_t online);
std::string history_frame(std::string_view room, store::history_page const& page);
std::string ack_frame(store::stored_message const& stored);
std::string message_frame(store::message const& msg);
std::string presence_frame(std::string_view room, std::size_t online);
std::string typing_frame(std::string_view room, store::user const& user);
std::string deleted_frame(std::string_view room, std::int64_t seq);
std::string profile_frame(store::user const& user);
std::string error_frame(error_code code, std::string_view message, std::string_view ref = {});
std::string pong_frame();

}  // namespace chatd::chat
