#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace chatd::store {

// LISTENs on one channel over a dedicated connection, on its own thread. When the connection
// drops it reconnects with backoff; after every (re)connect `on_connected` runs, so the owner can
// catch up on what was announced while nobody listened.
class notification_listener {
 public:
  struct callbacks {
    std::function<void(std::string_view payload)> on_payload;
    std::function<void()> on_connected;
    std::function<void(std::string_view error)> on_error;
  };

  notification_listener(std::string database_url, std::string channel, callbacks cb,
                        std::chrono::milliseconds max_backoff = std::chrono::seconds(5));
  ~notification_listener();  // stop()s
  notification_listener(notification_listener const&) = delete;
  notification_listener& operator=(notification_listener const&) = delete;

  bool connected() const { return connected_.load(); }
  void stop();

 private:
  // A silent network drop is invisible to a connection that only waits, so the listener asks the
  // server this often whether it is still there.
  static constexpr auto probe_interval = std::chrono::seconds(5);

  void run();
  bool sleep_for(std::chrono::milliseconds d);  // false when stopping

  std::string url_;
  std::string channel_;
  callbacks cb_;
  std::chrono::milliseconds max_backoff_;
  std::atomic<bool> connected_{false};
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;  // with wake_: interrupts the backoff sleep on stop()
  std::condition_variable wake_;
  std::thread thread_;
};

}  // namespace chatd::store
