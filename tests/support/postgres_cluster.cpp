#include "support/postgres_cluster.hpp"
#include "support/chatd_process.hpp"

#include <pqxx/pqxx>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include <fcntl.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace chatd::test {

namespace fs = std::filesystem;

namespace {

// The newest installed server's bin folder (Debian keeps one per major version).
std::string find_bin() {
  std::vector<fs::path> found;
  std::error_code ec;
  for (auto const& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    if (fs::exists(entry.path() / "bin" / "initdb")) {
      found.push_back(entry.path() / "bin");
    }
  }
  if (found.empty()) {
    throw std::runtime_error("postgres_cluster: no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)");
  }
  std::sort(found.begin(), found.end(), [](fs::path const& a, fs::path const& b) {
    return std::stoi(a.parent_path().filename().string()) < std::stoi(b.parent_path().filename().string());
  });
  return found.back().string();
}

bool is_root() { return ::geteuid() == 0; }

void give_to_postgres(fs::path const& path) {
  if (!is_root()) {
    return;
  }
  passwd const* pw = ::getpwnam("postgres");
  if (pw == nullptr) {
    throw std::runtime_error("postgres_cluster: running as root needs a `postgres` user to own the cluster");
  }
  if (::chown(path.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
    throw std::runtime_error("postgres_cluster: cannot chown " + path.string());
  }
}

}  // namespace

postgres_cluster::postgres_cluster() : bin_(find_bin()), port_(free_port()) {
  char tmpl[] = "/tmp/chatd-pg-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) {
    throw std::runtime_error("postgres_cluster: mkdtemp failed");
  }
  dir_ = tmpl;
  try {
    give_to_postgres(dir_);
    run("initdb", {bin_ + "/initdb", "-D", dir_ + "/data", "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                   "--locale=C.UTF-8", "--no-sync"});
    start();
    pqxx::connection admin("postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/postgres");
    pqxx::nontransaction(admin).exec("create database chatd");
  } catch (...) {
    discard();  // no destructor runs for a constructor that throws
    throw;
  }
}

postgres_cluster::~postgres_cluster() { discard(); }

void postgres_cluster::discard() noexcept {
  try {
    if (running_) {
      run("pg_ctl stop", {bin_ + "/pg_ctl", "-D", dir_ + "/data", "-m", "immediate", "-w", "stop"});
    }
  } catch (std::exception const& e) {
    std::cerr << "postgres_cluster: " << e.what() << '\n';
  }
  running_ = false;
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

void postgres_cluster::start() {
  // fsync off: the cluster lives for one test; a crash of the machine loses nothing of value.
  run("pg_ctl start", {bin_ + "/pg_ctl", "-D", dir_ + "/data", "-l", dir_ + "/server.log", "-w", "-t", "60", "-o",
                       "-p " + std::to_string(port_) + " -k " + dir_ +
                           " -c listen_addresses=127.0.0.1 -c max_connections=100 -c fsync=off",
                       "start"});
  running_ = true;
}

void postgres_cluster::stop() {
  run("pg_ctl stop", {bin_ + "/pg_ctl", "-D", dir_ + "/data", "-m", "fast", "-w", "-t", "60", "stop"});
  running_ = false;
}

std::string postgres_cluster::url() const { return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/chatd"; }

std::string postgres_cluster::log_tail(std::size_t bytes) const {
  std::ifstream in(dir_ + "/server.log");
  std::stringstream ss;
  ss << in.rdbuf();
  auto text = ss.str();
  return text.size() > bytes ? text.substr(text.size() - bytes) : text;
}

void postgres_cluster::run(std::string const& what, std::initializer_list<std::string> args) const {
  std::vector<std::string> argv;
  if (is_root()) {
    argv = {"/usr/sbin/runuser", "-u", "postgres", "--"};
  }
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> raw;
  for (auto& a : argv) {
    raw.push_back(a.data());
  }
  raw.push_back(nullptr);
  auto const out = dir_ + "/commands.log";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = -1;
  int const spawned = posix_spawn(&pid, raw[0], &actions, nullptr, raw.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    throw std::runtime_error("postgres_cluster: cannot run " + argv.front());
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::ifstream in(out);
    std::stringstream ss;
    ss << in.rdbuf();
    throw std::runtime_error("postgres_cluster: " + what + " failed:\n" + ss.str() + "\n" + log_tail());
  }
}

}  // namespace chatd::test
