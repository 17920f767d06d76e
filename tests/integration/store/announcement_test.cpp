#include "store_fixture.hpp"

#include <chatd/store/announcement.hpp>
#include <chatd/store/notification_listener.hpp>

#include <algorithm>
#include <mutex>
#include <vector>

namespace chatd::store::testing {
namespace {

// Everything announced on the channel, parsed, in the order it was heard.
class announcement_log {
 public:
  explicit announcement_log(std::string const& url)
      : listener_(url, std::string(announcement::channel),
                  {.on_payload =
                       [this](std::string_view payload) {
                         std::lock_guard lock(mutex_);
                         heard_.push_back(announcement::parse(payload));
                         arrived_.add();
                       },
                   .on_connected = [this] { connected_.add(); },
                   .on_error = [](std::string_view) {}}) {}

  bool wait_connected() { return connected_.wait_for(1); }
  bool wait_for(int n) { return arrived_.wait_for(n); }
  std::vector<std::optional<announcement::parsed>> heard() {
    std::lock_guard lock(mutex_);
    return heard_;
  }

 private:
  completions connected_;
  completions arrived_;
  std::mutex mutex_;
  std::vector<std::optional<announcement::parsed>> heard_;
  notification_listener listener_;  // last: its thread stops before the members above go
};

using store_announcement = store_test;

TEST_F(store_announcement, each_new_message_is_announced_whole_in_seq_order) {
  announcement_log log(db_.url());
  ASSERT_TRUE(log.wait_connected());
  auto const kim = make_guest("kim");
  auto const lee = make_guest("lee");
  auto const stored = repo_->insert_messages(std::vector<new_message>{
      {"posts/첫-글", kim.id, "c1", "hi\nthere"},
      {"posts/b", lee.id, "c1", "line one\n\nline three\n"},
      {"posts/첫-글", lee.id, "c2", ""},
  });
  ASSERT_TRUE(log.wait_for(3));
  auto const heard = log.heard();
  ASSERT_EQ(heard.size(), 3u);
  std::vector<std::pair<std::string, std::int64_t>> order;
  for (auto const& a : heard) {
    ASSERT_TRUE(a) << "an announcement did not parse";
    order.emplace_back(a->room, a->seq);
    auto const it = std::find_if(stored.begin(), stored.end(), [&](stored_message const& s) {
      return s.msg.room == a->room && s.msg.seq == a->seq;
    });
    ASSERT_NE(it, stored.end()) << "announced a message that was not stored: " << a->room << " " << a->seq;
    auto const& m = it->msg;
    EXPECT_EQ(a->what, announcement::kind::message);
    EXPECT_EQ(a->msg.room, m.room);
    EXPECT_EQ(a->msg.seq, m.seq);
    EXPECT_EQ(a->msg.id, m.id);
    EXPECT_EQ(a->msg.ts_ms, m.ts_ms);
    EXPECT_EQ(a->msg.author.id, m.author.id);
    EXPECT_EQ(a->msg.author.nickname, m.author.nickname);
    EXPECT_EQ(a->msg.author.avatar, m.author.avatar);
    EXPECT_EQ(a->msg.text, m.text);
  }
  // Each stored message once; a room's in seq order.
  auto const first = std::find(order.begin(), order.end(), std::make_pair(std::string("posts/첫-글"), std::int64_t{1}));
  auto const second = std::find(order.begin(), order.end(), std::make_pair(std::string("posts/첫-글"), std::int64_t{2}));
  ASSERT_NE(second, order.end());
  EXPECT_LT(first, second);
  EXPECT_NE(std::find(order.begin(), order.end(), std::make_pair(std::string("posts/b"), std::int64_t{1})), order.end());
}

TEST_F(store_announcement, resends_are_silent_and_large_messages_and_deletions_are_announced_by_reference) {
  announcement_log log(db_.url());
  ASSERT_TRUE(log.wait_connected());
  auto const kim = make_guest("kim");
  std::string big;
  for (int i = 0; i < 2000; ++i) {
    big += "😀";  // 8,000 bytes of UTF-8: over NOTIFY's limit with the header
  }
  repo_->insert_messages(std::vector<new_message>{{"r", kim.id, "c1", "first"}});
  auto const again = repo_->insert_messages(std::vector<new_message>{{"r", kim.id, "c1", "first"}, {"r", kim.id, "c2", big}});
  EXPECT_TRUE(again[0].duplicate);
  EXPECT_EQ(again[1].msg.text, big);
  ASSERT_TRUE(repo_->tombstone("r", 1));
  EXPECT_FALSE(repo_->tombstone("r", 1));
  ASSERT_TRUE(log.wait_for(3));
  auto const heard = log.heard();
  ASSERT_EQ(heard.size(), 3u);
  ASSERT_TRUE(heard[0] && heard[1] && heard[2]);
  EXPECT_EQ(heard[0]->what, announcement::kind::message);
  EXPECT_EQ(heard[0]->seq, 1);
  EXPECT_EQ(heard[1]->what, announcement::kind::reference);
  EXPECT_EQ(heard[1]->seq, 2);
  EXPECT_EQ(heard[1]->room, "r");
  EXPECT_EQ(heard[2]->what, announcement::kind::deleted);
  EXPECT_EQ(heard[2]->seq, 1);
  EXPECT_EQ(heard[2]->room, "r");
}

}  // namespace
}  // namespace chatd::store::testing
