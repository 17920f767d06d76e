#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace chatd::test {

// A TCP port on 127.0.0.1 that nothing listens on right now.
std::uint16_t free_port();

// A real chatd process (the binary under test, CHATD_BINARY) on free ports, started against
// `database_url` and waited for until /readyz answers 200.
class chatd_process {
 public:
  using env = std::vector<std::pair<std::string, std::string>>;

  chatd_process(std::string const& database_url, env extra = {});
  ~chatd_process();  // SIGKILL if still running
  chatd_process(chatd_process const&) = delete;
  chatd_process& operator=(chatd_process const&) = delete;

  std::uint16_t port() const { return port_; }
  std::uint16_t metrics_port() const { return metrics_port_; }
  pid_t pid() const { return pid_; }

  // SIGTERM, then waits up to `deadline` for the exit; returns the exit status (-1 on timeout).
  int terminate(std::chrono::seconds deadline = std::chrono::seconds(30));
  void kill_hard();
  std::string log() const;
  // The value of one sample in /metrics (e.g. `chatd_queue_drops_total`), or -1 when absent.
  double metric(std::string const& sample) const;

 private:
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::uint16_t metrics_port_ = 0;
  std::string log_path_;
};

}  // namespace chatd::test
