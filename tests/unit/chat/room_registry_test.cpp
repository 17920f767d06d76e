#include <chatd/chat/room_registry.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace chatd::chat {
namespace {

// Records what a member receives (a fake for the pure registry logic).
class recorder : public room_member {
 public:
  void deliver(std::string_view room, frame_ptr const& frame, std::int64_t seq) override {
    std::lock_guard lock(mutex);
    frames.emplace_back(std::string(room) + ":" + *frame, seq);
  }
  std::vector<std::pair<std::string, std::int64_t>> snapshot() {
    std::lock_guard lock(mutex);
    return frames;
  }
  std::mutex mutex;
  std::vector<std::pair<std::string, std::int64_t>> frames;
};

frame_ptr frame(std::string s) { return std::make_shared<std::string const>(std::move(s)); }

// What offer() takes: a frame built on demand.
room_registry::frame_source source(std::string s) {
  return [f = frame(std::move(s))] { return f; };
}

TEST(room_registry, broadcast_reaches_members_of_that_room_only) {
  room_registry rooms;
  auto a = std::make_shared<recorder>(), b = std::make_shared<recorder>(), c = std::make_shared<recorder>();
  rooms.join("x", a);
  rooms.join("x", b);
  rooms.join("y", c);
  EXPECT_EQ(rooms.broadcast("x", frame("hi"), 3), 2u);
  EXPECT_EQ(a->snapshot(), (std::vector<std::pair<std::string, std::int64_t>>{{"x:hi", 3}}));
  EXPECT_EQ(b->snapshot().size(), 1u);
  EXPECT_TRUE(c->snapshot().empty());
  EXPECT_EQ(rooms.broadcast("nowhere", frame("hi")), 0u);
}

TEST(room_registry, broadcast_can_skip_the_sender) {
  room_registry rooms;
  auto a = std::make_shared<recorder>(), b = std::make_shared<recorder>();
  rooms.join("x", a);
  rooms.join("x", b);
  EXPECT_EQ(rooms.broadcast("x", frame("typing"), 0, a.get()), 1u);
  EXPECT_TRUE(a->snapshot().empty());
}

TEST(room_registry, joins_are_idempotent_and_empty_rooms_disappear) {
  room_registry rooms;
  auto a = std::make_shared<recorder>();
  EXPECT_EQ(rooms.join("x", a), 1u);
  EXPECT_EQ(rooms.join("x", a), 1u);
  EXPECT_EQ(rooms.rooms_active(), 1u);
  rooms.leave("x", a.get());
  EXPECT_EQ(rooms.rooms_active(), 0u);
  EXPECT_EQ(rooms.online("x"), 0u);
  rooms.leave("x", a.get());  // harmless
}

TEST(room_registry, presence_changes_are_coalesced_per_room) {
  room_registry rooms;
  auto a = std::make_shared<recorder>(), b = std::make_shared<recorder>();
  rooms.join("x", a);
  rooms.join("x", b);
  rooms.leave("x", b.get());
  rooms.join("x", a);  // no change: not marked
  auto changes = rooms.take_presence_changes();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0], (std::pair<std::string, std::size_t>{"x", 1}));
  EXPECT_TRUE(rooms.take_presence_changes().empty());
}

TEST(room_registry, concurrent_broadcasts_keep_one_order_for_every_member) {
  room_registry rooms;
  std::vector<std::shared_ptr<recorder>> members;
  for (int i = 0; i < 8; ++i) {
    members.push_back(std::make_shared<recorder>());
    rooms.join("x", members.back());
  }
  std::atomic<int> seq{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        auto s = ++seq;
        rooms.broadcast("x", frame(std::to_string(s)), s);
      }
    });
  }
  // Joins and leaves of others race with the fan-out.
  threads.emplace_back([&] {
    for (int i = 0; i < 500; ++i) {
      auto guest = std::make_shared<recorder>();
      rooms.join("x", guest);
      rooms.leave("x", guest.get());
    }
  });
  for (auto& t : threads) {
    t.join();
  }
  auto const reference = members[0]->snapshot();
  EXPECT_EQ(reference.size(), 2000u);
  for (auto& m : members) {
    EXPECT_EQ(m->snapshot(), reference);
  }
}

TEST(room_registry, offer_delivers_each_seq_once_and_in_order) {
  room_registry rooms;
  auto a = std::make_shared<recorder>();
  rooms.join("x", a);
  rooms.note_position("x", 4);
  EXPECT_EQ(rooms.offer("x", 5, source("5")).delivered, 1u);
  EXPECT_EQ(rooms.offer("x", 5, source("5")).delivered, 0u);  // duplicate
  auto held = rooms.offer("x", 8, source("8"));            // 6 and 7 are missing
  EXPECT_EQ(held.delivered, 0u);
  EXPECT_EQ(held.fill_after, 5);
  EXPECT_FALSE(rooms.offer("x", 9, source("9")).fill_after);  // one fill at a time
  EXPECT_EQ(rooms.offer("x", 6, source("6")).delivered, 1u);
  EXPECT_EQ(rooms.fill_done("x"), 6);  // 7 still missing
  EXPECT_EQ(rooms.offer("x", 7, source("7")).delivered, 3u);  // 7, then the held 8 and 9
  EXPECT_FALSE(rooms.fill_done("x"));
  std::vector<std::int64_t> seqs;
  for (auto const& [text, seq] : a->snapshot()) {
    seqs.push_back(seq);
  }
  EXPECT_EQ(seqs, (std::vector<std::int64_t>{5, 6, 7, 8, 9}));
  EXPECT_EQ(rooms.positions(), (std::vector<std::pair<std::string, std::int64_t>>{{"x", 9}}));
}

TEST(room_registry, the_first_offer_sets_an_unknown_position_and_a_join_does_not_move_it_back) {
  room_registry rooms;
  auto a = std::make_shared<recorder>();
  rooms.join("x", a);
  EXPECT_EQ(rooms.offer("x", 11, source("11")).delivered, 1u);
  rooms.note_position("x", 20);  // known already: ignored, so 12.. still reach the member
  EXPECT_EQ(rooms.offer("x", 12, source("12")).delivered, 1u);
  EXPECT_EQ(rooms.offer("nobody-here", 1, source("1")).delivered, 0u);
}

TEST(room_registry, an_old_seq_or_an_empty_room_builds_no_frame) {
  room_registry rooms;
  rooms.join("x", std::make_shared<recorder>());
  rooms.note_position("x", 4);
  int built = 0;
  auto const counting = [&built] {
    ++built;
    return frame("f");
  };
  rooms.offer("x", 3, counting);
  rooms.offer("x", 4, counting);
  rooms.offer("elsewhere", 9, counting);
  EXPECT_EQ(built, 0);
  rooms.offer("x", 5, counting);
  rooms.offer("x", 7, counting);  // held for the fill: built once
  EXPECT_EQ(built, 2);
}

TEST(room_registry, a_failed_fill_is_asked_for_again) {
  room_registry rooms;
  auto a = std::make_shared<recorder>();
  rooms.join("x", a);
  rooms.note_position("x", 1);
  EXPECT_EQ(rooms.offer("x", 3, source("3")).fill_after, 1);
  rooms.fill_failed("x");
  EXPECT_EQ(rooms.offer("x", 4, source("4")).fill_after, 1);
}

}  // namespace
}  // namespace chatd::chat
