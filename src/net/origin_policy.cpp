#include <chatd/config/config.hpp>
#include <chatd/net/origin_policy.hpp>

#include <algorithm>
#include <cctype>

namespace chatd::net::origin_policy {
namespace {

std::string_view host_of(std::string_view origin) {
  auto const sep = origin.find("://");
  return sep == std::string_view::npos ? std::string_view{} : origin.substr(sep + 3);
}

bool is_localhost(std::string_view origin) {
  auto host = host_of(origin);
  if (host.starts_with("[::1]")) {
    return true;
  }
  host = host.substr(0, host.find(':'));
  return host == "localhost" || host == "127.0.0.1" || host.ends_with(".localhost");
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

bool allowed(std::string_view origin, std::string_view host, std::vector<std::string> const& allowlist, std::string_view public_origin) {
  if (origin.empty()) {
    return true;
  }
  auto const normalized = config::normalize_origin(origin);
  if (normalized.empty()) {
    return false;
  }
  if (!public_origin.empty() && normalized == public_origin) {
    return true;
  }
  // Same origin: the page chatd served talks back to chatd. Compare with the Host the browser
  // used, normalised with the Origin's scheme so default ports match.
  auto const scheme = normalized.substr(0, normalized.find("://"));
  if (!host.empty() && config::normalize_origin(scheme + "://" + std::string(host)) == normalized) {
    return true;
  }
  if (allowlist.empty()) {
    return is_localhost(normalized);
  }
  return std::find(allowlist.begin(), allowlist.end(), normalized) != allowlist.end();
}

std::string frame_ancestors(std::vector<std::string> const& allowlist) {
  std::string out = "'self'";
  if (allowlist.empty()) {
    out += " http://localhost:* http://127.0.0.1:*";
  }
  for (auto const& origin : allowlist) {
    out += ' ';
    out += origin;
  }
  return out;
}

std::string client_address(std::string_view peer, std::string_view forwarded_for, int trusted_hops) {
  if (trusted_hops <= 0 || forwarded_for.empty()) {
    return std::string(peer);
  }
  std::vector<std::string_view> hops;
  std::size_t start = 0;
  while (start <= forwarded_for.size()) {
    auto end = std::min(forwarded_for.find(',', start), forwarded_for.size());
    hops.push_back(trim(forwarded_for.substr(start, end - start)));
    start = end + 1;
  }
  if (hops.size() < static_cast<std::size_t>(trusted_hops)) {
    return std::string(peer);
  }
  auto candidate = hops[hops.size() - static_cast<std::size_t>(trusted_hops)];
  bool const plausible = !candidate.empty() && candidate.size() <= 45 && std::all_of(candidate.begin(), candidate.end(), [](unsigned char c) {
    return std::isxdigit(c) || c == '.' || c == ':';
  });
  return plausible ? std::string(candidate) : std::string(peer);
}

}  // namespace chatd::net::origin_policy
