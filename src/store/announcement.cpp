#include <chatd/store/announcement.hpp>

#include <charconv>

namespace chatd::store::announcement {
namespace {

// Splits off the text before the next newline; false when there is no newline.
bool next_line(std::string_view& rest, std::string_view& line) {
  auto const end = rest.find('\n');
  if (end == std::string_view::npos) {
    return false;
  }
  line = rest.substr(0, end);
  rest.remove_prefix(end + 1);
  return true;
}

bool to_int(std::string_view text, std::int64_t& value) {
  auto const [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc{} && end == text.data() + text.size();
}

bool next_number(std::string_view& rest, std::int64_t& value) {
  std::string_view line;
  return next_line(rest, line) && to_int(line, value);
}

bool next_string(std::string_view& rest, std::string& value) {
  std::string_view line;
  if (!next_line(rest, line)) {
    return false;
  }
  value = line;
  return true;
}

// The fields after the room: id, ts, author, and the text (the rest, newlines and all).
bool read_message(std::string_view rest, message& msg) {
  std::int64_t id = 0;
  if (!next_number(rest, id) || id < 1 || !next_number(rest, msg.ts_ms) || !next_string(rest, msg.author.id) ||
      !next_string(rest, msg.author.nickname) || !next_string(rest, msg.author.avatar) || msg.author.id.empty()) {
    return false;
  }
  msg.id = std::to_string(id);
  msg.text = rest;
  return true;
}

// "<room>\t<members>" lines, each ending in a newline, to the end.
bool read_members(std::string_view rest, std::vector<std::pair<std::string, std::size_t>>& members) {
  std::string_view line;
  while (!rest.empty()) {
    if (!next_line(rest, line)) {
      return false;
    }
    auto const tab = line.find('\t');
    std::int64_t count = 0;
    if (tab == 0 || tab == std::string_view::npos || !to_int(line.substr(tab + 1), count) || count < 0) {
      return false;
    }
    members.emplace_back(std::string(line.substr(0, tab)), static_cast<std::size_t>(count));
  }
  return true;
}

// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more.
constexpr std::size_t max_payload = 7999;

}  // namespace

std::optional<parsed> parse(std::string_view payload) {
  std::string_view tag;
  if (!next_line(payload, tag) || tag.size() != 1) {
    return std::nullopt;
  }
  parsed out{};
  switch (tag[0]) {
    case 'm': out.what = kind::message; break;
    case 'r': out.what = kind::reference; break;
    case 'd': out.what = kind::deleted; break;
    case 'p':
      out.what = kind::presence;
      if (!next_string(payload, out.replica) || out.replica.empty() || !read_members(payload, out.members)) {
        return std::nullopt;
      }
      return out;
    default: return std::nullopt;
  }
  if (!next_number(payload, out.seq) || out.seq < 1 || !next_string(payload, out.room) || out.room.empty()) {
    return std::nullopt;
  }
  if (out.what != kind::message) {
    return payload.empty() ? std::optional(std::move(out)) : std::nullopt;
  }
  out.msg.room = out.room;
  out.msg.seq = out.seq;
  if (!read_message(payload, out.msg)) {
    return std::nullopt;
  }
  return out;
}

std::vector<std::string> presence(std::string_view replica, std::span<std::pair<std::string, std::size_t> const> members) {
  std::string const header = "p\n" + std::string(replica) + "\n";
  std::vector<std::string> out;
  std::string payload = header;
  for (auto const& [room, count] : members) {
    auto const line = room + "\t" + std::to_string(count) + "\n";
    if (payload.size() + line.size() > max_payload && payload.size() > header.size()) {
      out.push_back(std::exchange(payload, header));
    }
    payload += line;
  }
  if (payload.size() > header.size()) {
    out.push_back(std::move(payload));
  }
  return out;
}

}  // namespace chatd::store::announcement
