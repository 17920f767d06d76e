#pragma once

#include "run_context.hpp"
#include "run_stats.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <cstddef>
#include <deque>
#include <memory>
#include <string>
#include <string_view>

namespace chatd::bench {

// One simulated guest: connect, upgrade at /ws, hello -> welcome, join -> joined + history, then
// read forever, timing every stamped `message` and `ack`; a sender also sends when its worker's
// pacer says so. Lives on one worker's single-threaded io_context, so it needs no strand or lock.
class client : public std::enable_shared_from_this<client> {
 public:
  struct identity {
    std::size_t index = 0;  // global client number, part of every client_id
    std::string room;
    int replica = 0;        // which --replicas entry it talks to
    bool sender = false;
    std::size_t room_members = 0;  // receivers of each message it sends
  };

  client(boost::asio::io_context& ioc, run_context& ctx, run_stats& stats, identity id, boost::asio::ip::tcp::endpoint target,
         std::string host_header);

  void start();
  // Queues one stamped `send`; false when the client is not ready to send.
  bool send_message();
  bool ready() const { return phase_ == phase::ready; }
  bool sender() const { return id_.sender; }

 private:
  enum class phase { idle, connecting, handshaking, greeting, joining, ready, closed };

  void on_connect(boost::beast::error_code ec);
  void on_handshake(boost::beast::error_code ec);
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void handle(std::string_view frame);
  void on_message(std::string_view frame);
  void on_ack(std::string_view frame);
  void on_error_frame(std::string_view frame);
  void write(std::string frame);
  void do_write();
  void on_write(boost::beast::error_code ec, std::size_t bytes);
  void fail(std::string const& stage);

  // Frames the client itself may have queued before it counts sends as dropped: the server is not
  // reading, and queueing more would only measure the generator's memory.
  static constexpr std::size_t write_backlog_limit = 4096;

  run_context& ctx_;
  run_stats& stats_;
  identity id_;
  boost::asio::ip::tcp::endpoint target_;
  std::string host_header_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::websocket::response_type upgrade_response_;
  boost::beast::flat_buffer buffer_;
  std::deque<std::string> out_;
  bool writing_ = false;
  bool got_joined_ = false;
  phase phase_ = phase::idle;
};

}  // namespace chatd::bench
