#pragma once

#include <chatd/net/http_session.hpp>
#include <chatd/net/shared_state.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>

namespace chatd::net {

// Accepts connections on one port and starts an http_session for each, on its own strand.
class listener : public std::enable_shared_from_this<listener> {
 public:
  // Throws boost::system::system_error when the address cannot be bound (a start-up failure).
  listener(boost::asio::io_context& ioc, boost::asio::ip::tcp::endpoint endpoint, std::shared_ptr<shared_state> state, port_role role);
  void run();
  void stop();  // closes the acceptor; open connections are left alone
  std::uint16_t port() const { return port_; }

 private:
  void do_accept();
  void on_accept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;  // paces accept after an error such as EMFILE
  std::shared_ptr<shared_state> state_;
  port_role role_;
  std::uint16_t port_;
};

}  // namespace chatd::net
