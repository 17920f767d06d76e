#pragma once

#include "latency_histogram.hpp"

#include <cstdint>
#include <map>
#include <string>

namespace chatd::bench {

// What one client thread saw. Touched only by its own thread while the run is on; merged by the
// controller after the threads have joined. "In the window" means the message's embedded send time
// falls inside the measured window, wherever its delivery landed.
struct run_stats {
  latency_histogram delivery;       // every receiver, send to `message` frame
  latency_histogram delivery_near;  // receivers on the sender's replica
  latency_histogram delivery_far;   // receivers on another replica
  latency_histogram ack;            // sender, send to `ack` frame

  std::uint64_t sent = 0;           // in the window
  std::uint64_t sent_total = 0;     // warm-up and window
  std::uint64_t acks = 0;           // in the window
  std::uint64_t deliveries = 0;     // in the window
  std::uint64_t deliveries_total = 0;
  std::uint64_t expected_deliveries = 0;  // window sends x members of their room
  std::uint64_t foreign_messages = 0;   // `message` frames without our stamp
  std::uint64_t send_skipped = 0;       // sends the pacer dropped (no ready sender, or >1 s behind)
  std::uint64_t backlog_drops = 0;      // sends refused because the client's own write queue was full
  std::uint64_t disconnects = 0;        // sockets lost after they were ready
  std::map<std::string, std::uint64_t> errors;            // error frames by code
  std::map<int, std::uint64_t> close_codes;               // close frames from the server
  std::map<std::string, std::uint64_t> connect_failures;  // by stage: resolve, connect, handshake, hello, join

  void merge(run_stats const& other);
};

}  // namespace chatd::bench
