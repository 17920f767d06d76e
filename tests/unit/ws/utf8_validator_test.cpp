#include <chatd/chat/text.hpp>
#include <chatd/ws/utf8_validator.hpp>

#include <gtest/gtest.h>

#include <string>

namespace chatd::ws {
namespace {

bool valid_whole(std::string_view s) {
  utf8_validator v;
  return v.feed(s) && v.complete();
}

bool valid_bytewise(std::string_view s) {
  utf8_validator v;
  for (char c : s) {
    if (!v.feed(std::string_view(&c, 1))) {
      return false;
    }
  }
  return v.complete();
}

TEST(utf8_validator, accepts_every_form_up_to_the_last_code_point) {
  for (std::string_view s : {"", "plain ascii, longer than eight bytes", "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF",
                             "\xEE\x80\x80", "\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF", "\xEC\x95\x88\xEB\x85\x95 \xF0\x9F\x98\x80"}) {
    EXPECT_TRUE(valid_whole(s)) << s;
    EXPECT_TRUE(valid_bytewise(s)) << s;
  }
}

TEST(utf8_validator, refuses_overlong_forms_surrogates_and_values_past_the_last) {
  for (std::string_view s : {"\x80", "\xBF", "\xC0\x80", "\xC1\xBF", "\xE0\x9F\xBF", "\xF0\x8F\xBF\xBF", "\xED\xA0\x80", "\xED\xBF\xBF",
                             "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF", "\xC2\x41", "\xE2\x82\x41", "abcdefgh\xFE"}) {
    EXPECT_FALSE(valid_whole(s)) << testing::PrintToString(s);
    EXPECT_FALSE(valid_bytewise(s)) << testing::PrintToString(s);
  }
}

TEST(utf8_validator, an_open_code_point_is_not_complete_until_it_closes) {
  utf8_validator v;
  EXPECT_TRUE(v.feed("\xF0\x9F"));
  EXPECT_FALSE(v.complete());
  EXPECT_FALSE(v.failed());
  EXPECT_TRUE(v.feed("\x98"));
  EXPECT_FALSE(v.complete());
  EXPECT_TRUE(v.feed("\x80"));
  EXPECT_TRUE(v.complete());
}

TEST(utf8_validator, stays_failed) {
  utf8_validator v;
  EXPECT_FALSE(v.feed("\xC0"));
  EXPECT_TRUE(v.failed());
  EXPECT_FALSE(v.feed("a"));
  EXPECT_FALSE(v.complete());
  v.reset();
  EXPECT_TRUE(v.feed("a"));
  EXPECT_TRUE(v.complete());
}

// Against chat::text's decoder (a separate implementation): every sequence of one to three bytes
// from the interesting lead bytes, and every four-byte one from F0 and F4, whole and split.
TEST(utf8_validator, agrees_with_the_chat_text_decoder_on_every_short_sequence) {
  int checked = 0;
  auto check = [&](std::string const& s) {
    bool const expected = chat::text::utf8_length(s).has_value();
    ASSERT_EQ(valid_whole(s), expected) << testing::PrintToString(s);
    ++checked;
  };
  for (int a = 0; a < 256; ++a) {
    check(std::string(1, static_cast<char>(a)));
    for (int b = 0; b < 256; ++b) {
      check({static_cast<char>(a), static_cast<char>(b)});
      if (a < 0xE0) {
        continue;
      }
      for (int c = 0x70; c < 0xC8; ++c) {
        check({static_cast<char>(a), static_cast<char>(b), static_cast<char>(c)});
      }
    }
  }
  for (int a : {0xF0, 0xF4}) {
    for (int b = 0x70; b < 0xC8; ++b) {
      std::string s{static_cast<char>(a), static_cast<char>(b), '\x80', '\xBF'};
      check(s);
      ASSERT_EQ(valid_bytewise(s), valid_whole(s));
    }
  }
  EXPECT_GT(checked, 500000);
}

}  // namespace
}  // namespace chatd::ws
