#include <chatd/metrics/counter.hpp>

namespace chatd::metrics {

double counter::value() const noexcept {
  return static_cast<double>(whole_.load(std::memory_order_relaxed)) +
         fraction_.load(std::memory_order_relaxed);
}

}  // namespace chatd::metrics
