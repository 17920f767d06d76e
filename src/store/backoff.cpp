#include "backoff.hpp"

#include <algorithm>

namespace chatd::store::detail {

backoff::backoff(duration initial, duration max)
    : initial_(std::max(initial, duration{1})), max_(std::max(max, initial_)) {}

backoff::duration backoff::next() {
  current_ = current_.count() == 0 ? initial_ : std::min(current_ * 2, max_);
  return current_;
}

void backoff::reset() { current_ = duration{0}; }

}  // namespace chatd::store::detail
