#include "store_fixture.hpp"

#include <pqxx/pqxx>

#include <algorithm>
#include <random>
#include <regex>
#include <set>
#include <thread>

namespace chatd::store::testing {
namespace {

std::vector<stored_message> insert(repository& r, std::vector<new_message> const& batch) {
  return r.insert_messages(batch);
}

new_message msg(std::string room, user const& u, std::string client_id, std::string text = "hello") {
  return new_message{std::move(room), u.id, std::move(client_id), std::move(text)};
}

std::vector<std::int64_t> seqs_of(history_page const& page) {
  std::vector<std::int64_t> out;
  for (auto const& m : page.messages) {
    out.push_back(m.seq);
  }
  return out;
}

std::vector<std::int64_t> range(std::int64_t first, std::int64_t last) {
  std::vector<std::int64_t> out;
  for (auto s = first; s <= last; ++s) {
    out.push_back(s);
  }
  return out;
}

using store_repository = store_test;

TEST(store_migrations, apply_once_and_are_idempotent) {
  chatd::test::test_database db;
  repository repo(db.url());
  repo.migrate();
  repo.migrate();
  repository other(db.url());
  other.migrate();
  pqxx::connection c(db.url());
  pqxx::nontransaction tx(c);
  auto const r = tx.exec("select version, name from schema_migrations order by version");
  ASSERT_EQ(r.size(), 3U);
  EXPECT_EQ(r[0][0].as<int>(), 1);
  EXPECT_EQ(r[0][1].as<std::string>(), "0001_init");
  EXPECT_EQ(r[1][0].as<int>(), 2);
  EXPECT_EQ(r[1][1].as<std::string>(), "0002_store_in_one_round_trip");
  EXPECT_EQ(r[2][0].as<int>(), 3);
  EXPECT_EQ(r[2][1].as<std::string>(), "0003_store_without_parent_locks");
  EXPECT_EQ(tx.exec("select count(*) from messages")[0][0].as<int>(), 0);
}

TEST(store_migrations, concurrent_migrations_on_a_fresh_database_all_succeed) {
  chatd::test::test_database db;
  constexpr int replicas = 6;
  std::vector<std::unique_ptr<repository>> repos;
  for (int i = 0; i < replicas; ++i) {
    repos.push_back(std::make_unique<repository>(db.url()));
  }
  std::vector<std::exception_ptr> errors(replicas);
  std::vector<std::thread> threads;
  for (int i = 0; i < replicas; ++i) {
    threads.emplace_back([&, i] {
      try {
        repos[i]->migrate();
      } catch (...) {
        errors[i] = std::current_exception();
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  for (auto const& e : errors) {
    EXPECT_FALSE(e) << "a concurrent migrate() threw";
  }
  pqxx::connection c(db.url());
  pqxx::nontransaction tx(c);
  EXPECT_EQ(tx.exec("select count(*) from schema_migrations")[0][0].as<int>(), 3);
  // Every repository can use the schema right away.
  auto const u = repos[0]->create_guest("t", "n", "ring:a");
  EXPECT_TRUE(repos[replicas - 1]->find_user(u.id).has_value());
}

TEST_F(store_repository, guests_are_created_found_and_updated) {
  auto const created = repo_->create_guest("hash-1", "Quiet Fox 42", "ring:Xy3");
  EXPECT_TRUE(std::regex_match(created.id, std::regex("^u_[0-9a-f]{24}$"))) << created.id;
  EXPECT_EQ(created.nickname, "Quiet Fox 42");
  EXPECT_EQ(created.avatar, "ring:Xy3");

  auto const found = repo_->find_guest("hash-1");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, created.id);
  EXPECT_FALSE(repo_->find_guest("hash-2").has_value());
  EXPECT_EQ(repo_->find_user(created.id)->nickname, "Quiet Fox 42");
  EXPECT_FALSE(repo_->find_user("u_000000000000000000000000").has_value());

  auto const updated = repo_->update_profile(created.id, "별빛 고양이", "beam:seed_-1");
  ASSERT_TRUE(updated.has_value());
  EXPECT_EQ(updated->id, created.id);
  EXPECT_EQ(updated->nickname, "별빛 고양이");
  EXPECT_EQ(repo_->find_guest("hash-1")->avatar, "beam:seed_-1");
  EXPECT_FALSE(repo_->update_profile("u_000000000000000000000000", "x", "ring:x").has_value());

  auto const second = repo_->create_guest("hash-2", "Other", "ring:b");
  EXPECT_NE(second.id, created.id);
}

TEST_F(store_repository, a_token_hash_names_one_guest) {
  repo_->create_guest("same", "a", "ring:a");
  EXPECT_THROW(repo_->create_guest("same", "b", "ring:b"), pqxx::unique_violation);
  EXPECT_THROW(repo_->create_guest("", "b", "ring:b"), std::invalid_argument);
}

TEST_F(store_repository, binary_token_hashes_with_nul_bytes_are_kept_whole) {
  using namespace std::string_literals;
  auto const a = repo_->create_guest("\x00\x01\xff"s, "a", "ring:a");
  auto const b = repo_->create_guest("\x00\x01\xfe"s, "b", "ring:b");
  EXPECT_EQ(repo_->find_guest("\x00\x01\xff"s)->id, a.id);
  EXPECT_EQ(repo_->find_guest("\x00\x01\xfe"s)->id, b.id);
  EXPECT_FALSE(repo_->find_guest("\x00"s).has_value());
}

TEST_F(store_repository, messages_get_contiguous_seqs_and_their_author) {
  auto const u = make_guest("ann");
  auto const first = insert(*repo_, {msg("r", u, "c1", "one")});
  auto const rest = insert(*repo_, {msg("r", u, "c2", "two"), msg("r", u, "c3", "three")});
  ASSERT_EQ(first.size(), 1U);
  ASSERT_EQ(rest.size(), 2U);
  EXPECT_EQ(first[0].msg.seq, 1);
  EXPECT_EQ(rest[0].msg.seq, 2);
  EXPECT_EQ(rest[1].msg.seq, 3);
  EXPECT_FALSE(first[0].duplicate);
  EXPECT_EQ(first[0].client_id, "c1");
  EXPECT_EQ(first[0].msg.room, "r");
  EXPECT_EQ(first[0].msg.text, "one");
  EXPECT_EQ(first[0].msg.author.id, u.id);
  EXPECT_EQ(first[0].msg.author.nickname, "ann");
  EXPECT_EQ(first[0].msg.author.avatar, "ring:ann");
  EXPECT_TRUE(std::regex_match(first[0].msg.id, std::regex("^[1-9][0-9]*$"))) << first[0].msg.id;
  EXPECT_NE(first[0].msg.id, rest[0].msg.id);
  EXPECT_LE(first[0].msg.ts_ms, rest[0].msg.ts_ms);
  auto const now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_NEAR(static_cast<double>(rest[1].msg.ts_ms), static_cast<double>(now_ms), 60'000.0);
  EXPECT_EQ(repo_->last_seq("r"), 3);
  EXPECT_EQ(repo_->last_seq("never-used"), 0);
  EXPECT_TRUE(insert(*repo_, {}).empty());
}

TEST_F(store_repository, a_batch_keeps_input_order_across_rooms) {
  auto const u = make_guest("ann");
  auto const v = make_guest("bob");
  auto const rows = insert(*repo_, {msg("b", u, "1"), msg("a", v, "2"), msg("b", v, "3"), msg("c", u, "4"),
                                    msg("a", u, "5")});
  ASSERT_EQ(rows.size(), 5U);
  std::vector<std::pair<std::string, std::int64_t>> got;
  for (auto const& r : rows) {
    got.emplace_back(r.msg.room, r.msg.seq);
  }
  std::vector<std::pair<std::string, std::int64_t>> const want{{"b", 1}, {"a", 1}, {"b", 2}, {"c", 1}, {"a", 2}};
  EXPECT_EQ(got, want);
  EXPECT_EQ(rows[2].msg.author.id, v.id);
  EXPECT_EQ(rows[2].client_id, "3");
  // Each room is recorded once, with its first message.
  EXPECT_EQ(query("select string_agg(id, ',' order by id) from rooms"), "a,b,c");
  insert(*repo_, {msg("a", u, "6"), msg("d", v, "7")});
  EXPECT_EQ(query("select string_agg(id, ',' order by id) from rooms"), "a,b,c,d");
}

TEST_F(store_repository, a_resend_in_a_later_batch_returns_the_original_row) {
  auto const u = make_guest("ann");
  auto const original = insert(*repo_, {msg("r", u, "c1", "first try")});
  auto const again = insert(*repo_, {msg("r", u, "c2", "next"), msg("r", u, "c1", "first try, edited")});
  ASSERT_EQ(again.size(), 2U);
  EXPECT_FALSE(again[0].duplicate);
  EXPECT_EQ(again[0].msg.seq, 2);
  EXPECT_TRUE(again[1].duplicate);
  EXPECT_EQ(again[1].msg.seq, 1);
  EXPECT_EQ(again[1].msg.id, original[0].msg.id);
  EXPECT_EQ(again[1].msg.ts_ms, original[0].msg.ts_ms);
  EXPECT_EQ(again[1].msg.text, "first try");
  EXPECT_EQ(again[1].msg.author.nickname, "ann");
  EXPECT_EQ(again[1].client_id, "c1");
  EXPECT_EQ(repo_->last_seq("r"), 2);
  EXPECT_EQ(query("select count(*) from messages"), "2");
}

TEST_F(store_repository, a_resend_within_one_batch_consumes_no_seq) {
  auto const u = make_guest("ann");
  auto const rows = insert(*repo_, {msg("r", u, "c1", "a"), msg("r", u, "c1", "a"), msg("r", u, "c2", "b")});
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_FALSE(rows[0].duplicate);
  EXPECT_TRUE(rows[1].duplicate);
  EXPECT_FALSE(rows[2].duplicate);
  EXPECT_EQ(rows[0].msg.seq, 1);
  EXPECT_EQ(rows[1].msg.seq, 1);
  EXPECT_EQ(rows[1].msg.id, rows[0].msg.id);
  EXPECT_EQ(rows[2].msg.seq, 2);
  EXPECT_EQ(repo_->last_seq("r"), 2);
}

TEST_F(store_repository, a_batch_of_only_resends_writes_nothing) {
  auto const u = make_guest("ann");
  insert(*repo_, {msg("r", u, "c1"), msg("r", u, "c2")});
  auto const rows = insert(*repo_, {msg("r", u, "c2"), msg("r", u, "c1"), msg("r", u, "c2")});
  EXPECT_TRUE(std::all_of(rows.begin(), rows.end(), [](auto const& r) { return r.duplicate; }));
  EXPECT_EQ(rows[0].msg.seq, 2);
  EXPECT_EQ(rows[1].msg.seq, 1);
  EXPECT_EQ(rows[2].msg.seq, 2);
  EXPECT_EQ(repo_->last_seq("r"), 2);
}

TEST_F(store_repository, client_ids_are_scoped_to_user_and_room) {
  auto const u = make_guest("ann");
  auto const v = make_guest("bob");
  auto const rows = insert(*repo_, {msg("r", u, "c1"), msg("r", v, "c1"), msg("s", u, "c1")});
  EXPECT_TRUE(std::none_of(rows.begin(), rows.end(), [](auto const& r) { return r.duplicate; }));
  EXPECT_EQ(rows[0].msg.seq, 1);
  EXPECT_EQ(rows[1].msg.seq, 2);
  EXPECT_EQ(rows[2].msg.seq, 1);
}

TEST_F(store_repository, text_and_room_ids_survive_the_round_trip_verbatim) {
  auto const u = make_guest("ann");
  std::vector<std::string> const texts{
      "plain", "a,b", "{braces}", "say \"hi\"", "back\\slash \\\\ \\\"", "NULL", " padded ", "line\nbreak\ttab",
      "첫 글 👋", "'single' quotes; drop table messages; --", std::string(2000, 'x')};
  std::vector<new_message> batch;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    batch.push_back(msg("/posts/첫-글,{\"x\"}", u, "c" + std::to_string(i), texts[i]));
  }
  auto const rows = repo_->insert_messages(batch);
  auto const page = repo_->latest("/posts/첫-글,{\"x\"}", 100);
  ASSERT_EQ(page.messages.size(), texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(rows[i].msg.text, texts[i]);
    EXPECT_EQ(page.messages[i].text, texts[i]);
    EXPECT_EQ(page.messages[i].room, "/posts/첫-글,{\"x\"}");
  }
}

TEST_F(store_repository, a_bad_message_fails_the_whole_batch_and_stores_nothing) {
  auto const u = make_guest("ann");
  insert(*repo_, {msg("r", u, "c0")});
  // Not UTF-8: PostgreSQL refuses it.
  EXPECT_THROW(insert(*repo_, {msg("r", u, "c1"), msg("r", u, "c2", "\xff\xfe")}), pqxx::data_exception);
  // An author that does not exist.
  EXPECT_THROW(insert(*repo_, {msg("r", u, "c3"), new_message{"r", "u_000000000000000000000000", "c4", "x"}}),
               pqxx::foreign_key_violation);
  using namespace std::string_literals;
  EXPECT_THROW(insert(*repo_, {msg("r", u, "c5", "nul\0byte"s)}), std::invalid_argument);
  EXPECT_THROW(insert(*repo_, {msg("", u, "c6")}), std::invalid_argument);
  EXPECT_THROW(insert(*repo_, {msg("r", u, "")}), std::invalid_argument);
  EXPECT_EQ(repo_->last_seq("r"), 1);
  EXPECT_EQ(query("select count(*) from messages"), "1");
  // The connection is still usable, and the next seq follows without a gap.
  EXPECT_EQ(insert(*repo_, {msg("r", u, "c1")})[0].msg.seq, 2);
}

class store_history : public store_test {
 protected:
  void SetUp() override {
    store_test::SetUp();
    author_ = make_guest("ann");
    std::vector<new_message> batch;
    for (int i = 1; i <= 25; ++i) {
      batch.push_back(msg("r", author_, "c" + std::to_string(i), "text " + std::to_string(i)));
    }
    repo_->insert_messages(batch);
  }
  user author_;
};

TEST_F(store_history, latest_returns_the_newest_page_in_ascending_order) {
  auto const page = repo_->latest("r", 10);
  EXPECT_EQ(seqs_of(page), range(16, 25));
  EXPECT_TRUE(page.has_more);
  EXPECT_EQ(page.messages.front().text, "text 16");
  EXPECT_EQ(page.messages.front().author.id, author_.id);
  EXPECT_EQ(page.messages.front().author.nickname, "ann");

  auto const all = repo_->latest("r", 25);
  EXPECT_EQ(seqs_of(all), range(1, 25));
  EXPECT_FALSE(all.has_more);
  EXPECT_FALSE(repo_->latest("r", 50).has_more);

  auto const empty = repo_->latest("unknown room", 10);
  EXPECT_TRUE(empty.messages.empty());
  EXPECT_FALSE(empty.has_more);
}

TEST_F(store_history, before_pages_back_and_stops_at_the_start) {
  auto const page = repo_->before("r", 16, 10);
  EXPECT_EQ(seqs_of(page), range(6, 15));
  EXPECT_TRUE(page.has_more);

  auto const exact = repo_->before("r", 11, 10);
  EXPECT_EQ(seqs_of(exact), range(1, 10));
  EXPECT_FALSE(exact.has_more);

  auto const last = repo_->before("r", 6, 10);
  EXPECT_EQ(seqs_of(last), range(1, 5));
  EXPECT_FALSE(last.has_more);

  EXPECT_TRUE(repo_->before("r", 1, 10).messages.empty());
  EXPECT_EQ(seqs_of(repo_->before("r", 1000, 3)), range(23, 25));
}

TEST_F(store_history, after_pages_forward_and_stops_at_the_end) {
  auto const first = repo_->after("r", 0, 10);
  EXPECT_EQ(seqs_of(first), range(1, 10));
  EXPECT_TRUE(first.has_more);

  auto const exact = repo_->after("r", 15, 10);
  EXPECT_EQ(seqs_of(exact), range(16, 25));
  EXPECT_FALSE(exact.has_more);

  auto const tail = repo_->after("r", 20, 10);
  EXPECT_EQ(seqs_of(tail), range(21, 25));
  EXPECT_FALSE(tail.has_more);

  auto const none = repo_->after("r", 25, 10);
  EXPECT_TRUE(none.messages.empty());
  EXPECT_FALSE(none.has_more);
}

TEST_F(store_history, limits_are_clamped) {
  EXPECT_EQ(seqs_of(repo_->latest("r", 0)), range(25, 25));
  EXPECT_EQ(seqs_of(repo_->latest("r", -7)), range(25, 25));
  EXPECT_EQ(seqs_of(repo_->after("r", 0, 1'000'000)), range(1, 25));
}

TEST_F(store_history, tombstones_keep_their_seq_and_lose_text_and_author) {
  auto const before = repo_->latest("r", 25).messages[2];
  EXPECT_TRUE(repo_->tombstone("r", 3));
  EXPECT_FALSE(repo_->tombstone("r", 3));
  EXPECT_FALSE(repo_->tombstone("r", 26));
  EXPECT_FALSE(repo_->tombstone("other", 3));

  auto const page = repo_->after("r", 0, 5);
  EXPECT_EQ(seqs_of(page), range(1, 5));
  auto const& gone = page.messages[2];
  EXPECT_TRUE(gone.deleted);
  EXPECT_EQ(gone.seq, 3);
  EXPECT_EQ(gone.id, before.id);
  EXPECT_EQ(gone.ts_ms, before.ts_ms);
  EXPECT_TRUE(gone.text.empty());
  EXPECT_TRUE(gone.author.id.empty());
  EXPECT_TRUE(gone.author.nickname.empty());
  EXPECT_FALSE(page.messages[1].deleted);
  EXPECT_EQ(page.messages[1].text, "text 2");
  // The text is erased from the database, not only hidden.
  EXPECT_EQ(query("select text from messages where room = 'r' and seq = 3"), "");

  // A resend of the deleted message answers with the tombstone and stores nothing.
  auto const resend = repo_->insert_messages(std::vector{msg("r", author_, "c3", "text 3")});
  EXPECT_TRUE(resend[0].duplicate);
  EXPECT_TRUE(resend[0].msg.deleted);
  EXPECT_EQ(resend[0].msg.seq, 3);
  EXPECT_EQ(repo_->last_seq("r"), 25);
}

// Several writers, each with its own connection (as separate chatd processes would be), write to
// one hot room and to rooms of their own with batches of random sizes, including resends.
TEST_F(store_repository, concurrent_writers_leave_no_gaps_and_no_duplicates) {
  constexpr int writers = 4;
  constexpr int batches = 40;
  std::vector<user> users;
  for (int w = 0; w < writers; ++w) {
    users.push_back(make_guest("writer" + std::to_string(w)));
  }
  std::vector<std::exception_ptr> errors(writers);
  std::vector<int> hot_new(writers, 0);
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      try {
        repository repo(db_.url());
        std::mt19937 rng(static_cast<unsigned>(w));
        int next_id = 0;
        for (int b = 0; b < batches; ++b) {
          std::vector<new_message> batch;
          auto const n = std::uniform_int_distribution<int>(1, 12)(rng);
          for (int i = 0; i < n; ++i) {
            bool const resend = next_id > 0 && rng() % 5 == 0;
            auto const id = resend ? static_cast<int>(rng() % static_cast<unsigned>(next_id)) : next_id++;
            auto const room = id % 3 == 0 ? "own-" + std::to_string(w) : std::string("hot");
            batch.push_back(msg(room, users[w], "c" + std::to_string(id)));
          }
          for (auto const& row : repo.insert_messages(batch)) {
            if (row.msg.room == "hot" && !row.duplicate) {
              ++hot_new[w];
            }
          }
        }
      } catch (...) {
        errors[w] = std::current_exception();
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  for (auto const& e : errors) {
    ASSERT_FALSE(e) << "a writer threw";
  }
  int total_hot = 0;
  for (auto n : hot_new) {
    total_hot += n;
  }
  ASSERT_GT(total_hot, 100);
  std::vector<std::int64_t> seqs;
  for (auto s = 0; s < total_hot;) {
    auto const p = repo_->after("hot", s, 500);
    for (auto const& m : p.messages) {
      seqs.push_back(m.seq);
    }
    if (p.messages.empty()) {
      break;
    }
    s = static_cast<int>(p.messages.back().seq);
  }
  EXPECT_EQ(seqs, range(1, total_hot));
  EXPECT_EQ(repo_->last_seq("hot"), total_hot);
  EXPECT_EQ(query("select count(*) from messages where room = 'hot'"), std::to_string(total_hot));
  for (int w = 0; w < writers; ++w) {
    auto const room = "own-" + std::to_string(w);
    auto const count = std::stoll(query("select count(*) from messages where room = '" + room + "'"));
    EXPECT_EQ(repo_->last_seq(room), count);
    EXPECT_EQ(query("select max(seq) - min(seq) + 1 from messages where room = '" + room + "'"),
              std::to_string(count));
  }
}

}  // namespace
}  // namespace chatd::store::testing
