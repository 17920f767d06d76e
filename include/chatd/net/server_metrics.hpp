#pragma once

#include <chatd/chat/protocol.hpp>
#include <chatd/metrics/registry.hpp>
#include <chatd/store/db_pool.hpp>

#include <array>
#include <string_view>

namespace chatd::net {

// The metric handles of docs/metrics.md, registered once; the data plane uses them lock-free.
struct server_metrics {
  explicit server_metrics(metrics::registry& r);

  void count_error(chat::error_code code) { errors[static_cast<std::size_t>(code)]->inc(); }
  void count_rejection(std::string_view reason);
  // The store's observer: one histogram series per known operation, and one per queue.
  store::db_observer db_observer();
  void observe_db(std::string_view operation, double seconds, store::db_status status);
  void observe_db_wait(store::db_queue queue, double seconds, bool expired);

  metrics::gauge& ready;
  metrics::gauge& connections_open;
  metrics::counter& connections_total;
  metrics::counter& messages_received;
  metrics::counter& messages_stored;
  metrics::counter& messages_delivered;
  metrics::histogram& fanout_latency;
  metrics::counter& queue_drops;
  metrics::counter& rate_limited_send;
  metrics::counter& rate_limited_typing;
  std::array<metrics::counter*, 6> errors{};
  std::array<metrics::counter*, 5> rejections{};
  static constexpr std::array<std::string_view, 5> rejection_reasons{"origin", "per_ip", "capacity", "draining", "bad_request"};
  static constexpr std::array<std::string_view, 8> db_operations{"insert_batch", "history", "join", "guest", "profile", "tombstone", "ping", "other"};
  std::array<metrics::histogram*, 8> db_latency{};
  std::array<metrics::counter*, 8> db_errors{};
  static constexpr std::array<std::string_view, 2> db_queues{"store", "job"};  // by store::db_queue
  std::array<metrics::histogram*, 2> db_queue_wait{};
  std::array<metrics::counter*, 2> db_queue_expired{};
};

}  // namespace chatd::net
