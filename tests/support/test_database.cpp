#include <support/test_database.hpp>

#include <pqxx/pqxx>

#include <cstdlib>
#include <iostream>
#include <random>
#include <stdexcept>

namespace chatd::test {

namespace {

std::string random_name() {
  static constexpr char digits[] = "0123456789abcdef";
  std::random_device device;
  std::string name = "chatd_test_";
  for (int i = 0; i < 16; ++i) {
    name += digits[device() % 16];
  }
  return name;
}

std::string admin_url_from_environment() {
  char const* url = std::getenv("CHATD_TEST_DATABASE_URL");
  if (url == nullptr || *url == '\0') {
    throw std::runtime_error(
        "CHATD_TEST_DATABASE_URL is not set: these tests need a real PostgreSQL. Start one with "
        "`scripts/postgres.sh start .local/pg 55433` and set "
        "CHATD_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:55433/postgres");
  }
  return url;
}

}  // namespace

std::string with_database_name(std::string_view url, std::string_view name) {
  for (std::string_view scheme : {"postgresql://", "postgres://"}) {
    if (url.substr(0, scheme.size()) != scheme) {
      continue;
    }
    auto const authority = scheme.size();
    auto const query = url.find('?', authority);
    auto const before_query = query == std::string_view::npos ? url : url.substr(0, query);
    auto const tail = query == std::string_view::npos ? std::string_view() : url.substr(query);
    auto const path = before_query.find('/', authority);
    auto const head = path == std::string_view::npos ? before_query : before_query.substr(0, path);
    return std::string(head) + "/" + std::string(name) + std::string(tail);
  }
  return std::string(url) + (url.empty() ? "" : " ") + "dbname=" + std::string(name);
}

test_database::test_database()
    : admin_url_(admin_url_from_environment()), name_(random_name()), url_(with_database_name(admin_url_, name_)) {
  try {
    pqxx::connection admin(admin_url_);
    pqxx::nontransaction tx(admin);
    tx.exec("create database " + tx.quote_name(name_));
  } catch (std::exception const& e) {
    throw std::runtime_error("cannot create a test database through CHATD_TEST_DATABASE_URL=" + admin_url_ +
                             ": " + e.what());
  }
}

test_database::~test_database() {
  try {
    pqxx::connection admin(admin_url_);
    pqxx::nontransaction tx(admin);
    // FORCE ends sessions a test left open (PostgreSQL 13+).
    tx.exec("drop database if exists " + tx.quote_name(name_) + " with (force)");
  } catch (std::exception const& e) {
    std::cerr << "test_database: could not drop " << name_ << ": " << e.what() << '\n';
  }
}

std::string test_database::admin_query(std::string const& sql) const {
  pqxx::connection admin(admin_url_);
  pqxx::nontransaction tx(admin);
  auto const r = tx.exec(sql);
  if (r.empty() || r.columns() == 0 || r[0][0].is_null()) {
    return {};
  }
  return r[0][0].as<std::string>();
}

int test_database::terminate_connections() const {
  pqxx::connection admin(admin_url_);
  pqxx::nontransaction tx(admin);
  auto const r = tx.exec_params(
      "select count(*) filter (where pg_terminate_backend(pid)) from pg_stat_activity "
      "where datname = $1 and pid <> pg_backend_pid()",
      name_);
  return r[0][0].as<int>();
}

void test_database::allow_connections(bool allow) const {
  pqxx::connection admin(admin_url_);
  pqxx::nontransaction tx(admin);
  tx.exec("alter database " + tx.quote_name(name_) + " allow_connections " + (allow ? "true" : "false"));
}

}  // namespace chatd::test

// libpqxx 6.4 leaks one PGresult (about 2 KiB) each time a statement meets a connection the server
// has closed: connection_base::make_result asks the dead connection for its client encoding, which
// throws before the result is owned. Tests that cut connections on purpose would otherwise fail
// under LeakSanitizer for a leak outside chatd. The suppression names the module that allocates
// the PGresult, because libpq and libpqxx have no frame pointers and their stacks stop short of
// any function name. chatd never allocates through libpq itself, so a leak of chatd's own objects
// (a leaked repository, say) is still reported. LeakSanitizer reads this hook; other builds never
// call it.
extern "C" char const* __lsan_default_suppressions() { return "leak:libpq.so\n"; }
