#include <chatd/net/server_metrics.hpp>

#include <algorithm>

namespace chatd::net {

server_metrics::server_metrics(metrics::registry& r)
    : ready(r.add_gauge("chatd_ready", "1 when /readyz answers 200")),
      connections_open(r.add_gauge("chatd_connections_open", "Open WebSocket sessions")),
      connections_total(r.add_counter("chatd_connections_total", "WebSocket sessions accepted")),
      messages_received(r.add_counter("chatd_messages_received_total", "send frames accepted for storing")),
      messages_stored(r.add_counter("chatd_messages_stored_total", "Messages committed and acknowledged")),
      messages_delivered(r.add_counter("chatd_messages_delivered_total", "message frames queued to members")),
      fanout_latency(r.add_histogram("chatd_fanout_latency_seconds", "From commit to the frame queued on every local member",
                                     metrics::histogram::latency_buckets())),
      queue_drops(r.add_counter("chatd_queue_drops_total", "Sessions cut off because their outgoing queue filled")),
      rate_limited_send(r.add_counter("chatd_rate_limited_total", "Frames refused by a token bucket", {{"kind", "send"}})),
      rate_limited_typing(r.add_counter("chatd_rate_limited_total", "Frames refused by a token bucket", {{"kind", "typing"}})) {
  for (std::size_t i = 0; i < errors.size(); ++i) {
    auto code = std::string(chat::to_string(static_cast<chat::error_code>(i)));
    errors[i] = &r.add_counter("chatd_errors_total", "Error frames sent, by protocol error code", {{"code", code}});
  }
  for (std::size_t i = 0; i < rejections.size(); ++i) {
    rejections[i] = &r.add_counter("chatd_connections_rejected_total", "WebSocket upgrades refused",
                                   {{"reason", std::string(rejection_reasons[i])}});
  }
  for (std::size_t i = 0; i < db_operations.size(); ++i) {
    std::string op(db_operations[i]);
    db_latency[i] = &r.add_histogram("chatd_db_query_duration_seconds", "Database round trips", metrics::histogram::latency_buckets(),
                                     {{"operation", op}});
    db_errors[i] = &r.add_counter("chatd_db_errors_total", "Failed database operations", {{"operation", op}});
  }
  for (std::size_t i = 0; i < db_queues.size(); ++i) {
    std::string queue(db_queues[i]);
    db_queue_wait[i] = &r.add_histogram("chatd_db_queue_wait_seconds", "Time a database request waited for a worker",
                                        metrics::histogram::latency_buckets(), {{"queue", queue}});
    db_queue_expired[i] = &r.add_counter("chatd_db_queue_expired_total",
                                         "Database requests failed unrun after waiting longer than CHATD_DB_MAX_WAIT_SECONDS",
                                         {{"queue", queue}});
  }
}

store::db_observer server_metrics::db_observer() {
  return {.query = [this](std::string_view operation, double seconds, store::db_status status) { observe_db(operation, seconds, status); },
          .waited = [this](store::db_queue queue, double seconds, bool expired) { observe_db_wait(queue, seconds, expired); }};
}

void server_metrics::count_rejection(std::string_view reason) {
  auto it = std::find(rejection_reasons.begin(), rejection_reasons.end(), reason);
  rejections[static_cast<std::size_t>(it == rejection_reasons.end() ? rejection_reasons.size() - 1 : it - rejection_reasons.begin())]->inc();
}

void server_metrics::observe_db(std::string_view operation, double seconds, store::db_status status) {
  auto it = std::find(db_operations.begin(), db_operations.end(), operation);
  auto const i = static_cast<std::size_t>(it == db_operations.end() ? db_operations.size() - 1 : it - db_operations.begin());
  db_latency[i]->observe(seconds);
  if (status != store::db_status::ok) {
    db_errors[i]->inc();
  }
}

void server_metrics::observe_db_wait(store::db_queue queue, double seconds, bool expired) {
  auto const i = static_cast<std::size_t>(queue);
  db_queue_wait[i]->observe(seconds);
  if (expired) {
    db_queue_expired[i]->inc();
  }
}

}  // namespace chatd::net
