#include "server_fixture.hpp"

namespace chatd::test {
namespace {

using lifecycle = server_test;

TEST_F(lifecycle, sigterm_says_going_away_to_every_client_and_exits_zero) {
  start({{"CHATD_DRAIN_SECONDS", "5"}});
  auto a = guest();
  auto b = guest();
  a->join("bye");
  b->join("bye");
  a->send(send_frame("bye", "last words", "lw"));
  a->expect("ack");
  ::kill(chatd_->pid(), SIGTERM);
  EXPECT_EQ(a->wait_for_close(), 1001);
  EXPECT_EQ(b->wait_for_close(), 1001);
  EXPECT_EQ(chatd_->terminate(std::chrono::seconds(10)), 0);
  EXPECT_EQ(scalar("select count(*) from messages"), "1");
}

TEST_F(lifecycle, history_survives_a_restart) {
  start();
  {
    auto a = guest();
    a->join("keep");
    a->send(send_frame("keep", "remember me", "k1"));
    a->expect("ack");
  }
  EXPECT_EQ(chatd_->terminate(), 0);
  start();
  auto b = guest();
  auto [joined, history] = b->join("keep");
  EXPECT_EQ(joined["last_seq"], 1);
  ASSERT_EQ(history["messages"].size(), 1u);
  EXPECT_EQ(history["messages"][0]["text"], "remember me");
}

TEST_F(lifecycle, bad_configuration_stops_start_up_with_a_clear_message) {
  EXPECT_THROW(chatd_process(db_.url(), {{"CHATD_PORT", "70000"}}), std::runtime_error);
  try {
    chatd_process p(db_.url(), {{"CHATD_ALLOWED_ORIGINS", "jungyu.store"}});
    FAIL() << "started with a bad origin";
  } catch (std::runtime_error const& e) {
    EXPECT_NE(std::string(e.what()).find("scheme://host"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace chatd::test
