#include "run_stats.hpp"

namespace chatd::bench {

namespace {

template <typename Key>
void add_counts(std::map<Key, std::uint64_t>& into, std::map<Key, std::uint64_t> const& from) {
  for (auto const& [key, n] : from) {
    into[key] += n;
  }
}

}  // namespace

void run_stats::merge(run_stats const& other) {
  delivery.merge(other.delivery);
  delivery_near.merge(other.delivery_near);
  delivery_far.merge(other.delivery_far);
  ack.merge(other.ack);
  sent += other.sent;
  sent_total += other.sent_total;
  acks += other.acks;
  deliveries += other.deliveries;
  deliveries_total += other.deliveries_total;
  expected_deliveries += other.expected_deliveries;
  foreign_messages += other.foreign_messages;
  send_skipped += other.send_skipped;
  backlog_drops += other.backlog_drops;
  disconnects += other.disconnects;
  add_counts(errors, other.errors);
  add_counts(close_codes, other.close_codes);
  add_counts(connect_failures, other.connect_failures);
}

}  // namespace chatd::bench
