// chatd_loadgen against a real chatd and PostgreSQL: the generator must speak the wire contract,
// so that a benchmark that "passes" has really delivered what it claims.
#include "load_run.hpp"
#include "report.hpp"

#include <support/chatd_process.hpp>
#include <support/test_database.hpp>

#include <gtest/gtest.h>

using chatd::bench::load_run;
using chatd::bench::options;
using chatd::bench::report;

namespace {

options small_run(chatd::test::chatd_process const& chatd) {
  options o;
  o.scenario = "test";
  o.replicas = {{"127.0.0.1", chatd.port()}};
  o.metrics = {{"127.0.0.1", chatd.metrics_port()}};
  o.clients = 6;
  o.rooms = 2;
  o.senders_per_room = 2;
  o.rate = 20;
  o.duration = std::chrono::duration<double>(1);
  o.warmup = std::chrono::duration<double>(0.2);
  // Generous: the drain ends as soon as every ack and delivery is in, so this only bounds a failure.
  o.drain = std::chrono::duration<double>(30);
  o.quiet = true;
  return o;
}

}  // namespace

TEST(chatd_loadgen, every_message_reaches_every_member_of_its_room) {
  chatd::test::test_database db;
  chatd::test::chatd_process chatd(db.url(), {{"CHATD_SEND_BURST", "1000"}, {"CHATD_SEND_PER_SECOND", "1000"}});
  auto const r = load_run(small_run(chatd)).execute();
  EXPECT_EQ(r.ready, 6u);
  EXPECT_EQ(r.failed, 0u);
  EXPECT_EQ(r.lost, 0u);
  ASSERT_GT(r.stats.sent, 0u);
  EXPECT_EQ(r.stats.acks, r.stats.sent);
  EXPECT_EQ(r.stats.expected_deliveries, r.stats.sent * 3);  // 3 members per room, sender included
  EXPECT_EQ(r.stats.deliveries, r.stats.expected_deliveries);
  EXPECT_EQ(r.stats.delivery.count(), r.stats.deliveries);
  EXPECT_EQ(r.stats.ack.count(), r.stats.acks);
  EXPECT_EQ(r.stats.foreign_messages, 0u);
  EXPECT_TRUE(r.stats.errors.empty());
  EXPECT_TRUE(r.stats.connect_failures.empty());

  auto const j = report::to_json(r);
  EXPECT_EQ(j["delivery_ratio"], 1.0);
  EXPECT_EQ(j["chatd"][0]["connections_open"], 6.0);
  EXPECT_EQ(j["chatd"][0]["queue_drops"], 0.0);
  EXPECT_GT(j["chatd"][0]["messages_stored"].get<double>(), 0.0);
  EXPECT_TRUE(j["watch"].contains("loadgen"));
}

TEST(chatd_loadgen, counts_rate_limited_sends_by_error_code) {
  chatd::test::test_database db;
  chatd::test::chatd_process chatd(db.url());  // chatd's defaults: burst 5, then 1 message/s
  auto o = small_run(chatd);
  o.clients = 2;
  o.rooms = 1;
  o.senders_per_room = 1;
  o.rate = 50;
  o.drain = std::chrono::duration<double>(1);  // refused sends never complete the window
  auto const r = load_run(o).execute();
  EXPECT_EQ(r.ready, 2u);
  ASSERT_TRUE(r.stats.errors.contains("rate_limited"));
  EXPECT_GT(r.stats.errors.at("rate_limited"), 0u);
  EXPECT_LT(r.stats.acks, r.stats.sent);
}

TEST(chatd_loadgen, idle_run_reports_chatd_memory_per_connection) {
  chatd::test::test_database db;
  chatd::test::chatd_process chatd(db.url());
  auto o = small_run(chatd);
  o.idle = true;
  o.clients = 20;
  o.rooms = 4;
  auto const r = load_run(o).execute();
  EXPECT_EQ(r.ready, 20u);
  EXPECT_EQ(r.stats.sent_total, 0u);
  auto const j = report::to_json(r);
  EXPECT_EQ(j["chatd"][0]["connections_open"], 20.0);
  EXPECT_GT(j["chatd"][0]["rss_mb_connected"].get<double>(), 0.0);
}

TEST(chatd_loadgen, a_refused_connection_is_counted_not_fatal) {
  options o;
  o.replicas = {{"127.0.0.1", chatd::test::free_port()}};
  o.clients = 3;
  o.duration = std::chrono::duration<double>(0.1);
  o.warmup = std::chrono::duration<double>(0);
  o.drain = std::chrono::duration<double>(0);
  o.quiet = true;
  auto const r = load_run(o).execute();
  EXPECT_EQ(r.ready, 0u);
  EXPECT_EQ(r.failed, 3u);
  ASSERT_EQ(r.stats.connect_failures.size(), 1u);
  EXPECT_TRUE(r.stats.connect_failures.begin()->first.starts_with("connect: ")) << r.stats.connect_failures.begin()->first;
  EXPECT_EQ(r.stats.sent, 0u);
}
