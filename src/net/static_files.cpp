#include <chatd/net/origin_policy.hpp>
#include <chatd/net/routes.hpp>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace chatd::net {

namespace http = boost::beast::http;

namespace {

// The web UI's build is small; anything larger than this in web root is a mistake.
constexpr std::size_t max_file_bytes = 8 * 1024 * 1024;

std::string_view content_type(std::string_view name) {
  auto const dot = name.rfind('.');
  auto const ext = dot == std::string_view::npos ? std::string_view{} : name.substr(dot);
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".webmanifest") return "application/manifest+json";
  return "application/octet-stream";
}

bool safe_asset_name(std::string_view name) {
  return !name.empty() && name.size() <= 200 && name.front() != '.' &&
         std::all_of(name.begin(), name.end(), [](unsigned char c) { return std::isalnum(c) || c == '.' || c == '-' || c == '_'; });
}

std::optional<std::string> read_file(std::string const& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  in.seekg(0, std::ios::end);
  auto const size = in.tellg();
  if (size < 0 || static_cast<std::size_t>(size) > max_file_bytes) {
    return std::nullopt;
  }
  in.seekg(0);
  std::string data(static_cast<std::size_t>(size), '\0');
  in.read(data.data(), size);
  return in ? std::optional(std::move(data)) : std::nullopt;
}

std::string page_policy(std::string_view ancestors) {
  return "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; "
         "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors " +
         std::string(ancestors);
}

}  // namespace

response serve_static(request const& req, shared_state const& state) {
  if (req.method() != http::verb::get && req.method() != http::verb::head) {
    return json_error(req, http::status::method_not_allowed, "bad_request", "use GET");
  }
  auto target = req.target();
  auto const path = std::string_view(target.data(), std::min(target.size(), target.find('?')));

  std::string file;
  std::string_view cache = "no-cache";
  std::string csp;
  if (path == "/" || path.starts_with("/r/")) {
    file = "index.html";
    csp = page_policy("'self'");
  } else if (path == "/embed") {
    file = "embed.html";
    csp = page_policy(origin_policy::frame_ancestors(state.settings.allowed_origins));
  } else if (path == "/demo") {
    file = "demo.html";
    csp = page_policy("'self'");
  } else if (path == "/embed.js") {
    file = "embed.js";
    cache = "public, max-age=300";
  } else if (path.starts_with("/assets/") && safe_asset_name(path.substr(8))) {
    file = "assets/" + std::string(path.substr(8));
    cache = "public, max-age=31536000, immutable";
  } else {
    return json_error(req, http::status::not_found, "not_found", "no such page");
  }

  auto body = read_file(state.settings.web_root + "/" + file);
  if (!body) {
    return json_error(req, http::status::not_found, "not_found",
                      file.starts_with("assets/") ? "no such asset" : "the web UI is not built (cd web && npm ci && npm run build)");
  }
  bool const head = req.method() == http::verb::head;
  auto res = text_response(req, http::status::ok, head ? std::string() : std::move(*body), content_type(file));
  if (head) {
    res.content_length(0);
  }
  res.set(http::field::cache_control, cache);
  res.set("Referrer-Policy", "strict-origin-when-cross-origin");
  if (!csp.empty()) {
    res.set("Content-Security-Policy", csp);
  }
  return res;
}

}  // namespace chatd::net
