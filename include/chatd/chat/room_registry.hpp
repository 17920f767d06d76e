#pragma once

#include <chatd/chat/string_hash.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace chatd::chat {

// A serialised server frame, built once and shared by every recipient.
using frame_ptr = std::shared_ptr<std::string const>;

// Whatever can receive a room's frames: a WebSocket session in the server, a recorder in tests.
class room_member {
 public:
  virtual ~room_member() = default;
  // Queues the frame for sending. `seq` is the message's seq for `message` frames and 0 for
  // everything else. Called from any thread with the room's lock held: it must be quick and must
  // not call back into the registry.
  virtual void deliver(std::string_view room, frame_ptr const& frame, std::int64_t seq) = 0;
};

// The rooms of this process and who is in them.
//
// Locking: `rooms_mutex_` guards the map only, and is taken shared by broadcasts, so rooms never
// contend with each other; each room's `mutex` guards its member list and is held for the whole
// fan-out, which is what gives every member of a room the same frame order. Membership changes also
// mark the room in `presence_dirty_` (own mutex) for the coalesced presence ticker.
class room_registry {
 public:
  // Adds the member (a repeated join is harmless). Returns the room's local member count.
  std::size_t join(std::string const& room, std::shared_ptr<room_member> member);
  void leave(std::string const& room, room_member const* member);

  // Delivers to every member except `except`; returns how many got it.
  std::size_t broadcast(std::string_view room, frame_ptr const& frame, std::int64_t seq = 0,
                        room_member const* except = nullptr) const;

  std::size_t online(std::string_view room) const;
  std::size_t rooms_active() const;

  // Rooms whose member count changed since the last call, with their count now.
  std::vector<std::pair<std::string, std::size_t>> take_presence_changes();
  // Every room with members here, with their count.
  std::vector<std::pair<std::string, std::size_t>> members() const;

  // Sequenced delivery of a room's messages, whichever replica stored them: each member gets every
  // seq once and in order. An old seq is dropped; one past the next waits, and the result asks the
  // caller to fill the gap from the database (once, until fill_done). The frame is built only for a
  // seq the room takes: most offers of a replica's own messages come back as its NOTIFY echo.
  struct offer_result {
    std::size_t delivered = 0;
    std::optional<std::int64_t> fill_after;
  };
  using frame_source = std::function<frame_ptr()>;
  offer_result offer(std::string_view room, std::int64_t seq, frame_source const& make_frame);
  // After a fill: whether another is needed (the gap is still open), and from where.
  std::optional<std::int64_t> fill_done(std::string_view room);
  // A fill that failed: the next out-of-order message asks again.
  void fill_failed(std::string_view room);
  // A join read the room's last seq: the position of a room that has delivered nothing yet.
  void note_position(std::string_view room, std::int64_t last_seq);
  // Rooms with members here and the last seq delivered in each (catch-up after a lost listener).
  std::vector<std::pair<std::string, std::int64_t>> positions() const;

 private:
  // Out-of-order messages a room holds at most before it drops them and relies on the fill.
  static constexpr std::size_t max_pending = 4096;

  struct room {
    mutable std::mutex mutex;
    std::vector<std::shared_ptr<room_member>> members;
    std::int64_t last_seq = -1;  // -1: nothing delivered yet, position unknown
    std::map<std::int64_t, frame_ptr> pending;
    bool fill_requested = false;
  };
  using room_map = std::unordered_map<std::string, std::shared_ptr<room>, string_hash, std::equal_to<>>;

  std::shared_ptr<room> find(std::string_view name) const;
  // A copy of the map, so rooms can be locked one by one without holding the map's lock.
  std::vector<std::pair<std::string, std::shared_ptr<room>>> all_rooms() const;
  static std::size_t deliver_locked(room& r, std::string_view name, frame_ptr const& frame, std::int64_t seq);
  void mark_dirty(std::string const& name);

  mutable std::shared_mutex rooms_mutex_;
  room_map rooms_;
  std::mutex presence_mutex_;
  std::unordered_set<std::string> presence_dirty_;
};

}  // namespace chatd::chat
