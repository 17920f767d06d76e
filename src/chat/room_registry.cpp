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
    auto& r = *it->second;
    std::lock_guard room_lock(r.mutex);
    auto pos = std::find_if(r.members.begin(), r.members.end(), [&](auto const& m) { return m.get() == member; });
    if (pos != r.members.end()) {
      *pos = std::move(r.members.back());  // order within a room's member list does not matter
      r.members.pop_back();
      removed = true;
    }
    if (r.members.empty()) {
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
