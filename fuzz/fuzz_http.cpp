// Fuzzes the HTTP request path of the main and side ports: bytes go through the same Beast parser
// and limits as http_session, and each request that parses is routed as http_session would route
// it: the web UI (serve_static, on a web root made here), the REST API (handle_api, with a database
// pool that can never connect, so every request that passes validation ends in 503), the probes,
// and the pure helpers (cookie_token, origin_policy, config::normalize_origin). Statuses and
// bodies are checked against docs/protocol.md, not just "no crash".

#include "support/oracle.hpp"

#include <chatd/chat/identity.hpp>
#include <chatd/config/config.hpp>
#include <chatd/metrics/registry.hpp>
#include <chatd/net/origin_policy.hpp>
#include <chatd/net/routes.hpp>
#include <chatd/net/server_metrics.hpp>
#include <chatd/net/shared_state.hpp>
#include <chatd/store/db_pool.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <nlohmann/json.hpp>

#include <charconv>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace net = chatd::net;
namespace fs = std::filesystem;
using nlohmann::json;

// The limits of http_session (include/chatd/net/http_session.hpp keeps them private).
constexpr std::uint32_t header_limit = 8 * 1024;
constexpr std::uint64_t body_limit = 16 * 1024;
// Keep-alive connections carry several requests; a few per input reach the pipelining paths.
constexpr int max_requests_per_input = 4;
// handle_api answers from the database worker within microseconds; this only bounds a hang.
constexpr auto reply_deadline = std::chrono::seconds(10);

constexpr std::string_view peer = "203.0.113.7";
constexpr std::string_view blog_origin = "https://jungyu.store";
constexpr std::string_view chat_origin = "https://chat.jungyu.store";
constexpr std::string_view admin_token = "fuzz-admin-token-0123456789abcdef";

struct web_file {
  std::string name;  // relative to the web root
  std::string body;
};

// What the built web UI holds, plus files that must never be served: a dot file among the assets
// and a file beside the web root.
std::vector<web_file> const& web_files() {
  static std::vector<web_file> const files{
      {"index.html", "<!doctype html><title>index</title>"},
      {"embed.html", "<!doctype html><title>embed</title>"},
      {"demo.html", "<!doctype html><title>demo</title>"},
      {"embed.js", "/* embed loader */"},
      {"assets/app-1a2b3c.js", "/* app bundle */"},
      {"assets/index-9f8e7d.css", "/* styles */"},
      {"assets/logo.svg", "<svg/>"},
  };
  return files;
}
constexpr std::string_view hidden_body = "hidden asset";
constexpr std::string_view secret_body = "secret outside the web root";

fs::path make_web_root() {
  std::string pattern = (fs::temp_directory_path() / "chatd-fuzz-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    chatd::fuzz::fail("cannot create a temporary web root", pattern);
  }
  fs::path const base(pattern);
  fs::create_directories(base / "web" / "assets" / "nested");
  auto write = [](fs::path const& p, std::string_view body) { std::ofstream(p, std::ios::binary) << body; };
  for (auto const& f : web_files()) {
    write(base / "web" / f.name, f.body);
  }
  write(base / "web" / "assets" / ".hidden", hidden_body);
  write(base / "web" / "assets" / "nested" / "deep.js", secret_body);
  write(base / "secret.txt", secret_body);
  return base;
}

chatd::config::settings fuzz_settings(fs::path const& base) {
  chatd::config::settings s;
  s.web_root = (base / "web").string();
  s.allowed_origins = {std::string(blog_origin)};
  s.public_origin = std::string(chat_origin);
  s.admin_token = std::string(admin_token);
  s.trusted_proxy_hops = 1;
  return s;
}

// shared_state is moving from owning the server's metrics to borrowing them from the server; this
// builds against either constructor (and registers the metrics once either way).
template <class State>
std::shared_ptr<State> make_state(chatd::config::settings s, chatd::metrics::registry& registry,
                                  std::optional<net::server_metrics>& metrics, chatd::store::db_pool& pool) {
  if constexpr (std::is_constructible_v<State, chatd::config::settings, chatd::metrics::registry&, net::server_metrics&,
                                        chatd::store::db_pool&>) {
    metrics.emplace(registry);
    return std::make_shared<State>(std::move(s), registry, *metrics, pool);
  } else {
    return std::make_shared<State>(std::move(s), registry, pool);
  }
}

// One server's worth of state, made once per process. The pool points at a socket directory that
// does not exist: connecting fails at once, without any network, and backs off for up to an hour.
struct fixture {
  fs::path base = make_web_root();
  chatd::metrics::registry registry;
  chatd::store::db_pool pool{chatd::store::db_pool_options{.database_url = "host=/nonexistent/chatd-fuzz dbname=chatd",
                                                            .connections = 1,
                                                            .ping_interval = std::chrono::hours(1),
                                                            .max_backoff = std::chrono::hours(1)},
                             {}};
  std::optional<net::server_metrics> metrics;
  std::shared_ptr<net::shared_state> state = make_state<net::shared_state>(fuzz_settings(base), registry, metrics, pool);
  asio::io_context ioc;

  ~fixture() {
    std::error_code ec;
    fs::remove_all(base, ec);
  }
};

fixture& env() {
  static fixture f;
  return f;
}

// CHATD_FUZZ_TRACE=1 prints each routed request and its status, to see what a corpus file does.
void trace(char const* route, net::request const& req, unsigned status) {
  static bool const enabled = std::getenv("CHATD_FUZZ_TRACE") != nullptr;
  if (enabled) {
    std::fprintf(stderr, "%s %s %.*s -> %u\n", route, std::string(req.method_string()).c_str(), static_cast<int>(req.target().size()),
                 req.target().data(), status);
  }
}

bool is_get_or_head(net::request const& req) { return req.method() == http::verb::get || req.method() == http::verb::head; }

// Checks what every response must satisfy and returns its JSON error code ("" when not an error).
std::string check_response(net::request const& req, net::response const& res, std::initializer_list<unsigned> statuses) {
  auto const status = res.result_int();
  bool listed = false;
  for (auto s : statuses) {
    listed = listed || s == status;
  }
  CHATD_FUZZ_CHECK(listed, std::to_string(status) + " for " + std::string(req.target()));
  for (auto const& field : res) {
    auto const value = std::string_view(field.value());
    CHATD_FUZZ_CHECK(value.find_first_of("\r\n") == std::string_view::npos, value);
  }
  if (status != 204) {
    CHATD_FUZZ_CHECK(res["X-Content-Type-Options"] == "nosniff", std::string(req.target()));
    if (req.method() != http::verb::head) {
      CHATD_FUZZ_CHECK(res[http::field::content_length] == std::to_string(res.body().size()), std::string(req.target()));
    }
  }
  std::ostringstream wire;
  try {
    wire << res;
  } catch (std::exception const& e) {
    chatd::fuzz::fail("a response does not serialise", e.what());
  }
  if (status < 400 || res[http::field::content_type] != "application/json") {
    return {};
  }
  auto body = json::parse(res.body(), nullptr, false);
  CHATD_FUZZ_CHECK(body.is_object() && body.contains("error") && body["error"].is_object(), res.body());
  auto const& error = body["error"];
  CHATD_FUZZ_CHECK(error.contains("code") && error["code"].is_string(), res.body());
  CHATD_FUZZ_CHECK(error.contains("message") && error["message"].is_string() && !error["message"].get_ref<std::string const&>().empty(),
                   res.body());
  return error["code"].get<std::string>();
}

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

void check_static(fixture& f, net::request const& req) {
  auto const res = net::serve_static(req, *f.state);
  trace("static", req, res.result_int());
  auto const code = check_response(req, res, {200, 404, 405});
  if (!is_get_or_head(req)) {
    CHATD_FUZZ_CHECK(res.result() == http::status::method_not_allowed && code == "bad_request", std::string(req.target()));
    return;
  }
  // docs/protocol.md, "Pages the main port serves"; assets are a flat folder of hashed names.
  auto const path = path_of(req.target());
  std::string expected;
  if (path == "/" || path.starts_with("/r/")) {
    expected = "index.html";
  } else if (path == "/embed") {
    expected = "embed.html";
  } else if (path == "/demo") {
    expected = "demo.html";
  } else if (path == "/embed.js") {
    expected = "embed.js";
  } else if (path.starts_with("/assets/")) {
    expected = "assets/" + std::string(path.substr(8));
  }
  web_file const* file = nullptr;
  for (auto const& candidate : web_files()) {
    if (candidate.name == expected) {
      file = &candidate;
    }
  }
  if (!file) {
    CHATD_FUZZ_CHECK(res.result() == http::status::not_found && code == "not_found", std::string(req.target()));
    CHATD_FUZZ_CHECK(res.body().find(secret_body) == std::string::npos && res.body().find(hidden_body) == std::string::npos, res.body());
    return;
  }
  CHATD_FUZZ_CHECK(res.result() == http::status::ok, std::string(req.target()));
  CHATD_FUZZ_CHECK(res.body() == (req.method() == http::verb::head ? std::string() : file->body), std::string(req.target()));
  auto const type = std::string_view(res[http::field::content_type]);
  auto const csp = std::string_view(res["Content-Security-Policy"]);
  if (file->name.ends_with(".html")) {
    CHATD_FUZZ_CHECK(type.starts_with("text/html"), type);
    auto const ancestors = csp.substr(std::min(csp.size(), csp.find("frame-ancestors ")));
    CHATD_FUZZ_CHECK(ancestors == (file->name == "embed.html" ? "frame-ancestors 'self' https://jungyu.store" : "frame-ancestors 'self'"),
                     csp);
  } else {
    CHATD_FUZZ_CHECK(csp.empty(), csp);
  }
  if (file->name.starts_with("assets/")) {
    CHATD_FUZZ_CHECK(res[http::field::cache_control] == "public, max-age=31536000, immutable", std::string(req.target()));
  }
}

void check_probe(fixture& f, net::request const& req) {
  auto const res = net::serve_probe(req, *f.state);
  trace("probe", req, res.result_int());
  check_response(req, res, {200, 404, 405, 503});
  if (!is_get_or_head(req)) {
    CHATD_FUZZ_CHECK(res.result() == http::status::method_not_allowed, std::string(req.target()));
    return;
  }
  auto const target = std::string_view(req.target());
  if (target == "/healthz" || target == "/metrics") {
    CHATD_FUZZ_CHECK(res.result() == http::status::ok, target);
  } else if (target == "/readyz") {
    // Never ready: the database is unreachable and no migration ran.
    CHATD_FUZZ_CHECK(res.result() == http::status::service_unavailable, target);
  } else {
    CHATD_FUZZ_CHECK(res.result() == http::status::not_found, target);
  }
}

// The REST API is checked against the REST table of docs/protocol.md.

// Percent-decoding of a path segment: every '%' starts two hex digits.
std::optional<std::string> percent_decoded(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    auto hex = [](char c) -> int {
      auto const digits = std::string_view("0123456789abcdef");
      auto const at = digits.find(static_cast<char>(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c));
      return at == std::string_view::npos ? -1 : static_cast<int>(at);
    };
    if (in.size() - i < 3 || hex(in[i + 1]) < 0 || hex(in[i + 2]) < 0) {
      return std::nullopt;
    }
    out.push_back(static_cast<char>(hex(in[i + 1]) * 16 + hex(in[i + 2])));
    i += 2;
  }
  return out;
}

// A decimal integer, the whole string, that fits in int64.
std::optional<std::int64_t> decimal(std::string_view s) {
  bool const negative = s.starts_with('-');
  auto digits = negative ? s.substr(1) : s;
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  unsigned __int128 value = 0;
  for (char c : digits) {
    value = value * 10 + static_cast<unsigned>(c - '0');
    if (value > static_cast<unsigned __int128>(std::numeric_limits<std::int64_t>::max()) + 1) {
      return std::nullopt;
    }
  }
  if (!negative && value > static_cast<unsigned __int128>(std::numeric_limits<std::int64_t>::max())) {
    return std::nullopt;
  }
  return negative ? static_cast<std::int64_t>(-static_cast<__int128>(value)) : static_cast<std::int64_t>(value);
}

// The first value of `name` in a query string ("" for a bare name), or nullopt.
std::optional<std::string_view> first_param(std::string_view query, std::string_view name) {
  std::size_t start = 0;
  while (start < query.size()) {
    auto end = std::min(query.find('&', start), query.size());
    auto pair = query.substr(start, end - start);
    auto eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      return eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    }
    start = end + 1;
  }
  return std::nullopt;
}

std::string token_of(net::request const& req) {
  auto const auth = std::string_view(req[http::field::authorization]);
  if (auth.size() > 7 && (auth.starts_with("Bearer ") || auth.starts_with("bearer "))) {
    return std::string(auth.substr(7));
  }
  return net::cookie_token(req);
}

bool plausible_token(std::string_view t) {
  return t.size() == 43 && t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == std::string_view::npos;
}

// The status docs/protocol.md gives a request when the database is down: 503 once it is valid.
unsigned expected_api_status(fixture& f, net::request const& req) {
  auto const method = req.method();
  auto const target = std::string_view(req.target());
  auto const path = path_of(target);
  auto const query = path.size() < target.size() ? target.substr(path.size() + 1) : std::string_view{};
  auto const& settings = f.state->settings;
  if (!is_get_or_head(req) && !net::origin_policy::allowed(req[http::field::origin], req[http::field::host], settings.allowed_origins,
                                                           settings.public_origin)) {
    return 403;
  }
  if (path == "/api/session") {
    return method == http::verb::post ? 503 : 405;
  }
  if (path == "/api/me") {
    if (method != http::verb::get && method != http::verb::put) {
      return 405;
    }
    if (!plausible_token(token_of(req))) {
      return 401;
    }
    if (method == http::verb::put) {
      auto body = json::parse(req.body(), nullptr, false);
      if (!body.is_object() || !body.contains("nickname") || !body["nickname"].is_string() || !body.contains("avatar") ||
          !body["avatar"].is_string() || !chatd::fuzz::nickname_acceptable(body["nickname"].get_ref<std::string const&>()) ||
          !chatd::fuzz::avatar_ok(body["avatar"].get_ref<std::string const&>())) {
        return 400;
      }
    }
    return 503;
  }
  constexpr std::string_view rooms = "/api/rooms/", admin_rooms = "/api/admin/rooms/";
  bool const admin = path.starts_with(admin_rooms);
  if (!admin && !path.starts_with(rooms)) {
    return 404;
  }
  auto const rest = path.substr(admin ? admin_rooms.size() : rooms.size());
  auto const messages = rest.find("/messages");
  if (messages == std::string_view::npos) {
    return 404;
  }
  auto const room = percent_decoded(rest.substr(0, messages));
  if (!room || !chatd::fuzz::room_ok(*room)) {
    return 400;
  }
  auto const tail = rest.substr(messages + 9);
  if (!admin) {
    if (!tail.empty()) {
      return 404;
    }
    if (method != http::verb::get) {
      return 405;
    }
    auto const before = first_param(query, "before");
    if (before && !before->empty() && decimal(*before).value_or(0) < 1) {
      return 400;
    }
    auto const limit = first_param(query, "limit");
    if (limit && !limit->empty() && (decimal(*limit).value_or(0) < 1 || decimal(*limit).value_or(0) > 100)) {
      return 400;
    }
    return 503;
  }
  if (!tail.starts_with('/') || tail.size() < 2) {
    return 404;
  }
  if (method != http::verb::delete_) {
    return 405;
  }
  auto const auth = std::string_view(req[http::field::authorization]);
  bool const bearer = auth.size() > 7 && (auth.starts_with("Bearer ") || auth.starts_with("bearer "));
  if (!bearer || auth.substr(7) != admin_token) {
    return 401;
  }
  return decimal(tail.substr(1)).value_or(0) < 1 ? 400 : 503;
}

void check_api(fixture& f, net::request const& req) {
  unsigned const expected = expected_api_status(f, req);
  int calls = 0;
  net::response res;
  net::handle_api(net::request(req), net::request_context{std::string(peer)}, f.state, f.ioc.get_executor(), [&](net::response&& r) {
    ++calls;
    res = std::move(r);
  });
  {
    auto guard = asio::make_work_guard(f.ioc);
    f.ioc.restart();
    auto const deadline = std::chrono::steady_clock::now() + reply_deadline;
    while (calls == 0 && std::chrono::steady_clock::now() < deadline) {
      f.ioc.run_one_for(std::chrono::milliseconds(100));
    }
  }
  f.ioc.restart();
  f.ioc.poll();
  trace("api", req, res.result_int());
  CHATD_FUZZ_CHECK(calls == 1, std::to_string(calls) + " replies to " + std::string(req.target()));
  auto const code = check_response(req, res, {400, 401, 403, 404, 405, 503});
  CHATD_FUZZ_CHECK(res.result_int() == expected,
                   std::to_string(res.result_int()) + " (expected " + std::to_string(expected) + ") for " + std::string(req.target()));
  std::string_view const codes[][2] = {{"400", "bad_request"}, {"401", "unauthorized"}, {"403", "forbidden"},
                                       {"404", "not_found"},   {"405", "bad_request"},  {"503", "unavailable"}};
  for (auto const& [status, name] : codes) {
    if (status == std::to_string(res.result_int())) {
      CHATD_FUZZ_CHECK(code == name, code);
    }
  }
}

// A normalised origin is a fixed point: lower case, scheme and authority only, no default port.
void check_normalized(std::string_view input) {
  auto const n = chatd::config::normalize_origin(input);
  if (n.empty()) {
    return;
  }
  CHATD_FUZZ_CHECK(n.starts_with("http://") || n.starts_with("https://"), n);
  CHATD_FUZZ_CHECK(chatd::config::normalize_origin(n) == n, n);
  auto const authority = std::string_view(n).substr(n.find("://") + 3);
  CHATD_FUZZ_CHECK(!authority.empty() && authority.find_first_of("/?#@ ABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string_view::npos, n);
  bool const default_port = (n.starts_with("http://") && n.ends_with(":80")) || (n.starts_with("https://") && n.ends_with(":443"));
  CHATD_FUZZ_CHECK(!default_port, n);
}

bool localhost(std::string_view normalized) {
  auto host = normalized.substr(normalized.find("://") + 3);
  if (host.starts_with("[::1]")) {
    return true;
  }
  host = host.substr(0, host.find(':'));
  return host == "localhost" || host == "127.0.0.1" || host.ends_with(".localhost");
}

void check_origins(net::request const& req) {
  auto const origin = std::string_view(req[http::field::origin]);
  auto const host = std::string_view(req[http::field::host]);
  check_normalized(origin);
  check_normalized(std::string("https://") + std::string(host));
  auto const n = chatd::config::normalize_origin(origin);
  auto const scheme = n.substr(0, n.find("://"));
  bool const same_origin = !n.empty() && !host.empty() && chatd::config::normalize_origin(scheme + "://" + std::string(host)) == n;
  std::vector<std::string> const configured{std::string(blog_origin)};
  std::vector<std::string> const none;
  for (auto const* list : {&configured, &none}) {
    for (std::string_view pub : {chat_origin, std::string_view{}}) {
      bool const allowed = net::origin_policy::allowed(origin, host, *list, pub);
      if (origin.empty()) {
        CHATD_FUZZ_CHECK(allowed, origin);
        continue;
      }
      bool const listed = std::find(list->begin(), list->end(), n) != list->end();
      bool const expected =
          !n.empty() && ((!pub.empty() && n == pub) || same_origin || listed || (list->empty() && localhost(n)));
      CHATD_FUZZ_CHECK(allowed == expected, std::string(origin) + " from host " + std::string(host));
    }
  }
}

void check_client_address(net::request const& req) {
  auto const forwarded = std::string_view(req["X-Forwarded-For"]);
  CHATD_FUZZ_CHECK(net::origin_policy::client_address(peer, forwarded, 0) == peer, forwarded);
  for (int hops = 1; hops <= 3; ++hops) {
    auto const address = net::origin_policy::client_address(peer, forwarded, hops);
    if (address == peer) {
      continue;
    }
    CHATD_FUZZ_CHECK(!address.empty() && address.size() <= 45, address);
    CHATD_FUZZ_CHECK(address.find_first_not_of("0123456789abcdefABCDEF.:") == std::string::npos, address);
    CHATD_FUZZ_CHECK(forwarded.find(address) != std::string_view::npos, address);
  }
}

void check_cookie(net::request const& req) {
  auto const header = std::string_view(req[http::field::cookie]);
  auto const token = net::cookie_token(req);
  CHATD_FUZZ_CHECK(token.find(';') == std::string::npos, token);
  if (!token.empty()) {
    CHATD_FUZZ_CHECK(header.find("chatd_token=" + token) != std::string_view::npos, header);
  } else if (header.starts_with("chatd_token=") && header.size() > 12 && header[12] != ';') {
    chatd::fuzz::fail("the chatd_token cookie was not found", header);
  }
}

// Reads one request as http::read would (eager body, limits as http_session); nullopt when the
// bytes are not a complete, acceptable request, which http_session answers with 400/413 and a close.
std::optional<net::request> read_request(std::string_view& rest) {
  http::request_parser<http::string_body> parser;
  parser.header_limit(header_limit);
  parser.body_limit(body_limit);
  parser.eager(true);
  beast::error_code ec;
  while (!parser.is_done()) {
    auto const used = parser.put(asio::const_buffer(rest.data(), rest.size()), ec);
    rest.remove_prefix(used);
    // need_more asks for bytes beyond the ones just given, which are all there is: the peer has
    // closed. (Giving the parser the same bytes again breaks its contract; Beast asserts on it.)
    if (ec == http::error::need_more || (!ec && used == 0)) {
      ec = {};
      parser.put_eof(ec);
      break;
    }
    if (ec) {
      break;
    }
  }
  if (ec || !parser.is_done()) {
    return std::nullopt;
  }
  auto req = parser.release();
  CHATD_FUZZ_CHECK(req.body().size() <= body_limit, req.target());
  return req;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  auto& f = env();
  std::string_view rest(reinterpret_cast<char const*>(data), size);
  for (int n = 0; n < max_requests_per_input && !rest.empty(); ++n) {
    auto req = read_request(rest);
    if (!req) {
      break;
    }
    check_client_address(*req);
    check_origins(*req);
    check_cookie(*req);
    check_probe(f, *req);
    if (beast::websocket::is_upgrade(*req)) {
      continue;  // an upgrade's own logic is the origin check above, the rest needs a socket
    }
    if (req->target().starts_with("/api/")) {
      check_api(f, *req);
    } else {
      check_static(f, *req);
    }
  }
  return 0;
}
