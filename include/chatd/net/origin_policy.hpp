#pragma once

#include <string>
#include <string_view>
#include <vector>

// Who may talk to chatd from a browser. Two origins matter for an embed: the blog that frames the
// chat (the allowlist, enforced with CSP frame-ancestors) and the iframe page itself, which chatd
// serves, so its WebSocket carries chatd's own origin (same-origin: Origin matches Host).
namespace chatd::net::origin_policy {

// True when a browser request with this Origin may open a socket or call the API. An absent Origin
// is a non-browser client, which can claim any Origin anyway, so it is let through.
bool allowed(std::string_view origin, std::string_view host, std::vector<std::string> const& allowlist,
             std::string_view public_origin);

// The CSP frame-ancestors source list of the embed page.
std::string frame_ancestors(std::vector<std::string> const& allowlist);

// The client's address: the socket peer, or with N trusted proxy hops the Nth address from the
// right of X-Forwarded-For (each proxy appends the address it saw). Malformed or short headers fall
// back to the socket peer.
std::string client_address(std::string_view peer, std::string_view forwarded_for, int trusted_hops);

}  // namespace chatd::net::origin_policy
