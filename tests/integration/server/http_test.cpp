#include "server_fixture.hpp"

#include <filesystem>
#include <fstream>

namespace chatd::test {
namespace {

class http : public server_test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() / ("chatd-web-" + std::to_string(::getpid()) + "-" + std::to_string(rand()));
    std::filesystem::create_directories(root_ / "assets");
    write("index.html", "<!doctype html><title>app</title>");
    write("embed.html", "<!doctype html><title>embed</title>");
    write("demo.html", "<!doctype html><title>demo</title>");
    write("embed.js", "console.log('embed')");
    write("assets/app-1a2b3c.js", "export {}");
    start({{"CHATD_WEB_ROOT", root_.string()}, {"CHATD_ALLOWED_ORIGINS", "https://jungyu.store"}});
  }
  void TearDown() override {
    server_test::TearDown();
    std::filesystem::remove_all(root_);
  }
  void write(std::string const& name, std::string const& body) { std::ofstream(root_ / name) << body; }
  http_result get(std::string const& target) { return http_request(chatd_->port(), "GET", target); }

  std::filesystem::path root_;
};

TEST_F(http, embed_page_may_be_framed_only_by_allowed_origins) {
  auto res = get("/embed?room=posts%2Fa");
  ASSERT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "<!doctype html><title>embed</title>");
  auto csp = res.header("Content-Security-Policy");
  EXPECT_NE(csp.find("frame-ancestors 'self' https://jungyu.store"), std::string::npos) << csp;
  EXPECT_NE(get("/r/lobby").header("Content-Security-Policy").find("frame-ancestors 'self'"), std::string::npos);
}

TEST_F(http, cache_headers_follow_the_asset_kind) {
  EXPECT_EQ(get("/embed.js").header("Cache-Control"), "public, max-age=300");
  EXPECT_EQ(get("/embed.js").header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(get("/assets/app-1a2b3c.js").header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(get("/demo").header("Cache-Control"), "no-cache");
  EXPECT_EQ(get("/r/%ED%95%9C").body, "<!doctype html><title>app</title>");
}

TEST_F(http, unknown_and_traversal_paths_are_404) {
  EXPECT_EQ(get("/assets/../../etc/passwd").status, 404);
  EXPECT_EQ(get("/assets/.hidden").status, 404);
  EXPECT_EQ(get("/nothing-here").status, 404);
  EXPECT_EQ(http_request(chatd_->port(), "POST", "/embed.js").status, 405);
}

TEST_F(http, probes_and_metrics_on_the_side_port) {
  auto const side = chatd_->metrics_port();
  EXPECT_EQ(http_request(side, "GET", "/healthz").status, 200);
  EXPECT_EQ(http_request(side, "GET", "/readyz").status, 200);
  auto metrics = http_request(side, "GET", "/metrics");
  EXPECT_EQ(metrics.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  for (auto const* name : {"chatd_connections_open", "chatd_rooms_active", "chatd_messages_received_total", "chatd_messages_stored_total",
                           "chatd_messages_delivered_total", "chatd_fanout_latency_seconds_bucket", "chatd_db_query_duration_seconds_bucket",
                           "chatd_db_queue_wait_seconds_bucket", "chatd_db_queue_expired_total",
                           "chatd_queue_drops_total", "chatd_rate_limited_total", "chatd_errors_total", "chatd_build_info",
                           "process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds"}) {
    EXPECT_NE(metrics.body.find(std::string("\n") + name), std::string::npos) << name;
  }
  EXPECT_EQ(http_request(side, "GET", "/ws").status, 404);
}

TEST_F(http, garbage_requests_get_an_answer_not_a_crash) {
  EXPECT_EQ(http_request(chatd_->port(), "GET", "/api/me", {{"X-Big", std::string(9000, 'h')}}).status, 413);
  EXPECT_EQ(http_request(chatd_->port(), "PUT", "/api/me", {{"Authorization", "Bearer " + std::string(43, 'a')}}, std::string(20000, '{')).status, 413);
  EXPECT_EQ(http_request(chatd_->port(), "PUT", "/api/me", {{"Origin", "https://evil.example"}}, "{}").status, 403);
  EXPECT_EQ(get("/api/rooms/x/messages?before=abc").status, 400);
  EXPECT_EQ(get("/api/unknown").status, 404);
  EXPECT_EQ(http_request(chatd_->metrics_port(), "GET", "/readyz").status, 200);  // still alive
}

}  // namespace
}  // namespace chatd::test
