#include <chatd/chat/announcement.hpp>
#include <chatd/chat/protocol.hpp>

#include <charconv>

namespace chatd::chat::announcement {
namespace {

std::string header(char tag, std::int64_t seq, std::string_view room) {
  std::string out;
  out += tag;
  out += '\n';
  out += std::to_string(seq);
  out += '\n';
  out += room;
  out += '\n';
  return out;
}

}  // namespace

std::string for_message(store::message const& msg) {
  auto out = header('m', msg.seq, msg.room) + message_frame(msg);
  return out.size() <= max_payload ? out : header('r', msg.seq, msg.room);
}

std::string for_deletion(std::string_view room, std::int64_t seq) { return header('d', seq, room); }

std::optional<parsed> parse(std::string_view payload) {
  if (payload.size() < 2 || payload[1] != '\n') {
    return std::nullopt;
  }
  kind what{};
  switch (payload[0]) {
    case 'm': what = kind::message; break;
    case 'r': what = kind::reference; break;
    case 'd': what = kind::deleted; break;
    default: return std::nullopt;
  }
  auto rest = payload.substr(2);
  auto const seq_end = rest.find('\n');
  if (seq_end == std::string_view::npos) {
    return std::nullopt;
  }
  std::int64_t seq = 0;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + seq_end, seq);
  if (ec != std::errc{} || end != rest.data() + seq_end || seq < 1) {
    return std::nullopt;
  }
  rest = rest.substr(seq_end + 1);
  auto const room_end = rest.find('\n');
  if (room_end == std::string_view::npos || room_end == 0) {
    return std::nullopt;
  }
  parsed out{what, seq, std::string(rest.substr(0, room_end)), std::string(rest.substr(room_end + 1))};
  if ((what == kind::message) == out.frame.empty()) {
    return std::nullopt;
  }
  return out;
}

store::announcer announcer() { return {std::string(channel), for_message, for_deletion}; }

}  // namespace chatd::chat::announcement
