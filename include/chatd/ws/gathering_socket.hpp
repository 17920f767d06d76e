#pragma once

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/websocket/teardown.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chatd::ws {

// The bytes before the payload of an unmasked, final WebSocket text frame (RFC 6455 section 5.2):
// what a server puts in front of a message. Returns how many of `out`'s bytes it used (2, 4 or 10).
std::size_t text_frame_header(std::size_t payload_size, unsigned char (&out)[10]);

// The TCP socket under a session's Beast WebSocket stream, gathering writes: the session appends
// whole pre-framed messages, Beast writes its own control frames (ping, pong, close) through
// async_write_some, and everything waiting goes out in one write. A session with many messages
// queued so costs one system call, not one per message, which is what fan-out to a large room
// spends its time on.
//
// Every write is copied whole into the pending buffer before its handler runs, so frames from the
// two writers never interleave. Beast's writes complete at once (the bytes are owned here), and the
// session learns that its batch left with async_drain. Threading: the session's strand only.
class gathering_socket {
 public:
  using socket_type = boost::asio::ip::tcp::socket;
  using executor_type = socket_type::executor_type;

  explicit gathering_socket(socket_type&& socket) : socket_(std::move(socket)) {}
  gathering_socket(gathering_socket&&) = default;

  executor_type get_executor() noexcept { return socket_.get_executor(); }
  socket_type& next_layer() noexcept { return socket_; }

  // Keeps the owner (the session) alive while a write is in flight: the write's handler uses this
  // object, and nothing else would hold the session once Beast's own write has completed.
  void set_owner(std::weak_ptr<void const> owner) { owner_ = std::move(owner); }

  // Queues one text message, framed. Nothing is sent until async_drain (or Beast's next write).
  void append_text(std::string_view payload);

  // Sends everything pending; `handler(error_code)` runs once nothing is pending or in flight, or
  // with the first write error. Later writes fail with that error.
  template <class Handler>
  void async_drain(Handler&& handler) {
    if (error_ || (!writing_ && pending_.empty())) {
      return complete_later(std::forward<Handler>(handler), error_);
    }
    drained_.emplace_back(std::forward<Handler>(handler));
    start_write();
  }

  template <class MutableBuffers, class Handler>
  void async_read_some(MutableBuffers const& buffers, Handler&& handler) {
    socket_.async_read_some(buffers, std::forward<Handler>(handler));
  }

  template <class ConstBuffers, class Handler>
  void async_write_some(ConstBuffers const& buffers, Handler&& handler) {
    auto const n = boost::asio::buffer_size(buffers);
    if (error_) {
      return complete_later(std::forward<Handler>(handler), error_, std::size_t{0});
    }
    auto const at = pending_.size();
    pending_.resize(at + n);
    boost::asio::buffer_copy(boost::asio::buffer(pending_.data() + at, n), buffers);
    start_write();
    complete_later(std::forward<Handler>(handler), boost::beast::error_code{}, n);
  }

 private:
  template <class Handler, class... Args>
  void complete_later(Handler&& handler, Args... args) {
    auto ex = boost::asio::get_associated_executor(handler, socket_.get_executor());
    boost::asio::post(ex, boost::beast::bind_front_handler(std::forward<Handler>(handler), args...));
  }
  void start_write();
  void on_written(boost::beast::error_code ec);

  socket_type socket_;
  std::weak_ptr<void const> owner_;
  std::string pending_;
  std::string in_flight_;
  bool writing_ = false;
  boost::beast::error_code error_;
  std::vector<boost::asio::any_completion_handler<void(boost::beast::error_code)>> drained_;
};

// Beast's close handshake ends with a teardown of the layer under the stream: the close frame may
// still be pending here, so it is sent first.
template <class TeardownHandler>
void async_teardown(boost::beast::role_type role, gathering_socket& socket, TeardownHandler&& handler) {
  socket.async_drain([role, &socket, handler = std::forward<TeardownHandler>(handler)](boost::beast::error_code) mutable {
    boost::beast::websocket::async_teardown(role, socket.next_layer(), std::move(handler));
  });
}

}  // namespace chatd::ws
