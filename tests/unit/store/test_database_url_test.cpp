#include <support/test_database.hpp>

#include <gtest/gtest.h>

namespace chatd::test {
namespace {

TEST(store_test_database_url, replaces_the_path_of_a_url) {
  EXPECT_EQ(with_database_name("postgresql://postgres@127.0.0.1:55433/postgres", "t1"),
            "postgresql://postgres@127.0.0.1:55433/t1");
  EXPECT_EQ(with_database_name("postgres://u:p@h/db?sslmode=disable&connect_timeout=2", "t1"),
            "postgres://u:p@h/t1?sslmode=disable&connect_timeout=2");
}

TEST(store_test_database_url, adds_a_path_when_the_url_has_none) {
  EXPECT_EQ(with_database_name("postgresql://h:5432", "t1"), "postgresql://h:5432/t1");
  EXPECT_EQ(with_database_name("postgresql://h?sslmode=disable", "t1"), "postgresql://h/t1?sslmode=disable");
  EXPECT_EQ(with_database_name("postgresql://", "t1"), "postgresql:///t1");
}

TEST(store_test_database_url, appends_dbname_to_keyword_strings) {
  EXPECT_EQ(with_database_name("host=127.0.0.1 port=55433 dbname=postgres", "t1"),
            "host=127.0.0.1 port=55433 dbname=postgres dbname=t1");
  EXPECT_EQ(with_database_name("", "t1"), "dbname=t1");
}

}  // namespace
}  // namespace chatd::test
