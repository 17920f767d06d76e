#include "store_fixture.hpp"

#include <pqxx/pqxx>

#include <string>

namespace chatd::store::testing {
namespace {

using store_plans = store_test;

// PL/pgSQL keeps one generic plan per connection, made from the statistics of the moment. On a young
// database those say the tables are tiny, and a plan that joins with `messages` scans the whole
// table for every batch, ever after (migrations/0002_store_in_one_round_trip.sql). Here the plan is
// made on an empty database, the table then grows without ANALYZE, and the same connection stores
// more: not one sequential scan of a table may happen.
TEST_F(store_plans, storing_never_scans_a_whole_table_however_young_the_plan) {
  auto const kim = make_guest("kim");
  pqxx::connection c(db_.url());
  pqxx::nontransaction tx(c);
  int batch = 0;
  auto const store = [&] {
    ++batch;
    auto const client = "c" + std::to_string(batch);
    auto const r = tx.exec_params(
        "select count(*) from chatd_store_messages(array['plans', 'plans-2'], array[$1, $1], array[$2, $2], "
        "array['one', 'two'], 'chatd_plan_test')",
        kim.id, client);
    ASSERT_EQ(r[0][0].as<int>(), 2);
  };
  // The function forces its generic plan (migration 0003); more calls than the plan cache's five
  // custom plans keep the test meaningful without that too.
  for (int i = 0; i < 8; ++i) {
    store();
  }
  tx.exec_params("insert into rooms (id) select 'grown-' || g from generate_series(1, 500) g");
  tx.exec_params(
      "insert into messages (room, seq, user_id, client_id, text, ts_ms) "
      "select 'grown-' || (g % 500 + 1), g / 500 + 1, $1, 'bulk-' || g, 'filler', 0 from generate_series(0, 49999) g",
      kim.id);
  auto const scans = [&] {
    tx.exec("select pg_stat_force_next_flush()");
    tx.exec("select pg_stat_clear_snapshot()");
    return tx.exec("select coalesce(sum(seq_scan), 0) from pg_stat_user_tables where relname in ('messages', 'users', 'rooms')")
        [0][0]
            .as<long>();
  };
  auto const before = scans();
  for (int i = 0; i < 3; ++i) {
    store();
  }
  EXPECT_EQ(scans(), before);
  EXPECT_EQ(query("select max(seq) from messages where room = 'plans'"), "11");
}

}  // namespace
}  // namespace chatd::store::testing
