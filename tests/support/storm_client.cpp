#include "support/storm_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <deque>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>

namespace chatd::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using json = nlohmann::json;

namespace {

// Frames of a correct server that the storm keeps as evidence, at most this many.
constexpr std::size_t unexpected_kept = 20;
// A frame larger than this from chatd would be a bug (the history cap is 500 messages).
constexpr std::size_t max_frame_bytes = 1 << 24;

}  // namespace

struct storm_client::client {
  enum class phase { connecting, hello_sent, join_sent, idle, send_in_flight, waiting_to_retry };

  client(asio::io_context& ioc, std::size_t i, std::string r, std::size_t port)
      : index(i), retry_timer(ioc), reply_timer(ioc) {
    state.room = std::move(r);
    state.port_index = port;
  }

  std::size_t index;
  client_state state;
  phase now = phase::connecting;
  std::uint64_t generation = 0;     // bumped per connection, so handlers of an old one do nothing
  std::uint64_t reply_serial = 0;   // bumped per armed reply deadline
  std::optional<websocket::stream<beast::tcp_stream>> ws;
  std::optional<beast::http::response<beast::http::string_body>> refusal;
  beast::flat_buffer buffer;
  std::deque<std::string> outbox;   // at most a hello, a join and a send: stop-and-wait bounds it
  bool writing = false;
  asio::steady_timer retry_timer;
  asio::steady_timer reply_timer;
  int failures = 0;                 // consecutive, for the backoff
  std::size_t next_message = 0;     // number of the next new message
  std::size_t messages_total = 0;
  std::optional<std::string> in_flight;  // sent (maybe more than once), not yet acknowledged
  bool paging = false;                   // paging forward after a join that returned has_more
  std::vector<std::int64_t> held;        // live seqs that arrived while paging
};

class storm_client::engine {
 public:
  engine(asio::io_context& ioc, options opts) : ioc_(ioc), opts_(std::move(opts)), down_(opts_.ports.size(), false) {
    for (std::size_t i = 0; i < opts_.clients; ++i) {
      clients_.push_back(std::make_unique<client>(ioc_, i, opts_.rooms[i % opts_.rooms.size()],
                                                  opts_.spread ? i % opts_.ports.size() : 0));
    }
  }

  void connect_all() {
    for (auto& c : clients_) {
      connect(*c);
    }
  }

  void send(std::size_t per_client) {
    for (auto& c : clients_) {
      c->messages_total += per_client;
      c->state.unsent += per_client;
      maybe_send(*c);
    }
  }

  void mark_down(std::size_t port_index) { down_.at(port_index) = true; }

  void drop_all() {
    for (auto& c : clients_) {
      if (c->ws && c->now != client::phase::connecting) {
        ++counters_.drops;
        c->failures = 0;  // the first attempt goes out at once, as a fresh reconnect does
        retry_connection(*c);
      }
    }
  }

  std::vector<client_state> snapshot() const {
    std::vector<client_state> out;
    out.reserve(clients_.size());
    for (auto const& c : clients_) {
      out.push_back(c->state);
    }
    return out;
  }

  counters const& totals() const { return counters_; }

  progress current() const {
    progress p;
    for (auto const& c : clients_) {
      p.joined += c->state.joined ? 1 : 0;
      p.acked += c->state.acked.size();
      p.unsent += c->state.unsent;
    }
    return p;
  }

  void close_all() {
    for (auto& c : clients_) {
      ++c->generation;
      c->retry_timer.cancel();
      c->reply_timer.cancel();
      if (c->ws) {
        beast::error_code ec;
        beast::get_lowest_layer(*c->ws).socket().close(ec);
      }
    }
  }

 private:
  void connect(client& c) {
    auto const gen = ++c.generation;
    c.now = client::phase::connecting;
    c.state.joined = false;
    c.paging = false;
    c.held.clear();  // the next join's history brings them again
    c.outbox.clear();
    c.writing = false;
    c.buffer.clear();
    c.ws.emplace(ioc_);
    c.ws->read_message_max(max_frame_bytes);
    auto& tcp_layer = beast::get_lowest_layer(*c.ws);
    tcp_layer.expires_after(opts_.reply_timeout);
    auto const port = opts_.ports[c.state.port_index];
    tcp_layer.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), [this, &c, gen, port](beast::error_code ec) {
      if (gen != c.generation) {
        return;
      }
      if (ec) {
        ++counters_.connect_failures;
        return retry_connection(c);
      }
      c.refusal.emplace();
      c.ws->async_handshake(*c.refusal, "127.0.0.1:" + std::to_string(port), "/ws", [this, &c, gen](beast::error_code ec) {
        if (gen != c.generation) {
          return;
        }
        if (ec) {
          if (ec == websocket::error::upgrade_declined) {
            ++counters_.http_refusals[static_cast<int>(c.refusal->result_int())];
          } else {
            ++counters_.connect_failures;
          }
          return retry_connection(c);
        }
        beast::get_lowest_layer(*c.ws).expires_never();
        ++c.state.connects;
        read(c);
        say_hello(c);
      });
    });
  }

  void say_hello(client& c) {
    c.now = client::phase::hello_sent;
    write(c, json{{"type", "hello"}, {"token", c.state.token.empty() ? json(nullptr) : json(c.state.token)}}.dump());
    arm_reply_deadline(c);
  }

  void join(client& c) {
    c.now = client::phase::join_sent;
    write(c, json{{"type", "join"}, {"room", c.state.room}, {"since", c.state.last_seq}}.dump());
    arm_reply_deadline(c);
  }

  void maybe_send(client& c) {
    if (c.now != client::phase::idle) {
      return;
    }
    if (!c.in_flight) {
      if (c.next_message >= c.messages_total) {
        return;
      }
      c.in_flight = opts_.id_prefix + std::to_string(c.index) + "_" + std::to_string(c.next_message++);
    }
    c.now = client::phase::send_in_flight;
    write(c, json{{"type", "send"}, {"room", c.state.room}, {"text", "storm " + *c.in_flight}, {"client_id", *c.in_flight}}.dump());
    arm_reply_deadline(c);
  }

  void write(client& c, std::string frame) {
    c.outbox.push_back(std::move(frame));
    if (!c.writing) {
      write_next(c);
    }
  }

  void write_next(client& c) {
    if (c.outbox.empty()) {
      c.writing = false;
      return;
    }
    c.writing = true;
    c.ws->text(true);
    auto const gen = c.generation;
    c.ws->async_write(asio::buffer(c.outbox.front()), [this, &c, gen](beast::error_code ec, std::size_t) {
      if (gen != c.generation) {
        return;
      }
      if (ec) {
        // The read side sees the same end and reconnects.
        beast::get_lowest_layer(*c.ws).socket().close(ec);
        return;
      }
      c.outbox.pop_front();
      write_next(c);
    });
  }

  void read(client& c) {
    auto const gen = c.generation;
    c.ws->async_read(c.buffer, [this, &c, gen](beast::error_code ec, std::size_t) {
      if (gen != c.generation) {
        return;
      }
      if (ec) {
        return lost(c, ec == websocket::error::closed ? static_cast<int>(c.ws->reason().code) : 0);
      }
      auto text = beast::buffers_to_string(c.buffer.data());
      c.buffer.consume(c.buffer.size());
      auto frame = json::parse(text, nullptr, false);
      if (frame.is_discarded() || !frame.is_object()) {
        unexpected("not a JSON object: " + text.substr(0, 200));
      } else {
        try {
          on_frame(c, frame);
        } catch (json::exception const& e) {
          // A field of the wrong type: the server broke the contract; the test sees it here.
          unexpected(std::string("malformed frame (") + e.what() + "): " + text.substr(0, 200));
        }
      }
      if (gen == c.generation) {
        read(c);
      }
    });
  }

  void record_seq(client& c, std::int64_t seq, bool from_history) {
    c.state.seqs.push_back(seq);
    c.state.from_history.push_back(from_history);
    c.state.last_seq = std::max(c.state.last_seq, seq);
  }

  void on_frame(client& c, json const& f) {
    auto const type = f.value("type", "");
    if (type == "welcome" && c.now == client::phase::hello_sent) {
      auto token = f.value("token", "");
      if (!c.state.token.empty() && token != c.state.token) {
        ++counters_.identities_lost;
      }
      c.state.token = std::move(token);
      return join(c);
    }
    if (type == "history" && c.now == client::phase::join_sent && f.value("room", "") == c.state.room) {
      for (auto const& m : f.value("messages", json::array())) {
        record_seq(c, m.value("seq", std::int64_t{0}), true);
      }
      if (f.value("has_more", false)) {
        // More than one page was missed. Live messages already flow and are held until the pages
        // reach them, as the web client merges them by seq.
        c.paging = true;
        write(c, json{{"type", "history"}, {"room", c.state.room}, {"after", c.state.last_seq}, {"limit", 100}}.dump());
        return arm_reply_deadline(c);
      }
      for (auto const seq : c.held) {
        if (seq > c.state.last_seq) {
          record_seq(c, seq, false);
        } else {
          ++counters_.paging_overlaps;
        }
      }
      c.held.clear();
      c.paging = false;
      c.state.joined = true;
      c.failures = 0;
      c.now = client::phase::idle;
      disarm_reply_deadline(c);
      return maybe_send(c);
    }
    if (type == "message") {
      if (f.value("room", "") != c.state.room) {
        return unexpected("a message for another room: " + f.dump().substr(0, 200));
      }
      auto const seq = f.value("seq", std::int64_t{0});
      if (c.paging) {
        c.held.push_back(seq);
        return;
      }
      return record_seq(c, seq, false);
    }
    if (type == "ack") {
      auto const id = f.value("client_id", "");
      if (c.now != client::phase::send_in_flight || !c.in_flight || *c.in_flight != id) {
        ++counters_.stray_acks;
        return;
      }
      c.state.acked.push_back(id);
      c.in_flight.reset();
      --c.state.unsent;
      c.now = client::phase::idle;
      disarm_reply_deadline(c);
      return maybe_send(c);
    }
    if (type == "error") {
      auto const code = f.value("code", "");
      ++counters_.errors[code];
      bool const retriable = code == "unavailable" || code == "rate_limited";
      auto const ref = f.contains("ref") && f["ref"].is_string() ? f["ref"].get<std::string>() : std::string();
      if (retriable && c.now == client::phase::send_in_flight && c.in_flight && ref == *c.in_flight) {
        return retry_request(c, [this](client& again) {
          again.now = client::phase::idle;
          maybe_send(again);
        });
      }
      if (retriable && c.now == client::phase::hello_sent) {
        return retry_request(c, [this](client& again) { say_hello(again); });
      }
      if (retriable && c.now == client::phase::join_sent) {
        return retry_request(c, [this](client& again) { join(again); });
      }
      return unexpected("error in phase " + std::to_string(static_cast<int>(c.now)) + ": " + f.dump().substr(0, 200));
    }
    if (type == "joined" || type == "presence" || type == "typing" || type == "pong" || type == "deleted") {
      return;
    }
    unexpected("frame in phase " + std::to_string(static_cast<int>(c.now)) + ": " + f.dump().substr(0, 200));
  }

  template <class Again>
  void retry_request(client& c, Again again) {
    c.now = client::phase::waiting_to_retry;
    disarm_reply_deadline(c);
    auto const gen = c.generation;
    c.retry_timer.expires_after(backoff(c));
    c.retry_timer.async_wait([&c, gen, again](beast::error_code ec) {
      if (!ec && gen == c.generation) {
        again(c);
      }
    });
  }

  void lost(client& c, int close_code) {
    ++c.state.close_codes[close_code];
    ++counters_.losses;
    if (!down_[c.state.port_index]) {
      ++counters_.losses_on_live_replicas;
    }
    retry_connection(c);
  }

  // Waits, then connects again: to the same replica, or to the next one up when it is down.
  void retry_connection(client& c) {
    auto const gen = ++c.generation;
    disarm_reply_deadline(c);
    c.state.joined = false;
    c.now = client::phase::connecting;
    if (c.ws) {
      beast::error_code ec;
      beast::get_lowest_layer(*c.ws).socket().close(ec);
    }
    for (std::size_t step = 0; step < down_.size() && down_[c.state.port_index]; ++step) {
      c.state.port_index = (c.state.port_index + 1) % down_.size();
    }
    c.retry_timer.expires_after(backoff(c));
    c.retry_timer.async_wait([this, &c, gen](beast::error_code ec) {
      if (!ec && gen == c.generation) {
        connect(c);
      }
    });
  }

  // Full jitter: uniform in [0, min(max, initial * 2^failures)], so a crowd that lost its
  // connections at the same moment spreads out instead of coming back in lockstep.
  std::chrono::milliseconds backoff(client& c) {
    auto const cap = std::min<std::int64_t>(opts_.max_backoff.count(),
                                            opts_.initial_backoff.count() << std::min(c.failures, 16));
    ++c.failures;
    std::uniform_int_distribution<std::int64_t> pick(0, std::max<std::int64_t>(cap, 1));
    return std::chrono::milliseconds(pick(rng_));
  }

  void arm_reply_deadline(client& c) {
    auto const serial = ++c.reply_serial;
    auto const gen = c.generation;
    c.reply_timer.expires_after(opts_.reply_timeout);
    c.reply_timer.async_wait([this, &c, serial, gen](beast::error_code ec) {
      if (ec || serial != c.reply_serial || gen != c.generation) {
        return;
      }
      ++counters_.reply_timeouts;
      unexpected("no reply within the deadline for client " + std::to_string(c.index) + " in phase " +
                 std::to_string(static_cast<int>(c.now)));
      retry_connection(c);
    });
  }

  void disarm_reply_deadline(client& c) {
    ++c.reply_serial;
    c.reply_timer.cancel();
  }

  void unexpected(std::string what) {
    if (counters_.unexpected.size() < unexpected_kept) {
      counters_.unexpected.push_back(std::move(what));
    }
  }

  asio::io_context& ioc_;
  options opts_;
  std::vector<bool> down_;
  std::vector<std::unique_ptr<client>> clients_;
  counters counters_;
  std::mt19937_64 rng_{std::random_device{}()};
};

std::string storm_client::counters::describe() const {
  std::ostringstream out;
  out << "connect failures " << connect_failures << ", identities lost " << identities_lost << ", drops " << drops << ", losses " << losses << " (" << losses_on_live_replicas
      << " on live replicas), reply timeouts " << reply_timeouts << ", stray acks " << stray_acks << ", paging overlaps "
      << paging_overlaps << ", HTTP refusals {";
  for (auto const& [status, n] : http_refusals) {
    out << ' ' << status << ':' << n;
  }
  out << " }, errors {";
  for (auto const& [code, n] : errors) {
    out << ' ' << code << ':' << n;
  }
  out << " }";
  for (auto const& u : unexpected) {
    out << "\n  unexpected: " << u;
  }
  return out.str();
}

storm_client::storm_client(options opts) : work_(boost::asio::make_work_guard(ioc_)) {
  if (opts.ports.empty() || opts.rooms.empty() || opts.clients == 0) {
    throw std::invalid_argument("storm_client needs at least one port, one room and one client");
  }
  engine_ = std::make_unique<engine>(ioc_, std::move(opts));
  thread_ = std::thread([this] { ioc_.run(); });
}

storm_client::~storm_client() {
  work_.reset();
  ioc_.stop();
  thread_.join();
  engine_->close_all();  // the thread is gone: the engine is ours now
}

void storm_client::connect_all() {
  on_storm_thread([this] { engine_->connect_all(); });
}

void storm_client::send(std::size_t per_client) {
  on_storm_thread([this, per_client] { engine_->send(per_client); });
}

void storm_client::drop_all() {
  on_storm_thread([this] { engine_->drop_all(); });
}

void storm_client::mark_down(std::size_t port_index) {
  on_storm_thread([this, port_index] { engine_->mark_down(port_index); });
}

std::vector<storm_client::client_state> storm_client::clients() const {
  return on_storm_thread([this] { return engine_->snapshot(); });
}

storm_client::counters storm_client::totals() const {
  return on_storm_thread([this] { return engine_->totals(); });
}

storm_client::progress storm_client::current() const {
  return on_storm_thread([this] { return engine_->current(); });
}

}  // namespace chatd::test
