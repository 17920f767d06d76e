#include <chatd/chat/protocol.hpp>
#include <chatd/chat/text.hpp>

#include <nlohmann/json.hpp>

namespace chatd::chat {
namespace {

using nlohmann::json;

struct field_error {
  std::string message;
};

std::string const& required_string(json const& j, char const* name) {
  auto it = j.find(name);
  if (it == j.end() || !it->is_string()) {
    throw field_error{std::string("'") + name + "' must be a string"};
  }
  return it->get_ref<std::string const&>();
}

std::string room_of(json const& j) {
  auto const& room = required_string(j, "room");
  std::string why;
  if (!text::valid_room(room, why)) {
    throw field_error{why};
  }
  return room;
}

std::optional<std::int64_t> optional_seq(json const& j, char const* name) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) {
    return std::nullopt;
  }
  if (!it->is_number_integer() || it->get<std::int64_t>() < 0) {
    throw field_error{std::string("'") + name + "' must be a non-negative integer"};
  }
  return it->get<std::int64_t>();
}

command parse_known(std::string_view type, json const& j, protocol_error& limit_error) {
  if (type == "hello") {
    auto it = j.find("token");
    if (it == j.end() || it->is_null()) {
      return hello_cmd{};
    }
    if (!it->is_string() || it->get_ref<std::string const&>().size() > 128) {
      throw field_error{"'token' must be a string or null"};
    }
    return hello_cmd{it->get<std::string>()};
  }
  if (type == "join") {
    return join_cmd{room_of(j), optional_seq(j, "since")};
  }
  if (type == "leave") {
    return leave_cmd{room_of(j)};
  }
  if (type == "send") {
    auto room = room_of(j);
    auto const& client_id = required_string(j, "client_id");
    if (!text::valid_client_id(client_id)) {
      throw field_error{"'client_id' must be 1 to 64 characters of [A-Za-z0-9_-]"};
    }
    std::string why;
    auto body = text::message(required_string(j, "text"), why);
    if (!body) {
      throw field_error{why};
    }
    return send_cmd{std::move(room), std::move(*body), client_id};
  }
  if (type == "history") {
    history_cmd cmd{room_of(j), optional_seq(j, "before"), optional_seq(j, "after")};
    if (cmd.before && cmd.after) {
      throw field_error{"give 'before' or 'after', not both"};
    }
    if (auto it = j.find("limit"); it != j.end() && !it->is_null()) {
      if (!it->is_number_integer() || it->get<std::int64_t>() < 1) {
        throw field_error{"'limit' must be a positive integer"};
      }
      if (it->get<std::int64_t>() > max_history_limit) {
        limit_error = {error_code::too_large, "'limit' is at most 100", {}};
      }
      cmd.limit = static_cast<int>(std::min<std::int64_t>(it->get<std::int64_t>(), max_history_limit));
    }
    return cmd;
  }
  if (type == "typing") {
    return typing_cmd{room_of(j)};
  }
  if (type == "profile") {
    std::string why;
    auto name = text::nickname(required_string(j, "nickname"), why);
    if (!name) {
      throw field_error{why};
    }
    auto const& avatar = required_string(j, "avatar");
    if (!text::valid_avatar(avatar)) {
      throw field_error{"'avatar' must look like style:seed"};
    }
    return profile_cmd{std::move(*name), avatar};
  }
  if (type == "ping") {
    return ping_cmd{};
  }
  auto shown = type.substr(0, 32);
  while (!shown.empty() && (static_cast<unsigned char>(type[shown.size()]) & 0xC0) == 0x80) {
    shown.remove_suffix(1);  // never cut a UTF-8 character in half
  }
  throw field_error{"unknown type '" + std::string(shown) + "'"};
}

json user_json(store::user const& u) { return {{"id", u.id}, {"nickname", u.nickname}, {"avatar", u.avatar}}; }

json message_json(store::message const& m) {
  if (m.deleted) {
    return {{"seq", m.seq}, {"id", m.id}, {"deleted", true}, {"ts", m.ts_ms}};
  }
  return {{"seq", m.seq}, {"id", m.id}, {"user", user_json(m.author)}, {"text", m.text}, {"ts", m.ts_ms}};
}

// Client text is user input: replace rather than throw if it ever holds invalid UTF-8.
std::string dump(json const& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

std::string_view to_string(error_code code) {
  switch (code) {
    case error_code::bad_request: return "bad_request";
    case error_code::too_large: return "too_large";
    case error_code::rate_limited: return "rate_limited";
    case error_code::not_joined: return "not_joined";
    case error_code::unauthorized: return "unauthorized";
    case error_code::unavailable: return "unavailable";
  }
  return "bad_request";
}

bool nesting_exceeds(std::string_view json_text, int max_depth) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : json_text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) {
        return true;
      }
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return false;
}

std::variant<command, protocol_error> parse_command(std::string_view frame) {
  // nlohmann stops at a NUL, so "{...}\0junk" would pass as one object; JSON text never holds one.
  if (frame.find('\0') != std::string_view::npos) {
    return protocol_error{error_code::bad_request, "a frame must be one JSON object", {}};
  }
  if (nesting_exceeds(frame, max_json_depth)) {
    return protocol_error{error_code::bad_request, "JSON nests too deeply", {}};
  }
  auto j = json::parse(frame, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return protocol_error{error_code::bad_request, "a frame must be one JSON object", {}};
  }
  std::string ref;
  if (auto it = j.find("client_id"); it != j.end() && it->is_string() && text::valid_client_id(it->get_ref<std::string const&>())) {
    ref = it->get<std::string>();
  }
  auto type = j.find("type");
  if (type == j.end() || !type->is_string()) {
    return protocol_error{error_code::bad_request, "'type' must be a string", ref};
  }
  try {
    protocol_error limit_error{error_code::bad_request, {}, {}};
    auto cmd = parse_known(type->get_ref<std::string const&>(), j, limit_error);
    if (!limit_error.message.empty()) {
      limit_error.ref = ref;
      return limit_error;
    }
    return cmd;
  } catch (field_error const& e) {
    return protocol_error{error_code::bad_request, e.message, ref};
  }
}

std::string welcome_frame(store::user const& user, std::string_view token) {
  return dump({{"type", "welcome"}, {"user", user_json(user)}, {"token", token}});
}

std::string joined_frame(std::string_view room, std::int64_t last_seq, std::size_t online) {
  return dump({{"type", "joined"}, {"room", room}, {"last_seq", last_seq}, {"online", online}});
}

std::string history_frame(std::string_view room, store::history_page const& page) {
  json messages = json::array();
  for (auto const& m : page.messages) {
    messages.push_back(message_json(m));
  }
  return dump({{"type", "history"}, {"room", room}, {"messages", std::move(messages)}, {"has_more", page.has_more}});
}

std::string ack_frame(store::stored_message const& stored) {
  return dump({{"type", "ack"},
               {"client_id", stored.client_id},
               {"room", stored.msg.room},
               {"seq", stored.msg.seq},
               {"id", stored.msg.id},
               {"ts", stored.msg.ts_ms}});
}

std::string message_frame(store::message const& msg) {
  auto j = message_json(msg);
  j["type"] = "message";
  j["room"] = msg.room;
  return dump(j);
}

std::string presence_frame(std::string_view room, std::size_t online) {
  return dump({{"type", "presence"}, {"room", room}, {"online", online}});
}

std::string typing_frame(std::string_view room, store::user const& user) {
  return dump({{"type", "typing"}, {"room", room}, {"user", user_json(user)}});
}

std::string deleted_frame(std::string_view room, std::int64_t seq) {
  return dump({{"type", "deleted"}, {"room", room}, {"seq", seq}});
}

std::string profile_frame(store::user const& user) { return dump({{"type", "profile"}, {"user", user_json(user)}}); }

std::string error_frame(error_code code, std::string_view message, std::string_view ref) {
  json j = {{"type", "error"}, {"code", to_string(code)}, {"message", message}, {"ref", nullptr}};
  if (!ref.empty()) {
    j["ref"] = ref;
  }
  return dump(j);
}

std::string pong_frame() { return R"({"type":"pong"})"; }

}  // namespace chatd::chat
