#include <chatd/net/http_types.hpp>

#include <boost/beast/http/field.hpp>
#include <nlohmann/json.hpp>

namespace chatd::net {

namespace http = boost::beast::http;

response text_response(request const& req, http::status status, std::string body, std::string_view content_type) {
  response res{status, req.version()};
  res.set(http::field::server, "chatd");
  res.set(http::field::content_type, content_type);
  res.set("X-Content-Type-Options", "nosniff");
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

response json_response(request const& req, http::status status, std::string body) {
  return text_response(req, status, std::move(body), "application/json");
}

response json_error(request const& req, http::status status, std::string_view code, std::string_view message) {
  nlohmann::json j = {{"error", {{"code", code}, {"message", message}}}};
  return json_response(req, status, j.dump());
}

}  // namespace chatd::net
