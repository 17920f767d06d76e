// Faults with real chatd processes and a real PostgreSQL: a replica killed or drained in the middle
// of a send storm, PostgreSQL stopped and started again, and thousands of clients reconnecting at
// once. The clients are storm_client's asynchronous ones, which behave as the web client does
// (hello with their token, join with `since`, resend the unacknowledged message with its client_id)
// and put a deadline on every reply, so a failure fails instead of hanging.
#include "support/chatd_process.hpp"
#include "support/postgres_cluster.hpp"
#include "support/storm_client.hpp"
#include "support/test_database.hpp"
#include "support/ws_client.hpp"

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace chatd::test {
namespace {

using namespace std::chrono_literals;
using client_state = storm_client::client_state;

// Sanitizer builds (scripts/test/sanitize.sh) run these tests several times slower on two shared
// cores, so they get smaller storms; the build says which it is (GCC defines __SANITIZE_*, clang
// answers __has_feature). The faults and the checks are the same.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool sanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool sanitized = true;
#else
constexpr bool sanitized = false;
#endif
#else
constexpr bool sanitized = false;
#endif

constexpr std::size_t scaled(std::size_t release, std::size_t sanitizer) { return sanitized ? sanitizer : release; }

// The reconnect storm's size: CHATD_STORM_CLIENTS when set (for a one-off larger storm; the test
// process, and each chatd, hold one descriptor per client under the 20,000 open-file limit), else
// 2,000 (500 under a sanitizer).
std::size_t storm_clients() {
  constexpr std::size_t most = 15000;
  char const* text = std::getenv("CHATD_STORM_CLIENTS");
  if (text == nullptr || *text == '\0') {
    return scaled(2000, 500);
  }
  std::size_t value = 0;
  auto const [end, ec] = std::from_chars(text, text + std::strlen(text), value);
  if (ec != std::errc() || *end != '\0' || value < 1 || value > most) {
    throw std::invalid_argument("CHATD_STORM_CLIENTS must be a whole number from 1 to " + std::to_string(most) + ", got '" +
                                std::string(text) + "'");
  }
  return value;
}

// Storm clients send as fast as their acks come back; the per-connection bucket (burst 5, 1/s by
// default) would turn the storm into a test of the rate limiter.
chatd_process::env storm_env(chatd_process::env extra = {}) {
  extra.emplace_back("CHATD_SEND_BURST", "100000");
  extra.emplace_back("CHATD_SEND_PER_SECOND", "100000");
  return extra;
}

template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds within) {
  auto const deadline = std::chrono::steady_clock::now() + within;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) {
      return false;
    }
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

// What a client received around position i: seq, and h for a history page or l for live.
std::string window(client_state const& c, std::size_t i) {
  std::string out;
  for (std::size_t k = i < 6 ? 0 : i - 6; k < std::min(c.seqs.size(), i + 6); ++k) {
    out += std::to_string(c.seqs[k]) + (c.from_history[k] ? "h " : "l ");
  }
  return out;
}

// Received seqs are exactly 1..n, in order, each once.
::testing::AssertionResult exactly_one_to(client_state const& c, std::int64_t n) {
  auto const& seqs = c.seqs;
  for (std::size_t i = 0; i < seqs.size(); ++i) {
    auto const expected = static_cast<std::int64_t>(i + 1);
    if (seqs[i] != expected) {
      auto const dup = std::count(seqs.begin(), seqs.end(), seqs[i]) > 1;
      return ::testing::AssertionFailure() << "position " << i << " holds seq " << seqs[i] << " where " << expected
                                           << " belongs" << (dup ? " (a duplicate)" : " (a gap or a reorder)") << "; "
                                           << seqs.size() << " received, " << n << " stored; around it (h history, l live): "
                                           << window(c, i) << "; connects " << c.connects;
    }
  }
  if (static_cast<std::int64_t>(seqs.size()) != n) {
    return ::testing::AssertionFailure() << seqs.size() << " received, " << n << " stored";
  }
  return ::testing::AssertionSuccess();
}

// How many rows each client_id has in the room.
std::map<std::string, int> stored_client_ids(std::string const& url, std::string const& room) {
  pqxx::connection conn(url);
  pqxx::nontransaction tx(conn);
  std::map<std::string, int> out;
  for (auto const& row : tx.exec_params("select client_id, count(*) from messages where room = $1 group by client_id", room)) {
    out[row[0].as<std::string>()] = row[1].as<int>();
  }
  return out;
}

std::int64_t max_seq(std::string const& url, std::string const& room) {
  pqxx::connection conn(url);
  pqxx::nontransaction tx(conn);
  return tx.exec_params1("select coalesce(max(seq), 0) from messages where room = $1", room)[0].as<std::int64_t>();
}

// Every acknowledged client_id is stored exactly once, and nothing else is stored.
void expect_acked_stored_once(std::string const& url, std::string const& room, std::vector<client_state> const& clients) {
  auto const stored = stored_client_ids(url, room);
  std::set<std::string> acked;
  for (auto const& c : clients) {
    for (auto const& id : c.acked) {
      EXPECT_TRUE(acked.insert(id).second) << id << " was acknowledged twice to its sender";
      auto const it = stored.find(id);
      EXPECT_TRUE(it != stored.end() && it->second == 1)
          << "acknowledged " << id << " is stored " << (it == stored.end() ? 0 : it->second) << " times";
    }
  }
  for (auto const& [id, rows] : stored) {
    EXPECT_TRUE(acked.contains(id)) << id << " is stored but was never acknowledged";
  }
  EXPECT_EQ(stored.size(), acked.size());
  EXPECT_EQ(max_seq(url, room), static_cast<std::int64_t>(acked.size())) << "seqs are not contiguous";
}

// Everyone has everything, the client's view and the database's agree, and no reply went missing.
void expect_everyone_saw_one_to_n(storm_client const& storm, std::string const& url, std::string const& room, std::size_t total) {
  auto const clients = storm.clients();
  auto const n = static_cast<std::int64_t>(total);
  for (std::size_t i = 0; i < clients.size(); ++i) {
    EXPECT_TRUE(exactly_one_to(clients[i], n)) << "client " << i << " (replica " << clients[i].port_index << ")";
    EXPECT_EQ(clients[i].unsent, 0u) << "client " << i;
  }
  expect_acked_stored_once(url, room, clients);
  auto const totals = storm.totals();
  EXPECT_EQ(totals.reply_timeouts, 0) << totals.describe();
  EXPECT_EQ(totals.identities_lost, 0) << totals.describe();
  EXPECT_TRUE(totals.unexpected.empty()) << totals.describe();
}

class faults : public ::testing::Test {
 protected:
  chatd_process& start_replica(std::string const& url, chatd_process::env extra = {}) {
    replicas_.push_back(std::make_unique<chatd_process>(url, std::move(extra)));
    return *replicas_.back();
  }

  std::vector<std::uint16_t> ports() const {
    std::vector<std::uint16_t> out;
    for (auto const& r : replicas_) {
      out.push_back(r->port());
    }
    return out;
  }

  // Waits until every client has seen `total` messages (or the deadline passes).
  static bool all_caught_up(storm_client const& storm, std::size_t total, std::chrono::milliseconds within) {
    return eventually(
        [&] {
          auto const clients = storm.clients();
          return std::all_of(clients.begin(), clients.end(), [&](client_state const& c) {
            return c.joined && c.last_seq >= static_cast<std::int64_t>(total);
          });
        },
        within);
  }

  // Connects every client, starts `per_client` sends from each, and returns once `acked` of them
  // are acknowledged: the moment to inject a fault, with the storm under way.
  static void storm_until_acked(storm_client& storm, std::size_t clients, std::size_t per_client, std::size_t acked) {
    storm.connect_all();
    ASSERT_TRUE(eventually([&] { return storm.current().joined == clients; }, 15s)) << storm.totals().describe();
    storm.send(per_client);
    ASSERT_TRUE(eventually([&] { return storm.current().acked >= acked; }, 15s)) << storm.totals().describe();
  }

  // Waits for every send to be acknowledged and every client to hold all `total`, then checks it all.
  static void finish_storm(storm_client const& storm, std::string const& url, std::string const& room, std::size_t total) {
    ASSERT_TRUE(eventually([&] { return storm.current().unsent == 0; }, 30s)) << storm.totals().describe();
    ASSERT_TRUE(all_caught_up(storm, total, 15s)) << storm.totals().describe();
    expect_everyone_saw_one_to_n(storm, url, room, total);
  }

  static int readyz(chatd_process const& p) {
    try {
      return http_request(p.metrics_port(), "GET", "/readyz").status;
    } catch (std::exception const&) {
      return 0;
    }
  }

  void TearDown() override {
    if (!HasFailure()) {
      return;
    }
    for (std::size_t i = 0; i < replicas_.size(); ++i) {
      auto const log = replicas_[i]->log();
      std::cerr << "---- chatd replica " << i << " log (last 8000 bytes) ----\n"
                << (log.size() > 8000 ? log.substr(log.size() - 8000) : log) << "\n";
    }
    if (pg_) {
      std::cerr << "---- private PostgreSQL log ----\n" << pg_->log_tail() << "\n";
    }
  }

  // Declared before the replicas, so they stop before their database goes (and TearDown's logs
  // end where the test did, not with the database being dropped under them).
  std::optional<test_database> db_;
  std::optional<postgres_cluster> pg_;
  std::vector<std::unique_ptr<chatd_process>> replicas_;
};

TEST_F(faults, kill_9_of_a_replica_during_a_send_storm_loses_and_duplicates_nothing) {
  auto& db = db_.emplace();
  for (int i = 0; i < 3; ++i) {
    start_replica(db.url(), storm_env());
  }
  std::size_t const clients = scaled(12, 9);  // spread over the three replicas, every one a sender
  std::size_t const per_client = scaled(100, 25);
  std::size_t const total = clients * per_client;
  storm_client storm({.ports = ports(), .rooms = {"storm"}, .clients = clients});
  ASSERT_NO_FATAL_FAILURE(storm_until_acked(storm, clients, per_client, total / 3));
  storm.mark_down(0);
  replicas_[0]->kill_hard();
  auto const acked_at_kill = storm.current().acked;
  EXPECT_LT(acked_at_kill, total) << "the storm was over before the kill";

  ASSERT_NO_FATAL_FAILURE(finish_storm(storm, db.url(), "storm", total));

  auto const states = storm.clients();
  for (std::size_t i = 0; i < states.size(); ++i) {
    if (i % 3 == 0) {
      EXPECT_EQ(states[i].close_codes, (std::map<int, int>{{0, 1}})) << "client " << i << " lost its replica once, without a close frame";
      EXPECT_NE(states[i].port_index, 0u) << "client " << i;
      EXPECT_EQ(states[i].connects, 2) << "client " << i;
    } else {
      EXPECT_TRUE(states[i].close_codes.empty()) << "client " << i << " on a live replica lost its connection";
    }
  }
  EXPECT_EQ(storm.totals().losses_on_live_replicas, 0);
}

TEST_F(faults, sigterm_drain_under_load_moves_every_client_with_1001_and_loses_nothing) {
  auto& db = db_.emplace();
  start_replica(db.url(), storm_env());
  start_replica(db.url(), storm_env());
  std::size_t const clients = scaled(8, 6);
  std::size_t const per_client = scaled(100, 25);
  std::size_t const total = clients * per_client;
  storm_client storm({.ports = ports(), .rooms = {"drain"}, .clients = clients});
  ASSERT_NO_FATAL_FAILURE(storm_until_acked(storm, clients, per_client, total / 3));
  storm.mark_down(0);
  EXPECT_EQ(replicas_[0]->terminate(30s), 0) << "a drained replica exits 0";
  EXPECT_LT(storm.current().acked, total) << "the storm was over before the drain";

  ASSERT_NO_FATAL_FAILURE(finish_storm(storm, db.url(), "drain", total));

  auto const states = storm.clients();
  for (std::size_t i = 0; i < states.size(); ++i) {
    if (i % 2 == 0) {
      EXPECT_EQ(states[i].close_codes, (std::map<int, int>{{1001, 1}})) << "client " << i << " gets going away, once";
      EXPECT_EQ(states[i].port_index, 1u) << "client " << i;
    } else {
      EXPECT_TRUE(states[i].close_codes.empty()) << "client " << i << " on the live replica lost its connection";
    }
  }
  EXPECT_EQ(storm.totals().losses_on_live_replicas, 0);
}

TEST_F(faults, postgres_restart_mid_stream_refuses_sends_then_resumes_without_a_gap) {
  auto& pg = pg_.emplace();
  // The pool and the listener reconnect with backoff up to 5 s, well inside the waits below.
  start_replica(pg.url(), storm_env());
  start_replica(pg.url(), storm_env());
  std::size_t const clients = scaled(6, 4);
  std::size_t const per_client = scaled(100, 40);
  std::size_t const total = clients * per_client;
  storm_client storm({.ports = ports(), .rooms = {"outage"}, .clients = clients, .max_backoff = 500ms});
  ASSERT_NO_FATAL_FAILURE(storm_until_acked(storm, clients, per_client, total / 4));
  pg.stop();

  // Readiness fails on both replicas, and sends are refused rather than acknowledged.
  for (auto const& r : replicas_) {
    EXPECT_TRUE(eventually([&] { return readyz(*r) == 503; }, 10s)) << "replica on port " << r->port();
  }
  EXPECT_TRUE(eventually([&] { return storm.totals().errors["unavailable"] >= static_cast<int>(clients); }, 10s))
      << storm.totals().describe();
  auto const acked_in_outage = storm.current().acked;
  EXPECT_LT(acked_in_outage, total) << "the storm was over before the outage";
  // A deliberate interval, not a wait for a condition: the clients keep retrying through it, and
  // not one of those sends may be acknowledged.
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(storm.current().acked, acked_in_outage) << "a message was acknowledged while PostgreSQL was down";

  pg.start();
  // Ready again means the pool answers and the listener is back (readiness needs both).
  for (auto const& r : replicas_) {
    EXPECT_TRUE(eventually([&] { return readyz(*r) == 200; }, 20s)) << "replica on port " << r->port();
  }
  ASSERT_NO_FATAL_FAILURE(finish_storm(storm, pg.url(), "outage", total));
  EXPECT_EQ(storm.totals().losses, 0) << "an outage of the database closes no WebSocket";
  for (auto const& r : replicas_) {
    EXPECT_NE(r->log().find("listening for other replicas failed"), std::string::npos) << "the listener saw the outage";
  }
}

TEST_F(faults, a_reconnect_storm_of_thousands_is_absorbed_and_everyone_catches_up) {
  auto& db = db_.emplace();
  std::size_t const clients = storm_clients();
  constexpr std::size_t rooms = 20;
  // Every test client comes from 127.0.0.1, so the per-address cap (50 by default) must not apply.
  auto const env = storm_env({{"CHATD_MAX_CONNECTIONS_PER_IP", "10000"}});
  auto& doomed = start_replica(db.url(), env);
  auto& survivor = start_replica(db.url(), env);
  std::vector<std::string> room_names;
  for (std::size_t r = 0; r < rooms; ++r) {
    room_names.push_back("crowd-" + std::to_string(r));
  }
  // Everyone starts on the replica that will die; one writer per room sits on the survivor.
  storm_client crowd({.ports = ports(), .rooms = room_names, .clients = clients, .spread = false,
                      .reply_timeout = 15s, .initial_backoff = 50ms, .max_backoff = 2s});
  storm_client writers({.ports = {survivor.port()}, .rooms = room_names, .clients = rooms, .id_prefix = "w"});
  writers.connect_all();
  crowd.connect_all();
  ASSERT_TRUE(eventually([&] { return writers.current().joined == rooms; }, 15s)) << writers.totals().describe();
  ASSERT_TRUE(eventually([&] { return crowd.current().joined == clients; }, 30s)) << crowd.totals().describe();
  writers.send(2);
  ASSERT_TRUE(all_caught_up(crowd, 2, 15s)) << crowd.totals().describe();
  auto const before = crowd.totals();

  // The whole crowd loses its replica at once and comes back, with tokens and `since`, while the
  // writers keep writing: what they missed comes from the join's history.
  crowd.mark_down(0);
  doomed.kill_hard();
  writers.send(3);
  bool healthy = true;
  auto const joined_again = eventually(
      [&] {
        try {
          healthy = healthy && http_request(survivor.metrics_port(), "GET", "/healthz").status == 200;
        } catch (std::exception const&) {
          healthy = false;
        }
        auto const states = crowd.clients();
        return std::all_of(states.begin(), states.end(), [](client_state const& c) { return c.joined && c.connects >= 2; });
      },
      30s);
  EXPECT_TRUE(healthy) << "the survivor stopped answering /healthz during the storm";
  ASSERT_TRUE(joined_again) << crowd.totals().describe();
  ASSERT_TRUE(eventually([&] { return writers.current().unsent == 0; }, 15s)) << writers.totals().describe();
  ASSERT_TRUE(all_caught_up(crowd, 5, 15s)) << crowd.totals().describe();

  auto const states = crowd.clients();
  for (std::size_t i = 0; i < states.size(); ++i) {
    ASSERT_TRUE(exactly_one_to(states[i], 5)) << "client " << i << " in " << states[i].room;
    ASSERT_EQ(states[i].port_index, 1u) << "client " << i;
  }
  for (auto const& room : room_names) {
    EXPECT_EQ(max_seq(db.url(), room), 5) << room;
  }
  auto const after = crowd.totals();
  EXPECT_EQ(after.reply_timeouts, 0) << after.describe();
  EXPECT_EQ(after.identities_lost, 0) << after.describe();
  EXPECT_TRUE(after.unexpected.empty()) << after.describe();
  EXPECT_EQ(after.losses_on_live_replicas, 0) << after.describe();
  // Refusals are expected under a storm, but each must be a clean answer (counted here), and the
  // crowd must get in with few of them: not more than one per client on average.
  int refusals = after.connect_failures - before.connect_failures;
  for (auto const& [status, n] : after.http_refusals) {
    refusals += n - (before.http_refusals.contains(status) ? before.http_refusals.at(status) : 0);
  }
  for (auto const& code : {"rate_limited", "unavailable"}) {
    refusals += (after.errors.contains(code) ? after.errors.at(code) : 0) - (before.errors.contains(code) ? before.errors.at(code) : 0);
  }
  std::cout << "reconnect storm: " << clients << " clients, refusals " << refusals << " (" << after.describe() << ")\n";
  EXPECT_LE(refusals, static_cast<int>(clients)) << after.describe();
  EXPECT_EQ(survivor.metric("chatd_connections_open"), static_cast<double>(clients + rooms));
}

TEST_F(faults, a_full_server_refuses_the_surplus_of_a_storm_cleanly_and_lets_everyone_in_later) {
  auto& db = db_.emplace();
  std::size_t const clients = scaled(1000, 300);
  std::size_t const surplus = clients / 10;
  constexpr std::size_t rooms = 10;
  // Room for exactly the crowd. When the crowd comes back together with newcomers, the server is
  // asked for more sockets than it has: the surplus is refused with 429 and backs off.
  auto& server = start_replica(db.url(), storm_env({{"CHATD_MAX_CONNECTIONS_PER_IP", "10000"},
                                                   {"CHATD_MAX_CONNECTIONS", std::to_string(clients)}}));
  std::vector<std::string> room_names;
  for (std::size_t r = 0; r < rooms; ++r) {
    room_names.push_back("full-" + std::to_string(r));
  }
  storm_client crowd({.ports = ports(), .rooms = room_names, .clients = clients, .reply_timeout = 15s});
  auto newcomers = std::make_unique<storm_client>(
      storm_client::options{.ports = ports(), .rooms = room_names, .clients = surplus, .reply_timeout = 15s, .id_prefix = "n"});
  crowd.connect_all();
  ASSERT_TRUE(eventually([&] { return crowd.current().joined == clients; }, 30s)) << crowd.totals().describe();
  auto const upgrade = http_request(server.port(), "GET", "/ws",
                                    {{"Connection", "Upgrade"}, {"Upgrade", "websocket"}, {"Sec-WebSocket-Version", "13"},
                                     {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}});
  EXPECT_EQ(upgrade.status, 429) << "one more socket than the limit";
  // Everyone has seen messages, so everyone comes back with a `since` above 0.
  std::size_t const per_room = clients / rooms;
  crowd.send(1);
  ASSERT_TRUE(eventually([&] { return crowd.current().unsent == 0; }, 20s)) << crowd.totals().describe();
  ASSERT_TRUE(all_caught_up(crowd, per_room, 15s)) << crowd.totals().describe();

  auto const storm_began = std::chrono::steady_clock::now();
  crowd.drop_all();
  newcomers->connect_all();
  bool healthy = true;
  bool within_capacity = true;
  auto const poll_server = [&] {
    try {
      healthy = healthy && http_request(server.metrics_port(), "GET", "/healthz").status == 200;
      within_capacity = within_capacity && server.metric("chatd_connections_open") <= static_cast<double>(clients);
    } catch (std::exception const&) {
      healthy = false;
    }
  };
  // The server fills up and refuses the rest.
  auto const full = eventually(
      [&] {
        poll_server();
        return crowd.current().joined + newcomers->current().joined == clients && newcomers->totals().http_refusals.size() +
                                                                                         crowd.totals().http_refusals.size() > 0;
      },
      30s);
  ASSERT_TRUE(full) << crowd.totals().describe() << "\n" << newcomers->totals().describe();
  auto const full_after = std::chrono::steady_clock::now() - storm_began;
  auto const newcomer_totals = newcomers->totals();
  for (auto const& [status, n] : newcomer_totals.http_refusals) {
    EXPECT_EQ(status, 429) << newcomer_totals.describe();
  }
  EXPECT_TRUE(newcomer_totals.unexpected.empty()) << newcomer_totals.describe();
  // The newcomers leave; whoever of the crowd was refused gets in on a later attempt.
  newcomers.reset();
  crowd.send(1);  // each sends again once it is back in
  auto const back = eventually(
      [&] {
        poll_server();
        auto const p = crowd.current();
        return p.joined == clients && p.unsent == 0;
      },
      30s);
  auto const back_after = std::chrono::steady_clock::now() - storm_began;
  EXPECT_TRUE(within_capacity) << "more sockets open than CHATD_MAX_CONNECTIONS";
  EXPECT_TRUE(healthy) << "the server stopped answering /healthz during the storm";
  ASSERT_TRUE(back) << crowd.totals().describe();
  ASSERT_TRUE(all_caught_up(crowd, 2 * per_room, 15s)) << crowd.totals().describe();

  auto const states = crowd.clients();
  for (std::size_t i = 0; i < states.size(); ++i) {
    ASSERT_TRUE(exactly_one_to(states[i], static_cast<std::int64_t>(2 * per_room))) << "client " << i << " in " << states[i].room;
  }
  for (auto const& room : room_names) {
    expect_acked_stored_once(db.url(), room, [&] {
      std::vector<client_state> in_room;
      std::copy_if(states.begin(), states.end(), std::back_inserter(in_room), [&](client_state const& c) { return c.room == room; });
      return in_room;
    }());
  }
  auto const totals = crowd.totals();
  EXPECT_EQ(totals.reply_timeouts, 0) << totals.describe();
  EXPECT_EQ(totals.identities_lost, 0) << totals.describe();
  EXPECT_TRUE(totals.unexpected.empty()) << totals.describe();
  EXPECT_EQ(totals.losses, 0) << totals.describe();
  // The only refusal a full server gives is 429, each one a clean answer the client backs off
  // from: with jittered exponential backoff, a refused client tries a few times a second at first
  // and about once a second later, so the refusals stay a small multiple of the surplus.
  int refusals = 0;
  for (auto const& [status, n] : totals.http_refusals) {
    EXPECT_EQ(status, 429) << totals.describe();
    refusals += n;
  }
  for (auto const& [status, n] : newcomer_totals.http_refusals) {
    refusals += n;
  }
  std::cout << "full server: " << clients << " returning and " << surplus << " new clients for " << clients << " sockets, "
            << refusals << " refusals; full after " << std::chrono::duration_cast<std::chrono::milliseconds>(full_after).count()
            << " ms, everyone back after " << std::chrono::duration_cast<std::chrono::milliseconds>(back_after).count()
            << " ms; returning crowd: " << totals.describe() << "; newcomers: " << newcomer_totals.describe() << "\n";
  EXPECT_GE(refusals, 1);
  EXPECT_LE(refusals, static_cast<int>(50 * surplus)) << totals.describe() << "\n" << newcomer_totals.describe();
  // Every dropped session gave its slot back.
  EXPECT_TRUE(eventually([&] { return server.metric("chatd_connections_open") == static_cast<double>(clients); }, 10s))
      << server.metric("chatd_connections_open");
}

}  // namespace
}  // namespace chatd::test
