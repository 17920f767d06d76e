#pragma once

#include <chatd/net/http_types.hpp>
#include <chatd/net/shared_state.hpp>

#include <boost/asio/any_io_executor.hpp>

namespace chatd::net {

// The REST API of docs/protocol.md (paths under /api/). Database work runs on the pool; `reply`
// is called on `executor`.
void handle_api(request&& req, request_context const& ctx, std::shared_ptr<shared_state> const& state,
                boost::asio::any_io_executor executor, responder reply);

// The built web UI: /, /r/{room}, /embed, /embed.js, /demo, /assets/*.
response serve_static(request const& req, shared_state const& state);

// The side port: /metrics, /healthz, /readyz.
response serve_probe(request const& req, shared_state const& state);

// The value of the chatd_token cookie, or empty.
std::string cookie_token(request const& req);

}  // namespace chatd::net
