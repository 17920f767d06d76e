#include "store_fixture.hpp"

#include <pqxx/pqxx>

#include <thread>

namespace chatd::store::testing {

void store_test::SetUp() {
  repo_ = std::make_unique<repository>(db_.url());
  repo_->migrate();
}

user store_test::make_guest(std::string const& name) {
  return repo_->create_guest("token-of-" + name, name, "ring:" + name);
}

std::string store_test::query(std::string const& sql) {
  pqxx::connection c(db_.url());
  pqxx::nontransaction tx(c);
  auto const r = tx.exec(sql);
  return r.empty() || r[0][0].is_null() ? std::string() : r[0][0].as<std::string>();
}

void completions::add(int n) {
  // Notifies under the lock: a waiter that sees the count may destroy this object as soon as it
  // can take the mutex, so nothing may touch the condition variable after the unlock.
  std::lock_guard lock(mutex_);
  count_ += n;
  changed_.notify_all();
}

bool completions::wait_for(int n, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return count_ >= n; });
}

int completions::count() {
  std::lock_guard lock(mutex_);
  return count_;
}

void gate::open() {
  std::lock_guard lock(mutex_);
  open_ = true;
  opened_.notify_all();
}

void gate::wait() {
  std::unique_lock lock(mutex_);
  opened_.wait(lock, [&] { return open_; });
}

bool eventually(std::function<bool()> const& condition, std::chrono::milliseconds timeout) {
  auto const deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

}  // namespace chatd::store::testing
