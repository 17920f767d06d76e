#include <chatd/net/db_call.hpp>
#include <chatd/net/guest.hpp>
#include <chatd/ws/handshake.hpp>
#include <chatd/ws/websocket_session.hpp>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

#include <chrono>

namespace chatd::ws {

namespace beast = boost::beast;
namespace asio = boost::asio;
using chat::error_code;

namespace {

// Requests that hit the database (join, history, profile) have their own bucket, so that a
// client looping on join/leave cannot turn one socket into a database load generator.
constexpr double request_burst = 20;
constexpr double request_per_second = 5;
// A close handshake the peer does not finish in this time ends with the TCP socket closed.
constexpr auto close_grace = std::chrono::seconds(2);
// Rows a join sends: the latest page for a newcomer, and the catch-up cap for a returning one.
constexpr int join_latest = 50;
constexpr int join_catch_up = 500;
// Bytes of queued frames written with one system call at most.
constexpr std::size_t max_batch_bytes = 64 * 1024;
// Pongs owed beyond this while a write is in flight pause reading until they are written: a peer
// that pings without reading gets TCP's back-pressure, not an ever-growing buffer here.
constexpr std::size_t max_pending_control_bytes = 1024;

}  // namespace

websocket_session::websocket_session(asio::ip::tcp::socket&& socket, std::shared_ptr<net::shared_state> state,
                                     std::unique_ptr<net::connection_limiter::slot> slot, std::string cookie_token)
    : socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      state_(std::move(state)),
      slot_(std::move(slot)),
      cookie_token_(std::move(cookie_token)),
      reader_(state_->settings.max_frame_bytes),
      send_bucket_(state_->settings.send_burst, state_->settings.send_per_second, chat::token_bucket::clock::now()),
      typing_bucket_(state_->settings.typing_burst, state_->settings.typing_per_second, chat::token_bucket::clock::now()),
      request_bucket_(request_burst, request_per_second, chat::token_bucket::clock::now()) {}

websocket_session::~websocket_session() = default;

void websocket_session::run(beast::http::request<beast::http::string_body>&& upgrade) {
  // Called on the socket's strand (http_session's handler) and before any other handler.
  auto reply = handshake::answer(upgrade);
  arm_timer(state_->settings.handshake_timeout);
  socket_writing_ = true;
  in_flight_ = std::move(reply.response);
  asio::async_write(socket_, asio::buffer(in_flight_),
                    [self = shared_from_this(), accepted = reply.accepted](beast::error_code ec, std::size_t) {
                      self->on_handshake(accepted, ec);
                    });
}

void websocket_session::on_handshake(bool accepted, beast::error_code ec) {
  socket_writing_ = false;
  std::string().swap(in_flight_);
  if (ec || !accepted || finished_) {
    if (ec) {
      spdlog::debug("websocket handshake failed: {}", ec.message());
    }
    return finish();
  }
  phase_ = phase::open;
  state_->add_session(shared_from_this());
  state_->metrics.connections_total.inc();
  last_heard_ = std::chrono::steady_clock::now();
  arm_timer(half_idle_timeout());
  read_on();
}

void websocket_session::read_on() {
  if (reading_ || hello_pending_ || waiting_for_write_ || finished_) {
    return;
  }
  reading_ = true;
  while (chunk_at_ < chunk_end_) {
    std::string_view const input(read_chunk_.data() + chunk_at_, chunk_end_ - chunk_at_);
    auto const r = reader_.read(input, message_);
    chunk_at_ = static_cast<std::uint16_t>(chunk_at_ + r.consumed);
    on_frame_event(r);
    if (hello_pending_ || waiting_for_write_ || finished_) {
      reading_ = false;  // the rest of the chunk waits; whoever clears the flag calls read_on
      return;
    }
  }
  socket_.async_read_some(asio::buffer(read_chunk_), [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
    self->on_read(ec, bytes);
  });
}

void websocket_session::on_read(beast::error_code ec, std::size_t bytes) {
  reading_ = false;
  if (ec) {
    if (ec != asio::error::eof && ec != asio::error::operation_aborted) {
      spdlog::debug("websocket read ended: {}", ec.message());
    }
    return finish();
  }
  last_heard_ = std::chrono::steady_clock::now();
  pinged_ = false;
  chunk_at_ = 0;
  chunk_end_ = static_cast<std::uint16_t>(bytes);
  read_on();
}

void websocket_session::on_frame_event(frame_reader::result const& r) {
  using event = frame_reader::event;
  switch (r.what) {
    case event::need_more:
    case event::pong:
      return;
    case event::message:
      return on_message();
    case event::ping:
      if (close_started_) {
        return;  // nothing may follow our close frame
      }
      append_frame(pending_, opcode::pong, r.payload);
      flush();
      if (socket_writing_ && pending_.size() > max_pending_control_bytes) {
        waiting_for_write_ = true;
      }
      return;
    case event::close:
      return on_peer_close(r.code);
    case event::error:
      spdlog::debug("websocket closed with {}: {}", static_cast<int>(r.code), r.why);
      return close_with(r.code);
  }
}

void websocket_session::on_message() {
  if (close_started_) {
    std::string().swap(message_);  // the peer's last words before it sees our close
    return;
  }
  auto parsed = chat::parse_command(message_);
  std::string().swap(message_);  // an idle connection keeps no message buffer
  if (auto* error = std::get_if<chat::protocol_error>(&parsed)) {
    return send_error(error->code, error->message, error->ref);
  }
  if (!handle(std::move(std::get<chat::command>(parsed)))) {
    hello_pending_ = true;
  }
}

bool websocket_session::handle(chat::command&& cmd) {
  if (auto* hello = std::get_if<chat::hello_cmd>(&cmd)) {
    if (user_) {
      send_error(error_code::bad_request, "hello was already said");
      return true;
    }
    on_hello(std::move(*hello));
    return false;
  }
  if (std::holds_alternative<chat::ping_cmd>(cmd)) {
    enqueue(chat::pong_frame());
    return true;
  }
  if (!user_) {
    send_error(error_code::unauthorized, "say hello first");
    return true;
  }
  std::visit(
      [this](auto&& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, chat::join_cmd>) {
          on_join(std::move(c));
        } else if constexpr (std::is_same_v<T, chat::leave_cmd>) {
          on_leave(c);
        } else if constexpr (std::is_same_v<T, chat::send_cmd>) {
          on_send(std::move(c));
        } else if constexpr (std::is_same_v<T, chat::history_cmd>) {
          on_history(std::move(c));
        } else if constexpr (std::is_same_v<T, chat::typing_cmd>) {
          on_typing(c);
        } else if constexpr (std::is_same_v<T, chat::profile_cmd>) {
          on_profile(std::move(c));
        }
      },
      std::move(cmd));
  return true;
}

void websocket_session::on_hello(chat::hello_cmd&& cmd) {
  auto token = cmd.token.value_or(cookie_token_);
  using result = std::pair<store::user, std::string>;
  net::db_call<result>(
      state_->db, socket_.get_executor(), token, "guest",
      [token](store::repository& repo) { return net::find_or_create_guest(repo, token); },
      [self = shared_from_this()](store::db_status, std::optional<result> r) {
        if (self->finished_) {
          return;
        }
        self->hello_pending_ = false;
        if (!r) {
          self->send_error(error_code::unavailable, "the database is unavailable; say hello again");
        } else {
          self->enqueue(chat::welcome_frame(r->first, r->second));
          self->user_ = std::move(r->first);
        }
        self->read_on();
      });
}

void websocket_session::on_join(chat::join_cmd&& cmd) {
  if (!joined(cmd.room) && rooms_joined() >= static_cast<std::size_t>(state_->settings.max_rooms_per_connection)) {
    return send_error(error_code::too_large, "this connection is in too many rooms");
  }
  if (!request_bucket_.try_take(chat::token_bucket::clock::now())) {
    return send_error(error_code::rate_limited, "too many requests");
  }
  {
    std::lock_guard lock(out_mutex_);
    feeds_[cmd.room] = room_feed{};  // live messages wait in it until the history is sent
  }
  state_->rooms.join(cmd.room, shared_from_this());

  using result = std::pair<std::int64_t, store::history_page>;
  auto const since = cmd.since;
  net::db_call<result>(
      state_->db, socket_.get_executor(), cmd.room, "join",
      [room = cmd.room, since](store::repository& repo) {
        auto last = repo.last_seq(room);
        auto page = since ? repo.after(room, *since, join_catch_up) : repo.latest(room, join_latest);
        return result{last, std::move(page)};
      },
      [self = shared_from_this(), room = cmd.room](store::db_status, std::optional<result> r) {
        if (self->finished_ || !self->joined(room)) {
          return;
        }
        if (!r) {
          self->forget(room);
          self->state_->rooms.leave(room, self.get());
          return self->send_error(error_code::unavailable, "the database is unavailable; join again");
        }
        self->on_joined(room, r->first, std::move(r->second));
      });
}

void websocket_session::on_joined(std::string const& room, std::int64_t last_seq, store::history_page&& page) {
  auto const page_last = page.messages.empty() ? 0 : page.messages.back().seq;
  last_seq = std::max(last_seq, page_last);
  state_->rooms.note_position(room, last_seq);
  auto joined = std::make_shared<std::string const>(chat::joined_frame(room, last_seq, state_->rooms.online(room) + state_->presence.elsewhere(room)));
  auto history = std::make_shared<std::string const>(chat::history_frame(room, page));
  std::lock_guard lock(out_mutex_);
  auto it = feeds_.find(room);
  if (it == feeds_.end()) {
    return;
  }
  auto& feed = it->second;
  auto waiting = std::move(feed.waiting);
  feed.catching_up = false;
  // The page holds everything up to here (or up to its end when the client must page forward).
  feed.sent = page.has_more ? page_last : last_seq;
  enqueue_locked(std::move(joined));
  enqueue_locked(std::move(history));
  for (auto& [seq, frame] : waiting) {
    feed_locked(feed, frame, seq);
  }
}

void websocket_session::on_leave(chat::leave_cmd const& cmd) {
  if (forget(cmd.room)) {
    state_->rooms.leave(cmd.room, this);
  }
}

bool websocket_session::joined(std::string const& room) {
  std::lock_guard lock(out_mutex_);
  return feeds_.contains(room);
}

std::size_t websocket_session::rooms_joined() {
  std::lock_guard lock(out_mutex_);
  return feeds_.size();
}

bool websocket_session::forget(std::string const& room) {
  std::lock_guard lock(out_mutex_);
  return feeds_.erase(room) > 0;
}

void websocket_session::on_send(chat::send_cmd&& cmd) {
  if (!joined(cmd.room)) {
    return send_error(error_code::not_joined, "join the room first", cmd.client_id);
  }
  if (!send_bucket_.try_take(chat::token_bucket::clock::now())) {
    state_->metrics.rate_limited_send.inc();
    return send_error(error_code::rate_limited, "slow down", cmd.client_id);
  }
  state_->metrics.messages_received.inc();
  auto client_id = cmd.client_id;
  state_->db.store(store::new_message{cmd.room, user_->id, std::move(cmd.client_id), std::move(cmd.text)},
                   [self = shared_from_this(), client_id](store::db_status status, store::stored_message const* row) {
                     // Runs on the room's database worker. Members here get the message now,
                     // members on other replicas through its announcement, all in seq order.
                     auto& state = *self->state_;
                     if (status != store::db_status::ok || row == nullptr) {
                       state.metrics.count_error(error_code::unavailable);
                       self->enqueue(chat::error_frame(error_code::unavailable, "the message was not stored; send it again", client_id));
                       return;
                     }
                     if (!row->duplicate) {
                       state.deliver_committed(row->msg);
                       state.metrics.messages_stored.inc();
                     }
                     self->enqueue(chat::ack_frame(*row));
                   });
}

void websocket_session::on_history(chat::history_cmd&& cmd) {
  if (!joined(cmd.room)) {
    return send_error(error_code::not_joined, "join the room first");
  }
  if (!request_bucket_.try_take(chat::token_bucket::clock::now())) {
    return send_error(error_code::rate_limited, "too many requests");
  }
  net::db_call<store::history_page>(
      state_->db, socket_.get_executor(), cmd.room, "history",
      [cmd](store::repository& repo) {
        if (cmd.after) {
          return repo.after(cmd.room, *cmd.after, cmd.limit);
        }
        return cmd.before ? repo.before(cmd.room, *cmd.before, cmd.limit) : repo.latest(cmd.room, cmd.limit);
      },
      [self = shared_from_this(), room = cmd.room](store::db_status, std::optional<store::history_page> page) {
        if (self->finished_) {
          return;
        }
        if (!page) {
          return self->send_error(error_code::unavailable, "the database is unavailable; ask again");
        }
        self->enqueue(chat::history_frame(room, *page));
      });
}

void websocket_session::on_typing(chat::typing_cmd const& cmd) {
  if (!joined(cmd.room)) {
    return send_error(error_code::not_joined, "join the room first");
  }
  if (!typing_bucket_.try_take(chat::token_bucket::clock::now())) {
    state_->metrics.rate_limited_typing.inc();
    return send_error(error_code::rate_limited, "typing too often");
  }
  auto frame = std::make_shared<std::string const>(chat::typing_frame(cmd.room, *user_));
  state_->rooms.broadcast(cmd.room, frame, 0, this);
}

void websocket_session::on_profile(chat::profile_cmd&& cmd) {
  if (!request_bucket_.try_take(chat::token_bucket::clock::now())) {
    return send_error(error_code::rate_limited, "too many requests");
  }
  net::db_call<std::optional<store::user>>(
      state_->db, socket_.get_executor(), user_->id, "profile",
      [id = user_->id, cmd = std::move(cmd)](store::repository& repo) { return repo.update_profile(id, cmd.nickname, cmd.avatar); },
      [self = shared_from_this()](store::db_status, std::optional<std::optional<store::user>> updated) {
        if (self->finished_) {
          return;
        }
        if (!updated || !*updated) {
          return self->send_error(error_code::unavailable, "the profile was not saved; try again");
        }
        self->user_ = std::move(**updated);
        self->enqueue(chat::profile_frame(*self->user_));
      });
}

void websocket_session::send_error(error_code code, std::string_view message, std::string_view ref) {
  state_->metrics.count_error(code);
  enqueue(chat::error_frame(code, message, ref));
}

void websocket_session::deliver(std::string_view room, chat::frame_ptr const& frame, std::int64_t seq) {
  std::lock_guard lock(out_mutex_);
  auto it = feeds_.find(room);
  if (it == feeds_.end()) {
    return;  // left the room while the fan-out was under way
  }
  if (it->second.catching_up) {
    it->second.waiting.emplace_back(seq, frame);
    return;
  }
  feed_locked(it->second, frame, seq);
}

void websocket_session::feed_locked(room_feed& feed, chat::frame_ptr const& frame, std::int64_t seq) {
  if (seq > 0) {
    // The join's history, or an earlier delivery, already had it: the room's sequencer can be
    // behind the database when a member joins, and replays what the history just sent.
    if (seq <= feed.sent) {
      return;
    }
    feed.sent = seq;
  }
  enqueue_locked(frame);
}

void websocket_session::enqueue(std::string frame) {
  auto shared = std::make_shared<std::string const>(std::move(frame));
  std::lock_guard lock(out_mutex_);
  enqueue_locked(std::move(shared));
}

void websocket_session::enqueue_locked(chat::frame_ptr frame) {
  if (!accepting_) {
    return;
  }
  if (out_.size() >= state_->settings.send_queue_frames) {
    // The peer is not reading. Dropping it is the only way to keep its rooms fast.
    accepting_ = false;
    out_.clear();
    state_->metrics.queue_drops.inc();
    asio::post(socket_.get_executor(), [self = shared_from_this()] { self->close_with(close_code::policy_violation); });
    return;
  }
  out_.push_back(std::move(frame));
  schedule_write_locked();
}

void websocket_session::schedule_write_locked() {
  if (!write_scheduled_ && !write_in_flight_) {
    write_scheduled_ = true;
    asio::post(socket_.get_executor(), [self = shared_from_this()] { self->write_next(); });
  }
}

void websocket_session::write_next() {
  std::vector<chat::frame_ptr> batch;
  {
    std::lock_guard lock(out_mutex_);
    write_scheduled_ = false;
    // Nothing may follow a close frame, ours or the answer to the peer's.
    if (write_in_flight_ || close_started_ || finished_) {
      return;
    }
    if (out_.empty()) {
      if (!close_after_drain_) {
        return;
      }
    } else {
      take_batch_locked(batch);
      write_in_flight_ = true;
    }
  }
  if (batch.empty()) {
    return close_with(close_code::going_away);
  }
  for (auto const& frame : batch) {
    append_frame(pending_, opcode::text, *frame);
  }
  flush();
}

void websocket_session::take_batch_locked(std::vector<chat::frame_ptr>& batch) {
  std::size_t bytes = 0;
  std::size_t n = 0;
  while (n < out_.size() && (n == 0 || bytes + out_[n]->size() <= max_batch_bytes)) {
    bytes += out_[n]->size();
    ++n;
  }
  if (n == out_.size()) {
    batch.swap(out_);  // the common case, and it leaves an idle session no queue storage
    return;
  }
  auto const end = out_.begin() + static_cast<std::ptrdiff_t>(n);
  batch.assign(std::make_move_iterator(out_.begin()), std::make_move_iterator(end));
  out_.erase(out_.begin(), end);
}

void websocket_session::flush() {
  if (socket_writing_ || pending_.empty() || finished_) {
    return;
  }
  socket_writing_ = true;
  in_flight_.swap(pending_);
  asio::async_write(socket_, asio::buffer(in_flight_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
    self->on_written(ec);
  });
}

void websocket_session::on_written(beast::error_code ec) {
  socket_writing_ = false;
  std::string().swap(in_flight_);  // an idle connection keeps no write buffer
  if (ec) {
    if (ec != asio::error::operation_aborted) {
      spdlog::debug("websocket write failed: {}", ec.message());
    }
    return finish();
  }
  if (!pending_.empty()) {
    return flush();
  }
  if (waiting_for_write_) {
    waiting_for_write_ = false;
    read_on();
  }
  if (close_started_) {
    if (!close_written_) {
      close_written_ = true;
      if (peer_closed_) {
        return finish();  // both close frames are through: the server closes the TCP connection
      }
      // The peer may still send its close frame; the FIN tells one that ignores ours to go.
      beast::error_code ignored;
      socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    }
    return;
  }
  {
    std::lock_guard lock(out_mutex_);
    write_in_flight_ = false;
  }
  write_next();
}

void websocket_session::shutdown() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    {
      std::lock_guard lock(self->out_mutex_);
      self->close_after_drain_ = true;
      self->accepting_ = false;  // what is queued still goes out; nothing new is taken
    }
    self->write_next();
  });
}

std::chrono::steady_clock::duration websocket_session::half_idle_timeout() const {
  // In the clock's own ticks: whole seconds would halve 5 s to 2.
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(state_->settings.idle_timeout) / 2;
}

void websocket_session::arm_timer(std::chrono::steady_clock::duration after) {
  timer_.expires_after(after);
  timer_.async_wait([self = shared_from_this()](beast::error_code ec) { self->on_timer(ec); });
}

void websocket_session::on_timer(beast::error_code ec) {
  auto const now = std::chrono::steady_clock::now();
  // Re-arming cancels the wait before; a wait that had already fired finds the newer expiry ahead.
  if (ec || finished_ || timer_.expiry() > now) {
    return;
  }
  switch (phase_) {
    case phase::handshake:
      spdlog::debug("websocket handshake timed out");
      return finish();
    case phase::closing:
      return finish();  // the peer did not finish the close handshake in time
    case phase::open:
      break;
  }
  // A peer silent for half the idle timeout is pinged; silent for the whole, it is dropped, with
  // no close frame, since a peer that answers nothing would not read one.
  auto const half = half_idle_timeout();
  auto const silent = now - last_heard_;
  if (silent >= 2 * half) {
    spdlog::debug("websocket silent past the idle timeout; dropped");
    return finish();
  }
  if (silent >= half && !pinged_) {
    pinged_ = true;
    append_frame(pending_, opcode::ping, {});
    flush();
  }
  arm_timer(last_heard_ + (pinged_ ? 2 * half : half) - now);
}

void websocket_session::close_with(close_code code) {
  if (close_started_ || finished_) {
    return;
  }
  close_started_ = true;
  {
    std::lock_guard lock(out_mutex_);
    accepting_ = false;
    out_.clear();
  }
  append_close_frame(pending_, code);
  phase_ = phase::closing;
  arm_timer(close_grace);
  flush();
  // Read on to the peer's close frame, even if the hello's reply has not come.
  hello_pending_ = false;
  read_on();
}

void websocket_session::on_peer_close(close_code code) {
  peer_closed_ = true;
  if (close_started_) {
    if (close_written_) {
      finish();
    }
    return;
  }
  // Echo the peer's code (section 5.5.1); a close without one is answered with a normal close.
  close_with(code == close_code::no_status ? close_code::normal : code);
}

void websocket_session::finish() {
  if (finished_) {
    return;
  }
  finished_ = true;
  timer_.cancel();
  beast::error_code ignored;
  socket_.close(ignored);  // every handler in flight completes, and the session is released
  decltype(feeds_) feeds;
  {
    std::lock_guard lock(out_mutex_);
    accepting_ = false;
    out_.clear();
    feeds.swap(feeds_);
  }
  // Without out_mutex_: a fan-out holds its room's lock while it takes ours.
  for (auto const& [room, feed] : feeds) {
    state_->rooms.leave(room, this);
  }
  state_->remove_session(this);
}

}  // namespace chatd::ws
