#include <chatd/ws/handshake.hpp>

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <gtest/gtest.h>

#include <map>

namespace chatd::ws::handshake {
namespace {

namespace http = boost::beast::http;

// The request a browser sends, with `changes` applied (an empty value removes the field).
http::request<http::string_body> upgrade_request(std::map<std::string, std::string> const& changes = {}) {
  http::request<http::string_body> req{http::verb::get, "/ws", 11};
  req.set(http::field::host, "chat.jungyu.store");
  req.set(http::field::upgrade, "websocket");
  req.set(http::field::connection, "Upgrade");
  req.set(http::field::sec_websocket_key, "dGhlIHNhbXBsZSBub25jZQ==");
  req.set(http::field::sec_websocket_version, "13");
  for (auto const& [name, value] : changes) {
    if (value.empty()) {
      req.erase(name);
    } else {
      req.set(name, value);
    }
  }
  return req;
}

http::response<http::string_body> parse_response(std::string const& raw) {
  http::response_parser<http::string_body> parser;
  parser.skip(false);
  boost::beast::error_code ec;
  auto used = parser.put(boost::asio::buffer(raw), ec);
  if (!ec && !parser.is_done()) {
    // A 101 has no body; a refusal's body follows its header.
    parser.put(boost::asio::buffer(raw.data() + used, raw.size() - used), ec);
  }
  EXPECT_FALSE(ec) << ec.message() << "\n" << raw;
  return parser.release();
}

// RFC 6455 section 1.3's worked example.
TEST(handshake, accept_value_matches_the_rfc_example) {
  EXPECT_EQ(accept_value("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(handshake, key_must_be_base64_of_16_bytes) {
  EXPECT_TRUE(valid_key("dGhlIHNhbXBsZSBub25jZQ=="));
  EXPECT_TRUE(valid_key("AAAAAAAAAAAAAAAAAAAAAA=="));
  EXPECT_TRUE(valid_key("+/+/+/+/+/+/+/+/+/+/+w=="));
  EXPECT_FALSE(valid_key(""));
  EXPECT_FALSE(valid_key("dGhlIHNhbXBsZSBub25jZQ="));    // 23 characters
  EXPECT_FALSE(valid_key("dGhlIHNhbXBsZSBub25jZQ==="));  // 25
  EXPECT_FALSE(valid_key("dGhlIHNhbXBsZSBub25jZQAA"));   // 18 bytes, no padding
  EXPECT_FALSE(valid_key("dGhlIHNhbXBsZSBub25j*Q=="));   // not base64
  EXPECT_FALSE(valid_key("dGhlIHNhbXBsZSBub25jZ=A="));   // padding in the middle
}

TEST(handshake, answers_a_browser_upgrade_with_101) {
  auto const r = answer(upgrade_request());
  ASSERT_TRUE(r.accepted);
  EXPECT_TRUE(r.response.starts_with("HTTP/1.1 101 Switching Protocols\r\n"));
  EXPECT_TRUE(r.response.ends_with("\r\n\r\n"));
  auto const res = parse_response(r.response);
  EXPECT_EQ(res.result(), http::status::switching_protocols);
  EXPECT_EQ(res[http::field::sec_websocket_accept], "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  EXPECT_EQ(res[http::field::server], "chatd");
  EXPECT_TRUE(http::token_list{res[http::field::upgrade]}.exists("websocket"));
  EXPECT_TRUE(http::token_list{res[http::field::connection]}.exists("upgrade"));
}

TEST(handshake, takes_tokens_in_any_case_and_among_others) {
  EXPECT_TRUE(answer(upgrade_request({{"Connection", "keep-alive, Upgrade"}, {"Upgrade", "WebSocket"}})).accepted);
  EXPECT_TRUE(answer(upgrade_request({{"Connection", "upgrade"}})).accepted);
}

TEST(handshake, refuses_what_is_not_an_upgrade_with_400) {
  auto refused = [](http::request<http::string_body> const& req) {
    auto const r = answer(req);
    EXPECT_FALSE(r.accepted);
    auto const res = parse_response(r.response);
    EXPECT_EQ(res[http::field::server], "chatd");
    EXPECT_FALSE(res.body().empty()) << "says why";
    EXPECT_FALSE(res.keep_alive());
    return res.result_int();
  };
  auto post = upgrade_request();
  post.method(http::verb::post);
  EXPECT_EQ(refused(post), 400);
  auto old = upgrade_request();
  old.version(10);
  EXPECT_EQ(refused(old), 400);
  EXPECT_EQ(refused(upgrade_request({{"Host", ""}})), 400);
  EXPECT_EQ(refused(upgrade_request({{"Connection", "keep-alive"}})), 400);
  EXPECT_EQ(refused(upgrade_request({{"Connection", ""}})), 400);
  EXPECT_EQ(refused(upgrade_request({{"Upgrade", "h2c"}})), 400);
  EXPECT_EQ(refused(upgrade_request({{"Sec-WebSocket-Key", ""}})), 400);
  EXPECT_EQ(refused(upgrade_request({{"Sec-WebSocket-Key", "c2hvcnQ="}})), 400);
  auto two_keys = upgrade_request();
  two_keys.insert(http::field::sec_websocket_key, "AAAAAAAAAAAAAAAAAAAAAA==");
  EXPECT_EQ(refused(two_keys), 400);
}

TEST(handshake, names_version_13_when_refusing_another) {
  for (std::string version : {"8", "14", ""}) {
    auto const r = answer(upgrade_request({{"Sec-WebSocket-Version", version}}));
    EXPECT_FALSE(r.accepted);
    auto const res = parse_response(r.response);
    EXPECT_EQ(res.result(), http::status::upgrade_required) << version;
    EXPECT_EQ(res[http::field::sec_websocket_version], "13");
  }
}

}  // namespace
}  // namespace chatd::ws::handshake
