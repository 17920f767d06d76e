#include <chatd/ws/gathering_socket.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace chatd::ws {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

std::string header_of(std::size_t payload_size) {
  unsigned char out[10];
  auto n = text_frame_header(payload_size, out);
  return {reinterpret_cast<char const*>(out), n};
}

TEST(text_frame_header, uses_the_shortest_length_encoding) {
  EXPECT_EQ(header_of(0), std::string("\x81\x00", 2));
  EXPECT_EQ(header_of(125), std::string("\x81\x7d", 2));
  EXPECT_EQ(header_of(126), std::string("\x81\x7e\x00\x7e", 4));
  EXPECT_EQ(header_of(65535), std::string("\x81\x7e\xff\xff", 4));
  EXPECT_EQ(header_of(65536), std::string("\x81\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10));
}

// A connected pair on loopback: a gathering_socket on the server side, a plain socket on the other.
struct socket_pair {
  asio::io_context ioc;
  tcp::socket client{ioc};
  gathering_socket server{tcp::socket(ioc)};

  socket_pair() {
    tcp::acceptor acceptor(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    client.connect(acceptor.local_endpoint());
    acceptor.accept(server.next_layer());
  }
};

TEST(gathering_socket, sends_queued_messages_as_valid_frames_in_order) {
  socket_pair p;
  std::vector<std::string> sent = {"{\"type\":\"a\"}", std::string(300, 'x'), std::string(70000, 'y'), ""};
  for (auto const& m : sent) {
    p.server.append_text(m);
  }
  beast::error_code drained{asio::error::would_block};
  p.server.async_drain([&](beast::error_code ec) { drained = ec; });
  p.ioc.run();
  EXPECT_FALSE(drained);

  std::string expected;
  for (auto const& m : sent) {
    expected += header_of(m.size()) + m;
  }
  std::string received(expected.size(), '\0');
  asio::read(p.client, asio::buffer(received));
  EXPECT_EQ(received, expected);
}

TEST(gathering_socket, beast_writes_in_between_keep_whole_frames) {
  socket_pair p;
  p.server.append_text("first");
  bool beast_write_done = false;
  // What Beast does for a pong: one write of a whole control frame, here while "first" is pending.
  std::string const pong("\x8a\x00", 2);
  p.server.async_write_some(asio::buffer(pong), [&](beast::error_code ec, std::size_t n) {
    EXPECT_FALSE(ec);
    EXPECT_EQ(n, pong.size());
    beast_write_done = true;
  });
  p.server.append_text("second");
  bool drained = false;
  p.server.async_drain([&](beast::error_code ec) {
    EXPECT_FALSE(ec);
    drained = true;
  });
  p.ioc.run();
  EXPECT_TRUE(beast_write_done);
  EXPECT_TRUE(drained);
  auto const expected = header_of(5) + "first" + pong + header_of(6) + "second";
  std::string received(expected.size(), '\0');
  asio::read(p.client, asio::buffer(received));
  EXPECT_EQ(received, expected);
}

TEST(gathering_socket, a_failed_write_fails_the_drain_and_every_later_write) {
  socket_pair p;
  p.client.set_option(asio::socket_base::linger(true, 0));
  p.client.close();  // reset: the server's writes fail
  beast::error_code first;
  // Enough data that the write cannot vanish into the socket buffer before the reset is seen.
  for (int i = 0; i < 64; ++i) {
    p.server.append_text(std::string(60000, 'z'));
  }
  p.server.async_drain([&](beast::error_code ec) { first = ec; });
  p.ioc.run();
  ASSERT_TRUE(first);
  p.ioc.restart();
  beast::error_code later;
  p.server.async_write_some(asio::buffer(std::string("x")), [&](beast::error_code ec, std::size_t) { later = ec; });
  beast::error_code drained_later;
  p.server.async_drain([&](beast::error_code ec) { drained_later = ec; });
  p.ioc.run();
  EXPECT_EQ(later, first);
  EXPECT_EQ(drained_later, first);
}

TEST(gathering_socket, drains_at_once_when_nothing_is_pending) {
  socket_pair p;
  bool drained = false;
  p.server.async_drain([&](beast::error_code ec) {
    EXPECT_FALSE(ec);
    drained = true;
  });
  EXPECT_FALSE(drained);  // never inline: the caller's state may not be ready for it yet
  p.ioc.run();
  EXPECT_TRUE(drained);
}

}  // namespace
}  // namespace chatd::ws
