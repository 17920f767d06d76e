#include <chatd/chat/room_registry.hpp>

#include <algorithm>

namespace chatd::chat {

std::size_t room_registry::join(std::string const& name, std::shared_ptr<room_member> member) {
  std::size_t online = 0;
  bool added = false;
  {
    std::unique_lock lock(rooms_mutex_);
    auto& slot = rooms_[name];
    if (!slot) {
      slot = std::make_shared<room>();
    }
    std::lock_guard room_lock(slot->mutex);
    auto& members = slot->members;
    if (std::none_of(members.begin(), members.end(), [&](auto const& m) { return m == member; })) {
      members.push_back(std::move(member));
      added = true;
    }
    online = members.size();
  }
  if (added) {
    mark_dirty(name);
  }
  return online;
}

void room_registry::leave(std::string const& name, room_member const* member) {
  bool removed = false;
  {
    std::unique_lock lock(rooms_mutex_);
    auto it = rooms_.find(name);
    if (it == rooms_.end()) {
      return;
    }
    bool empty = false;
    {
      auto& r = *it->second;
      std::lock_guard room_lock(r.mutex);
      auto pos = std::find_if(r.members.begin(), r.members.end(), [&](auto const& m) { return m.get() == member; });
      if (pos != r.members.end()) {
        *pos = std::move(r.members.back());  // order within a room's member list does not matter
        r.members.pop_back();
        removed = true;
      }
      empty = r.members.empty();
    }
    // Erased only after its lock is released: erasing may destroy the room and its mutex.
    if (empty) {
      rooms_.erase(it);
    }
  }
  if (removed) {
    mark_dirty(name);
  }
}

std::size_t room_registry::broadcast(std::string_view name, frame_ptr const& frame, std::int64_t seq, room_member const* except) const {
  auto r = find(name);
  if (!r) {
    return 0;
  }
  std::lock_guard lock(r->mutex);
  std::size_t delivered = 0;
  for (auto const& member : r->members) {
    if (member.get() != except) {
      member->deliver(name, frame, seq);
      ++delivered;
    }
  }
  return delivered;
}

std::size_t room_registry::deliver_locked(room& r, std::string_view name, frame_ptr const& frame, std::int64_t seq) {
  for (auto const& member : r.members) {
    member->deliver(name, frame, seq);
  }
  r.last_seq = seq;
  return r.members.size();
}

room_registry::offer_result room_registry::offer(std::string_view name, std::int64_t seq, frame_source const& make_frame) {
  auto r = find(name);
  if (!r) {
    return {};
  }
  std::lock_guard lock(r->mutex);
  if (r->last_seq < 0) {
    r->last_seq = seq - 1;
  }
  if (seq <= r->last_seq) {
    return {};
  }
  offer_result result;
  if (seq > r->last_seq + 1) {
    if (r->pending.size() >= max_pending) {
      r->pending.clear();  // the fill brings them back from the database
    }
    r->pending.emplace(seq, make_frame());
    if (!r->fill_requested) {
      r->fill_requested = true;
      result.fill_after = r->last_seq;
    }
    return result;
  }
  result.delivered = deliver_locked(*r, name, make_frame(), seq);
  while (!r->pending.empty() && r->pending.begin()->first <= r->last_seq + 1) {
    auto node = r->pending.extract(r->pending.begin());
    if (node.key() == r->last_seq + 1) {
      result.delivered += deliver_locked(*r, name, node.mapped(), node.key());
    }
  }
  return result;
}

std::optional<std::int64_t> room_registry::fill_done(std::string_view name) {
  auto r = find(name);
  if (!r) {
    return std::nullopt;
  }
  std::lock_guard lock(r->mutex);
  r->fill_requested = !r->pending.empty();
  return r->fill_requested ? std::optional(r->last_seq) : std::nullopt;
}

void room_registry::fill_failed(std::string_view name) {
  if (auto r = find(name)) {
    std::lock_guard lock(r->mutex);
    r->fill_requested = false;
  }
}

void room_registry::note_position(std::string_view name, std::int64_t last_seq) {
  if (auto r = find(name)) {
    std::lock_guard lock(r->mutex);
    if (r->last_seq < 0) {
      r->last_seq = last_seq;
    }
  }
}

std::vector<std::pair<std::string, std::shared_ptr<room_registry::room>>> room_registry::all_rooms() const {
  std::shared_lock lock(rooms_mutex_);
  return {rooms_.begin(), rooms_.end()};
}

std::vector<std::pair<std::string, std::int64_t>> room_registry::positions() const {
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (auto const& [name, r] : all_rooms()) {
    std::lock_guard lock(r->mutex);
    if (r->last_seq >= 0) {
      out.emplace_back(name, r->last_seq);
    }
  }
  return out;
}

std::size_t room_registry::online(std::string_view name) const {
  auto r = find(name);
  if (!r) {
    return 0;
  }
  std::lock_guard lock(r->mutex);
  return r->members.size();
}

std::size_t room_registry::rooms_active() const {
  std::shared_lock lock(rooms_mutex_);
  return rooms_.size();
}

std::vector<std::pair<std::string, std::size_t>> room_registry::take_presence_changes() {
  std::unordered_set<std::string> dirty;
  {
    std::lock_guard lock(presence_mutex_);
    dirty.swap(presence_dirty_);
  }
  std::vector<std::pair<std::string, std::size_t>> out;
  out.reserve(dirty.size());
  for (auto const& name : dirty) {
    out.emplace_back(name, online(name));
  }
  return out;
}

std::vector<std::pair<std::string, std::size_t>> room_registry::members() const {
  std::vector<std::pair<std::string, std::size_t>> out;
  for (auto const& [name, r] : all_rooms()) {
    std::lock_guard lock(r->mutex);
    if (!r->members.empty()) {
      out.emplace_back(name, r->members.size());
    }
  }
  return out;
}

std::shared_ptr<room_registry::room> room_registry::find(std::string_view name) const {
  std::shared_lock lock(rooms_mutex_);
  auto it = rooms_.find(name);
  return it == rooms_.end() ? nullptr : it->second;
}

void room_registry::mark_dirty(std::string const& name) {
  std::lock_guard lock(presence_mutex_);
  presence_dirty_.insert(name);
}

}  // namespace chatd::chat
