// Fuzzes the client side of the wire contract: chat::parse_command on arbitrary bytes, the
// chat::text validators on the same bytes, and the server frames built from whatever was accepted.
// Every accepted value is checked against docs/protocol.md through the reference checks of
// support/oracle.hpp, and so is every refusal that the contract says must not happen.

#include "support/oracle.hpp"

#include <chatd/chat/protocol.hpp>
#include <chatd/chat/text.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <variant>

namespace {

namespace chat = chatd::chat;
namespace text = chatd::chat::text;
namespace store = chatd::store;
using chatd::fuzz::blank;
using chatd::fuzz::control;
using chatd::fuzz::decode_utf8;
using chatd::fuzz::message_acceptable;
using chatd::fuzz::nickname_acceptable;
using nlohmann::json;

std::string_view as_view(json const& j) { return j.get_ref<std::string const&>(); }

void check_trimmed_ends(std::string_view out) {
  auto cps = decode_utf8(out);
  CHATD_FUZZ_CHECK(cps.has_value(), out);
  CHATD_FUZZ_CHECK(!cps->empty(), out);
  CHATD_FUZZ_CHECK(!blank(cps->front()) && !blank(cps->back()), out);
}

void check_message(std::string_view raw) {
  std::string why;
  auto out = text::message(raw, why);
  CHATD_FUZZ_CHECK(out.has_value() == message_acceptable(raw), raw);
  if (!out) {
    CHATD_FUZZ_CHECK(!why.empty(), raw);
    return;
  }
  check_trimmed_ends(*out);
  auto cps = decode_utf8(*out);
  CHATD_FUZZ_CHECK(cps->size() <= text::max_message_code_points, *out);
  for (auto cp : *cps) {
    CHATD_FUZZ_CHECK(!control(cp) || cp == '\n' || cp == '\t', *out);
  }
  CHATD_FUZZ_CHECK(chatd::fuzz::trimmed_of(*out, chatd::fuzz::without_cr(raw)), *out);
  std::string again_why;
  auto again = text::message(*out, again_why);
  CHATD_FUZZ_CHECK(again && *again == *out, *out);
}

void check_nickname(std::string_view raw) {
  std::string why;
  auto out = text::nickname(raw, why);
  CHATD_FUZZ_CHECK(out.has_value() == nickname_acceptable(raw), raw);
  if (!out) {
    CHATD_FUZZ_CHECK(!why.empty(), raw);
    return;
  }
  check_trimmed_ends(*out);
  auto cps = decode_utf8(*out);
  CHATD_FUZZ_CHECK(cps->size() <= text::max_nickname_code_points, *out);
  for (auto cp : *cps) {
    CHATD_FUZZ_CHECK(!control(cp) && !chatd::fuzz::bidi_control(cp), *out);
  }
  CHATD_FUZZ_CHECK(chatd::fuzz::trimmed_of(*out, raw), *out);
  std::string again_why;
  auto again = text::nickname(*out, again_why);
  CHATD_FUZZ_CHECK(again && *again == *out, *out);
}

void check_validators(std::string_view raw) {
  auto cps = decode_utf8(raw);
  auto length = text::utf8_length(raw);
  CHATD_FUZZ_CHECK(length.has_value() == cps.has_value(), raw);
  if (length) {
    CHATD_FUZZ_CHECK(*length == cps->size(), raw);
  }
  std::string why;
  bool const room = text::valid_room(raw, why);
  CHATD_FUZZ_CHECK(room == chatd::fuzz::room_ok(raw), raw);
  CHATD_FUZZ_CHECK(room || !why.empty(), raw);
  CHATD_FUZZ_CHECK(text::valid_avatar(raw) == chatd::fuzz::avatar_ok(raw), raw);
  CHATD_FUZZ_CHECK(text::valid_client_id(raw) == chatd::fuzz::client_id_ok(raw), raw);
  check_message(raw);
  check_nickname(raw);
}

// Parses a frame chatd built; it must be one JSON object of valid UTF-8, with the given type.
json reparse(std::string const& frame, std::string_view type) {
  CHATD_FUZZ_CHECK(chatd::fuzz::valid_utf8(frame), frame);
  json j;
  try {
    j = json::parse(frame);
  } catch (json::exception const&) {
    chatd::fuzz::fail("a server frame is not JSON", frame);
  }
  CHATD_FUZZ_CHECK(j.is_object() && j.value("type", "") == type, frame);
  return j;
}

int depth_of(json const& j) {
  if (!j.is_structured()) {
    return 0;
  }
  int deepest = 0;
  for (auto const& child : j) {
    deepest = std::max(deepest, depth_of(child));
  }
  return deepest + 1;
}

// What docs/protocol.md says about a frame: nullopt when it must be accepted, else the error code.
std::optional<chat::error_code> expected_error(json const& j) {
  using chat::error_code;
  if (!j.is_object() || !j.contains("type") || !j["type"].is_string()) {
    return error_code::bad_request;
  }
  auto is_string = [&](char const* k) { return j.contains(k) && j[k].is_string(); };
  auto absent = [&](char const* k) { return !j.contains(k) || j[k].is_null(); };
  // Integers outside int64 are refused like any other malformed number.
  auto int64_of = [](json const& v) -> std::optional<std::int64_t> {
    if (v.is_number_unsigned()) {
      auto const u = v.get<std::uint64_t>();
      return u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) ? std::optional(static_cast<std::int64_t>(u))
                                                                                      : std::nullopt;
    }
    return v.is_number_integer() ? std::optional(v.get<std::int64_t>()) : std::nullopt;
  };
  auto non_negative = [&](char const* k) { return int64_of(j[k]).value_or(-1) >= 0; };
  auto room = [&] { return is_string("room") && chatd::fuzz::room_ok(as_view(j["room"])); };
  auto const type = as_view(j["type"]);
  bool ok = false;
  if (type == "hello") {
    ok = absent("token") || (is_string("token") && as_view(j["token"]).size() <= 128);
  } else if (type == "join") {
    ok = room() && (absent("since") || non_negative("since"));
  } else if (type == "leave" || type == "typing") {
    ok = room();
  } else if (type == "send") {
    ok = room() && is_string("client_id") && chatd::fuzz::client_id_ok(as_view(j["client_id"])) && is_string("text") &&
         message_acceptable(as_view(j["text"]));
  } else if (type == "history") {
    bool const no_before = absent("before"), no_after = absent("after");
    ok = room() && (no_before || non_negative("before")) && (no_after || non_negative("after")) && (no_before || no_after);
    if (ok && !absent("limit")) {
      auto const limit = int64_of(j["limit"]);
      if (!limit || *limit < 1) {
        return error_code::bad_request;
      }
      if (*limit > 100) {
        return error_code::too_large;
      }
    }
  } else if (type == "profile") {
    ok = is_string("nickname") && nickname_acceptable(as_view(j["nickname"])) && is_string("avatar") &&
         chatd::fuzz::avatar_ok(as_view(j["avatar"]));
  } else if (type == "ping") {
    ok = true;
  }
  return ok ? std::nullopt : std::optional(error_code::bad_request);
}

store::user sample_user(std::string nickname = "Quiet Fox 42", std::string avatar = "ring:Xy3Qp") {
  return {"u_0123456789abcdef01234567", std::move(nickname), std::move(avatar)};
}

// The frames a room's members would get for values the server accepted.
void check_room_frames(std::string const& room) {
  auto joined = reparse(chat::joined_frame(room, 812, 3), "joined");
  CHATD_FUZZ_CHECK(joined["room"] == room && joined["last_seq"] == 812 && joined["online"] == 3, room);
  CHATD_FUZZ_CHECK(reparse(chat::presence_frame(room, 2), "presence")["room"] == room, room);
  CHATD_FUZZ_CHECK(reparse(chat::typing_frame(room, sample_user()), "typing")["room"] == room, room);
  CHATD_FUZZ_CHECK(reparse(chat::deleted_frame(room, 12), "deleted")["seq"] == 12, room);
}

void check_send_frames(chat::send_cmd const& cmd) {
  store::message m{cmd.room, 813, "4711", sample_user(), cmd.text, 1764086400123, false};
  auto message = reparse(chat::message_frame(m), "message");
  CHATD_FUZZ_CHECK(message["text"] == cmd.text && message["room"] == cmd.room && message["seq"] == 813, cmd.text);
  auto ack = reparse(chat::ack_frame(store::stored_message{m, cmd.client_id, false}), "ack");
  CHATD_FUZZ_CHECK(ack["client_id"] == cmd.client_id && ack["room"] == cmd.room, cmd.client_id);
  store::message tombstone{cmd.room, 812, "4710", {}, {}, 1764086400000, true};
  auto history = reparse(chat::history_frame(cmd.room, store::history_page{{tombstone, m}, true}), "history");
  CHATD_FUZZ_CHECK(history["messages"].size() == 2 && history["messages"][1]["text"] == cmd.text, cmd.text);
  CHATD_FUZZ_CHECK(history["messages"][0].value("deleted", false) && !history["messages"][0].contains("text"), cmd.text);
}

void check_accepted(chat::command const& cmd, json const& j) {
  if (auto const* hello = std::get_if<chat::hello_cmd>(&cmd)) {
    bool const has_token = j.contains("token") && !j["token"].is_null();
    CHATD_FUZZ_CHECK(hello->token.has_value() == has_token, j.dump());
    auto welcome = reparse(chat::welcome_frame(sample_user(), hello->token.value_or("")), "welcome");
    CHATD_FUZZ_CHECK(welcome["token"] == hello->token.value_or(""), j.dump());
    return;
  }
  if (auto const* profile = std::get_if<chat::profile_cmd>(&cmd)) {
    std::string why;
    CHATD_FUZZ_CHECK(text::nickname(as_view(j["nickname"]), why) == profile->nickname, profile->nickname);
    CHATD_FUZZ_CHECK(profile->avatar == j["avatar"] && chatd::fuzz::avatar_ok(profile->avatar), profile->avatar);
    auto frame = reparse(chat::profile_frame(sample_user(profile->nickname, profile->avatar)), "profile");
    CHATD_FUZZ_CHECK(frame["user"]["nickname"] == profile->nickname && frame["user"]["avatar"] == profile->avatar, profile->nickname);
    return;
  }
  if (std::holds_alternative<chat::ping_cmd>(cmd)) {
    CHATD_FUZZ_CHECK(reparse(chat::pong_frame(), "pong").size() == 1, j.dump());
    return;
  }
  // Every other command names a room.
  std::string const room = std::visit(
      [](auto const& c) -> std::string {
        if constexpr (requires { c.room; }) {
          return c.room;
        } else {
          return {};
        }
      },
      cmd);
  CHATD_FUZZ_CHECK(room == j["room"], room);
  CHATD_FUZZ_CHECK(chatd::fuzz::room_ok(room) && room.size() >= 1 && room.size() <= text::max_room_bytes, room);
  check_room_frames(room);
  if (auto const* join = std::get_if<chat::join_cmd>(&cmd)) {
    bool const has_since = j.contains("since") && !j["since"].is_null();
    CHATD_FUZZ_CHECK(join->since.has_value() == has_since, j.dump());
    CHATD_FUZZ_CHECK(!has_since || (*join->since >= 0 && *join->since == j["since"].get<std::int64_t>()), j.dump());
  } else if (auto const* send = std::get_if<chat::send_cmd>(&cmd)) {
    CHATD_FUZZ_CHECK(send->client_id == j["client_id"], send->client_id);
    std::string why;
    CHATD_FUZZ_CHECK(text::message(as_view(j["text"]), why) == send->text, send->text);
    check_message(as_view(j["text"]));
    auto cps = decode_utf8(send->text);
    CHATD_FUZZ_CHECK(cps && !cps->empty() && cps->size() <= 2000, send->text);
    CHATD_FUZZ_CHECK(!chatd::fuzz::white_space(cps->front()) && !chatd::fuzz::white_space(cps->back()), send->text);
    check_send_frames(*send);
  } else if (auto const* history = std::get_if<chat::history_cmd>(&cmd)) {
    CHATD_FUZZ_CHECK(!(history->before && history->after), j.dump());
    CHATD_FUZZ_CHECK(history->limit >= 1 && history->limit <= chat::max_history_limit, j.dump());
    CHATD_FUZZ_CHECK(history->before.value_or(0) >= 0 && history->after.value_or(0) >= 0, j.dump());
    bool const has_limit = j.contains("limit") && !j["limit"].is_null();
    CHATD_FUZZ_CHECK(history->limit == (has_limit ? j["limit"].get<int>() : chat::default_history_limit), j.dump());
  }
}

void check_frame(std::string_view raw) {
  auto const result = chat::parse_command(raw);
  auto const deep = chat::nesting_exceeds(raw, chat::max_json_depth);
  auto const j = json::parse(raw, nullptr, false);
  if (!j.is_discarded()) {
    // nlohmann::json stops reading at a NUL byte outside a string, so the text it parsed is the
    // part before the first NUL; chatd refuses such frames before parsing.
    auto const parsed = raw.substr(0, raw.find('\0'));
    CHATD_FUZZ_CHECK(chat::nesting_exceeds(parsed, chat::max_json_depth) == (depth_of(j) > chat::max_json_depth), raw);
  }

  auto const* error = std::get_if<chat::protocol_error>(&result);
  std::optional<chat::error_code> expected =
      deep || j.is_discarded() || raw.find('\0') != std::string_view::npos ? std::optional(chat::error_code::bad_request) : expected_error(j);
  CHATD_FUZZ_CHECK((error == nullptr) == !expected.has_value(), raw);
  if (!error) {
    check_accepted(std::get<chat::command>(result), j);
    return;
  }
  CHATD_FUZZ_CHECK(error->code == *expected, raw);
  CHATD_FUZZ_CHECK(!error->message.empty(), raw);
  if (!error->ref.empty()) {
    CHATD_FUZZ_CHECK(chatd::fuzz::client_id_ok(error->ref) && j["client_id"] == error->ref, error->ref);
  }
  auto frame = reparse(chat::error_frame(error->code, error->message, error->ref), "error");
  CHATD_FUZZ_CHECK(frame["code"] == chat::to_string(error->code), raw);
  CHATD_FUZZ_CHECK(error->ref.empty() ? frame["ref"].is_null() : frame["ref"] == error->ref, raw);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  std::string_view const input(reinterpret_cast<char const*>(data), size);
  check_frame(input);
  check_validators(input);
  return 0;
}
