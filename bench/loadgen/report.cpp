#include "report.hpp"

#include <algorithm>
#include <cmath>

namespace chatd::bench {

using json = nlohmann::ordered_json;

namespace {

double ms(std::int64_t ns) { return std::round(static_cast<double>(ns) / 1e3) / 1e3; }
double round2(double v) { return std::round(v * 100) / 100; }

double metric(replica_samples::metrics const& m, std::string const& name) {
  if (!m) {
    return 0;
  }
  auto it = m->find(name);
  return it == m->end() ? 0 : it->second;
}

json replica_json(replica_samples const& s, double window_seconds, std::size_t index) {
  constexpr double mib = 1024.0 * 1024.0;
  json j = {{"replica", index}};
  if (!s.before || !s.drained) {
    j["metrics"] = "unavailable";
    return j;
  }
  auto const rss_before = metric(s.before, "process_resident_memory_bytes");
  auto const rss_connected = metric(s.connected, "process_resident_memory_bytes");
  auto const opened = metric(s.connected, "chatd_connections_open") - metric(s.before, "chatd_connections_open");
  auto const cpu = metric(s.window_end, "process_cpu_seconds_total") - metric(s.window_start, "process_cpu_seconds_total");
  j["rss_mb_before"] = round2(rss_before / mib);
  j["rss_mb_connected"] = round2(rss_connected / mib);
  j["rss_mb_end"] = round2(metric(s.drained, "process_resident_memory_bytes") / mib);
  j["connections_open"] = metric(s.connected, "chatd_connections_open");
  j["kib_per_connection"] = opened > 0 ? round2((rss_connected - rss_before) / 1024.0 / opened) : 0.0;
  j["cpu_percent"] = window_seconds > 0 ? round2(100.0 * cpu / window_seconds) : 0.0;
  j["queue_drops"] = metric(s.drained, "chatd_queue_drops_total") - metric(s.before, "chatd_queue_drops_total");
  j["messages_stored"] = metric(s.window_end, "chatd_messages_stored_total") - metric(s.window_start, "chatd_messages_stored_total");
  j["messages_delivered"] = metric(s.window_end, "chatd_messages_delivered_total") - metric(s.window_start, "chatd_messages_delivered_total");
  j["db_errors"] = metric(s.drained, "chatd_db_errors_total") - metric(s.before, "chatd_db_errors_total");
  return j;
}

}  // namespace

json report::latency_json(latency_histogram const& h) {
  return {{"count", h.count()},
          {"p50", ms(h.percentile(0.50))},
          {"p90", ms(h.percentile(0.90))},
          {"p99", ms(h.percentile(0.99))},
          {"p999", ms(h.percentile(0.999))},
          {"max", ms(h.max())},
          {"mean", std::round(h.mean() / 1e3) / 1e3}};
}

json report::to_json(run_result const& r) {
  auto const& o = r.opts;
  auto const& s = r.stats;
  auto const per_s = [&](std::uint64_t n) { return r.window_seconds > 0 ? round2(static_cast<double>(n) / r.window_seconds) : 0.0; };
  json j;
  j["scenario"] = o.scenario;
  j["started"] = r.started_utc;
  j["load_average"] = r.load_average;
  j["clients"] = o.clients;
  j["rooms"] = o.rooms;
  j["members_per_room"] = o.clients / o.rooms;
  j["senders"] = o.senders();
  j["replicas"] = o.replicas.size();
  j["threads"] = o.threads;
  j["message_bytes"] = o.message_bytes;
  j["idle"] = o.idle;
  j["window_s"] = round2(r.window_seconds);
  j["warmup_s"] = o.warmup.count();
  j["connected"] = r.ready;
  j["connect_s"] = round2(r.connect_seconds);
  j["connect_failures"] = s.connect_failures;
  j["connect_failures_total"] = r.failed;
  j["disconnects"] = r.lost;
  j["target_send_rate"] = o.idle ? 0.0 : o.rate;
  j["achieved_send_rate"] = per_s(s.sent);
  j["acks_per_s"] = per_s(s.acks);
  j["deliveries_per_s"] = per_s(s.deliveries);
  j["expected_deliveries"] = s.expected_deliveries;
  j["deliveries"] = s.deliveries;
  j["delivery_ratio"] = s.expected_deliveries > 0 ? std::round(1e4 * static_cast<double>(s.deliveries) / static_cast<double>(s.expected_deliveries)) / 1e4 : 0.0;
  j["latency_ms"] = {{"delivery", latency_json(s.delivery)}, {"ack", latency_json(s.ack)}};
  if (o.replicas.size() > 1) {
    j["latency_ms"]["delivery_near"] = latency_json(s.delivery_near);
    j["latency_ms"]["delivery_far"] = latency_json(s.delivery_far);
  }
  json errors = json::object();
  for (auto const& [code, n] : s.errors) {
    errors[code] = n;
  }
  j["errors"] = errors;
  json closes = json::object();
  for (auto const& [code, n] : s.close_codes) {
    closes[std::to_string(code)] = n;
  }
  j["close_codes"] = closes;
  j["send_skipped"] = s.send_skipped;
  j["backlog_drops"] = s.backlog_drops;
  j["foreign_messages"] = s.foreign_messages;
  json chatd = json::array();
  for (std::size_t i = 0; i < r.replicas.size(); ++i) {
    chatd.push_back(replica_json(r.replicas[i], r.window_seconds, i));
  }
  j["chatd"] = chatd;
  json watch = json::object();
  for (auto const& [name, w] : r.watch) {
    if (!w.window_start || !w.window_end) {
      watch[name] = "unavailable";
      continue;
    }
    double busiest = 0;
    for (auto const& [tid, end] : w.window_end->thread_cpu_seconds) {
      auto const start = w.window_start->thread_cpu_seconds.find(tid);
      busiest = std::max(busiest, end - (start == w.window_start->thread_cpu_seconds.end() ? 0.0 : start->second));
    }
    watch[name] = {{"cpu_percent", r.window_seconds > 0 ? round2(100.0 * (w.window_end->cpu_seconds - w.window_start->cpu_seconds) / r.window_seconds) : 0.0},
                   {"busiest_thread_cpu_percent", r.window_seconds > 0 ? round2(100.0 * busiest / r.window_seconds) : 0.0},
                   {"rss_mb", round2(w.window_end->rss_mb)},
                   {"pss_mb", round2(w.window_end->pss_mb)},
                   {"processes", w.window_end->processes}};
  }
  j["watch"] = watch;
  if (r.machine_start && r.machine_end) {
    // All cores together: 100 means every core was busy (with anything, not only this run).
    auto const busy = r.machine_end->busy_seconds - r.machine_start->busy_seconds;
    auto const idle = r.machine_end->idle_seconds - r.machine_start->idle_seconds;
    auto const steal = r.machine_end->steal_seconds - r.machine_start->steal_seconds;
    auto const total = busy + idle + steal;
    j["machine"] = {{"busy_percent", total > 0 ? round2(100.0 * busy / total) : 0.0},
                    {"steal_percent", total > 0 ? round2(100.0 * steal / total) : 0.0}};
  }
  return j;
}

}  // namespace chatd::bench
