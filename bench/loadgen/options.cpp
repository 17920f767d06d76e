#include "options.hpp"

#include "message_codec.hpp"

#include <CLI/CLI.hpp>

#include <charconv>
#include <cmath>
#include <iostream>
#include <stdexcept>

namespace chatd::bench {

namespace {

// Limits that keep one run inside what this generator is built for, each with its reason.
constexpr std::size_t max_clients = 200'000;   // far past any per-process fd limit it will meet
constexpr std::size_t max_threads = 64;
constexpr std::size_t max_message_bytes = 2000;  // chatd's text limit (code points; ours are ASCII)
constexpr std::size_t max_room_prefix_bytes = 64;  // room ids are at most 200 bytes with the suffix
constexpr double max_rate = 10'000'000;

watch_target parse_watch(std::string const& text) {
  auto const eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw std::invalid_argument("--watch '" + text + "' is not NAME=PID");
  }
  watch_target target{text.substr(0, eq), 0};
  auto const digits = std::string_view(text).substr(eq + 1);
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), target.pid);
  if (ec != std::errc{} || ptr != digits.data() + digits.size() || target.pid <= 0) {
    throw std::invalid_argument("--watch '" + text + "': PID must be a positive number");
  }
  return target;
}

bool valid_room_prefix(std::string const& prefix) {
  if (prefix.empty() || prefix.size() > max_room_prefix_bytes) {
    return false;
  }
  for (char c : prefix) {
    bool const ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) {
      return false;
    }
  }
  return true;
}

void validate(options const& o) {
  auto const fail = [](std::string const& what) { throw std::invalid_argument(what); };
  if (o.clients == 0 || o.clients > max_clients) {
    fail("--clients must be 1.." + std::to_string(max_clients));
  }
  if (o.rooms == 0 || o.rooms > o.clients) {
    fail("--rooms must be 1..clients (" + std::to_string(o.clients) + ")");
  }
  if (!o.idle && (o.senders_per_room == 0 || o.senders_per_room > o.clients / o.rooms)) {
    fail("--senders-per-room must be 1..members per room (" + std::to_string(o.clients / o.rooms) + ")");
  }
  if (!o.idle && (!std::isfinite(o.rate) || o.rate <= 0 || o.rate > max_rate)) {
    fail("--rate must be above 0 and at most 10000000 messages/s");
  }
  if (!(o.duration.count() > 0) || !(o.warmup.count() >= 0) || !(o.drain.count() >= 0) || !(o.connect_timeout.count() > 0)) {
    fail("--duration and --connect-timeout must be above 0, --warmup and --drain at least 0 (seconds)");
  }
  if (o.message_bytes < message_codec::max_prefix_bytes || o.message_bytes > max_message_bytes) {
    fail("--message-bytes must be " + std::to_string(message_codec::max_prefix_bytes) + ".." + std::to_string(max_message_bytes));
  }
  if (!std::isfinite(o.ramp) || o.ramp <= 0) {
    fail("--ramp must be above 0 connections/s");
  }
  if (o.threads == 0 || o.threads > max_threads) {
    fail("--threads must be 1.." + std::to_string(max_threads));
  }
  if (!o.metrics.empty() && o.metrics.size() != o.replicas.size()) {
    fail("--metrics needs one side port per replica (" + std::to_string(o.replicas.size()) + "), in the same order");
  }
  if (!valid_room_prefix(o.room_prefix)) {
    fail("--room-prefix must be 1..64 characters from [A-Za-z0-9_-]");
  }
}

}  // namespace

parsed_options parse_options(int argc, char const* const* argv) {
  CLI::App app{"chatd_loadgen: drives chatd over its real WebSocket protocol and prints one JSON line of results"};
  options o;
  std::string host = "127.0.0.1";
  unsigned port = 8080;
  std::string replicas;
  std::string metrics;
  std::vector<std::string> watch;
  double duration = o.duration.count();
  double warmup = o.warmup.count();
  double drain = o.drain.count();
  double connect_timeout = o.connect_timeout.count();

  app.add_option("--scenario", o.scenario, "label copied into the result line")->capture_default_str();
  app.add_option("--host", host, "chatd host (when --replicas is not given)")->capture_default_str();
  app.add_option("--port", port, "chatd main port (when --replicas is not given)")->capture_default_str()->check(CLI::Range(1, 65535));
  app.add_option("--replicas", replicas, "host:port,... : spread clients round-robin over these chatd replicas");
  app.add_option("--metrics", metrics, "host:port,... : each replica's side port, to read RSS, CPU and queue drops from /metrics");
  app.add_option("--watch", watch, "NAME=PID: report CPU and memory of this process and its direct children (repeatable)");
  app.add_option("--clients", o.clients, "WebSocket connections")->capture_default_str();
  app.add_option("--rooms", o.rooms, "rooms; client i joins room i % rooms")->capture_default_str();
  app.add_option("--senders-per-room", o.senders_per_room, "members of each room that send")->capture_default_str();
  app.add_option("--rate", o.rate, "messages per second from all senders together (open loop)")->capture_default_str();
  app.add_option("--duration", duration, "measured seconds")->capture_default_str();
  app.add_option("--warmup", warmup, "seconds of sending before measuring")->capture_default_str();
  app.add_option("--drain", drain, "seconds to wait for in-flight messages after the window")->capture_default_str();
  app.add_option("--message-bytes", o.message_bytes, "text size of each message")->capture_default_str();
  app.add_option("--ramp", o.ramp, "new connections per second")->capture_default_str();
  app.add_option("--connect-timeout", connect_timeout, "seconds, after the ramp, for every client to be joined")->capture_default_str();
  app.add_option("--threads", o.threads, "client threads, one io_context each")->capture_default_str();
  app.add_flag("--idle", o.idle, "connect and join only, then hold for --duration");
  app.add_option("--room-prefix", o.room_prefix, "room ids are PREFIX-N")->capture_default_str();
  app.add_flag("--quiet", o.quiet, "no progress on stderr");

  parsed_options result;
  try {
    app.parse(argc, argv);
    o.replicas = replicas.empty() ? std::vector<endpoint>{endpoint{host, static_cast<std::uint16_t>(port)}} : endpoint::parse_list(replicas);
    if (!metrics.empty()) {
      o.metrics = endpoint::parse_list(metrics);
    }
    for (auto const& w : watch) {
      o.watch.push_back(parse_watch(w));
    }
    o.duration = std::chrono::duration<double>(duration);
    o.warmup = std::chrono::duration<double>(warmup);
    o.drain = std::chrono::duration<double>(drain);
    o.connect_timeout = std::chrono::duration<double>(connect_timeout);
    validate(o);
  } catch (CLI::ParseError const& e) {
    result.exit_code = app.exit(e);
    return result;
  } catch (std::invalid_argument const& e) {
    std::cerr << "chatd_loadgen: " << e.what() << "\n";
    result.exit_code = 2;
    return result;
  }
  result.value = std::move(o);
  return result;
}

}  // namespace chatd::bench
