#include <chatd/net/connection_limiter.hpp>

namespace chatd::net {

std::unique_ptr<connection_limiter::slot> connection_limiter::acquire(std::string_view address, verdict& why) {
  std::string key(address);
  {
    std::lock_guard lock(mutex_);
    if (open_ >= total_) {
      why = verdict::capacity;
      return nullptr;
    }
    auto& count = counts_[key];
    if (count >= per_address_) {
      why = verdict::per_ip;
      return nullptr;
    }
    ++count;
    ++open_;
  }
  why = verdict::ok;
  return std::make_unique<slot>(shared_from_this(), std::move(key));
}

std::size_t connection_limiter::open() const {
  std::lock_guard lock(mutex_);
  return open_;
}

void connection_limiter::release(std::string const& address) {
  std::lock_guard lock(mutex_);
  if (auto it = counts_.find(address); it != counts_.end() && --it->second == 0) {
    counts_.erase(it);
  }
  --open_;
}

}  // namespace chatd::net
