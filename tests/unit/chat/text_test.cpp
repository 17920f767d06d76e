#include <chatd/chat/text.hpp>

#include <gtest/gtest.h>

namespace chatd::chat::text {
namespace {

TEST(text, utf8_length_counts_code_points_and_rejects_bad_sequences) {
  EXPECT_EQ(utf8_length("abc"), 3u);
  EXPECT_EQ(utf8_length("한글😀"), 3u);
  EXPECT_FALSE(utf8_length("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(utf8_length("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(utf8_length("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(utf8_length("\xE2\x82"));          // truncated
}

TEST(text, message_is_trimmed_and_bounded) {
  std::string why;
  EXPECT_EQ(message("\u3000 hi there \n", why), "hi there");
  EXPECT_EQ(message("line\r\nnext", why), "line\nnext");
  EXPECT_FALSE(message(" \t\n", why));
  EXPECT_EQ(why, "text is empty");
  EXPECT_FALSE(message(std::string(2001, 'a'), why));
  std::string korean;
  for (int i = 0; i < 2000; ++i) {
    korean += "글";
  }
  EXPECT_EQ(message(korean, why), korean);
  EXPECT_FALSE(message(korean + "글", why));
  EXPECT_FALSE(message("bell\x07", why));
  EXPECT_FALSE(message("\xFF", why));
}

TEST(text, nickname_rules) {
  std::string why;
  EXPECT_EQ(nickname("  정규  ", why), "정규");
  EXPECT_FALSE(nickname("", why));
  EXPECT_FALSE(nickname(std::string(33, 'n'), why));
  EXPECT_TRUE(nickname(std::string(32, 'n'), why));
  EXPECT_FALSE(nickname("evil\u202Egnp.exe", why));  // right-to-left override
  EXPECT_FALSE(nickname("tab\there", why));
}

TEST(text, room_ids_allow_korean_slugs_but_no_spaces_or_controls) {
  std::string why;
  EXPECT_TRUE(valid_room("posts/첫-글", why));
  EXPECT_TRUE(valid_room(std::string(200, 'r'), why));
  EXPECT_FALSE(valid_room(std::string(201, 'r'), why));
  EXPECT_FALSE(valid_room("", why));
  EXPECT_FALSE(valid_room("a b", why));
  EXPECT_FALSE(valid_room("a\u00A0b", why));
  EXPECT_FALSE(valid_room(std::string("a\0b", 3), why));
}

TEST(text, avatar_and_client_id_shapes) {
  EXPECT_TRUE(valid_avatar("ring:Ab_c-9"));
  EXPECT_TRUE(valid_avatar("abcdefghijklmnop:x"));
  EXPECT_FALSE(valid_avatar("abcdefghijklmnopq:x"));
  EXPECT_FALSE(valid_avatar("https://x.example/a.png"));
  EXPECT_FALSE(valid_avatar("Ring:x"));
  EXPECT_FALSE(valid_avatar("ring:"));
  EXPECT_FALSE(valid_avatar("ring:" + std::string(65, 'a')));
  EXPECT_TRUE(valid_client_id("c-1_A"));
  EXPECT_FALSE(valid_client_id(""));
  EXPECT_FALSE(valid_client_id(std::string(65, 'c')));
  EXPECT_FALSE(valid_client_id("c 1"));
}

}  // namespace
}  // namespace chatd::chat::text
