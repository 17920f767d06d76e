#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chatd::config {

// Everything chatd can be told at start-up. Defaults are the documented ones in
// docs/configuration.md; every limit says why it has its value.
struct settings {
  std::string database_url = "postgresql:///chatd";
  std::string listen_address = "0.0.0.0";
  std::uint16_t port = 8080;
  std::uint16_t metrics_port = 9090;
  std::vector<std::string> allowed_origins;  // empty: localhost origins only
  std::string public_origin;                 // empty: taken from the request's Host
  std::string admin_token;                   // empty: the admin API answers 403
  std::string web_root = "web/dist";
  int threads = 0;  // 0: one per core
  int db_pool_size = 4;
  // A database request still queued after this fails with `unavailable` (see db_pool_options).
  std::chrono::seconds db_max_wait{5};
  int trusted_proxy_hops = 0;
  bool cookie_secure = false;
  std::string log_level = "info";
  std::string log_format = "text";

  // A chat line is at most 2000 code points (8000 bytes of UTF-8) plus JSON framing, so 16 KiB
  // leaves room without letting one client make the server buffer much.
  std::size_t max_frame_bytes = 16 * 1024;
  // A person types a few lines in a row, then pauses: a burst of 5 with 1/s refill.
  double send_burst = 5;
  double send_per_second = 1;
  // Typing indicators last ~5 s in the UI; 2 in a burst and one per 3 s is plenty.
  double typing_burst = 2;
  double typing_per_second = 1.0 / 3;
  // A reader has one room per open post; 20 covers many tabs sharing one socket.
  int max_rooms_per_connection = 20;
  // Households and offices share an address; 50 sockets is generous for people, small for a bot.
  int max_connections_per_ip = 50;
  // A hard ceiling under the process's open-file limit (20,000 here).
  int max_connections = 19000;
  // A member 1024 frames behind is not reading; dropping it protects the room.
  std::size_t send_queue_frames = 1024;
  std::chrono::seconds idle_timeout{60};
  std::chrono::seconds handshake_timeout{10};
  std::chrono::seconds drain_timeout{10};

  // True when the admin API is configured.
  bool admin_enabled() const { return !admin_token.empty(); }
};

// Parses flags and CHATD_* / DATABASE_URL environment variables (a flag wins). Returns the
// settings, or prints help or a message naming the bad setting and sets exit_code.
struct parse_result {
  std::optional<settings> value;
  int exit_code = 0;
};
parse_result parse(int argc, char const* const* argv);

// Normalises an origin ("https://Example.com:443/" -> "https://example.com") or returns empty when
// it is not a scheme://host[:port] origin.
std::string normalize_origin(std::string_view origin);

}  // namespace chatd::config
