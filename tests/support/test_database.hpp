#pragma once

#include <string>
#include <string_view>

namespace chatd::test {

// A fresh, empty PostgreSQL database for one test (or fixture), dropped again at the end.
// The server comes from CHATD_TEST_DATABASE_URL, an admin URL such as
// postgresql://postgres@127.0.0.1:55433/postgres (scripts/test starts one). Without it the
// constructor throws, so a test that needs PostgreSQL fails loudly instead of being skipped.
class test_database {
 public:
  test_database();
  ~test_database();
  test_database(test_database const&) = delete;
  test_database& operator=(test_database const&) = delete;

  // URL of the new database (same server, user and options as the admin URL).
  std::string const& url() const { return url_; }
  std::string const& name() const { return name_; }
  std::string const& admin_url() const { return admin_url_; }

  // Runs SQL on a new admin connection (outside a transaction), returning the first column of the
  // first row, or "" when there is none.
  std::string admin_query(std::string const& sql) const;

  // Ends every other session on this database (as when the server restarts), returning how many.
  int terminate_connections() const;

  // While false, PostgreSQL refuses new connections to this database (as when it is down).
  void allow_connections(bool allow) const;

 private:
  std::string admin_url_;
  std::string name_;
  std::string url_;
};

// The same connection string with another database name. Handles postgres:// and postgresql://
// URLs (the path is replaced, the query kept) and key=value strings (a dbname is appended, and the
// last value of a keyword wins in libpq).
std::string with_database_name(std::string_view url, std::string_view name);

}  // namespace chatd::test
