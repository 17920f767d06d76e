#include <chatd/net/http_session.hpp>
#include <chatd/net/origin_policy.hpp>
#include <chatd/net/routes.hpp>
#include <chatd/ws/websocket_session.hpp>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <spdlog/spdlog.h>

namespace chatd::net {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;

http_session::http_session(asio::ip::tcp::socket&& socket, std::shared_ptr<shared_state> state, port_role role)
    : stream_(std::move(socket)), state_(std::move(state)), role_(role) {}

void http_session::run() {
  beast::error_code ec;
  auto const peer = stream_.socket().remote_endpoint(ec);
  context_.client_address = ec ? std::string("unknown") : peer.address().to_string();
  asio::dispatch(stream_.get_executor(), beast::bind_front_handler(&http_session::do_read, shared_from_this()));
}

void http_session::do_read() {
  parser_.emplace();
  parser_->header_limit(header_limit);
  parser_->body_limit(body_limit);
  // The whole request, headers and body, must arrive within the handshake timeout: slowloris
  // sockets are closed rather than held.
  stream_.expires_after(state_->settings.handshake_timeout);
  http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&http_session::on_read, shared_from_this()));
}

void http_session::on_read(beast::error_code ec, std::size_t) {
  if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted) {
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    return;
  }
  if (ec) {
    // Malformed or oversized requests get a plain answer, then the connection closes.
    http::request<http::string_body> bare;
    bare.keep_alive(false);
    bool const too_large = ec == http::error::header_limit || ec == http::error::body_limit || ec == http::error::buffer_overflow;
    auto res = json_error(bare, too_large ? http::status::payload_too_large : http::status::bad_request, "bad_request", ec.message());
    res.keep_alive(false);
    return reply(std::move(res));
  }
  auto req = parser_->release();
  if (role_ == port_role::side) {
    return reply(serve_probe(req, *state_));
  }
  context_.client_address = origin_policy::client_address(context_.client_address, req["X-Forwarded-For"],
                                                          state_->settings.trusted_proxy_hops);
  if (beast::websocket::is_upgrade(req)) {
    return upgrade(std::move(req));
  }
  if (req.target().starts_with("/api/")) {
    auto self = shared_from_this();
    return handle_api(std::move(req), context_, state_, stream_.get_executor(),
                      [self](response&& res) {
                        asio::post(self->stream_.get_executor(), [self, res = std::move(res)]() mutable { self->reply(std::move(res)); });
                      });
  }
  reply(serve_static(req, *state_));
}

void http_session::upgrade(request&& req) {
  auto& metrics = state_->metrics;
  auto refuse = [&](http::status status, std::string_view reason, std::string_view message) {
    metrics.count_rejection(reason);
    auto res = json_error(req, status, reason == "origin" ? "forbidden" : "unavailable", message);
    res.keep_alive(false);
    reply(std::move(res));
  };
  if (req.target() != "/ws" && !req.target().starts_with("/ws?")) {
    return refuse(http::status::not_found, "bad_request", "WebSocket endpoint is /ws");
  }
  if (!origin_policy::allowed(req[http::field::origin], req[http::field::host], state_->settings.allowed_origins,
                              state_->settings.public_origin)) {
    spdlog::info("refused WebSocket from origin '{}' ({})", std::string_view(req[http::field::origin]).substr(0, 200), context_.client_address);
    return refuse(http::status::forbidden, "origin", "this origin may not open a chat connection");
  }
  if (state_->draining) {
    return refuse(http::status::service_unavailable, "draining", "the server is shutting down; try another");
  }
  connection_limiter::verdict why{};
  auto slot = state_->limiter->acquire(context_.client_address, why);
  if (!slot) {
    bool const per_ip = why == connection_limiter::verdict::per_ip;
    return refuse(http::status::too_many_requests, per_ip ? "per_ip" : "capacity",
                  per_ip ? "too many connections from this address" : "the server is full");
  }
  stream_.expires_never();
  std::make_shared<ws::websocket_session>(stream_.release_socket(), state_, std::move(slot), cookie_token(req))->run(std::move(req));
}

void http_session::reply(response&& res) {
  bool const keep_alive = res.keep_alive();
  pending_ = std::make_shared<response>(std::move(res));
  stream_.expires_after(state_->settings.handshake_timeout);
  http::async_write(stream_, *pending_, beast::bind_front_handler(&http_session::on_write, shared_from_this(), keep_alive));
}

void http_session::on_write(bool keep_alive, beast::error_code ec, std::size_t) {
  pending_.reset();
  if (ec) {
    return;
  }
  if (!keep_alive || state_->draining) {
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    return;
  }
  do_read();
}

}  // namespace chatd::net
