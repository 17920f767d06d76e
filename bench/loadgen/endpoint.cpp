#include "endpoint.hpp"

#include <charconv>
#include <stdexcept>

namespace chatd::bench {

std::string endpoint::to_string() const {
  bool const v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

endpoint endpoint::parse(std::string_view text) {
  auto const bad = [&](std::string_view why) {
    return std::invalid_argument("'" + std::string(text) + "' is not host:port (" + std::string(why) + ")");
  };
  auto const colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
    throw bad("expected host:port");
  }
  auto host = text.substr(0, colon);
  if (host.starts_with('[')) {
    if (!host.ends_with(']') || host.size() < 3) {
      throw bad("unclosed IPv6 bracket");
    }
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    throw bad("put IPv6 addresses in brackets");
  }
  auto const digits = text.substr(colon + 1);
  unsigned port = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (ec != std::errc{} || ptr != digits.data() + digits.size() || port == 0 || port > 65535) {
    throw bad("port must be 1..65535");
  }
  return endpoint{std::string(host), static_cast<std::uint16_t>(port)};
}

std::vector<endpoint> endpoint::parse_list(std::string_view text) {
  std::vector<endpoint> out;
  while (true) {
    auto const comma = text.find(',');
    out.push_back(parse(text.substr(0, comma)));
    if (comma == std::string_view::npos) {
      break;
    }
    text.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace chatd::bench
