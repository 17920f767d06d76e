#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace chatd::net {

// Counts open WebSocket sessions per client address and in all. A slot is held for a session's
// lifetime and gives its place back when destroyed.
class connection_limiter : public std::enable_shared_from_this<connection_limiter> {
 public:
  enum class verdict { ok, per_ip, capacity };

  class slot {
   public:
    slot(std::shared_ptr<connection_limiter> owner, std::string address) : owner_(std::move(owner)), address_(std::move(address)) {}
    ~slot() { owner_->release(address_); }
    slot(slot const&) = delete;
    slot& operator=(slot const&) = delete;
    std::string const& address() const { return address_; }

   private:
    std::shared_ptr<connection_limiter> owner_;
    std::string address_;
  };

  connection_limiter(std::size_t per_address, std::size_t total) : per_address_(per_address), total_(total) {}

  // A slot, or null with `why` set when a limit is reached.
  std::unique_ptr<slot> acquire(std::string_view address, verdict& why);
  std::size_t open() const;

 private:
  void release(std::string const& address);

  std::size_t const per_address_;
  std::size_t const total_;
  mutable std::mutex mutex_;  // guards counts_ and open_
  std::unordered_map<std::string, std::size_t> counts_;
  std::size_t open_ = 0;
};

}  // namespace chatd::net
