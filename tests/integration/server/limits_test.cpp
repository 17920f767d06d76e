#include "server_fixture.hpp"

#include <boost/asio/write.hpp>
#include <sys/socket.h>
#include <boost/beast/core/error.hpp>

namespace chatd::test {
namespace {

using limits = server_test;

int upgrade_status(std::uint16_t port, ws_client::options opts) {
  try {
    ws_client c(port, std::move(opts));
    return 101;
  } catch (boost::system::system_error const& e) {
    return -1;  // refused; the HTTP status is checked separately with http_request
  }
}

int raw_upgrade(std::uint16_t port, std::string const& origin, std::string const& host) {
  return http_request(port, "GET", "/ws",
                      {{"Host", host},
                       {"Origin", origin},
                       {"Connection", "Upgrade"},
                       {"Upgrade", "websocket"},
                       {"Sec-WebSocket-Version", "13"},
                       {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}})
      .status;
}

TEST_F(limits, origins_outside_the_allowlist_get_403_and_same_origin_is_accepted) {
  start({{"CHATD_ALLOWED_ORIGINS", "https://jungyu.store, https://www.jungyu.store"}});
  auto const port = chatd_->port();
  EXPECT_EQ(raw_upgrade(port, "https://evil.example", "chat.jungyu.store"), 403);
  EXPECT_EQ(raw_upgrade(port, "https://jungyu.store.evil.example", "chat.jungyu.store"), 403);
  EXPECT_EQ(raw_upgrade(port, "null", "chat.jungyu.store"), 403);
  EXPECT_EQ(raw_upgrade(port, "https://jungyu.store", "chat.jungyu.store"), 101);
  EXPECT_EQ(raw_upgrade(port, "https://WWW.jungyu.store:443", "chat.jungyu.store"), 101);
  // The iframe page is served by chatd itself: its socket carries chatd's own origin.
  EXPECT_EQ(raw_upgrade(port, "https://chat.jungyu.store", "chat.jungyu.store"), 101);
  EXPECT_EQ(upgrade_status(port, {.origin = "http://localhost:3000"}), -1);
  EXPECT_GE(chatd_->metric("chatd_connections_rejected_total{reason=\"origin\"}"), 4);
}

TEST_F(limits, unset_allowlist_accepts_only_localhost_origins) {
  start();
  EXPECT_EQ(raw_upgrade(chatd_->port(), "http://localhost:5173", "127.0.0.1"), 101);
  EXPECT_EQ(raw_upgrade(chatd_->port(), "https://jungyu.store", "127.0.0.1"), 403);
}

TEST_F(limits, connections_per_address_are_capped) {
  start({{"CHATD_MAX_CONNECTIONS_PER_IP", "2"}});
  auto a = connect();
  auto b = connect();
  EXPECT_EQ(raw_upgrade(chatd_->port(), "", "127.0.0.1"), 429);
  b.reset();
  // The slot comes back once the server has seen the close.
  EXPECT_TRUE(eventually([&] { return raw_upgrade(chatd_->port(), "", "127.0.0.1") == 101; }));
}

TEST_F(limits, oversized_frames_close_with_1009) {
  start();
  auto c = guest();
  c->send_text(std::string(17 * 1024, 'x'));
  EXPECT_EQ(c->wait_for_close(), 1009);
}

TEST_F(limits, a_slow_consumer_is_cut_off_without_slowing_the_room) {
  start({{"CHATD_SEND_BURST", "100000"}, {"CHATD_SEND_PER_SECOND", "100000"}, {"CHATD_SEND_QUEUE_FRAMES", "64"}});
  auto slow = connect();
  slow->stop_reading_socket_buffer(4096);
  slow->hello();
  slow->join("flood");
  auto fast = guest();
  fast->join("flood");
  std::string const text(1900, 'z');
  // The fast member sends in chunks and reads its own acks, as a real client does; the slow one
  // reads nothing. Several MB eventually fill the kernel buffers and then the slow queue.
  constexpr int chunk = 20;
  int sent = 0;
  for (int round = 0; round < 150 && chatd_->metric("chatd_queue_drops_total") < 1; ++round) {
    for (int i = 0; i < chunk; ++i, ++sent) {
      fast->send(send_frame("flood", text, "f" + std::to_string(sent)));
    }
    for (int acks = 0; acks < chunk;) {
      auto frame = fast->receive();
      ASSERT_TRUE(frame) << "the fast member stalled after " << sent << " sends";
      acks += (*frame)["type"] == "ack";
    }
  }
  EXPECT_GE(chatd_->metric("chatd_queue_drops_total"), 1);
  EXPECT_TRUE(eventually([&] { return chatd_->metric("chatd_connections_open") == 1; }));
}

TEST_F(limits, slowloris_requests_are_closed_after_the_handshake_timeout) {
  start({{"CHATD_HANDSHAKE_TIMEOUT_SECONDS", "1"}});
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket socket(ioc);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), chatd_->port()});
  boost::asio::write(socket, boost::asio::buffer(std::string("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")));
  timeval patience{5, 0};  // without the server's timeout the read fails with EAGAIN instead of hanging
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof patience);
  auto const started = std::chrono::steady_clock::now();
  char byte = 0;
  boost::system::error_code ec;
  socket.read_some(boost::asio::buffer(&byte, 1), ec);  // blocks until the server gives up on us
  EXPECT_EQ(ec, boost::asio::error::eof);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

}  // namespace
}  // namespace chatd::test
