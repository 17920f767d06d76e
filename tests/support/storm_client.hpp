#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace chatd::test {

// Many WebSocket clients driven asynchronously from one thread, for fault and storm tests where a
// thread per client is too heavy and where a blocking write could hang the test.
//
// Each client behaves as the web client does: hello (with its token once it has one), join its room
// with `since` = the highest seq it has seen (paging forward while `has_more`, holding the live
// messages that arrive meanwhile and keeping those the pages did not bring), then sends its
// messages stop-and-wait (one in flight, the next after its ack). A send refused with `unavailable`
// or `rate_limited` is retried with the same client_id after a backoff; so is a hello or join refused
// with `unavailable`. When the connection ends, the client reconnects with jittered exponential
// backoff, to the same replica unless that replica is marked down (then to the next one that is
// not), and resends its unacknowledged message with the same client_id. Every wait has a deadline:
// a reply that does not come within `reply_timeout` is counted and the connection is dropped.
//
// Threading: every client's state lives on the storm's own thread; the public methods may be
// called from any thread and copy what they return.
class storm_client {
 public:
  struct options {
    std::vector<std::uint16_t> ports;       // the replicas, by index
    std::vector<std::string> rooms;         // client i joins rooms[i % rooms.size()]
    std::size_t clients = 1;
    bool spread = true;                     // client i starts on ports[i % ports.size()], else ports[0]
    std::chrono::milliseconds reply_timeout{10000};  // for a welcome, a history page or an ack
    std::chrono::milliseconds initial_backoff{50};   // the first retry waits up to this (jittered)
    std::chrono::milliseconds max_backoff{2000};     // retries double their wait up to this
    std::string id_prefix = "m";                     // client_ids are "<prefix><client>_<n>"
  };

  struct client_state {
    std::size_t port_index = 0;  // the replica it is on, or trying
    std::string room;
    std::string token;
    bool joined = false;          // joined and caught up with the join's history on its connection
    std::int64_t last_seq = 0;    // the highest seq seen
    std::vector<std::int64_t> seqs;    // message seqs as received (history pages and live), in order
    std::vector<bool> from_history;    // per entry of seqs: from a history page (else a live message)
    std::vector<std::string> acked;    // client_ids acknowledged, in order
    std::size_t unsent = 0;            // messages not yet acknowledged (the one in flight included)
    std::map<int, int> close_codes;    // close code -> times; 0 when TCP ended without a close frame
    int connects = 0;                  // completed WebSocket upgrades
  };

  struct counters {
    std::map<int, int> http_refusals;        // upgrade answered with this HTTP status instead of 101
    std::map<std::string, int> errors;       // error frames by code
    int connect_failures = 0;                // TCP connect refused or timed out
    int losses = 0;                          // connections that ended after the upgrade
    int losses_on_live_replicas = 0;         // ... on a replica not marked down
    int drops = 0;                           // connections the storm dropped itself (drop_all)
    int reply_timeouts = 0;
    int stray_acks = 0;                      // acks for a client_id not in flight
    int identities_lost = 0;                 // a hello with a token welcomed as someone else
    int paging_overlaps = 0;                 // live seqs a later history page also held (dropped)
    std::vector<std::string> unexpected;     // frames a correct server never sends (first few)
    std::string describe() const;
  };

  struct progress {
    std::size_t joined = 0;    // clients joined right now
    std::size_t acked = 0;     // acknowledgements in all
    std::size_t unsent = 0;    // messages in all not yet acknowledged
  };

  explicit storm_client(options opts);
  ~storm_client();  // drops every connection and stops the thread
  storm_client(storm_client const&) = delete;
  storm_client& operator=(storm_client const&) = delete;

  // Every client starts connecting at once.
  void connect_all();
  // Gives each client `per_client` more messages to send.
  void send(std::size_t per_client);
  // Clients whose connection to this replica ends move on to another and never come back.
  void mark_down(std::size_t port_index);
  // Every client drops its TCP connection at once, without a close handshake (as when a network
  // path dies), and reconnects like after any other loss.
  void drop_all();

  std::vector<client_state> clients() const;
  counters totals() const;
  progress current() const;

 private:
  struct client;
  class engine;

  template <class F>
  auto on_storm_thread(F f) const {
    std::packaged_task<decltype(f())()> task(std::move(f));
    auto result = task.get_future();
    boost::asio::post(ioc_, std::move(task));
    return result.get();
  }

  mutable boost::asio::io_context ioc_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::unique_ptr<engine> engine_;
  std::thread thread_;
};

}  // namespace chatd::test
