#include "server_fixture.hpp"

#include <set>
#include <thread>

namespace chatd::test {
namespace {

using messaging = server_test;

TEST_F(messaging, message_reaches_every_member_and_sender_gets_ack) {
  start();
  auto alice = guest();
  auto bob = guest();
  alice->join("posts/첫-글");
  auto [joined, history] = bob->join("posts/첫-글");
  EXPECT_EQ(joined["last_seq"], 0);
  EXPECT_TRUE(history["messages"].empty());

  alice->send(send_frame("posts/첫-글", "  안녕하세요 👋  ", "c1"));
  auto ack = alice->expect("ack");
  EXPECT_EQ(ack["client_id"], "c1");
  EXPECT_EQ(ack["seq"], 1);
  EXPECT_TRUE(ack["id"].is_string());
  EXPECT_GT(ack["ts"].get<std::int64_t>(), 1700000000000);

  for (auto* member : {alice.get(), bob.get()}) {
    auto msg = member->expect("message");
    EXPECT_EQ(msg["room"], "posts/첫-글");
    EXPECT_EQ(msg["seq"], 1);
    EXPECT_EQ(msg["text"], "안녕하세요 👋");  // trimmed
    EXPECT_EQ(msg["id"], ack["id"]);
    EXPECT_EQ(msg["user"]["nickname"].is_string(), true);
  }
  // The store's queue reported the message's wait, and nothing waited too long.
  EXPECT_GE(chatd_->metric("chatd_db_queue_wait_seconds_count{queue=\"store\"}"), 1);
  EXPECT_EQ(chatd_->metric("chatd_db_queue_expired_total{queue=\"store\"}"), 0);
}

TEST_F(messaging, resent_client_id_returns_the_original_ack_and_stores_nothing) {
  start();
  auto alice = guest();
  auto bob = guest();
  alice->join("r");
  bob->join("r");
  alice->send(send_frame("r", "once", "same-id"));
  auto first = alice->expect("ack");
  bob->expect("message");
  alice->send(send_frame("r", "once", "same-id"));
  auto second = alice->expect("ack");
  EXPECT_EQ(first["seq"], second["seq"]);
  EXPECT_EQ(first["id"], second["id"]);
  alice->send(send_frame("r", "next", "other-id"));
  // Bob's next message is seq 2: the resend was not delivered again.
  auto next = bob->expect("message");
  EXPECT_EQ(next["seq"], 2);
  EXPECT_EQ(scalar("select count(*) from messages"), "2");
}

TEST_F(messaging, concurrent_senders_produce_one_gapless_order_for_everyone) {
  start({{"CHATD_SEND_BURST", "1000"}, {"CHATD_SEND_PER_SECOND", "1000"}});
  constexpr int senders = 4;
  constexpr int per_sender = 25;
  auto observer = guest();
  observer->join("busy");
  std::vector<std::unique_ptr<ws_client>> clients;
  for (int i = 0; i < senders; ++i) {
    clients.push_back(guest());
    clients.back()->join("busy");
  }
  std::vector<std::thread> threads;
  for (int i = 0; i < senders; ++i) {
    threads.emplace_back([&, i] {
      for (int k = 0; k < per_sender; ++k) {
        clients[static_cast<std::size_t>(i)]->send(send_frame("busy", "m" + std::to_string(k), "s" + std::to_string(i) + "-" + std::to_string(k)));
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  auto seqs_seen_by = [&](ws_client& c) {
    std::vector<std::int64_t> seqs;
    while (seqs.size() < senders * per_sender) {
      seqs.push_back(c.expect("message")["seq"].get<std::int64_t>());
    }
    return seqs;
  };
  auto const reference = seqs_seen_by(*observer);
  for (std::size_t i = 0; i < reference.size(); ++i) {
    ASSERT_EQ(reference[i], static_cast<std::int64_t>(i + 1)) << "gap or reorder at " << i;
  }
  for (auto& c : clients) {
    EXPECT_EQ(seqs_seen_by(*c), reference);
  }
}

TEST_F(messaging, typing_reaches_others_but_not_the_typist) {
  start();
  auto alice = guest();
  auto bob = guest();
  alice->join("t");
  bob->join("t");
  alice->send({{"type", "typing"}, {"room", "t"}});
  auto typing = bob->expect("typing");
  EXPECT_EQ(typing["room"], "t");
  EXPECT_TRUE(typing["user"]["nickname"].is_string());
  alice->send({{"type", "ping"}});
  alice->expect("pong");  // nothing but pong came back: no typing echo before it
}

TEST_F(messaging, presence_counts_members_and_follows_leaves) {
  start();
  auto alice = guest();
  alice->join("p");
  auto bob = guest();
  auto [joined, _] = bob->join("p");
  EXPECT_EQ(joined["online"], 2);
  alice->expect("presence", [](auto const& f) { return f["online"] == 2; });
  bob->send({{"type", "leave"}, {"room", "p"}});
  alice->expect("presence", [](auto const& f) { return f["online"] == 1; });
}

TEST_F(messaging, admin_delete_tombstones_and_notifies_members) {
  start({{"CHATD_ADMIN_TOKEN", "an-admin-token-long-enough"}});
  auto alice = guest();
  alice->send({{"type", "join"}, {"room", "mod room"}, {"since", 0}});  // a space is not allowed
  EXPECT_EQ(alice->expect("error")["code"], "bad_request");
  alice->join("mod");
  alice->send(send_frame("mod", "spam", "x1"));
  alice->expect("ack");
  auto path = "/api/admin/rooms/mod/messages/1";
  EXPECT_EQ(http_request(chatd_->port(), "DELETE", path).status, 401);
  EXPECT_EQ(http_request(chatd_->port(), "DELETE", path, {{"Authorization", "Bearer wrong-token-wrong-token"}}).status, 401);
  EXPECT_EQ(http_request(chatd_->port(), "DELETE", path, {{"Authorization", "Bearer an-admin-token-long-enough"}}).status, 204);
  EXPECT_EQ(http_request(chatd_->port(), "DELETE", "/api/admin/rooms/mod/messages/9", {{"Authorization", "Bearer an-admin-token-long-enough"}}).status, 404);
  auto deleted = alice->expect("deleted");
  EXPECT_EQ(deleted["seq"], 1);
  auto [joined, history] = alice->join("mod");
  ASSERT_EQ(history["messages"].size(), 1u);
  EXPECT_EQ(history["messages"][0]["deleted"], true);
  EXPECT_FALSE(history["messages"][0].contains("text"));
}

}  // namespace
}  // namespace chatd::test
