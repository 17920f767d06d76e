#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <functional>
#include <string>
#include <string_view>

namespace chatd::net {

using request = boost::beast::http::request<boost::beast::http::string_body>;
using response = boost::beast::http::response<boost::beast::http::string_body>;
// Called exactly once per request, on the connection's strand or from any thread (it posts).
using responder = std::function<void(response&&)>;

// What a handler knows of the connection besides the request.
struct request_context {
  std::string client_address;  // after trusted X-Forwarded-For hops
};

// A JSON error body as the REST API documents it: {"error":{"code","message"}}.
response json_error(request const& req, boost::beast::http::status status, std::string_view code, std::string_view message);
response json_response(request const& req, boost::beast::http::status status, std::string body);
response text_response(request const& req, boost::beast::http::status status, std::string body, std::string_view content_type);

}  // namespace chatd::net
