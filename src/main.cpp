// chatd: a real-time chat server for blogs. See docs/architecture.md for the threading model.
#include <chatd/config/config.hpp>
#include <chatd/config/logging.hpp>
#include <chatd/net/server.hpp>

#include <spdlog/spdlog.h>

#include <exception>

int main(int argc, char** argv) {
  auto parsed = chatd::config::parse(argc, argv);
  if (!parsed.value) {
    return parsed.exit_code;
  }
  chatd::config::setup_logging(*parsed.value);
  try {
    chatd::net::server server(std::move(*parsed.value));
    return server.run();
  } catch (std::exception const& e) {
    spdlog::critical("chatd failed to start: {}", e.what());
    return 1;
  }
}
