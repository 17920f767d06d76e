#include "server_fixture.hpp"

#include <thread>

namespace chatd::test {
namespace {

using errors = server_test;

std::string code_of(ws_client& c) { return c.expect("error")["code"]; }

TEST_F(errors, frames_before_hello_are_unauthorized) {
  start();
  auto c = connect();
  c->send({{"type", "join"}, {"room", "r"}, {"since", 0}});
  EXPECT_EQ(code_of(*c), "unauthorized");
  c->hello();  // the connection is still usable
}

TEST_F(errors, malformed_frames_are_bad_requests_and_keep_the_connection) {
  start();
  auto c = guest();
  for (std::string const bad : {"not json", "[1,2]", R"({"type":42})", R"({"type":"dance"})", R"({"type":"join"})",
                                R"({"type":"join","room":""})", R"({"type":"join","room":"a\u0000b"})",
                                R"({"type":"send","room":"r","text":"x"})", R"({"type":"history","room":"r","before":1,"after":2})",
                                R"({"a":[[[[[[[[[[[[1]]]]]]]]]]]]})"}) {
    c->send_text(bad);
    EXPECT_EQ(code_of(*c), "bad_request") << bad;
  }
  c->join("still-works");
}

TEST_F(errors, invalid_text_is_refused_with_the_client_id_as_ref) {
  start();
  auto c = guest();
  c->join("r");
  c->send(send_frame("r", "   ", "blank"));
  auto blank = c->expect("error");
  EXPECT_EQ(blank["code"], "bad_request");
  EXPECT_EQ(blank["ref"], "blank");
  c->send(send_frame("r", std::string(2001, 'x'), "long"));
  EXPECT_EQ(c->expect("error")["ref"], "long");
  // Exactly 2000 Korean characters (6000 bytes) is fine.
  std::string korean;
  for (int i = 0; i < 2000; ++i) {
    korean += "가";
  }
  c->send(send_frame("r", korean, "max"));
  EXPECT_EQ(c->expect("ack")["client_id"], "max");
}

TEST_F(errors, sending_or_typing_outside_a_joined_room_is_not_joined) {
  start();
  auto c = guest();
  c->send(send_frame("elsewhere", "hi", "n1"));
  auto error = c->expect("error");
  EXPECT_EQ(error["code"], "not_joined");
  EXPECT_EQ(error["ref"], "n1");
  c->send({{"type", "typing"}, {"room", "elsewhere"}});
  EXPECT_EQ(code_of(*c), "not_joined");
  c->send({{"type", "history"}, {"room", "elsewhere"}, {"before", 5}});
  EXPECT_EQ(code_of(*c), "not_joined");
}

TEST_F(errors, too_many_rooms_and_too_large_pages_are_too_large) {
  start({{"CHATD_MAX_ROOMS_PER_CONNECTION", "2"}});
  auto c = guest();
  c->join("a");
  c->join("b");
  c->send({{"type", "join"}, {"room", "c"}, {"since", 0}});
  EXPECT_EQ(code_of(*c), "too_large");
  c->send({{"type", "history"}, {"room", "a"}, {"before", 10}, {"limit", 101}});
  EXPECT_EQ(code_of(*c), "too_large");
}

TEST_F(errors, a_burst_beyond_the_bucket_is_rate_limited) {
  start();  // default: burst 5, 1 per second
  auto c = guest();
  c->join("r");
  for (int i = 0; i < 6; ++i) {
    c->send(send_frame("r", "hi", "b" + std::to_string(i)));
  }
  auto error = c->expect("error");
  EXPECT_EQ(error["code"], "rate_limited");
  EXPECT_EQ(error["ref"], "b5");
  EXPECT_GE(chatd_->metric("chatd_rate_limited_total{kind=\"send\"}"), 1);
}

TEST_F(errors, database_outage_refuses_sends_fails_readiness_and_recovers) {
  start();
  auto c = guest();
  c->join("r");
  db_.allow_connections(false);
  db_.terminate_connections();
  c->send(send_frame("r", "during outage", "o1"));
  auto error = c->expect("error");
  EXPECT_EQ(error["code"], "unavailable");
  EXPECT_EQ(error["ref"], "o1");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (http_request(chatd_->metrics_port(), "GET", "/readyz").status == 200 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(http_request(chatd_->metrics_port(), "GET", "/readyz").status, 503);

  db_.allow_connections(true);
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  bool acked = false;
  int attempt = 0;
  while (!acked && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // stays inside the rate limit
    c->send(send_frame("r", "during outage", "o1"));  // the same client_id, as a client retries
    auto reply = c->receive();
    acked = reply && (*reply)["type"] == "ack";
    ++attempt;
  }
  ASSERT_TRUE(acked) << "no ack after " << attempt << " retries";
  EXPECT_EQ(scalar("select count(*) from messages"), "1");
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (http_request(chatd_->metrics_port(), "GET", "/readyz").status != 200 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(http_request(chatd_->metrics_port(), "GET", "/readyz").status, 200);
}

}  // namespace
}  // namespace chatd::test
