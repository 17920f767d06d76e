#include "message_codec.hpp"

#include <charconv>

namespace chatd::bench {

namespace {

// Parses the decimal digits at the start of `s` into `out`; returns what follows, or nullopt.
template <typename T>
std::optional<std::string_view> leading_number(std::string_view s, T& out) {
  auto const* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, out);
  if (ec != std::errc{} || ptr == s.data()) {
    return std::nullopt;
  }
  return std::string_view(ptr, static_cast<std::size_t>(end - ptr));
}

std::optional<std::string_view> after(std::string_view frame, std::string_view key) {
  auto const at = frame.find(key);
  if (at == std::string_view::npos) {
    return std::nullopt;
  }
  return frame.substr(at + key.size());
}

}  // namespace

std::string message_codec::text(message_stamp stamp, std::size_t bytes) {
  std::string out = "t=" + std::to_string(stamp.sent_ns) + ";r=" + std::to_string(stamp.replica) + ";";
  if (out.size() < bytes) {
    out.append(bytes - out.size(), 'x');
  }
  return out;
}

std::string message_codec::send_frame(std::string_view room, std::size_t client, message_stamp stamp, std::size_t bytes) {
  std::string out;
  out.reserve(bytes + room.size() + 96);
  out += R"({"type":"send","room":")";
  out += room;
  out += R"(","client_id":")";
  out += std::to_string(client);
  out += '-';
  out += std::to_string(stamp.sent_ns);
  out += R"(","text":")";
  out += text(stamp, bytes);
  out += R"("})";
  return out;
}

std::string message_codec::hello_frame() { return R"({"type":"hello","token":null})"; }

std::string message_codec::join_frame(std::string_view room) {
  return std::string(R"({"type":"join","room":")") + std::string(room) + R"("})";
}

std::string_view message_codec::type_of(std::string_view frame) {
  auto rest = after(frame, R"("type":")");
  if (!rest) {
    return {};
  }
  auto const end = rest->find('"');
  return end == std::string_view::npos ? std::string_view{} : rest->substr(0, end);
}

std::optional<message_stamp> message_codec::stamp_of_message(std::string_view frame) {
  auto rest = after(frame, R"("text":"t=)");
  if (!rest) {
    return std::nullopt;
  }
  message_stamp stamp;
  rest = leading_number(*rest, stamp.sent_ns);
  if (!rest || !rest->starts_with(";r=")) {
    return std::nullopt;
  }
  rest = leading_number(rest->substr(3), stamp.replica);
  if (!rest || !rest->starts_with(';')) {
    return std::nullopt;
  }
  return stamp;
}

std::optional<std::int64_t> message_codec::stamp_of_ack(std::string_view frame) {
  auto rest = after(frame, R"("client_id":")");
  if (!rest) {
    return std::nullopt;
  }
  auto const end = rest->find('"');
  auto const dash = rest->find('-');
  if (end == std::string_view::npos || dash == std::string_view::npos || dash > end) {
    return std::nullopt;
  }
  std::int64_t sent_ns = 0;
  auto tail = leading_number(rest->substr(dash + 1, end - dash - 1), sent_ns);
  if (!tail || !tail->empty()) {
    return std::nullopt;
  }
  return sent_ns;
}

}  // namespace chatd::bench
