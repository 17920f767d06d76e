#include <chatd/chat/identity.hpp>
#include <chatd/chat/text.hpp>

#include <gtest/gtest.h>

#include <set>

namespace chatd::chat::identity {
namespace {

TEST(identity, tokens_are_unique_url_safe_and_plausible) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto t = new_token();
    EXPECT_EQ(t.size(), token_length);
    EXPECT_TRUE(plausible_token(t));
    EXPECT_TRUE(seen.insert(t).second);
  }
  EXPECT_FALSE(plausible_token(""));
  EXPECT_FALSE(plausible_token(std::string(43, '=')));
  EXPECT_FALSE(plausible_token(std::string(44, 'a')));
}

TEST(identity, token_hash_is_sha256_hex) {
  EXPECT_EQ(token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(identity, generated_profiles_pass_validation) {
  std::string why;
  for (int i = 0; i < 200; ++i) {
    EXPECT_TRUE(text::nickname(random_nickname(), why));
    EXPECT_TRUE(text::valid_avatar(random_avatar())) << random_avatar();
  }
}

}  // namespace
}  // namespace chatd::chat::identity
