#pragma once

#include <chatd/chat/protocol.hpp>
#include <chatd/chat/room_registry.hpp>
#include <chatd/chat/string_hash.hpp>
#include <chatd/chat/token_bucket.hpp>
#include <chatd/net/connection_limiter.hpp>
#include <chatd/net/shared_state.hpp>
#include <chatd/store/types.hpp>
#include <chatd/ws/gathering_socket.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <array>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace chatd::ws {

// One guest's WebSocket connection.
//
// Threading: every handler runs on the socket's strand. deliver() is the one entry point other
// threads call (room fan-out, database workers); it only touches the members under out_mutex_,
// and posts a write to the strand when none is scheduled, so a busy session costs one post per
// batch of frames, not one per frame. One batch is in flight at a time, written with one system
// call (gathering_socket); the queue is bounded and a session that lets it fill is cut off, so a
// slow reader never slows its rooms.
class websocket_session : public chat::room_member, public std::enable_shared_from_this<websocket_session> {
 public:
  websocket_session(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<net::shared_state> state,
                    std::unique_ptr<net::connection_limiter::slot> slot, std::string cookie_token);
  ~websocket_session() override;

  void run(boost::beast::http::request<boost::beast::http::string_body>&& upgrade);
  void deliver(std::string_view room, chat::frame_ptr const& frame, std::int64_t seq) override;
  // Server shutdown: close with 1001 once the queued frames are written.
  void shutdown();

 private:
  using stream = boost::beast::websocket::stream<gathering_socket>;

  void on_accept(boost::beast::error_code ec);
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  // Returns false when reading must wait for the command's reply (hello).
  bool handle(chat::command&& cmd);
  void on_hello(chat::hello_cmd&& cmd);
  void on_join(chat::join_cmd&& cmd);
  void on_leave(chat::leave_cmd const& cmd);
  void on_send(chat::send_cmd&& cmd);
  void on_history(chat::history_cmd&& cmd);
  void on_typing(chat::typing_cmd const& cmd);
  void on_profile(chat::profile_cmd&& cmd);
  void on_joined(std::string const& room, std::int64_t last_seq, store::history_page&& page);

  void send_error(chat::error_code code, std::string_view message, std::string_view ref = {});
  void enqueue(std::string frame);
  void enqueue_locked(chat::frame_ptr frame);
  void schedule_write_locked();
  void write_next();
  void take_batch_locked(std::vector<chat::frame_ptr>& batch);
  void on_write(boost::beast::error_code ec);
  void close_with(boost::beast::websocket::close_code code);
  void finish();
  // The joined rooms are the keys of feeds_.
  bool joined(std::string const& room);
  std::size_t rooms_joined();
  // Drops the room's feed; returns whether the session was in the room.
  bool forget(std::string const& room);

  stream ws_;
  std::array<char, 256> read_chunk_;
  std::string message_;  // the message being read, until its last piece
  boost::asio::steady_timer close_deadline_;
  std::shared_ptr<net::shared_state> state_;
  std::unique_ptr<net::connection_limiter::slot> slot_;
  std::string cookie_token_;

  // Strand-only state.
  std::optional<store::user> user_;
  bool hello_pending_ = false;
  bool close_started_ = false;
  bool finished_ = false;
  chat::token_bucket send_bucket_;
  chat::token_bucket typing_bucket_;
  chat::token_bucket request_bucket_;

  // What a joined room's deliveries need: the newest seq queued for it, and the live messages that
  // arrived while the join's history was being read (sent after it, without what it holds).
  struct room_feed {
    std::int64_t sent = 0;
    bool catching_up = true;
    std::vector<std::pair<std::int64_t, chat::frame_ptr>> waiting;
  };
  void feed_locked(room_feed& feed, chat::frame_ptr const& frame, std::int64_t seq);

  // Guarded by out_mutex_: the outgoing queue and the feeds of the joined rooms.
  std::mutex out_mutex_;
  std::vector<chat::frame_ptr> out_;
  bool write_scheduled_ = false;
  bool write_in_flight_ = false;
  bool accepting_ = true;  // false once closing: deliver() drops frames
  bool close_after_drain_ = false;
  std::unordered_map<std::string, room_feed, chat::string_hash, std::equal_to<>> feeds_;
};

}  // namespace chatd::ws
