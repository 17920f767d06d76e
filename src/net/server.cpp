#include <chatd/chat/protocol.hpp>
#include <chatd/metrics/process_metrics.hpp>
#include <chatd/metrics/registry.hpp>
#include <chatd/net/listener.hpp>
#include <chatd/net/replica_fanout.hpp>
#include <chatd/net/server.hpp>
#include <chatd/net/shared_state.hpp>
#include <chatd/store/announcement.hpp>
#include <chatd/store/db_pool.hpp>
#include <chatd/store/repository.hpp>
#include <chatd/ws/websocket_session.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

namespace chatd::net {

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

// Presence frames are coalesced to one per room per tick.
constexpr auto presence_interval = 500ms;
// A database that is not there at start-up gets this long to appear before chatd gives up (the
// orchestrator restarts it; meanwhile /healthz answers and /readyz does not).
constexpr auto migrate_patience = 120s;

}  // namespace

struct server::impl {
  explicit impl(config::settings s)
      : settings(std::move(s)),
        ioc(settings.threads),
        metrics(registry),
        db(store::db_pool_options{.database_url = settings.database_url,
                                  .connections = settings.db_pool_size,
                                  .max_wait = settings.db_max_wait},
           metrics.db_observer()),
        presence_timer(ioc),
        drain_timer(ioc),
        signals(ioc, SIGINT, SIGTERM) {
    metrics::add_process_metrics(registry);
    registry.add_gauge("chatd_build_info", "What is running", {{"version", CHATD_VERSION}, {"revision", CHATD_REVISION}}).set(1);
    state = std::make_shared<shared_state>(settings, registry, metrics, db);
    registry.add_callback_gauge("chatd_rooms_active", "Rooms with at least one member on this replica",
                                [s = state.get()] { return static_cast<double>(s->rooms.rooms_active()); });
    fanout = std::make_unique<replica_fanout>(state);
    state->deliver_committed = [f = fanout.get()](store::message const& msg) { f->committed(msg); };
  }

  // Members see their room's count across every replica; the other replicas hear this one's
  // changed rooms at once and all its rooms on every heartbeat.
  void tick_presence() {
    state->metrics.ready.set(state->ready() ? 1 : 0);
    auto const now = std::chrono::steady_clock::now();
    state->presence.expire(now);
    auto const show = [this](std::string const& room, std::size_t here) {
      auto const online = here + state->presence.elsewhere(room);
      state->rooms.broadcast(room, std::make_shared<std::string const>(chat::presence_frame(room, online)));
    };
    // Changes here are shown and announced; changes elsewhere only shown (a room without members
    // here has nobody to show them to: broadcast finds no one).
    auto changes = state->rooms.take_presence_changes();
    for (auto const& [room, here] : changes) {
      show(room, here);
    }
    for (auto const& room : state->presence.take_changes()) {
      if (std::none_of(changes.begin(), changes.end(), [&](auto const& c) { return c.first == room; })) {
        show(room, state->rooms.online(room));
      }
    }
    if (now >= next_presence_heartbeat) {
      next_presence_heartbeat = now + shared_state::presence_heartbeat;
      changes = state->rooms.members();
    }
    for (auto& payload : store::announcement::presence(state->replica_id, changes)) {
      state->db.submit("presence", "presence", [p = std::move(payload)](store::repository& repo) { repo.announce(p); },
                       [](store::db_status) {});  // the next heartbeat says it again
    }
    presence_timer.expires_after(presence_interval);
    presence_timer.async_wait([this](boost::system::error_code ec) {
      if (!ec) {
        tick_presence();
      }
    });
  }

  bool migrate() {
    auto const deadline = std::chrono::steady_clock::now() + migrate_patience;
    for (auto delay = 250ms;; delay = std::min(delay * 2, std::chrono::milliseconds(5s))) {
      try {
        store::repository repo(settings.database_url);
        repo.migrate();
        return true;
      } catch (std::exception const& e) {
        if (std::chrono::steady_clock::now() + delay > deadline || state->draining) {
          spdlog::critical("cannot prepare the database: {}", e.what());
          return false;
        }
        spdlog::warn("database not ready ({}); retrying in {} ms", e.what(), delay.count());
        std::this_thread::sleep_for(delay);
      }
    }
  }

  void begin_drain() {
    if (state->draining.exchange(true)) {
      return;
    }
    state->metrics.ready.set(0);
    spdlog::info("draining: {} sessions, up to {} s", state->session_count(), settings.drain_timeout.count());
    main_listener->stop();
    for (auto const& session : state->sessions()) {
      session->shutdown();
    }
    drain_deadline = std::chrono::steady_clock::now() + settings.drain_timeout;
    wait_for_drain();
  }

  void wait_for_drain() {
    if (state->session_count() == 0 || std::chrono::steady_clock::now() >= drain_deadline) {
      if (state->session_count() > 0) {
        spdlog::warn("drain time is up with {} sessions open", state->session_count());
      }
      side_listener->stop();
      presence_timer.cancel();
      signals.cancel();
      ioc.stop();
      return;
    }
    drain_timer.expires_after(50ms);
    drain_timer.async_wait([this](boost::system::error_code) { wait_for_drain(); });
  }

  config::settings settings;
  asio::io_context ioc;
  metrics::registry registry;
  server_metrics metrics;  // before db: the pool's workers report to it from their first ping
  store::db_pool db;
  std::shared_ptr<shared_state> state;
  std::unique_ptr<replica_fanout> fanout;  // stopped before db: its fills run on the pool
  std::shared_ptr<listener> main_listener;
  std::shared_ptr<listener> side_listener;
  asio::steady_timer presence_timer;
  std::chrono::steady_clock::time_point next_presence_heartbeat;
  asio::steady_timer drain_timer;
  asio::signal_set signals;
  std::chrono::steady_clock::time_point drain_deadline;
};

server::server(config::settings settings) : impl_(std::make_unique<impl>(std::move(settings))) {}

server::~server() = default;

void server::stop() {
  asio::post(impl_->ioc, [i = impl_.get()] { i->begin_drain(); });
}

int server::run() {
  auto& i = *impl_;
  auto const address = asio::ip::make_address(i.settings.listen_address);
  // Both ports are bound before anything runs, so a port in use fails start-up at once.
  i.side_listener = std::make_shared<listener>(i.ioc, asio::ip::tcp::endpoint{address, i.settings.metrics_port}, i.state, port_role::side);
  i.main_listener = std::make_shared<listener>(i.ioc, asio::ip::tcp::endpoint{address, i.settings.port}, i.state, port_role::main);
  i.side_listener->run();
  i.signals.async_wait([&i](boost::system::error_code ec, int signal) {
    if (!ec) {
      spdlog::info("signal {} received", signal);
      i.begin_drain();
    }
  });
  i.tick_presence();

  std::vector<std::thread> threads;
  for (int n = 0; n < i.settings.threads; ++n) {
    threads.emplace_back([&i] { i.ioc.run(); });
  }
  spdlog::info("metrics and probes on {}:{}", i.settings.listen_address, i.settings.metrics_port);

  int exit_code = 0;
  if (i.migrate()) {
    i.state->migrated = true;
    asio::post(i.ioc, [&i] {
      if (!i.state->draining) {
        i.main_listener->run();
        spdlog::info("chatd {} listening on {}:{}", CHATD_VERSION, i.settings.listen_address, i.main_listener->port());
      }
    });
  } else {
    exit_code = 1;
    stop();
  }
  for (auto& t : threads) {
    t.join();
  }
  i.fanout->stop();
  i.db.stop();  // finishes the writes already queued: nothing acknowledged is lost
  spdlog::info("stopped");
  return exit_code;
}

}  // namespace chatd::net
