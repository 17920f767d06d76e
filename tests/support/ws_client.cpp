#include "support/ws_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <stdexcept>
#include <sys/socket.h>
#include <sys/time.h>

namespace chatd::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = boost::asio::ip::tcp;

namespace {

void set_receive_timeout(tcp::socket& socket, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

}  // namespace

ws_client::ws_client(std::uint16_t port, options opts) : ws_(ioc_), timeout_(opts.timeout) {
  auto& socket = ws_.next_layer();
  socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  set_receive_timeout(socket, timeout_);
  ws_.set_option(websocket::stream_base::decorator([opts](websocket::request_type& req) {
    if (!opts.origin.empty()) {
      req.set(http::field::origin, opts.origin);
    }
    if (!opts.cookie.empty()) {
      req.set(http::field::cookie, opts.cookie);
    }
  }));
  ws_.read_message_max(1 << 24);
  auto host = opts.host_header.empty() ? "127.0.0.1:" + std::to_string(port) : opts.host_header;
  ws_.handshake(host, "/ws");  // throws beast::system_error with the HTTP refusal
}

ws_client::~ws_client() {
  beast::error_code ec;
  ws_.next_layer().close(ec);
}

void ws_client::send(nlohmann::json const& frame) { send_text(frame.dump()); }

void ws_client::send_text(std::string const& text) {
  ws_.text(true);
  ws_.write(boost::asio::buffer(text));
}

std::optional<nlohmann::json> ws_client::receive() {
  if (!put_aside_.empty()) {
    auto frame = std::move(put_aside_.front());
    put_aside_.pop_front();
    return frame;
  }
  return read_frame();
}

std::optional<nlohmann::json> ws_client::read_frame() {
  beast::error_code ec;
  buffer_.clear();
  ws_.read(buffer_, ec);
  if (ec) {
    return std::nullopt;
  }
  return nlohmann::json::parse(beast::buffers_to_string(buffer_.data()));
}

nlohmann::json ws_client::expect(std::string const& type, std::function<bool(nlohmann::json const&)> const& match) {
  auto wanted = [&](nlohmann::json const& frame) { return frame.value("type", "") == type && (!match || match(frame)); };
  std::string seen;
  // Earlier frames of this type were put aside by a wait for another type: they come first.
  for (auto it = put_aside_.begin(); it != put_aside_.end();) {
    if (it->value("type", "") != type) {
      ++it;
    } else if (wanted(*it)) {
      auto frame = std::move(*it);
      put_aside_.erase(it);
      return frame;
    } else {
      seen += it->dump().substr(0, 200) + "\n";
      it = put_aside_.erase(it);
    }
  }
  auto const deadline = std::chrono::steady_clock::now() + timeout_;
  while (std::chrono::steady_clock::now() < deadline) {
    auto read = read_frame();
    if (!read) {
      break;
    }
    auto& frame = *read;
    if (wanted(frame)) {
      return frame;
    }
    seen += frame.dump().substr(0, 200) + "\n";
    if (frame.value("type", "") != type) {
      put_aside_.push_back(std::move(frame));
    }
  }
  throw std::runtime_error("no '" + type + "' frame before the deadline; saw:\n" + seen);
}

nlohmann::json ws_client::hello(std::optional<std::string> const& token) {
  send({{"type", "hello"}, {"token", token ? nlohmann::json(*token) : nlohmann::json(nullptr)}});
  return expect("welcome");
}

std::pair<nlohmann::json, nlohmann::json> ws_client::join(std::string const& room, std::optional<std::int64_t> since) {
  nlohmann::json frame{{"type", "join"}, {"room", room}};
  if (since) {
    frame["since"] = *since;
  }
  send(frame);
  auto joined = expect("joined", [&](auto const& f) { return f["room"] == room; });
  auto history = expect("history", [&](auto const& f) { return f["room"] == room; });
  return {joined, history};
}

int ws_client::wait_for_close() {
  auto const deadline = std::chrono::steady_clock::now() + timeout_;
  while (std::chrono::steady_clock::now() < deadline) {
    beast::error_code ec;
    buffer_.clear();
    ws_.read(buffer_, ec);
    if (ec == websocket::error::closed) {
      return static_cast<int>(ws_.reason().code);
    }
    if (ec == boost::asio::error::would_block || ec == boost::asio::error::try_again) {
      continue;
    }
    if (ec) {
      return 0;
    }
  }
  throw std::runtime_error("the server did not close the connection before the deadline");
}

void ws_client::close() {
  beast::error_code ec;
  ws_.close(websocket::close_code::normal, ec);
}

void ws_client::stop_reading_socket_buffer(int bytes) {
  ::setsockopt(ws_.next_layer().native_handle(), SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
}

std::string http_result::header(std::string const& name) const {
  for (auto const& [k, v] : headers) {
    if (beast::iequals(k, name)) {
      return v;
    }
  }
  return {};
}

http_result http_request(std::uint16_t port, std::string const& method, std::string const& target,
                         std::vector<std::pair<std::string, std::string>> const& headers, std::string const& body) {
  boost::asio::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  set_receive_timeout(socket, std::chrono::seconds(5));
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  for (auto const& [k, v] : headers) {
    req.set(k, v);
  }
  req.body() = body;
  req.prepare_payload();
  http::write(socket, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(socket, buffer, res);
  http_result out{static_cast<int>(res.result_int()), res.body(), {}};
  for (auto const& field : res) {
    out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  return out;
}

}  // namespace chatd::test
