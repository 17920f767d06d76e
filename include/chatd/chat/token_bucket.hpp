#pragma once

#include <algorithm>
#include <chrono>

namespace chatd::chat {

// Classic token bucket: `burst` tokens at most, refilled at `per_second`. The caller passes the
// time, so tests drive it with a fake clock and the hot path reads the clock once per frame.
class token_bucket {
 public:
  using clock = std::chrono::steady_clock;

  token_bucket(double burst, double per_second, clock::time_point now)
      : burst_(burst), per_second_(per_second), tokens_(burst), last_(now) {}

  bool try_take(clock::time_point now) {
    refill(now);
    if (tokens_ < 1) {
      return false;
    }
    tokens_ -= 1;
    return true;
  }

  // Time until one token is available (zero when one is).
  clock::duration wait_time(clock::time_point now) {
    refill(now);
    if (tokens_ >= 1) {
      return clock::duration::zero();
    }
    return std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>((1 - tokens_) / per_second_));
  }

 private:
  void refill(clock::time_point now) {
    if (now > last_) {
      tokens_ = std::min(burst_, tokens_ + std::chrono::duration<double>(now - last_).count() * per_second_);
      last_ = now;
    }
  }

  double burst_;
  double per_second_;
  double tokens_;
  clock::time_point last_;
};

}  // namespace chatd::chat
