#include "support/chatd_process.hpp"
#include "support/ws_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace chatd::test {

std::uint16_t free_port() {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor acceptor(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

chatd_process::chatd_process(std::string const& database_url, env extra) : port_(free_port()), metrics_port_(free_port()) {
  char tmpl[] = "/tmp/chatd-test-XXXXXX";
  int fd = ::mkstemp(tmpl);
  if (fd < 0) {
    throw std::runtime_error("mkstemp failed");
  }
  ::close(fd);
  log_path_ = tmpl;

  env vars = {{"DATABASE_URL", database_url},
              {"CHATD_PORT", std::to_string(port_)},
              {"CHATD_METRICS_PORT", std::to_string(metrics_port_)},
              {"CHATD_LISTEN_ADDRESS", "127.0.0.1"},
              {"CHATD_THREADS", "2"},
              {"CHATD_LOG_LEVEL", "debug"}};
  for (auto& [key, value] : extra) {
    auto same = std::find_if(vars.begin(), vars.end(), [&](auto const& v) { return v.first == key; });
    if (same != vars.end()) {
      same->second = value;
    } else {
      vars.emplace_back(key, value);
    }
  }
  std::vector<std::string> strings;
  for (char** e = environ; *e; ++e) {
    std::string entry(*e);
    if (!entry.starts_with("CHATD_") && !entry.starts_with("DATABASE_URL=")) {
      strings.push_back(std::move(entry));
    }
  }
  for (auto const& [k, v] : vars) {
    strings.push_back(k + "=" + v);
  }
  std::vector<char*> envp;
  for (auto& s : strings) {
    envp.push_back(s.data());
  }
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log_path_.c_str(), O_WRONLY | O_APPEND, 0);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::string binary = CHATD_BINARY;
  char* argv[] = {binary.data(), nullptr};
  if (posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv, envp.data()) != 0) {
    posix_spawn_file_actions_destroy(&actions);
    throw std::runtime_error("cannot start " + binary);
  }
  posix_spawn_file_actions_destroy(&actions);

  auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("chatd exited during start-up:\n" + log());
    }
    try {
      if (http_request(metrics_port_, "GET", "/readyz").status == 200) {
        // The main port opens right after readiness; wait for it too.
        http_request(port_, "GET", "/api/nothing");
        return;
      }
    } catch (std::exception const&) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill_hard();
  throw std::runtime_error("chatd did not become ready:\n" + log());
}

chatd_process::~chatd_process() {
  kill_hard();
  ::unlink(log_path_.c_str());
}

int chatd_process::terminate(std::chrono::seconds deadline) {
  if (pid_ <= 0) {
    return -1;
  }
  ::kill(pid_, SIGTERM);
  auto const until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return -1;
}

void chatd_process::kill_hard() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
}

std::string chatd_process::log() const {
  std::ifstream in(log_path_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

double chatd_process::metric(std::string const& sample) const {
  auto body = http_request(metrics_port_, "GET", "/metrics").body;
  std::istringstream lines(body);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with(sample + " ")) {
      return std::stod(line.substr(sample.size() + 1));
    }
  }
  return -1;
}

}  // namespace chatd::test
