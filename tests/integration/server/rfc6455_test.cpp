// A conformance subset of RFC 6455 over a raw TCP socket (the Autobahn suite cannot run here):
// framing, fragmentation, control frames, UTF-8 and size checks, and the close handshake.
#include "server_fixture.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include <sys/socket.h>

#include <chrono>
#include <thread>

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
    response_head = head.substr(0, end);
    buffer_.consume(end);
  }

  void set_timeout(std::chrono::seconds timeout) {
    timeval tv{static_cast<time_t>(timeout.count()), 0};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }

  // Raw bytes, for headers that write_frame would not produce.
  void write_raw(std::string const& bytes) { asio::write(socket_, asio::buffer(bytes)); }

  void write_frame(int opcode, std::string const& payload, bool fin = true, bool mask = true, int rsv = 0) {
    std::string out;
    out.push_back(static_cast<char>((fin ? 0x80 : 0) | (rsv << 4) | opcode));
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
    } catch (boost::system::system_error const& e) {
      ended_by_eof = e.code() == asio::error::eof;
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
  std::string response_head;
  bool ended_by_eof = false;  // the last read_frame found the connection closed (not a timeout)

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

// The close code chatd answers a single frame with, on a connection of its own.
int close_code_for(std::uint16_t port, int opcode, std::string const& payload, bool mask = true, int rsv = 0) {
  raw_socket s(port);
  s.write_frame(opcode, payload, true, mask, rsv);
  return s.read_close_code();
}

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
  EXPECT_EQ(close_code_for(chatd_->port(), text, R"({"type":"ping"})", false), 1002);
}

TEST_F(rfc6455, reserved_opcode_is_a_protocol_error) {
  start();
  EXPECT_EQ(close_code_for(chatd_->port(), 0x3, "x"), 1002);
}

TEST_F(rfc6455, continuation_without_a_start_is_a_protocol_error) {
  start();
  EXPECT_EQ(close_code_for(chatd_->port(), continuation, "x"), 1002);
}

TEST_F(rfc6455, invalid_utf8_closes_with_1007) {
  start();
  EXPECT_EQ(close_code_for(chatd_->port(), text, std::string("{\"type\":\"\xC0\xAF\"}")), 1007);
}

TEST_F(rfc6455, oversized_message_closes_with_1009) {
  start();
  EXPECT_EQ(close_code_for(chatd_->port(), text, std::string(20000, ' ')), 1009);
}

TEST_F(rfc6455, binary_message_closes_with_1003) {
  start();
  EXPECT_EQ(close_code_for(chatd_->port(), binary, "\x01\x02"), 1003);
}

TEST_F(rfc6455, close_handshake_echoes_the_code) {
  start();
  EXPECT_EQ(close_code_for(chatd_->port(), close_op, std::string("\x03\xE8", 2) + "bye"), 1000);
}

TEST_F(rfc6455, oversized_control_frame_is_a_protocol_error) {
  start();
  EXPECT_EQ(close_code_for(chatd_->port(), ping, std::string(126, 'p')), 1002);
}

TEST_F(rfc6455, handshake_answers_with_the_accept_value_and_names_chatd) {
  start();
  raw_socket s(chatd_->port());
  // RFC 6455 section 1.3's example key and its accept value.
  EXPECT_NE(s.response_head.find("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), std::string::npos) << s.response_head;
  EXPECT_NE(s.response_head.find("\r\nServer: chatd\r\n"), std::string::npos) << s.response_head;
}

TEST_F(rfc6455, handshake_with_another_version_gets_426_naming_13) {
  start();
  auto const r = http_request(chatd_->port(), "GET", "/ws",
                              {{"Connection", "Upgrade"}, {"Upgrade", "websocket"}, {"Sec-WebSocket-Version", "8"},
                               {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}});
  EXPECT_EQ(r.status, 426);
  EXPECT_EQ(r.header("Sec-WebSocket-Version"), "13");
}

TEST_F(rfc6455, handshake_with_a_bad_key_gets_400) {
  start();
  auto const r = http_request(chatd_->port(), "GET", "/ws",
                              {{"Connection", "Upgrade"}, {"Upgrade", "websocket"}, {"Sec-WebSocket-Version", "13"},
                               {"Sec-WebSocket-Key", "not a key"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(chatd_->metric("chatd_connections_total"), 0);
}

TEST_F(rfc6455, ping_gets_a_pong_with_its_payload) {
  start();
  raw_socket s(chatd_->port());
  s.write_frame(ping, "are you there");
  auto f = s.read_frame();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->opcode, pong);
  EXPECT_EQ(f->payload, "are you there");
  s.write_frame(pong, "unsolicited");  // ignored, as section 5.5.3 allows
  s.write_frame(text, R"({"type":"ping"})");
  EXPECT_EQ(s.read_json()["type"], "pong");
}

TEST_F(rfc6455, a_flood_of_pings_from_a_client_that_does_not_read_is_answered_in_order) {
  start();
  raw_socket s(chatd_->port());
  // Far more pongs than the socket buffers hold: the server must stop reading until it can write,
  // rather than buffer without bound, and lose or reorder none.
  constexpr int pings = 8000;
  std::thread writer([&] {
    for (int i = 0; i < pings; ++i) {
      s.write_frame(ping, std::to_string(i) + std::string(100, '.'));
    }
  });
  int in_order = 0;
  for (int i = 0; i < pings; ++i) {
    auto f = s.read_frame();
    if (!f || f->opcode != pong || f->payload != std::to_string(i) + std::string(100, '.')) {
      break;
    }
    ++in_order;
  }
  writer.join();
  EXPECT_EQ(in_order, pings);
  s.write_frame(text, R"({"type":"ping"})");
  EXPECT_EQ(s.read_json()["type"], "pong");
}

TEST_F(rfc6455, utf8_split_across_fragments_is_reassembled) {
  start();
  raw_socket s(chatd_->port());
  s.write_frame(text, "{\"type\":\"ping\",\"note\":\"\xE2", false);
  s.write_frame(continuation, "\x82", false);
  s.write_frame(continuation, "\xAC\"}", true);
  EXPECT_EQ(s.read_json()["type"], "pong");
}

TEST_F(rfc6455, a_new_message_inside_a_fragmented_one_is_a_protocol_error) {
  start();
  raw_socket s(chatd_->port());
  s.write_frame(text, R"({"type":)", false);
  s.write_frame(text, R"({"type":"ping"})");
  EXPECT_EQ(s.read_close_code(), 1002);
}

TEST_F(rfc6455, reserved_bits_are_a_protocol_error) {
  start();
  EXPECT_EQ(close_code_for(chatd_->port(), text, R"({"type":"ping"})", true, 4), 1002);
}

TEST_F(rfc6455, an_oversized_length_is_refused_from_the_header_alone) {
  start();
  raw_socket s(chatd_->port());
  // A 1 TiB text frame: header and mask key only. The answer cannot wait for the payload.
  s.write_raw(std::string("\x81\xFF\x00\x00\x01\x00\x00\x00\x00\x00\x12\x34\x56\x78", 14));
  EXPECT_EQ(s.read_close_code(), 1009);
}

TEST_F(rfc6455, a_message_over_the_limit_in_fragments_closes_with_1009) {
  start();
  raw_socket s(chatd_->port());
  s.write_frame(text, std::string(10000, ' '), false);
  s.write_frame(continuation, std::string(10000, ' '), true);
  EXPECT_EQ(s.read_close_code(), 1009);
}

TEST_F(rfc6455, a_close_without_a_code_is_answered_and_the_server_closes_the_connection) {
  start();
  raw_socket s(chatd_->port());
  s.write_frame(close_op, "");
  EXPECT_EQ(s.read_close_code(), 1000);
  EXPECT_FALSE(s.read_frame());
  EXPECT_TRUE(s.ended_by_eof) << "the server closes TCP once both close frames are through";
}

TEST_F(rfc6455, close_frames_with_a_bad_code_or_reason_are_refused) {
  start();
  EXPECT_EQ(close_code_for(chatd_->port(), close_op, std::string("\x03\xED", 2)), 1002);  // 1005 may not be sent
  EXPECT_EQ(close_code_for(chatd_->port(), close_op, std::string("\x03\xE8\xC0\xAF", 4)), 1007);
  EXPECT_EQ(close_code_for(chatd_->port(), close_op, "\x03"), 1002);
}

TEST_F(rfc6455, after_its_close_frame_the_server_sends_nothing_and_ends_the_connection) {
  start();
  raw_socket s(chatd_->port());
  s.write_frame(binary, "\x01");
  EXPECT_EQ(s.read_close_code(), 1003);
  // The client's own data and pings after the server's close get no answer.
  s.write_frame(ping, "late");
  s.write_frame(close_op, std::string("\x03\xE8", 2));
  EXPECT_FALSE(s.read_frame());
  EXPECT_TRUE(s.ended_by_eof);
}

TEST_F(rfc6455, a_silent_client_is_pinged_then_dropped_and_one_that_answers_stays) {
  start({{"CHATD_IDLE_TIMEOUT_SECONDS", "5"}});
  raw_socket silent(chatd_->port());
  raw_socket answering(chatd_->port());
  silent.set_timeout(std::chrono::seconds(10));
  answering.set_timeout(std::chrono::seconds(10));
  auto const started = std::chrono::steady_clock::now();
  auto f = answering.read_frame();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->opcode, ping);
  answering.write_frame(pong, f->payload);
  auto const pinged_after = std::chrono::steady_clock::now() - started;
  auto g = silent.read_frame();
  ASSERT_TRUE(g);
  EXPECT_EQ(g->opcode, ping);
  // Pinged once silent for half the idle timeout, dropped once silent for the whole: with no close
  // frame, as a dead peer could not read one.
  EXPECT_FALSE(silent.read_frame());
  EXPECT_TRUE(silent.ended_by_eof);
  auto const dropped_after = std::chrono::steady_clock::now() - started;
  EXPECT_GE(pinged_after, std::chrono::milliseconds(2000));
  EXPECT_GE(dropped_after, std::chrono::milliseconds(4500));
  EXPECT_LE(dropped_after, std::chrono::milliseconds(7000));
  answering.write_frame(text, R"({"type":"ping"})");
  EXPECT_EQ(answering.read_json()["type"], "pong");
}

}  // namespace
}  // namespace chatd::test
