#include <chatd/chat/identity.hpp>
#include <chatd/chat/protocol.hpp>
#include <chatd/chat/text.hpp>
#include <chatd/net/db_call.hpp>
#include <chatd/net/guest.hpp>
#include <chatd/net/origin_policy.hpp>
#include <chatd/net/routes.hpp>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <nlohmann/json.hpp>
#include <openssl/crypto.h>

#include <charconv>

namespace chatd::net {

namespace http = boost::beast::http;
using nlohmann::json;

namespace {

constexpr std::string_view cookie_name = "chatd_token";
constexpr int cookie_max_age_seconds = 365 * 24 * 3600;

json user_json(store::user const& u) { return {{"id", u.id}, {"nickname", u.nickname}, {"avatar", u.avatar}}; }

std::optional<std::string> percent_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    unsigned value = 0;
    if (i + 2 >= in.size()) {
      return std::nullopt;
    }
    auto [end, ec] = std::from_chars(in.data() + i + 1, in.data() + i + 3, value, 16);
    if (ec != std::errc{} || end != in.data() + i + 3) {
      return std::nullopt;
    }
    out.push_back(static_cast<char>(value));
    i += 2;
  }
  return out;
}

std::optional<std::int64_t> parse_int(std::string_view s) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size()) {
    return std::nullopt;
  }
  return value;
}

// The value of `name` in a query string, or nullopt.
std::optional<std::string_view> query_param(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    auto const amp = query.find('&');
    auto pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    auto const eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      return eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    }
  }
  return std::nullopt;
}

std::string bearer(request const& req) {
  auto auth = std::string_view(req[http::field::authorization]);
  if (auth.size() > 7 && (auth.starts_with("Bearer ") || auth.starts_with("bearer "))) {
    return std::string(auth.substr(7));
  }
  return {};
}

std::string set_cookie(shared_state const& state, std::string_view token) {
  std::string cookie = std::string(cookie_name) + "=" + std::string(token) + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" +
                       std::to_string(cookie_max_age_seconds);
  if (state.settings.cookie_secure) {
    cookie += "; Secure";
  }
  return cookie;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// Everything a handler needs to answer: the request, where to reply, and shared state.
struct call {
  request req;
  std::shared_ptr<shared_state> state;
  boost::asio::any_io_executor executor;
  responder reply;

  void error(http::status status, std::string_view code, std::string_view message) { reply(json_error(req, status, code, message)); }
  void unavailable() { error(http::status::service_unavailable, "unavailable", "the database is unavailable; try again"); }
};

void create_session(std::shared_ptr<call> c) {
  auto token = cookie_token(c->req);
  using result = std::pair<store::user, std::string>;
  db_call<result>(
      c->state->db, c->executor, token, "guest",
      [token](store::repository& repo) { return find_or_create_guest(repo, token); },
      [c](store::db_status, std::optional<result> r) {
        if (!r) {
          return c->unavailable();
        }
        auto res = json_response(c->req, http::status::ok, json{{"user", user_json(r->first)}, {"token", r->second}}.dump());
        res.set(http::field::set_cookie, set_cookie(*c->state, r->second));
        c->reply(std::move(res));
      });
}

void me(std::shared_ptr<call> c) {
  auto token = bearer(c->req);
  if (token.empty()) {
    token = cookie_token(c->req);
  }
  if (!chat::identity::plausible_token(token)) {
    return c->error(http::status::unauthorized, "unauthorized", "no valid token");
  }
  std::optional<std::pair<std::string, std::string>> update;
  if (c->req.method() == http::verb::put) {
    auto body = json::parse(c->req.body(), nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("nickname") || !body["nickname"].is_string() ||
        !body.contains("avatar") || !body["avatar"].is_string()) {
      return c->error(http::status::bad_request, "bad_request", "send {\"nickname\": string, \"avatar\": string}");
    }
    std::string why;
    auto nickname = chat::text::nickname(body["nickname"].get<std::string>(), why);
    if (!nickname) {
      return c->error(http::status::bad_request, "bad_request", why);
    }
    if (!chat::text::valid_avatar(body["avatar"].get<std::string>())) {
      return c->error(http::status::bad_request, "bad_request", "avatar must look like style:seed");
    }
    update.emplace(std::move(*nickname), body["avatar"].get<std::string>());
  }
  db_call<std::optional<store::user>>(
      c->state->db, c->executor, token, update ? "profile" : "guest",
      [hash = chat::identity::token_hash(token), update](store::repository& repo) -> std::optional<store::user> {
        auto user = repo.find_guest(hash);
        if (!user || !update) {
          return user;
        }
        return repo.update_profile(user->id, update->first, update->second);
      },
      [c](store::db_status, std::optional<std::optional<store::user>> r) {
        if (!r) {
          return c->unavailable();
        }
        if (!*r) {
          return c->error(http::status::unauthorized, "unauthorized", "unknown token");
        }
        c->reply(json_response(c->req, http::status::ok, json{{"user", user_json(**r)}}.dump()));
      });
}

void room_messages(std::shared_ptr<call> c, std::string room, std::string_view query) {
  std::optional<std::int64_t> before;
  int limit = chat::default_history_limit;
  if (auto b = query_param(query, "before"); b && !b->empty()) {
    before = parse_int(*b);
    if (!before || *before < 1) {
      return c->error(http::status::bad_request, "bad_request", "before must be a positive integer");
    }
  }
  if (auto l = query_param(query, "limit"); l && !l->empty()) {
    auto value = parse_int(*l);
    if (!value || *value < 1 || *value > chat::max_history_limit) {
      return c->error(http::status::bad_request, "bad_request", "limit must be 1 to 100");
    }
    limit = static_cast<int>(*value);
  }
  db_call<store::history_page>(
      c->state->db, c->executor, room, "history",
      [room, before, limit](store::repository& repo) { return before ? repo.before(room, *before, limit) : repo.latest(room, limit); },
      [c, room](store::db_status, std::optional<store::history_page> page) {
        if (!page) {
          return c->unavailable();
        }
        // The history frame minus its type is exactly the documented REST body.
        auto body = json::parse(chat::history_frame(room, *page));
        body.erase("type");
        c->reply(json_response(c->req, http::status::ok, body.dump()));
      });
}

void delete_message(std::shared_ptr<call> c, std::string room, std::string_view seq_text) {
  auto const& settings = c->state->settings;
  if (!settings.admin_enabled()) {
    return c->error(http::status::forbidden, "forbidden", "the admin API is not configured");
  }
  if (!constant_time_equal(bearer(c->req), settings.admin_token)) {
    return c->error(http::status::unauthorized, "unauthorized", "a valid admin token is required");
  }
  auto seq = parse_int(seq_text);
  if (!seq || *seq < 1) {
    return c->error(http::status::bad_request, "bad_request", "seq must be a positive integer");
  }
  db_call<bool>(
      c->state->db, c->executor, room, "tombstone", [room, seq = *seq](store::repository& repo) { return repo.tombstone(room, seq); },
      [c](store::db_status, std::optional<bool> done) {
        if (!done) {
          return c->unavailable();
        }
        if (!*done) {
          return c->error(http::status::not_found, "not_found", "no such message");
        }
        response res{http::status::no_content, c->req.version()};
        res.keep_alive(c->req.keep_alive());
        c->reply(std::move(res));
      });
}

}  // namespace

std::string cookie_token(request const& req) {
  auto header = std::string_view(req[http::field::cookie]);
  while (!header.empty()) {
    auto const semi = header.find(';');
    auto item = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
    while (!item.empty() && item.front() == ' ') {
      item.remove_prefix(1);
    }
    if (item.starts_with(cookie_name) && item.size() > cookie_name.size() && item[cookie_name.size()] == '=') {
      return std::string(item.substr(cookie_name.size() + 1));
    }
  }
  return {};
}

void handle_api(request&& req, request_context const&, std::shared_ptr<shared_state> const& state, boost::asio::any_io_executor executor,
                responder reply) {
  auto c = std::make_shared<call>(call{std::move(req), state, std::move(executor), std::move(reply)});
  auto const target = std::string_view(c->req.target());
  auto const qpos = target.find('?');
  auto const path = target.substr(0, qpos);
  auto const query = qpos == std::string_view::npos ? std::string_view{} : target.substr(qpos + 1);
  auto const method = c->req.method();

  // Writes from a browser must come from a page allowed to talk to chatd (CSRF defence on top of
  // SameSite cookies).
  if (method != http::verb::get && method != http::verb::head &&
      !origin_policy::allowed(c->req[http::field::origin], c->req[http::field::host], state->settings.allowed_origins,
                              state->settings.public_origin)) {
    return c->error(http::status::forbidden, "forbidden", "this origin may not call the API");
  }

  if (path == "/api/session") {
    return method == http::verb::post ? create_session(c) : c->error(http::status::method_not_allowed, "bad_request", "use POST");
  }
  if (path == "/api/me") {
    return method == http::verb::get || method == http::verb::put ? me(c)
                                                                   : c->error(http::status::method_not_allowed, "bad_request", "use GET or PUT");
  }
  constexpr std::string_view rooms_prefix = "/api/rooms/";
  constexpr std::string_view admin_prefix = "/api/admin/rooms/";
  bool const admin = path.starts_with(admin_prefix);
  if (admin || path.starts_with(rooms_prefix)) {
    auto rest = path.substr(admin ? admin_prefix.size() : rooms_prefix.size());
    auto const slash = rest.find("/messages");
    if (slash == std::string_view::npos) {
      return c->error(http::status::not_found, "not_found", "no such resource");
    }
    auto room = percent_decode(rest.substr(0, slash));
    std::string why;
    if (!room || !chat::text::valid_room(*room, why)) {
      return c->error(http::status::bad_request, "bad_request", room ? why : "room is not correctly URL-encoded");
    }
    auto tail = rest.substr(slash + 9);
    if (!admin && tail.empty()) {
      return method == http::verb::get ? room_messages(c, std::move(*room), query)
                                       : c->error(http::status::method_not_allowed, "bad_request", "use GET");
    }
    if (admin && tail.starts_with("/") && tail.size() > 1) {
      return method == http::verb::delete_ ? delete_message(c, std::move(*room), tail.substr(1))
                                           : c->error(http::status::method_not_allowed, "bad_request", "use DELETE");
    }
  }
  c->error(http::status::not_found, "not_found", "no such resource");
}

}  // namespace chatd::net
