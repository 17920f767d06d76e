#include <chatd/store/announcement.hpp>

#include <gtest/gtest.h>

namespace chatd::store::announcement {
namespace {

TEST(store_announcement_parse, a_message_keeps_every_field_and_the_newlines_of_its_text) {
  auto const a = parse("m\n42\nposts/글\n7\n1700000000000\nu_0123456789abcdef01234567\nKim\nring:a\nhi\n\nthere\n");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->what, kind::message);
  EXPECT_EQ(a->seq, 42);
  EXPECT_EQ(a->room, "posts/글");
  EXPECT_EQ(a->msg.room, "posts/글");
  EXPECT_EQ(a->msg.seq, 42);
  EXPECT_EQ(a->msg.id, "7");
  EXPECT_EQ(a->msg.ts_ms, 1700000000000);
  EXPECT_EQ(a->msg.author.id, "u_0123456789abcdef01234567");
  EXPECT_EQ(a->msg.author.nickname, "Kim");
  EXPECT_EQ(a->msg.author.avatar, "ring:a");
  EXPECT_EQ(a->msg.text, "hi\n\nthere\n");
  EXPECT_FALSE(a->msg.deleted);
}

TEST(store_announcement_parse, an_empty_text_is_a_message_too) {
  auto const a = parse("m\n1\nr\n1\n5\nu_1\nn\ns:a\n");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->msg.text, "");
}

TEST(store_announcement_parse, references_and_deletions_name_room_and_seq) {
  auto const r = parse("r\n9\nroom\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->what, kind::reference);
  EXPECT_EQ(r->seq, 9);
  EXPECT_EQ(r->room, "room");
  auto const d = parse("d\n3\nroom\n");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->what, kind::deleted);
  EXPECT_EQ(d->seq, 3);
}

TEST(store_announcement_presence, counts_round_trip_and_split_under_notifys_limit) {
  std::vector<std::pair<std::string, std::size_t>> members{{"posts/첫-글", 3}, {"r", 0}};
  auto const one = presence("a1b2", members);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0], "p\na1b2\nposts/첫-글\t3\nr\t0\n");
  auto const parsed = parse(one[0]);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->what, kind::presence);
  EXPECT_EQ(parsed->replica, "a1b2");
  EXPECT_EQ(parsed->members, members);

  std::vector<std::pair<std::string, std::size_t>> many;
  for (std::size_t i = 0; i < 1000; ++i) {
    many.emplace_back("posts/room-number-" + std::to_string(i), i);
  }
  auto const payloads = presence("a1b2", many);
  EXPECT_GT(payloads.size(), 1u);
  std::vector<std::pair<std::string, std::size_t>> back;
  for (auto const& p : payloads) {
    EXPECT_LT(p.size(), 8000u);  // PostgreSQL's limit
    auto const part = parse(p);
    ASSERT_TRUE(part);
    back.insert(back.end(), part->members.begin(), part->members.end());
  }
  EXPECT_EQ(back, many);
  EXPECT_TRUE(presence("a1b2", {}).empty());
}

TEST(store_announcement_parse, anything_malformed_is_refused) {
  for (std::string_view bad : {
           "", "m", "x\n1\nr\n", "mm\n1\nr\n", "d\n0\nr\n", "d\n-1\nr\n", "d\nabc\nr\n", "d\n1x\nr\n", "d\n\nr\n",
           "d\n1\n\n", "d\n1\nr", "d\n1\nr\nextra", "r\n1\nr\nextra",
           "m\n1\nr\n",                      // no fields
           "m\n1\nr\n1\n5\nu_1\nn\n",        // no avatar line
           "m\n1\nr\n0\n5\nu_1\nn\ns:a\nt",  // id 0
           "m\n1\nr\nx\n5\nu_1\nn\ns:a\nt",  // id not a number
           "m\n1\nr\n1\nnow\nu_1\nn\ns:a\nt",
           "m\n1\nr\n1\n5\n\nn\ns:a\nt",  // no author
           "p\n", "p\n\nr\t1\n", "p\nid\nr\t1", "p\nid\nr 1\n", "p\nid\n\t1\n", "p\nid\nr\t-1\n", "p\nid\nr\tx\n",
       }) {
    EXPECT_FALSE(parse(bad)) << bad;
  }
}

}  // namespace
}  // namespace chatd::store::announcement
