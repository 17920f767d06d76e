#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace chatd::bench {

// A "host:port" the generator connects to ("[::1]:8080" for IPv6 literals).
struct endpoint {
  std::string host;
  std::uint16_t port = 0;

  // "host:port" as given, for reports and the Host header.
  std::string to_string() const;
  // Throws std::invalid_argument with a message naming the bad item.
  static endpoint parse(std::string_view text);
  // A comma-separated list; empty items are refused.
  static std::vector<endpoint> parse_list(std::string_view text);
};

}  // namespace chatd::bench
