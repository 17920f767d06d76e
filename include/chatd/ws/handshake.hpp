#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string>
#include <string_view>

// The server's side of the opening handshake (RFC 6455 section 4.2). http_session has already
// routed the request to /ws and checked its Origin, the drain and the connection limits; this
// checks what makes it a WebSocket upgrade and writes the answer.
namespace chatd::ws::handshake {

// True when `key` is the base64 encoding of 16 bytes, as Sec-WebSocket-Key must be (section 4.1).
bool valid_key(std::string_view key);

// Sec-WebSocket-Accept for a client's key: base64(SHA-1(key + the RFC's GUID)) (section 4.2.2).
std::string accept_value(std::string_view key);

struct reply {
  bool accepted = false;
  std::string response;  // the raw HTTP response: 101, or the refusal (400, or 426 for a version)
};

// The answer to an upgrade request. A refusal says why in a plain-text body and closes.
reply answer(boost::beast::http::request<boost::beast::http::string_body> const& req);

}  // namespace chatd::ws::handshake
