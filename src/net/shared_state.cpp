#include <chatd/net/shared_state.hpp>

#include <fmt/format.h>

#include <cstdint>
#include <random>

namespace chatd::net {

namespace {

std::string random_replica_id() {
  std::random_device entropy;
  std::uniform_int_distribution<std::uint64_t> any;
  return fmt::format("{:016x}", any(entropy));
}

}  // namespace

shared_state::shared_state(config::settings s, metrics::registry& registry, server_metrics& m, store::db_pool& pool)
    : settings(std::move(s)),
      registry(registry),
      db(pool),
      metrics(m),
      replica_id(random_replica_id()),
      limiter(std::make_shared<connection_limiter>(static_cast<std::size_t>(settings.max_connections_per_ip),
                                                   static_cast<std::size_t>(settings.max_connections))) {}

void shared_state::add_session(std::shared_ptr<ws::websocket_session> const& session) {
  std::lock_guard lock(sessions_mutex_);
  sessions_.emplace(session.get(), session);
  metrics.connections_open.set(static_cast<double>(sessions_.size()));
}

void shared_state::remove_session(ws::websocket_session const* session) {
  std::lock_guard lock(sessions_mutex_);
  sessions_.erase(session);
  metrics.connections_open.set(static_cast<double>(sessions_.size()));
}

std::vector<std::shared_ptr<ws::websocket_session>> shared_state::sessions() const {
  std::lock_guard lock(sessions_mutex_);
  std::vector<std::shared_ptr<ws::websocket_session>> out;
  out.reserve(sessions_.size());
  for (auto const& [_, weak] : sessions_) {
    if (auto s = weak.lock()) {
      out.push_back(std::move(s));
    }
  }
  return out;
}

std::size_t shared_state::session_count() const {
  std::lock_guard lock(sessions_mutex_);
  return sessions_.size();
}

}  // namespace chatd::net
