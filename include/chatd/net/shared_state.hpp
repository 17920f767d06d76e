#pragma once

#include <chatd/chat/presence_board.hpp>
#include <chatd/chat/room_registry.hpp>
#include <chatd/config/config.hpp>
#include <chatd/net/connection_limiter.hpp>
#include <chatd/net/server_metrics.hpp>
#include <chatd/store/db_pool.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace chatd::ws {
class websocket_session;
}

namespace chatd::net {

// What every session shares: settings, the rooms, the database pool, metrics and limits.
// Members are either immutable after start-up, thread-safe themselves, or atomics.
class shared_state {
 public:
  shared_state(config::settings settings, metrics::registry& registry, server_metrics& metrics, store::db_pool& db);

  config::settings const settings;
  metrics::registry& registry;
  store::db_pool& db;
  server_metrics& metrics;
  chat::room_registry rooms;
  // This process's name in presence announcements, random per start.
  std::string const replica_id;
  // Members of each room on the other replicas. They announce their rooms every
  // presence_heartbeat; one silent for three heartbeats is forgotten.
  static constexpr auto presence_heartbeat = std::chrono::seconds(10);
  chat::presence_board presence{3 * presence_heartbeat};
  std::shared_ptr<connection_limiter> limiter;
  std::atomic<bool> draining{false};
  std::atomic<bool> migrated{false};
  std::atomic<bool> listening{false};  // the replica fan-out hears announcements
  // Hands a message this process just stored to its local members (replica_fanout::committed).
  // Set once at start-up, before the first session.
  std::function<void(store::message const&)> deliver_committed;

  bool ready() const { return migrated.load() && listening.load() && !draining.load() && db.healthy(); }

  // Open sessions, so that a shutdown can say goodbye to each.
  void add_session(std::shared_ptr<ws::websocket_session> const& session);
  void remove_session(ws::websocket_session const* session);
  std::vector<std::shared_ptr<ws::websocket_session>> sessions() const;
  std::size_t session_count() const;

 private:
  mutable std::mutex sessions_mutex_;  // guards sessions_
  std::unordered_map<ws::websocket_session const*, std::weak_ptr<ws::websocket_session>> sessions_;
};

}  // namespace chatd::net
