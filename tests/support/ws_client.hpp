#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace chatd::test {

// A blocking WebSocket client for integration tests. Every read has a deadline (the socket's
// receive timeout), so a test that waits for a frame that never comes fails instead of hanging.
class ws_client {
 public:
  struct options {
    std::string origin;  // empty: no Origin header (a non-browser client)
    std::string cookie;
    std::string host_header;  // empty: 127.0.0.1:<port>
    std::chrono::milliseconds timeout{5000};
  };

  ws_client(std::uint16_t port, options opts);
  explicit ws_client(std::uint16_t port) : ws_client(port, options{}) {}
  ~ws_client();

  void send(nlohmann::json const& frame);
  void send_text(std::string const& text);
  // The next frame (one an earlier `expect` put aside first), or nullopt when the deadline passes
  // or the socket closes.
  std::optional<nlohmann::json> receive();
  // The first frame whose "type" is `type` and that `match` accepts; fails the test (throws) when
  // the deadline passes first. Frames of that type it passes over are dropped; frames of other
  // types are put aside for later calls, since the server does not order, say, an ack against
  // the broadcast of the same message.
  nlohmann::json expect(std::string const& type, std::function<bool(nlohmann::json const&)> const& match = {});
  // Sends hello, returns the welcome frame.
  nlohmann::json hello(std::optional<std::string> const& token = std::nullopt);
  // Joins and returns {joined, history}.
  // Without `since`, as a new visitor: the latest page.
  std::pair<nlohmann::json, nlohmann::json> join(std::string const& room, std::optional<std::int64_t> since = std::nullopt);
  // Reads until the server closes; returns the close code (0 when the TCP connection just ended).
  int wait_for_close();
  void close();
  void stop_reading_socket_buffer(int bytes);  // shrinks SO_RCVBUF to make a slow consumer

 private:
  std::optional<nlohmann::json> read_frame();

  boost::asio::io_context ioc_;
  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_;
  boost::beast::flat_buffer buffer_;
  std::deque<nlohmann::json> put_aside_;
  std::chrono::milliseconds timeout_;
};

// One HTTP/1.1 request over a fresh connection.
struct http_result {
  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string header(std::string const& name) const;
};
http_result http_request(std::uint16_t port, std::string const& method, std::string const& target,
                         std::vector<std::pair<std::string, std::string>> const& headers = {}, std::string const& body = {});

}  // namespace chatd::test
