#include "backoff.hpp"
#include "db_error.hpp"
#include "migrations.hpp"
#include "pg_array.hpp"
#include "user_id.hpp"

#include <gtest/gtest.h>
#include <pqxx/except>

#include <regex>
#include <set>
#include <stdexcept>

namespace chatd::store::detail {
namespace {

using namespace std::chrono_literals;

TEST(store_pg_array, quotes_every_element_and_escapes_quotes_and_backslashes) {
  std::vector<std::string_view> const values{"plain", "a,b", "{x}", "say \"hi\"", "back\\slash", "NULL", "", "첫 글"};
  EXPECT_EQ(pg_array_literal(values),
            R"({"plain","a,b","{x}","say \"hi\"","back\\slash","NULL","","첫 글"})");
}

TEST(store_pg_array, empty_array) { EXPECT_EQ(pg_array_literal(std::span<std::string_view const>{}), "{}"); }

TEST(store_backoff, doubles_from_initial_up_to_max_and_resets) {
  backoff b(50ms, 300ms);
  EXPECT_EQ(b.next(), 50ms);
  EXPECT_EQ(b.next(), 100ms);
  EXPECT_EQ(b.next(), 200ms);
  EXPECT_EQ(b.next(), 300ms);
  EXPECT_EQ(b.next(), 300ms);
  b.reset();
  EXPECT_EQ(b.next(), 50ms);
}

TEST(store_backoff, max_below_initial_is_raised_to_initial) {
  backoff b(50ms, 10ms);
  EXPECT_EQ(b.next(), 50ms);
  EXPECT_EQ(b.next(), 50ms);
}

TEST(store_db_error, sqlstate_classes) {
  EXPECT_EQ(status_of_sqlstate("08006"), db_status::unavailable);  // connection failure
  EXPECT_EQ(status_of_sqlstate("57P01"), db_status::unavailable);  // admin shutdown
  EXPECT_EQ(status_of_sqlstate("57014"), db_status::unavailable);  // query canceled
  EXPECT_EQ(status_of_sqlstate("53300"), db_status::unavailable);  // too many connections
  EXPECT_EQ(status_of_sqlstate("40P01"), db_status::unavailable);  // deadlock
  EXPECT_EQ(status_of_sqlstate("55P03"), db_status::unavailable);  // lock timeout
  EXPECT_EQ(status_of_sqlstate("23505"), db_status::failed);       // unique violation
  EXPECT_EQ(status_of_sqlstate("22021"), db_status::failed);       // bad encoding
  EXPECT_EQ(status_of_sqlstate("42601"), db_status::failed);       // syntax error
  EXPECT_EQ(status_of_sqlstate(""), db_status::failed);
  EXPECT_EQ(status_of_sqlstate("0"), db_status::failed);
}

TEST(store_db_error, session_ending_states) {
  EXPECT_TRUE(sqlstate_ends_session("08003"));
  EXPECT_TRUE(sqlstate_ends_session("57P01"));
  EXPECT_FALSE(sqlstate_ends_session("57014"));
  EXPECT_FALSE(sqlstate_ends_session("40P01"));
  EXPECT_FALSE(sqlstate_ends_session("23505"));
}

TEST(store_db_error, classifies_libpqxx_and_other_exceptions) {
  auto const broken = classify(pqxx::broken_connection("gone"));
  EXPECT_EQ(broken.status, db_status::unavailable);
  EXPECT_TRUE(broken.connection_lost);

  auto const in_doubt = classify(pqxx::in_doubt_error("commit outcome unknown"));
  EXPECT_EQ(in_doubt.status, db_status::unavailable);
  EXPECT_TRUE(in_doubt.connection_lost);

  auto const deadlock = classify(pqxx::deadlock_detected("deadlock"));
  EXPECT_EQ(deadlock.status, db_status::unavailable);
  EXPECT_FALSE(deadlock.connection_lost);

  auto const unique = classify(pqxx::unique_violation("duplicate key", "insert", "23505"));
  EXPECT_EQ(unique.status, db_status::failed);
  EXPECT_FALSE(unique.connection_lost);

  auto const shutdown = classify(pqxx::sql_error("terminating connection", "", "57P01"));
  EXPECT_EQ(shutdown.status, db_status::unavailable);
  EXPECT_TRUE(shutdown.connection_lost);

  auto const bad_input = classify(std::invalid_argument("message text contains a NUL byte"));
  EXPECT_EQ(bad_input.status, db_status::failed);
  EXPECT_FALSE(bad_input.connection_lost);
}

TEST(store_user_id, hex_encode_is_lower_case_and_keeps_nul_bytes) {
  using namespace std::string_view_literals;
  EXPECT_EQ(hex_encode("\x00\x01\xab\xff"sv), "0001abff");
  EXPECT_EQ(hex_encode(""), "");
}

TEST(store_user_id, new_ids_have_the_documented_shape_and_differ) {
  std::regex const shape("^u_[0-9a-f]{24}$");
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto id = new_user_id();
    ASSERT_TRUE(std::regex_match(id, shape)) << id;
    seen.insert(std::move(id));
  }
  EXPECT_EQ(seen.size(), 1000U);
}

TEST(store_migrations, are_embedded_in_ascending_version_order) {
  auto const all = migrations();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.front().version, 1);
  EXPECT_EQ(all.front().name, "0001_init");
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_FALSE(all[i].sql.empty());
    if (i > 0) {
      EXPECT_LT(all[i - 1].version, all[i].version);
    }
  }
  EXPECT_NE(all.front().sql.find("create table messages"), std::string_view::npos);
}

}  // namespace
}  // namespace chatd::store::detail
