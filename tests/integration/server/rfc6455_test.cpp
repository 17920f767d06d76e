// A conformance subset of RFC 6455 over a raw TCP socket (the Autobahn suite cannot run here):
// framing, fragmentation, control frames, UTF-8 and size checks, and the close handshake.
#include "server_fixture.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include <sys/socket.h>

namespace chatd::test {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct frame {
  bool fin = true;
  int opcode = 0;
  std::string payload;
};

class raw_socket {
 public:
  explicit raw_socket(std::uint16_t port) : socket_(ioc_) {
    socket_.connect({asio::ip::make_address("127.0.0.1"), port});
    timeval tv{5, 0};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string const request =
        "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    asio::write(socket_, asio::buffer(request));
    asio::read_until(socket_, buffer_, "\r\n\r\n");
    std::string head(asio::buffers_begin(buffer_.data()), asio::buffers_begin(buffer_.data()) + static_cast<std::ptrdiff_t>(buffer_.size()));
    auto const end = head.find("\r\n\r\n") + 4;
    status_line = head.substr(0, head.find("\r\n"));
    buffer_.consume(end);
  }

  void write_frame(int opcode, std::string const& payload, bool fin = true, bool mask = true) {
    std::string out;
    out.push_back(static_cast<char>((fin ? 0x80 : 0) | opcode));
    auto const size = payload.size();
    char const mask_bit = mask ? char(0x80) : char(0);
    if (size < 126) {
      out.push_back(static_cast<char>(mask_bit | static_cast<char>(size)));
    } else if (size < 65536) {
      out.push_back(static_cast<char>(mask_bit | 126));
      out.push_back(static_cast<char>(size >> 8));
      out.push_back(static_cast<char>(size & 0xFF));
    } else {
      out.push_back(static_cast<char>(mask_bit | 127));
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.push_back(static_cast<char>((size >> shift) & 0xFF));
      }
    }
    unsigned char const key[4] = {0x12, 0x34, 0x56, 0x78};
    if (mask) {
      out.append(reinterpret_cast<char const*>(key), 4);
    }
    for (std::size_t i = 0; i < size; ++i) {
      out.push_back(mask ? static_cast<char>(payload[i] ^ key[i % 4]) : payload[i]);
    }
    asio::write(socket_, asio::buffer(out));
  }

  // The next frame from the server (servers never mask); nullopt when the connection ends.
  std::optional<frame> read_frame() {
    try {
      auto head = read_bytes(2);
      frame f{(head[0] & 0x80) != 0, head[0] & 0x0F, {}};
      EXPECT_EQ(head[1] & 0x80, 0) << "server frames must not be masked";
      std::uint64_t size = head[1] & 0x7F;
      if (size == 126) {
        auto ext = read_bytes(2);
        size = (std::uint64_t(ext[0]) << 8) | ext[1];
      } else if (size == 127) {
        auto ext = read_bytes(8);
        size = 0;
        for (auto b : ext) {
          size = (size << 8) | b;
        }
      }
      auto body = read_bytes(size);
      f.payload.assign(body.begin(), body.end());
      return f;
    } catch (std::exception const&) {
      return std::nullopt;
    }
  }

  // Reads frames until a close frame; returns its status code (0 if the socket just ended).
  int read_close_code() {
    while (auto f = read_frame()) {
      if (f->opcode == 0x8) {
        return f->payload.size() >= 2 ? (static_cast<unsigned char>(f->payload[0]) << 8) | static_cast<unsigned char>(f->payload[1]) : 1005;
      }
    }
    return 0;
  }

  // The next text frame's JSON.
  nlohmann::json read_json() {
    while (auto f = read_frame()) {
      if (f->opcode == 0x1) {
        return nlohmann::json::parse(f->payload);
      }
    }
    throw std::runtime_error("connection ended before a text frame");
  }

  std::string status_line;

 private:
  std::vector<unsigned char> read_bytes(std::size_t n) {
    if (buffer_.size() < n) {
      asio::read(socket_, buffer_, asio::transfer_at_least(n - buffer_.size()));
    }
    std::vector<unsigned char> out(asio::buffers_begin(buffer_.data()), asio::buffers_begin(buffer_.data()) + static_cast<std::ptrdiff_t>(n));
    buffer_.consume(n);
    return out;
  }

  asio::io_context ioc_;
  tcp::socket socket_;
  asio::streambuf buffer_;
};

constexpr int text = 0x1, binary = 0x2, continuation = 0x0, close_op = 0x8, ping = 0x9, pong = 0xA;

using rfc6455 = server_test;

TEST_F(rfc6455, handshake_switches_protocols) {
  start();
  raw_socket s(chatd_->port());
  EXPECT_EQ(s.status_line, "HTTP/1.1 101 Switching Protocols");
}

TEST_F(rfc6455, fragmented_text_message_is_reassembled) {
  start();
  raw_socket s(chatd_->port());
  s.write_frame(text, R"({"type":"hel)", false);
  s.write_frame(ping, "mid-message ping");  // control frames may interleave with fragments
  s.write_frame(continuation, R"(lo","token")", false);
  s.write_frame(continuation, ":null}", true);
  auto f = s.read_frame();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->opcode, pong);
  EXPECT_EQ(f->payload, "mid-message ping");
  EXPECT_EQ(s.read_json()["type"], "welcome");
}

TEST_F(rfc6455, unmasked_client_frame_is_a_protocol_error) {
  start();
  raw_socket s(chatd_->port());
  s.write_frame(text, R"({"type":"ping"})", true, false);
  EXPECT_EQ(s.read_close_code(), 1002);
}

TEST_F(rfc6455, reserved_opcode_is_a_protocol_error) {
  start();
  raw_socket s(chatd_->port());
  s.write_frame(0x3, "x");
  EXPECT_EQ(s.read_close_code(), 1002);
}

TEST_F(rfc6455, continuation_without_a_start_is_a_protocol_error) {
  start();
  raw_socket s(chatd_->port());
  s.write_frame(continuation, "x");
  EXPECT_EQ(s.read_close_code(), 1002);
}

TEST_F(rfc6455, invalid_utf8_closes_with_1007) {
  start();
  raw_socket s(chatd_->port());
  s.write_frame(text, std::string("{\"type\":\"\xC0\xAF\"}"));
  EXPECT_EQ(s.read_close_code(), 1007);
}

TEST_F(rfc6455, oversized_message_closes_with_1009) {
  start();
  raw_socket s(chatd_->port());
  s.write_frame(text, std::string(20000, ' '));
  EXPECT_EQ(s.read_close_code(), 1009);
}

TEST_F(rfc6455, binary_message_closes_with_1003) {
  start();
  raw_socket s(chatd_->port());
  s.write_frame(binary, "\x01\x02");
  EXPECT_EQ(s.read_close_code(), 1003);
}

TEST_F(rfc6455, close_handshake_echoes_the_code) {
  start();
  raw_socket s(chatd_->port());
  s.write_frame(close_op, std::string("\x03\xE8", 2) + "bye");
  EXPECT_EQ(s.read_close_code(), 1000);
}

TEST_F(rfc6455, oversized_control_frame_is_a_protocol_error) {
  start();
  raw_socket s(chatd_->port());
  s.write_frame(ping, std::string(126, 'p'));
  EXPECT_EQ(s.read_close_code(), 1002);
}

}  // namespace
}  // namespace chatd::test
