#pragma once

#include <cstdint>
#include <string>

namespace chatd::test {

// A private PostgreSQL cluster that one test may stop and start at will, unlike the shared test
// server (CHATD_TEST_DATABASE_URL) that other tests use at the same time. initdb runs into a fresh
// temporary folder; the server listens on 127.0.0.1 on a port chosen once, so a restart comes back
// where the clients left it. initdb refuses to run as root, so as root every PostgreSQL binary runs
// as the `postgres` user (as scripts/postgres.sh does). The binaries come from the newest
// /usr/lib/postgresql/<version>/bin; without them the constructor throws, so the test fails loudly.
class postgres_cluster {
 public:
  postgres_cluster();  // initdb, start, and create the database `chatd`
  ~postgres_cluster();  // immediate stop, then the folder is removed
  postgres_cluster(postgres_cluster const&) = delete;
  postgres_cluster& operator=(postgres_cluster const&) = delete;

  // `pg_ctl start -w`: returns once the server accepts connections.
  void start();
  // `pg_ctl stop -m fast -w`: every session is ended and the server is gone on return.
  void stop();
  bool running() const { return running_; }

  std::uint16_t port() const { return port_; }
  // postgresql://postgres@127.0.0.1:<port>/chatd
  std::string url() const;
  // The end of the server's log, for a failing test's output.
  std::string log_tail(std::size_t bytes = 4000) const;

 private:
  void discard() noexcept;  // stops the server if it runs and removes the folder
  void run(std::string const& what, std::initializer_list<std::string> args) const;

  std::string bin_;
  std::string dir_;
  std::uint16_t port_ = 0;
  bool running_ = false;
};

}  // namespace chatd::test
