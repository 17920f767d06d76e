#pragma once

#include <chatd/chat/string_hash.hpp>

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace chatd::chat {

// How many members each room has on the other replicas, as they last announced it. A replica
// announces its changed rooms as they change and all its rooms on a heartbeat; one that falls
// silent (killed, cut off) is forgotten after `ttl`, so its members stop counting.
// Thread-safe.
class presence_board {
 public:
  using clock = std::chrono::steady_clock;

  explicit presence_board(clock::duration ttl) : ttl_(ttl) {}

  // A replica's count for a room (0: none there).
  void update(std::string_view replica, std::string_view room, std::size_t count, clock::time_point now);
  // Members of the room on the other replicas.
  std::size_t elsewhere(std::string_view room) const;
  // Forgets the replicas not heard from within ttl.
  void expire(clock::time_point now);
  // Rooms whose count elsewhere changed since the last call.
  std::vector<std::string> take_changes();

 private:
  struct replica_state {
    clock::time_point heard;
    std::unordered_map<std::string, std::size_t, string_hash, std::equal_to<>> rooms;  // non-zero only
  };

  // One replica's count for a room went from `before` to `after`: the room's total follows.
  void retally_locked(std::string_view room, std::size_t before, std::size_t after);

  clock::duration const ttl_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, replica_state, string_hash, std::equal_to<>> replicas_;
  std::unordered_map<std::string, std::size_t, string_hash, std::equal_to<>> totals_;  // non-zero only
  std::unordered_set<std::string> changed_;
};

}  // namespace chatd::chat
