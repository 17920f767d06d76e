#include <chatd/ws/handshake.hpp>

#include <boost/beast/http/rfc7230.hpp>
#include <boost/beast/http/status.hpp>
#include <openssl/evp.h>

#include <array>
#include <cstdlib>

namespace chatd::ws::handshake {

namespace http = boost::beast::http;

namespace {

constexpr std::string_view base64_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
// Appended to the client's key before hashing (section 1.3).
constexpr std::string_view guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

std::string base64(unsigned char const* data, std::size_t size) {
  std::string out;
  out.reserve((size + 2) / 3 * 4);
  for (std::size_t i = 0; i < size; i += 3) {
    std::uint32_t group = std::uint32_t{data[i]} << 16;
    if (i + 1 < size) {
      group |= std::uint32_t{data[i + 1]} << 8;
    }
    if (i + 2 < size) {
      group |= data[i + 2];
    }
    out.push_back(base64_alphabet[(group >> 18) & 63]);
    out.push_back(base64_alphabet[(group >> 12) & 63]);
    out.push_back(i + 1 < size ? base64_alphabet[(group >> 6) & 63] : '=');
    out.push_back(i + 2 < size ? base64_alphabet[group & 63] : '=');
  }
  return out;
}

std::string refusal(http::status status, std::string_view why, bool version_hint) {
  std::string body(why);
  body += '\n';
  std::string out = "HTTP/1.1 " + std::to_string(static_cast<unsigned>(status)) + " " + std::string(http::obsolete_reason(status)) + "\r\n";
  out += "Server: chatd\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n";
  if (version_hint) {
    out += "Sec-WebSocket-Version: 13\r\n";
  }
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  out += body;
  return out;
}

}  // namespace

bool valid_key(std::string_view key) {
  // 16 bytes are 22 base64 digits and two of padding.
  if (key.size() != 24 || !key.ends_with("==")) {
    return false;
  }
  return key.substr(0, 22).find_first_not_of(base64_alphabet) == std::string_view::npos;
}

std::string accept_value(std::string_view key) {
  std::string input(key);
  input += guid;
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_size = 0;
  if (EVP_Digest(input.data(), input.size(), digest.data(), &digest_size, EVP_sha1(), nullptr) != 1 || digest_size != 20) {
    // libcrypto without SHA-1 cannot happen with Debian's; without it no handshake could succeed.
    std::abort();
  }
  return base64(digest.data(), digest_size);
}

reply answer(http::request<http::string_body> const& req) {
  auto refuse = [](std::string_view why) { return reply{false, refusal(http::status::bad_request, why, false)}; };
  if (req.version() != 11) {
    return refuse("a WebSocket handshake needs HTTP/1.1");
  }
  if (req.method() != http::verb::get) {
    return refuse("a WebSocket handshake is a GET");
  }
  if (req.find(http::field::host) == req.end()) {
    return refuse("the handshake has no Host");
  }
  if (!http::token_list{req[http::field::connection]}.exists("upgrade")) {
    return refuse("Connection must contain upgrade");
  }
  if (!http::token_list{req[http::field::upgrade]}.exists("websocket")) {
    return refuse("Upgrade must be websocket");
  }
  if (req[http::field::sec_websocket_version] != "13") {
    return {false, refusal(http::status::upgrade_required, "chatd speaks WebSocket version 13", true)};
  }
  if (req.count(http::field::sec_websocket_key) != 1 || !valid_key(req[http::field::sec_websocket_key])) {
    return refuse("Sec-WebSocket-Key must be one base64 encoding of 16 bytes");
  }
  std::string out = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ";
  out += accept_value(req[http::field::sec_websocket_key]);
  out += "\r\nServer: chatd\r\n\r\n";
  return {true, std::move(out)};
}

}  // namespace chatd::ws::handshake
