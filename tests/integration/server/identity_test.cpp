#include "server_fixture.hpp"

namespace chatd::test {
namespace {

using identity = server_test;

TEST_F(identity, new_guest_gets_generated_profile_and_token) {
  start();
  auto c = connect();
  auto welcome = c->hello();
  auto const& user = welcome["user"];
  EXPECT_TRUE(user["id"].get<std::string>().starts_with("u_"));
  EXPECT_FALSE(user["nickname"].get<std::string>().empty());
  EXPECT_TRUE(user["avatar"].get<std::string>().find(':') != std::string::npos);
  EXPECT_EQ(welcome["token"].get<std::string>().size(), 43u);
}

TEST_F(identity, token_restores_identity_and_profile_after_reconnect) {
  start();
  std::string token, id;
  {
    auto c = connect();
    auto welcome = c->hello();
    token = welcome["token"];
    id = welcome["user"]["id"];
    c->send({{"type", "profile"}, {"nickname", "  정규  "}, {"avatar", "beam:abc_DEF-1"}});
    auto profile = c->expect("profile");
    EXPECT_EQ(profile["user"]["nickname"], "정규");
  }
  auto again = connect();
  auto welcome = again->hello(token);
  EXPECT_EQ(welcome["user"]["id"], id);
  EXPECT_EQ(welcome["user"]["nickname"], "정규");
  EXPECT_EQ(welcome["user"]["avatar"], "beam:abc_DEF-1");
}

TEST_F(identity, cookie_from_api_session_identifies_the_socket) {
  start();
  auto session = http_request(chatd_->port(), "POST", "/api/session");
  ASSERT_EQ(session.status, 200);
  auto cookie = session.header("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
  auto body = nlohmann::json::parse(session.body);

  auto c = connect({.cookie = cookie.substr(0, cookie.find(';'))});
  auto welcome = c->hello();
  EXPECT_EQ(welcome["user"]["id"], body["user"]["id"]);

  auto me = http_request(chatd_->port(), "GET", "/api/me", {{"Authorization", "Bearer " + body["token"].get<std::string>()}});
  EXPECT_EQ(me.status, 200);
  EXPECT_EQ(nlohmann::json::parse(me.body)["user"]["id"], body["user"]["id"]);
}

TEST_F(identity, unknown_token_creates_a_new_guest) {
  start();
  auto c = connect();
  auto welcome = c->hello(std::string(43, 'A'));
  EXPECT_NE(welcome["token"], std::string(43, 'A'));
}

TEST_F(identity, invalid_profiles_are_refused) {
  start();
  auto c = guest();
  for (auto const& bad : {nlohmann::json{{"nickname", ""}, {"avatar", "ring:x"}},
                          nlohmann::json{{"nickname", std::string(33, 'n')}, {"avatar", "ring:x"}},
                          nlohmann::json{{"nickname", "a\u0007b"}, {"avatar", "ring:x"}},
                          nlohmann::json{{"nickname", "ok"}, {"avatar", "https://evil.example/x.png"}}}) {
    auto frame = bad;
    frame["type"] = "profile";
    c->send(frame);
    auto error = c->expect("error");
    EXPECT_EQ(error["code"], "bad_request") << frame.dump();
  }
}

TEST_F(identity, put_me_updates_the_profile_over_rest) {
  start();
  auto session = nlohmann::json::parse(http_request(chatd_->port(), "POST", "/api/session").body);
  auto auth = std::pair<std::string, std::string>{"Authorization", "Bearer " + session["token"].get<std::string>()};
  auto put = http_request(chatd_->port(), "PUT", "/api/me", {auth, {"Content-Type", "application/json"}},
                          R"({"nickname":"Reader","avatar":"pixel:seed1"})");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(nlohmann::json::parse(put.body)["user"]["nickname"], "Reader");
  auto bad = http_request(chatd_->port(), "PUT", "/api/me", {auth}, R"({"nickname":"","avatar":"pixel:seed1"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(nlohmann::json::parse(bad.body)["error"]["code"], "bad_request");
  EXPECT_EQ(http_request(chatd_->port(), "GET", "/api/me").status, 401);
}

}  // namespace
}  // namespace chatd::test
