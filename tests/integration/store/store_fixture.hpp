#pragma once

#include <chatd/store/repository.hpp>
#include <support/test_database.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace chatd::store::testing {

// A fresh migrated database per test, with one repository on it.
class store_test : public ::testing::Test {
 protected:
  void SetUp() override;

  // A new guest whose token hash is derived from `name` (unique per test database).
  user make_guest(std::string const& name);
  // Reads one value through the admin connection, e.g. a count(*) over this test's database.
  std::string query(std::string const& sql);

  chatd::test::test_database db_;
  std::unique_ptr<repository> repo_;
};

// Counts completions and lets a test wait for them with a deadline instead of sleeping.
class completions {
 public:
  void add(int n = 1);
  // True when at least `n` completions arrived before the timeout.
  bool wait_for(int n, std::chrono::milliseconds timeout = std::chrono::seconds(20));
  int count();

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int count_ = 0;
};

// A one-shot gate: jobs block on it until the test opens it (to hold a worker busy).
class gate {
 public:
  void open();
  void wait();

 private:
  std::mutex mutex_;
  std::condition_variable opened_;
  bool open_ = false;
};

// Polls `condition` until it holds or the timeout passes (for state outside our control, such as
// a database coming back).
bool eventually(std::function<bool()> const& condition, std::chrono::milliseconds timeout = std::chrono::seconds(20));

}  // namespace chatd::store::testing
