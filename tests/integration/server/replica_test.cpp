#include "server_fixture.hpp"

#include <thread>

namespace chatd::test {
namespace {

// Several chatd processes on one database, as Kubernetes runs them.
class replicas : public server_test {
 protected:
  void start_two(chatd_process::env extra = {}) {
    extra.emplace_back("CHATD_SEND_BURST", "1000");
    extra.emplace_back("CHATD_SEND_PER_SECOND", "1000");
    start(extra);
    second_ = std::make_unique<chatd_process>(db_.url(), extra);
  }
  std::unique_ptr<ws_client> guest_on(chatd_process& p) {
    auto c = std::make_unique<ws_client>(p.port());
    c->hello();
    return c;
  }
  static std::vector<std::int64_t> message_seqs(ws_client& c, std::size_t n) {
    std::vector<std::int64_t> seqs;
    while (seqs.size() < n) {
      seqs.push_back(c.expect("message")["seq"].get<std::int64_t>());
    }
    return seqs;
  }

  std::unique_ptr<chatd_process> second_;
};

TEST_F(replicas, members_on_every_replica_see_every_message_in_one_order) {
  start_two();
  constexpr int per_sender = 30;
  std::vector<std::unique_ptr<ws_client>> members;
  for (int i = 0; i < 4; ++i) {
    members.push_back(guest_on(i % 2 == 0 ? *chatd_ : *second_));
    members.back()->join("shared");
  }
  std::vector<std::thread> senders;
  for (int i = 0; i < 4; ++i) {
    senders.emplace_back([&, i] {
      for (int k = 0; k < per_sender; ++k) {
        members[static_cast<std::size_t>(i)]->send(send_frame("shared", "x", "s" + std::to_string(i) + "_" + std::to_string(k)));
      }
    });
  }
  for (auto& t : senders) {
    t.join();
  }
  auto const total = static_cast<std::size_t>(4 * per_sender);
  auto const reference = message_seqs(*members[0], total);
  for (std::size_t i = 0; i < total; ++i) {
    ASSERT_EQ(reference[i], static_cast<std::int64_t>(i + 1));
  }
  for (std::size_t m = 1; m < members.size(); ++m) {
    EXPECT_EQ(message_seqs(*members[m], total), reference) << "member " << m;
  }
}

// A room's members on every replica count: each hears the others' announcements, and shows the
// sum to its own members.
TEST_F(replicas, presence_counts_the_members_on_every_replica) {
  start_two();
  auto near = guest_on(*chatd_);
  near->join("counted");
  auto far = guest_on(*second_);
  far->join("counted");
  auto const online_is = [](ws_client& c, int n) {
    return c.expect("presence", [n](auto const& f) { return f["room"] == "counted" && f["online"] == n; })["online"];
  };
  EXPECT_EQ(online_is(*near, 2), 2);
  EXPECT_EQ(online_is(*far, 2), 2);
  auto third = guest_on(*second_);
  auto [joined, history] = third->join("counted");
  EXPECT_EQ(joined["online"], 3);  // by now the first replica's member has been announced
  EXPECT_EQ(online_is(*near, 3), 3);
  third.reset();
  far->send({{"type", "leave"}, {"room", "counted"}});
  EXPECT_EQ(online_is(*near, 1), 1);
}

TEST_F(replicas, deletions_reach_members_on_other_replicas) {
  start_two({{"CHATD_ADMIN_TOKEN", "an-admin-token-long-enough"}});
  auto near = guest_on(*chatd_);
  auto far = guest_on(*second_);
  near->join("mod");
  far->join("mod");
  near->send(send_frame("mod", "oops", "d1"));
  far->expect("message");
  ASSERT_EQ(http_request(chatd_->port(), "DELETE", "/api/admin/rooms/mod/messages/1",
                         {{"Authorization", "Bearer an-admin-token-long-enough"}})
                .status,
            204);
  EXPECT_EQ(far->expect("deleted")["seq"], 1);
  EXPECT_EQ(near->expect("deleted")["seq"], 1);
}

TEST_F(replicas, a_lost_listener_catches_up_without_gaps_or_duplicates) {
  start_two();
  auto near = guest_on(*chatd_);
  auto far = guest_on(*second_);
  near->join("gap");
  far->join("gap");
  // Cut every server connection, the listeners' included, while messages keep coming.
  for (int round = 0; round < 3; ++round) {
    db_.terminate_connections();
    for (int k = 0; k < 5; ++k) {
      auto id = "g" + std::to_string(round) + "_" + std::to_string(k);
      // A send that meets a dropped database connection is refused; the client retries it.
      bool acked = false;
      for (int attempt = 0; attempt < 100 && !acked; ++attempt) {
        near->send(send_frame("gap", "during churn", id));
        for (;;) {
          auto frame = near->receive();
          ASSERT_TRUE(frame) << "no reply to " << id;
          if ((*frame)["type"] == "ack" && (*frame)["client_id"] == id) {
            acked = true;
            break;
          }
          if ((*frame)["type"] == "error" && (*frame)["ref"] == id) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            break;
          }
        }
      }
      ASSERT_TRUE(acked) << id;
    }
  }
  auto const seqs = message_seqs(*far, 15);
  for (std::size_t i = 0; i < seqs.size(); ++i) {
    EXPECT_EQ(seqs[i], static_cast<std::int64_t>(i + 1));
  }
  EXPECT_EQ(scalar("select count(*) from messages"), "15");
}

}  // namespace
}  // namespace chatd::test
