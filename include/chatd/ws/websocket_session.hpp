#pragma once

#include <chatd/chat/protocol.hpp>
#include <chatd/chat/room_registry.hpp>
#include <chatd/chat/string_hash.hpp>
#include <chatd/chat/token_bucket.hpp>
#include <chatd/net/connection_limiter.hpp>
#include <chatd/net/shared_state.hpp>
#include <chatd/store/types.hpp>
#include <chatd/ws/frame_reader.hpp>
#include <chatd/ws/rfc6455.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <array>
#include <chrono>
#include <cstdint>
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
// call; the queue is bounded and a session that lets it fill is cut off, so a slow reader never
// slows its rooms.
//
// The WebSocket protocol is chatd's own (RFC 6455, server side, no extensions) on the plain TCP
// socket: handshake::answer for the upgrade, frame_reader for what arrives, and one byte buffer
// for what leaves, in which batches of text frames and the control frames (pong, ping, close)
// queue whole, so they never interleave. An idle session holds no buffer but the small read chunk.
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
  void on_handshake(bool accepted, boost::beast::error_code ec);
  // Parses what the read chunk holds, then reads more, unless reading must wait (see the flags).
  void read_on();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void on_frame_event(frame_reader::result const& r);
  void on_message();
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
  // Writes what waits in pending_, unless a write is in flight.
  void flush();
  void on_written(boost::beast::error_code ec);
  void arm_timer(std::chrono::steady_clock::duration after);
  // A peer silent for this long is pinged, and dropped when silent for twice as long.
  std::chrono::steady_clock::duration half_idle_timeout() const;
  void on_timer(boost::beast::error_code ec);
  // Starts the close handshake: the close frame goes after what is already framed, nothing after it.
  void close_with(close_code code);
  void on_peer_close(close_code code);
  // Ends the session: leaves the rooms, closes the socket. Every path ends here exactly once.
  void finish();
  // The joined rooms are the keys of feeds_.
  bool joined(std::string const& room);
  std::size_t rooms_joined();
  // Drops the room's feed; returns whether the session was in the room.
  bool forget(std::string const& room);

  boost::asio::ip::tcp::socket socket_;
  // One timer, by phase: the handshake's deadline, then the idle check every half idle timeout,
  // then the close handshake's deadline.
  boost::asio::steady_timer timer_;
  std::shared_ptr<net::shared_state> state_;
  std::unique_ptr<net::connection_limiter::slot> slot_;
  std::string cookie_token_;

  // Strand-only state.
  frame_reader reader_;
  std::string message_;  // the message being read, until its final frame
  // Small and fixed: an idle connection waits on it, and a bigger read only saves system calls
  // for bursts that chatd's rate limits do not let in anyway.
  std::array<char, 256> read_chunk_;
  std::uint16_t chunk_at_ = 0;  // read_chunk_[chunk_at_, chunk_end_) is not parsed yet
  std::uint16_t chunk_end_ = 0;
  // Frames and control frames waiting for the write in flight, and the bytes of that write.
  std::string pending_;
  std::string in_flight_;
  std::optional<store::user> user_;
  std::chrono::steady_clock::time_point last_heard_;  // when bytes last came in
  enum class phase : std::uint8_t { handshake, open, closing };
  phase phase_ = phase::handshake;
  bool reading_ = false;           // a read is outstanding, or read_on is running
  bool hello_pending_ = false;     // reading waits for the hello's reply
  bool waiting_for_write_ = false; // reading waits until the pongs it owes are written
  bool socket_writing_ = false;
  bool pinged_ = false;            // the idle timer sent a ping and nothing came in since
  bool close_started_ = false;     // our close frame is queued; no frame may follow it
  bool close_written_ = false;
  bool peer_closed_ = false;       // the peer's close frame came in
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
