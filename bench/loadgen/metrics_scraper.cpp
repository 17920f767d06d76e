#include "metrics_scraper.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <charconv>
#include <chrono>

namespace chatd::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

std::map<std::string, double> metrics_scraper::parse(std::string_view text) {
  std::map<std::string, double> out;
  while (!text.empty()) {
    auto const nl = text.find('\n');
    auto line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (line.empty() || line.front() == '#') {
      continue;
    }
    auto const name_end = line.find_first_of("{ ");
    auto const value_at = line.rfind(' ');
    if (name_end == std::string_view::npos || value_at == std::string_view::npos || value_at + 1 >= line.size()) {
      continue;
    }
    double value = 0;
    auto const digits = line.substr(value_at + 1);
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc{}) {
      continue;
    }
    out[std::string(line.substr(0, name_end))] += value;
  }
  return out;
}

std::optional<std::map<std::string, double>> metrics_scraper::scrape(endpoint const& side_port) {
  try {
    asio::io_context ioc;
    asio::ip::tcp::resolver resolver(ioc);
    beast::tcp_stream stream(ioc);
    stream.expires_after(std::chrono::seconds(5));
    stream.connect(resolver.resolve(side_port.host, std::to_string(side_port.port)));
    http::request<http::empty_body> req{http::verb::get, "/metrics", 11};
    req.set(http::field::host, side_port.to_string());
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    if (res.result() != http::status::ok) {
      return std::nullopt;
    }
    return parse(res.body());
  } catch (std::exception const&) {
    return std::nullopt;
  }
}

}  // namespace chatd::bench
