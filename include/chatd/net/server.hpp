#pragma once

#include <chatd/config/config.hpp>

#include <memory>

namespace chatd::net {

// The whole daemon: io_context thread pool, listeners on the main and side ports, the database
// pool, rooms, metrics, and the SIGTERM drain.
//
// Threading model: one io_context run by `settings.threads` threads; every connection has its
// own strand (accepted with make_strand). Database work runs on the db_pool's own threads and
// posts results back to the strand that asked. The room registry and the sessions' outgoing
// queues are the only state touched from several threads; each says which mutex guards what.
class server {
 public:
  explicit server(config::settings settings);
  ~server();

  // Blocks until shut down by SIGTERM/SIGINT or stop(); returns the process exit code.
  int run();
  // Starts the graceful drain from any thread (what SIGTERM does).
  void stop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace chatd::net
