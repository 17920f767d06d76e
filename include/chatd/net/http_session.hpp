#pragma once

#include <chatd/net/http_types.hpp>
#include <chatd/net/shared_state.hpp>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>

#include <memory>
#include <optional>

namespace chatd::net {

// Which routes a port serves: the public port (web UI, REST, WebSocket upgrades) or the side port
// (metrics and probes).
enum class port_role { main, side };

// One HTTP/1.1 connection: reads requests one at a time (with keep-alive), routes them, and hands
// the socket to a websocket_session on an upgrade to /ws. All handlers run on the socket's strand.
class http_session : public std::enable_shared_from_this<http_session> {
 public:
  http_session(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<shared_state> state, port_role role);
  void run();

 private:
  // Headers beyond 8 KiB are not a browser's; bodies are small JSON (a profile update).
  static constexpr std::uint32_t header_limit = 8 * 1024;
  static constexpr std::uint64_t body_limit = 16 * 1024;

  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void upgrade(request&& req);
  void reply(response&& res);
  void on_write(bool keep_alive, boost::beast::error_code ec, std::size_t bytes);

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::shared_ptr<shared_state> state_;
  port_role role_;
  request_context context_;
  std::shared_ptr<response> pending_;
};

}  // namespace chatd::net
