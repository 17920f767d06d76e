#include "server_fixture.hpp"

namespace chatd::test {
namespace {

using history = server_test;

// Stores n messages in `room` through one client and waits for every ack.
void fill(ws_client& c, std::string const& room, int n) {
  for (int i = 1; i <= n; ++i) {
    c.send({{"type", "send"}, {"room", room}, {"text", "m" + std::to_string(i)}, {"client_id", "f" + std::to_string(i)}});
  }
  for (int i = 1; i <= n; ++i) {
    c.expect("ack");
  }
}

std::vector<std::int64_t> seqs(nlohmann::json const& page) {
  std::vector<std::int64_t> out;
  for (auto const& m : page["messages"]) {
    out.push_back(m["seq"]);
  }
  return out;
}

std::vector<std::int64_t> range(std::int64_t from, std::int64_t to) {
  std::vector<std::int64_t> out;
  for (auto s = from; s <= to; ++s) {
    out.push_back(s);
  }
  return out;
}

TEST_F(history, join_sends_latest_page_then_pages_back_and_forward) {
  start({{"CHATD_SEND_BURST", "500"}, {"CHATD_SEND_PER_SECOND", "500"}});
  auto writer = guest();
  writer->join("h");
  fill(*writer, "h", 120);

  auto reader = guest();
  auto [joined, latest] = reader->join("h");
  EXPECT_EQ(joined["last_seq"], 120);
  EXPECT_EQ(seqs(latest), range(71, 120));
  EXPECT_TRUE(latest["has_more"]);

  reader->send({{"type", "history"}, {"room", "h"}, {"before", 71}, {"limit", 100}});
  auto older = reader->expect("history");
  EXPECT_EQ(seqs(older), range(1, 70));
  EXPECT_FALSE(older["has_more"]);

  reader->send({{"type", "history"}, {"room", "h"}, {"after", 100}, {"limit", 10}});
  auto newer = reader->expect("history");
  EXPECT_EQ(seqs(newer), range(101, 110));
  EXPECT_TRUE(newer["has_more"]);
}

TEST_F(history, join_with_since_catches_up_exactly_what_was_missed) {
  start({{"CHATD_SEND_BURST", "500"}, {"CHATD_SEND_PER_SECOND", "500"}});
  auto writer = guest();
  writer->join("c");
  fill(*writer, "c", 30);
  auto reader = guest();
  auto [joined, missed] = reader->join("c", 25);
  EXPECT_EQ(seqs(missed), range(26, 30));
  EXPECT_FALSE(missed["has_more"]);
  writer->send({{"type", "send"}, {"room", "c"}, {"text", "live"}, {"client_id", "live"}});
  EXPECT_EQ(reader->expect("message")["seq"], 31);
}

// A client that saw the room empty says so with since 0, and gets everything when it comes back,
// not only the latest page a new visitor gets.
TEST_F(history, a_client_that_saw_the_room_empty_gets_everything_on_its_return) {
  start({{"CHATD_SEND_BURST", "500"}, {"CHATD_SEND_PER_SECOND", "500"}});
  auto early = guest();
  auto [first_joined, first_page] = early->join("quiet");
  EXPECT_EQ(first_joined["last_seq"], 0);
  EXPECT_TRUE(first_page["messages"].empty());
  early.reset();
  auto writer = guest();
  writer->join("quiet");
  fill(*writer, "quiet", 60);
  auto newcomer = guest();
  EXPECT_EQ(seqs(newcomer->join("quiet").second), range(11, 60));  // the latest 50
  auto back = guest();
  auto [joined, missed] = back->join("quiet", 0);
  EXPECT_EQ(joined["last_seq"], 60);
  EXPECT_EQ(seqs(missed), range(1, 60));
  EXPECT_FALSE(missed["has_more"]);
}

// The room's sequencer can be behind the database when a member joins (here: rows another writer
// stored without an announcement this replica heard). The gap fill then replays them to the room,
// and the newcomer, whose history already held them, must not get them twice.
TEST_F(history, a_join_while_the_room_is_behind_gets_each_message_once) {
  start();
  auto early = guest();
  early->join("behind");
  auto writer = connect();
  auto const author = writer->hello()["user"]["id"].get<std::string>();
  writer->join("behind");
  scalar("with created as (insert into rooms (id) values ('behind') on conflict do nothing returning id) "
         "select count(*) from created");
  EXPECT_EQ(scalar("with stored as (insert into messages (room, seq, user_id, client_id, text, ts_ms) "
                   "select 'behind', s, '" + author + "', 'quiet-' || s, 'm' || s, 1700000000000 + s "
                   "from generate_series(1, 20) s returning 1) select count(*) from stored"),
            "20");
  auto reader = guest();
  auto [joined, missed] = reader->join("behind", 15);
  EXPECT_EQ(seqs(missed), range(16, 20));
  writer->send(send_frame("behind", "live", "live"));
  EXPECT_EQ(reader->expect("message")["seq"], 21);
  // The member who was there before gets the fill, then the live message: 1..21, once each.
  std::vector<std::int64_t> seen;
  while (seen.size() < 21) {
    seen.push_back(early->expect("message")["seq"].get<std::int64_t>());
  }
  EXPECT_EQ(seen, range(1, 21));
}

TEST_F(history, rest_pages_match_the_socket) {
  start({{"CHATD_SEND_BURST", "500"}, {"CHATD_SEND_PER_SECOND", "500"}});
  auto writer = guest();
  writer->join("posts/한글");
  fill(*writer, "posts/한글", 12);
  auto res = http_request(chatd_->port(), "GET", "/api/rooms/posts%2F%ED%95%9C%EA%B8%80/messages?before=11&limit=5");
  ASSERT_EQ(res.status, 200) << res.body;
  auto page = nlohmann::json::parse(res.body);
  EXPECT_EQ(page["room"], "posts/한글");
  EXPECT_EQ(seqs(page), range(6, 10));
  EXPECT_TRUE(page["has_more"]);
  EXPECT_EQ(http_request(chatd_->port(), "GET", "/api/rooms/h/messages?limit=101").status, 400);
  EXPECT_EQ(http_request(chatd_->port(), "GET", "/api/rooms/%ZZ/messages").status, 400);
}

}  // namespace
}  // namespace chatd::test
