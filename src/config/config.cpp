#include <chatd/config/config.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <thread>

namespace chatd::config {
namespace {

std::string lowercase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool valid_host(std::string_view host) {
  if (host.empty() || host.size() > 253) {
    return false;
  }
  if (host.front() == '[') {  // IPv6 literal
    return host.back() == ']' && host.size() > 2;
  }
  return std::all_of(host.begin(), host.end(), [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '.'; });
}

std::vector<std::string> split_origins(std::string const& list, std::string& error) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    auto end = list.find(',', start);
    if (end == std::string::npos) {
      end = list.size();
    }
    std::string_view item(list.data() + start, end - start);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front()))) {
      item.remove_prefix(1);
    }
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back()))) {
      item.remove_suffix(1);
    }
    if (!item.empty()) {
      auto normalized = normalize_origin(item);
      if (normalized.empty()) {
        error = "allowed origin '" + std::string(item) + "' is not of the form scheme://host[:port]";
        return {};
      }
      out.push_back(std::move(normalized));
    }
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string normalize_origin(std::string_view origin) {
  auto const sep = origin.find("://");
  if (sep == std::string_view::npos) {
    return {};
  }
  auto scheme = lowercase(origin.substr(0, sep));
  if (scheme != "http" && scheme != "https") {
    return {};
  }
  auto rest = origin.substr(sep + 3);
  if (!rest.empty() && rest.back() == '/') {
    rest.remove_suffix(1);
  }
  if (rest.find_first_of("/?#@ ") != std::string_view::npos) {
    return {};
  }
  std::string_view host = rest;
  std::string_view port;
  auto const colon = rest.rfind(':');
  if (colon != std::string_view::npos && rest.find(']', colon) == std::string_view::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || end != port.data() + port.size() || value == 0 || value > 65535) {
      return {};
    }
  }
  if (!valid_host(host)) {
    return {};
  }
  bool const default_port = (scheme == "http" && port == "80") || (scheme == "https" && port == "443");
  auto out = scheme + "://" + lowercase(host);
  if (!port.empty() && !default_port) {
    out += ":" + std::string(port);
  }
  return out;
}

parse_result parse(int argc, char const* const* argv) {
  settings s;
  CLI::App app{"chatd: a real-time chat server for blogs"};
  app.option_defaults()->always_capture_default();

  std::string origins;
  int idle = static_cast<int>(s.idle_timeout.count());
  int handshake = static_cast<int>(s.handshake_timeout.count());
  int drain = static_cast<int>(s.drain_timeout.count());
  int db_max_wait = static_cast<int>(s.db_max_wait.count());
  std::size_t queue = s.send_queue_frames;

  app.add_option("--database-url", s.database_url, "libpq connection string")->envname("DATABASE_URL");
  app.add_option("--listen-address", s.listen_address, "address to bind")->envname("CHATD_LISTEN_ADDRESS");
  app.add_option("--port", s.port, "main port")->envname("CHATD_PORT")->check(CLI::Range(1, 65535));
  app.add_option("--metrics-port", s.metrics_port, "metrics and probes port")->envname("CHATD_METRICS_PORT")->check(CLI::Range(1, 65535));
  app.add_option("--allowed-origins", origins, "comma-separated origins that may embed the chat")->envname("CHATD_ALLOWED_ORIGINS");
  app.add_option("--public-origin", s.public_origin, "chatd's own origin")->envname("CHATD_PUBLIC_ORIGIN");
  app.add_option("--admin-token", s.admin_token, "bearer token of the moderation API")->envname("CHATD_ADMIN_TOKEN");
  app.add_option("--web-root", s.web_root, "folder of the built web UI")->envname("CHATD_WEB_ROOT");
  app.add_option("--threads", s.threads, "io_context threads, 0 = one per core")->envname("CHATD_THREADS")->check(CLI::Range(0, 256));
  app.add_option("--db-pool-size", s.db_pool_size, "PostgreSQL connections")->envname("CHATD_DB_POOL_SIZE")->check(CLI::Range(1, 64));
  app.add_option("--db-max-wait-seconds", db_max_wait, "queued database work fails after")->envname("CHATD_DB_MAX_WAIT_SECONDS")->check(CLI::Range(1, 300));
  app.add_option("--trusted-proxy-hops", s.trusted_proxy_hops, "X-Forwarded-For hops to trust")->envname("CHATD_TRUSTED_PROXY_HOPS")->check(CLI::Range(0, 10));
  app.add_option("--cookie-secure", s.cookie_secure, "mark the identity cookie Secure")->envname("CHATD_COOKIE_SECURE");
  app.add_option("--log-level", s.log_level, "trace, debug, info, warn, error")->envname("CHATD_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  app.add_option("--log-format", s.log_format, "text or json")->envname("CHATD_LOG_FORMAT")->check(CLI::IsMember({"text", "json"}));
  app.add_option("--max-frame-bytes", s.max_frame_bytes, "largest WebSocket message")->envname("CHATD_MAX_FRAME_BYTES")->check(CLI::Range(1024, 1 << 20));
  app.add_option("--send-burst", s.send_burst, "messages in a burst")->envname("CHATD_SEND_BURST")->check(CLI::Range(1.0, 1e6));
  app.add_option("--send-per-second", s.send_per_second, "message refill rate")->envname("CHATD_SEND_PER_SECOND")->check(CLI::Range(0.001, 1e6));
  app.add_option("--typing-burst", s.typing_burst, "typing events in a burst")->envname("CHATD_TYPING_BURST")->check(CLI::Range(1.0, 1e6));
  app.add_option("--typing-per-second", s.typing_per_second, "typing refill rate")->envname("CHATD_TYPING_PER_SECOND")->check(CLI::Range(0.001, 1e6));
  app.add_option("--max-rooms-per-connection", s.max_rooms_per_connection, "rooms per socket")->envname("CHATD_MAX_ROOMS_PER_CONNECTION")->check(CLI::Range(1, 1000));
  app.add_option("--max-connections-per-ip", s.max_connections_per_ip, "sockets per address")->envname("CHATD_MAX_CONNECTIONS_PER_IP")->check(CLI::Range(1, 1000000));
  app.add_option("--max-connections", s.max_connections, "sockets in all")->envname("CHATD_MAX_CONNECTIONS")->check(CLI::Range(1, 10000000));
  app.add_option("--send-queue-frames", queue, "queued frames before a slow session is cut off")->envname("CHATD_SEND_QUEUE_FRAMES")->check(CLI::Range(8, 1000000));
  app.add_option("--idle-timeout-seconds", idle, "close silent sockets after")->envname("CHATD_IDLE_TIMEOUT_SECONDS")->check(CLI::Range(5, 3600));
  app.add_option("--handshake-timeout-seconds", handshake, "time for a complete request")->envname("CHATD_HANDSHAKE_TIMEOUT_SECONDS")->check(CLI::Range(1, 300));
  app.add_option("--drain-seconds", drain, "shutdown drain time")->envname("CHATD_DRAIN_SECONDS")->check(CLI::Range(0, 600));

  try {
    app.parse(argc, argv);
  } catch (CLI::ParseError const& e) {
    return {std::nullopt, app.exit(e)};
  }

  s.idle_timeout = std::chrono::seconds(idle);
  s.handshake_timeout = std::chrono::seconds(handshake);
  s.drain_timeout = std::chrono::seconds(drain);
  s.db_max_wait = std::chrono::seconds(db_max_wait);
  s.send_queue_frames = queue;
  if (s.threads == 0) {
    s.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }

  auto fail = [](std::string const& message) {
    std::fprintf(stderr, "chatd: configuration error: %s\n", message.c_str());
    return parse_result{std::nullopt, 2};
  };
  std::string error;
  s.allowed_origins = split_origins(origins, error);
  if (!error.empty()) {
    return fail(error);
  }
  if (!s.public_origin.empty()) {
    auto normalized = normalize_origin(s.public_origin);
    if (normalized.empty()) {
      return fail("public origin '" + s.public_origin + "' is not of the form scheme://host[:port]");
    }
    s.public_origin = normalized;
  }
  if (!s.admin_token.empty() && s.admin_token.size() < 16) {
    return fail("the admin token must be at least 16 characters");
  }
  if (s.port == s.metrics_port) {
    return fail("the main port and the metrics port must differ");
  }
  if (s.database_url.empty()) {
    return fail("DATABASE_URL is empty");
  }
  return {std::move(s), 0};
}

}  // namespace chatd::config
