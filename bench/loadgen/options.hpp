#pragma once

#include "endpoint.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace chatd::bench {

// A process whose CPU and memory the run reports, e.g. "postgres=1234" (the process and its direct
// children: a PostgreSQL postmaster and its backends).
struct watch_target {
  std::string name;
  int pid = 0;
};

// One load-generator run, from the command line. Defaults are a small smoke run.
struct options {
  std::string scenario = "custom";
  std::vector<endpoint> replicas;         // clients go round-robin over these
  std::vector<endpoint> metrics;          // chatd side ports, same order as replicas (optional)
  std::vector<watch_target> watch;
  std::size_t clients = 10;
  std::size_t rooms = 1;
  std::size_t senders_per_room = 1;
  double rate = 10;                        // messages per second, all senders together
  std::chrono::duration<double> duration{10};
  std::chrono::duration<double> warmup{2};
  // After the window closes, how long messages sent inside it may still arrive and count (the
  // wait ends early once all have).
  std::chrono::duration<double> drain{2};
  std::size_t message_bytes = 64;
  double ramp = 1000;                      // new connections per second, all threads together
  std::chrono::duration<double> connect_timeout{60};
  std::size_t threads = 2;
  bool idle = false;
  std::string room_prefix = "bench";
  bool quiet = false;

  // Members of room r: clients are dealt to rooms like cards (client i joins room i % rooms).
  std::size_t members_of(std::size_t room) const { return clients / rooms + (room < clients % rooms ? 1 : 0); }
  std::size_t senders() const { return idle ? 0 : rooms * senders_per_room; }
};

struct parsed_options {
  std::optional<options> value;
  int exit_code = 0;  // when value is empty: 0 after --help, 2 after a bad argument
};

// Parses and validates; prints help or a message naming the bad setting to stderr.
parsed_options parse_options(int argc, char const* const* argv);

}  // namespace chatd::bench
