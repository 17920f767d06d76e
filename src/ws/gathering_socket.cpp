#include <chatd/ws/gathering_socket.hpp>

#include <boost/asio/write.hpp>

namespace chatd::ws {

std::size_t text_frame_header(std::size_t payload_size, unsigned char (&out)[10]) {
  out[0] = 0x81;  // FIN, opcode 1 (text)
  if (payload_size < 126) {
    out[1] = static_cast<unsigned char>(payload_size);
    return 2;
  }
  if (payload_size <= 0xffff) {
    out[1] = 126;
    out[2] = static_cast<unsigned char>(payload_size >> 8);
    out[3] = static_cast<unsigned char>(payload_size);
    return 4;
  }
  out[1] = 127;
  auto const size = static_cast<std::uint64_t>(payload_size);
  for (int i = 0; i < 8; ++i) {
    out[2 + i] = static_cast<unsigned char>(size >> (56 - 8 * i));
  }
  return 10;
}

void gathering_socket::append_text(std::string_view payload) {
  if (error_) {
    return;
  }
  unsigned char header[10];
  auto const header_size = text_frame_header(payload.size(), header);
  pending_.append(reinterpret_cast<char const*>(header), header_size);
  pending_.append(payload);
}

void gathering_socket::start_write() {
  if (writing_ || pending_.empty() || error_) {
    return;
  }
  writing_ = true;
  in_flight_.swap(pending_);
  boost::asio::async_write(socket_, boost::asio::buffer(in_flight_),
                           [this, owner = owner_.lock()](boost::beast::error_code ec, std::size_t) { on_written(ec); });
}

void gathering_socket::on_written(boost::beast::error_code ec) {
  writing_ = false;
  std::string().swap(in_flight_);  // an idle connection keeps no write buffer
  if (ec) {
    error_ = ec;
    pending_.clear();
  } else if (!pending_.empty()) {
    return start_write();
  }
  auto drained = std::move(drained_);
  drained_.clear();
  for (auto& handler : drained) {
    // The waiters (the session, Beast's teardown) all run on this socket's executor, the strand.
    boost::asio::post(socket_.get_executor(), [handler = std::move(handler), ec = error_]() mutable { std::move(handler)(ec); });
  }
}

}  // namespace chatd::ws
