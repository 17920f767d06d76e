#pragma once

#include <chrono>

namespace chatd::store::detail {

// Reconnect delays: the first retry after a lost connection is immediate (most losses are one-off,
// such as a failover or an idle timeout), then the delay doubles from `initial` up to `max`, so a
// database that is down is not hammered by every worker at once.
class backoff {
 public:
  using duration = std::chrono::milliseconds;

  backoff(duration initial, duration max);

  // The delay before the next attempt, after an attempt failed.
  duration next();
  // Called after a successful connect.
  void reset();

 private:
  duration initial_;
  duration max_;
  duration current_{0};
};

}  // namespace chatd::store::detail
