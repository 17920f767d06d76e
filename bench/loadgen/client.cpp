#include "client.hpp"

#include "message_codec.hpp"

#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/websocket/error.hpp>
#include <nlohmann/json.hpp>

#include <chrono>

namespace chatd::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {

// A refused or silent server must not hold a connecting client forever.
constexpr auto connect_timeout = std::chrono::seconds(30);

}  // namespace

client::client(asio::io_context& ioc, run_context& ctx, run_stats& stats, identity id, asio::ip::tcp::endpoint target,
               std::string host_header)
    : ctx_(ctx), stats_(stats), id_(std::move(id)), target_(target), host_header_(std::move(host_header)), ws_(ioc) {}

void client::start() {
  phase_ = phase::connecting;
  beast::get_lowest_layer(ws_).expires_after(connect_timeout);
  beast::get_lowest_layer(ws_).async_connect(target_, beast::bind_front_handler(&client::on_connect, shared_from_this()));
}

void client::on_connect(beast::error_code ec) {
  if (ec) {
    return fail("connect: " + ec.message());
  }
  beast::get_lowest_layer(ws_).socket().set_option(asio::ip::tcp::no_delay(true), ec);
  beast::get_lowest_layer(ws_).expires_never();
  ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
  ws_.read_message_max(1 << 20);
  phase_ = phase::handshaking;
  ws_.async_handshake(upgrade_response_, host_header_, "/ws", beast::bind_front_handler(&client::on_handshake, shared_from_this()));
}

void client::on_handshake(beast::error_code ec) {
  if (ec) {
    if (ec == websocket::error::upgrade_declined) {
      return fail("handshake: HTTP " + std::to_string(upgrade_response_.result_int()));
    }
    return fail("handshake: " + ec.message());
  }
  upgrade_response_ = {};
  phase_ = phase::greeting;
  ws_.text(true);
  write(message_codec::hello_frame());
  do_read();
}

void client::do_read() {
  ws_.async_read(buffer_, beast::bind_front_handler(&client::on_read, shared_from_this()));
}

void client::on_read(beast::error_code ec, std::size_t) {
  if (ec) {
    if (phase_ == phase::closed) {
      return;
    }
    if (ec == websocket::error::closed) {
      ++stats_.close_codes[static_cast<int>(ws_.reason().code)];
    }
    if (phase_ == phase::ready) {
      phase_ = phase::closed;
      ++stats_.disconnects;
      ctx_.lost.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    return fail(std::string(phase_ == phase::greeting ? "hello" : "join") + ": " + ec.message());
  }
  auto const data = buffer_.cdata();
  handle(std::string_view(static_cast<char const*>(data.data()), data.size()));
  buffer_.consume(buffer_.size());
  if (phase_ != phase::closed) {
    do_read();
  }
}

void client::handle(std::string_view frame) {
  auto const type = message_codec::type_of(frame);
  if (type == "message") {
    return on_message(frame);
  }
  if (type == "ack") {
    return on_ack(frame);
  }
  if (type == "error") {
    return on_error_frame(frame);
  }
  if (phase_ == phase::greeting && type == "welcome") {
    phase_ = phase::joining;
    return write(message_codec::join_frame(id_.room));
  }
  if (phase_ == phase::joining && type == "joined") {
    got_joined_ = true;
    return;
  }
  if (phase_ == phase::joining && got_joined_ && type == "history") {
    phase_ = phase::ready;
    ctx_.ready.fetch_add(1, std::memory_order_relaxed);
  }
  // presence, typing and later history frames carry nothing the benchmark measures.
}

void client::on_message(std::string_view frame) {
  auto const now = now_ns();
  auto const stamp = message_codec::stamp_of_message(frame);
  if (!stamp) {
    ++stats_.foreign_messages;
    return;
  }
  ++stats_.deliveries_total;
  if (!ctx_.in_window(stamp->sent_ns)) {
    return;
  }
  ++stats_.deliveries;
  ctx_.window_deliveries.fetch_add(1, std::memory_order_relaxed);
  auto const latency = now - stamp->sent_ns;
  stats_.delivery.record(latency);
  (stamp->replica == id_.replica ? stats_.delivery_near : stats_.delivery_far).record(latency);
}

void client::on_ack(std::string_view frame) {
  auto const now = now_ns();
  auto const sent = message_codec::stamp_of_ack(frame);
  if (!sent || !ctx_.in_window(*sent)) {
    return;
  }
  ++stats_.acks;
  ctx_.window_acks.fetch_add(1, std::memory_order_relaxed);
  stats_.ack.record(now - *sent);
}

void client::on_error_frame(std::string_view frame) {
  // Error frames are rare: a full parse is affordable and robust.
  auto j = nlohmann::json::parse(frame, nullptr, false);
  std::string code = "unparseable";
  if (j.is_object()) {
    if (auto it = j.find("code"); it != j.end() && it->is_string()) {
      code = it->get<std::string>();
    }
  }
  ++stats_.errors[code];
  if (phase_ == phase::greeting || phase_ == phase::joining) {
    fail(std::string(phase_ == phase::greeting ? "hello" : "join") + ": error " + code);
  }
}

bool client::send_message() {
  if (phase_ != phase::ready) {
    return false;
  }
  if (out_.size() >= write_backlog_limit) {
    ++stats_.backlog_drops;
    return true;
  }
  message_stamp const stamp{now_ns(), id_.replica};
  ++stats_.sent_total;
  if (ctx_.in_window(stamp.sent_ns)) {
    ++stats_.sent;
    stats_.expected_deliveries += id_.room_members;
    ctx_.window_sent.fetch_add(1, std::memory_order_relaxed);
    ctx_.window_expected.fetch_add(id_.room_members, std::memory_order_relaxed);
  }
  write(message_codec::send_frame(id_.room, id_.index, stamp, ctx_.opts.message_bytes));
  return true;
}

void client::write(std::string frame) {
  out_.push_back(std::move(frame));
  if (!writing_) {
    do_write();
  }
}

void client::do_write() {
  writing_ = true;
  ws_.async_write(asio::buffer(out_.front()), beast::bind_front_handler(&client::on_write, shared_from_this()));
}

void client::on_write(beast::error_code ec, std::size_t) {
  writing_ = false;
  out_.pop_front();
  if (ec) {
    // The read side sees the same failure and accounts for it.
    out_.clear();
    return;
  }
  if (!out_.empty() && phase_ != phase::closed) {
    do_write();
  }
}

void client::fail(std::string const& stage) {
  if (phase_ == phase::closed) {
    return;
  }
  phase_ = phase::closed;
  ++stats_.connect_failures[stage];
  ctx_.failed.fetch_add(1, std::memory_order_relaxed);
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().close(ignored);
}

}  // namespace chatd::bench
