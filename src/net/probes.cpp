#include <chatd/net/routes.hpp>

#include <boost/beast/http/verb.hpp>

namespace chatd::net {

namespace http = boost::beast::http;

response serve_probe(request const& req, shared_state const& state) {
  if (req.method() != http::verb::get && req.method() != http::verb::head) {
    return json_error(req, http::status::method_not_allowed, "bad_request", "use GET");
  }
  auto const target = req.target();
  if (target == "/metrics") {
    return text_response(req, http::status::ok, state.registry.expose(), "text/plain; version=0.0.4; charset=utf-8");
  }
  if (target == "/healthz") {
    return text_response(req, http::status::ok, "ok\n", "text/plain; charset=utf-8");
  }
  if (target == "/readyz") {
    if (state.ready()) {
      return text_response(req, http::status::ok, "ready\n", "text/plain; charset=utf-8");
    }
    std::string why = state.draining   ? "draining\n"
                      : !state.migrated ? "starting\n"
                      : !state.listening ? "not listening for other replicas\n"
                                         : "database unavailable\n";
    return text_response(req, http::status::service_unavailable, std::move(why), "text/plain; charset=utf-8");
  }
  return json_error(req, http::status::not_found, "not_found", "try /metrics, /healthz or /readyz");
}

}  // namespace chatd::net
