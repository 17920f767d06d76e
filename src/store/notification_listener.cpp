#include <chatd/store/notification_listener.hpp>

#include "backoff.hpp"

#include <pqxx/pqxx>


namespace chatd::store {
namespace {

class receiver final : public pqxx::notification_receiver {
 public:
  receiver(pqxx::connection_base& conn, std::string const& channel, std::function<void(std::string_view)> const& on_payload)
      : pqxx::notification_receiver(conn, channel), on_payload_(on_payload) {}
  void operator()(std::string const& payload, int) override { on_payload_(payload); }

 private:
  std::function<void(std::string_view)> const& on_payload_;
};

}  // namespace

notification_listener::notification_listener(std::string database_url, std::string channel, callbacks cb, std::chrono::milliseconds max_backoff)
    : url_(std::move(database_url)), channel_(std::move(channel)), cb_(std::move(cb)), max_backoff_(max_backoff) {
  thread_ = std::thread([this] { run(); });
}

notification_listener::~notification_listener() { stop(); }

void notification_listener::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

bool notification_listener::sleep_for(std::chrono::milliseconds d) {
  std::unique_lock lock(mutex_);
  return !wake_.wait_for(lock, d, [this] { return stopping_.load(); });
}

void notification_listener::run() {
  detail::backoff backoff(std::chrono::milliseconds(100), max_backoff_);
  while (!stopping_) {
    try {
      pqxx::connection conn(url_);
      conn.inhibit_reactivation(true);
      receiver listen(conn, channel_, cb_.on_payload);  // issues LISTEN
      connected_ = true;
      backoff.reset();
      cb_.on_connected();
      auto last_probe = std::chrono::steady_clock::now();
      while (!stopping_) {
        conn.await_notification(0, 200'000);  // wakes at least every 200 ms to see stop()
        if (std::chrono::steady_clock::now() - last_probe > probe_interval) {
          pqxx::nontransaction(conn).exec("select 1");
          last_probe = std::chrono::steady_clock::now();
        }
      }
    } catch (std::exception const& e) {
      connected_ = false;
      if (cb_.on_error) {
        cb_.on_error(e.what());
      }
      if (!sleep_for(backoff.next())) {
        break;
      }
    }
  }
  connected_ = false;
}

}  // namespace chatd::store
