#pragma once

#include <chatd/net/shared_state.hpp>
#include <chatd/store/notification_listener.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace chatd::net {

// Delivers what any chatd process stored to this process's members. Every stored message and
// deletion is announced with NOTIFY in its own transaction (store::announcement); this listens,
// and hands messages to the room registry's sequencer, which delivers each seq once and in order
// and asks for the database when it sees a gap. After the listening connection comes back, every
// room with members here is caught up from the database, so nothing announced meanwhile is missed.
//
// A message this process stored is offered at once, from its commit, without waiting for its own
// announcement to come back (a database round trip); the announcement then arrives as an old seq
// and is dropped. Local and remote messages go through the same sequencer, so every member sees
// one order.
class replica_fanout {
 public:
  explicit replica_fanout(std::shared_ptr<shared_state> state);
  ~replica_fanout();
  void stop();
  // A message this process has just committed. Any thread.
  void committed(store::message const& msg);

 private:
  void on_payload(std::string_view payload);
  void on_connected();
  // Returns how many local members got it (and whatever it released from the held-back seqs).
  std::size_t offer(std::string const& room, std::int64_t seq, chat::room_registry::frame_source const& make_frame);
  // Commit to local delivery, for chatd_fanout_latency_seconds.
  void observe_latency(std::int64_t ts_ms);
  // Reads what `room` has after `after_seq` and offers it, until the gap is closed.
  void fill(std::string room, std::int64_t after_seq);

  std::shared_ptr<shared_state> state_;
  std::unique_ptr<store::notification_listener> listener_;
};

}  // namespace chatd::net
