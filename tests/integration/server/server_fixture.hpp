#pragma once

#include "support/chatd_process.hpp"
#include "support/test_database.hpp"
#include "support/ws_client.hpp"

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include <chrono>
#include <memory>
#include <thread>
#include <string>

namespace chatd::test {

// A fresh database and a real chatd process per test.
class server_test : public ::testing::Test {
 protected:
  void start(chatd_process::env extra = {}) { chatd_ = std::make_unique<chatd_process>(db_.url(), std::move(extra)); }
  std::unique_ptr<ws_client> connect(ws_client::options opts = {}) { return std::make_unique<ws_client>(chatd_->port(), std::move(opts)); }
  // A connected guest that has said hello.
  std::unique_ptr<ws_client> guest() {
    auto c = connect();
    c->hello();
    return c;
  }
  static nlohmann::json send_frame(std::string const& room, std::string const& text, std::string const& client_id) {
    return {{"type", "send"}, {"room", room}, {"text", text}, {"client_id", client_id}};
  }

  // One value from the test's own database.
  std::string scalar(std::string const& sql) const {
    pqxx::connection conn(db_.url());
    pqxx::nontransaction tx(conn);
    return tx.exec1(sql)[0].c_str();
  }

  // Polls `condition` until it holds or `within` passes; returns whether it held.
  template <class Condition>
  static bool eventually(Condition condition, std::chrono::milliseconds within = std::chrono::seconds(10)) {
    auto const deadline = std::chrono::steady_clock::now() + within;
    while (!condition()) {
      if (std::chrono::steady_clock::now() > deadline) {
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
  }

  void TearDown() override {
    if (HasFailure() && chatd_) {
      std::cerr << "---- chatd log ----\n" << chatd_->log().substr(0, 20000) << "\n";
    }
  }

  test_database db_;
  std::unique_ptr<chatd_process> chatd_;
};

}  // namespace chatd::test
