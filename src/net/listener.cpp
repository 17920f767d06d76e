#include <chatd/net/listener.hpp>

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <spdlog/spdlog.h>

namespace chatd::net {

namespace asio = boost::asio;
namespace beast = boost::beast;

listener::listener(asio::io_context& ioc, asio::ip::tcp::endpoint endpoint, std::shared_ptr<shared_state> state, port_role role)
    : ioc_(ioc), acceptor_(asio::make_strand(ioc)), retry_timer_(acceptor_.get_executor()), state_(std::move(state)), role_(role) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
}

void listener::run() { do_accept(); }

void listener::stop() {
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
    beast::error_code ec;
    self->acceptor_.close(ec);
    self->retry_timer_.cancel();
  });
}

void listener::do_accept() {
  acceptor_.async_accept(asio::make_strand(ioc_), beast::bind_front_handler(&listener::on_accept, shared_from_this()));
}

void listener::on_accept(beast::error_code ec, asio::ip::tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor_.is_open()) {
    return;
  }
  if (ec) {
    // Out of descriptors, say: retrying at once would spin. Wait a little, then accept again.
    spdlog::warn("accept failed: {}", ec.message());
    retry_timer_.expires_after(std::chrono::milliseconds(100));
    retry_timer_.async_wait([self = shared_from_this()](beast::error_code) { self->do_accept(); });
    return;
  }
  socket.set_option(asio::ip::tcp::no_delay(true), ec);
  std::make_shared<http_session>(std::move(socket), state_, role_)->run();
  do_accept();
}

}  // namespace chatd::net
