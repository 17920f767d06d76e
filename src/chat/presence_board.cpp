#include <chatd/chat/presence_board.hpp>

namespace chatd::chat {

void presence_board::update(std::string_view replica, std::string_view room, std::size_t count, clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto it = replicas_.find(replica);
  if (it == replicas_.end()) {
    it = replicas_.emplace(std::string(replica), replica_state{}).first;
  }
  it->second.heard = now;
  auto& rooms = it->second.rooms;
  auto const known = rooms.find(room);
  std::size_t const before = known == rooms.end() ? 0 : known->second;
  if (before == count) {
    return;
  }
  if (count == 0) {
    rooms.erase(known);
  } else if (known == rooms.end()) {
    rooms.emplace(std::string(room), count);
  } else {
    known->second = count;
  }
  retally_locked(room, before, count);
}

void presence_board::retally_locked(std::string_view room, std::size_t before, std::size_t after) {
  auto total = totals_.find(room);
  if (total == totals_.end()) {
    total = totals_.emplace(std::string(room), 0).first;
  }
  total->second = total->second - before + after;
  if (total->second == 0) {
    totals_.erase(total);
  }
  changed_.emplace(room);
}

std::size_t presence_board::elsewhere(std::string_view room) const {
  std::lock_guard lock(mutex_);
  auto const it = totals_.find(room);
  return it == totals_.end() ? 0 : it->second;
}

void presence_board::expire(clock::time_point now) {
  std::lock_guard lock(mutex_);
  for (auto it = replicas_.begin(); it != replicas_.end();) {
    if (now - it->second.heard <= ttl_) {
      ++it;
      continue;
    }
    for (auto const& [room, count] : it->second.rooms) {
      retally_locked(room, count, 0);
    }
    it = replicas_.erase(it);
  }
}

std::vector<std::string> presence_board::take_changes() {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out(changed_.begin(), changed_.end());
  changed_.clear();
  return out;
}

}  // namespace chatd::chat
